// Share and Cite controls; both work without JavaScript (a plain link, a disclosure).
(function () {
  var status = document.createElement("div");
  status.className = "ed-vh";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function announce(message) {
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }

  // A short visible note beside the control, for sighted readers; the status above speaks it.
  function flash(control, message) {
    var old = control.parentElement.querySelector(".ed-flash");
    if (old) old.remove();
    var note = document.createElement("span");
    note.className = "ed-flash";
    note.setAttribute("aria-hidden", "true");
    note.textContent = message;
    control.insertAdjacentElement(control.tagName === "SUMMARY" ? "beforeend" : "afterend", note);
    setTimeout(function () { note.remove(); }, 4000);
  }

  function copy(text, done, control, short) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { announce(done); flash(control, short); },
        function () { announce("Copy failed: select the text to copy it."); flash(control, "Copy failed: select the text"); });
      return true;
    }
    return false;
  }

  // A citation names the address the reader is on (the build may not know the public one). After
  // load, so that rewriting the text never competes with the browser's scroll to a linked item.
  function citeAddresses() {
    document.querySelectorAll(".ed-cite__url[data-href]").forEach(function (url) {
      url.textContent = new URL(url.dataset.href, location.href).href;
    });
  }
  if (document.readyState === "complete") citeAddresses();
  else window.addEventListener("load", citeAddresses);

  document.addEventListener("click", function (event) {
    var share = event.target.closest && event.target.closest("a.ed-share");
    if (share) {
      var url = new URL(share.getAttribute("href"), location.href).href;
      if (navigator.share) {
        event.preventDefault();
        navigator.share({ title: share.dataset.shareTitle, url: url }).catch(function () {});
      } else if (copy(url, "Link copied to the clipboard: " + url, share, "Link copied")) {
        event.preventDefault();
      }
      return;
    }
    var summary = event.target.closest && event.target.closest("details.ed-cite > summary");
    if (summary && !summary.parentElement.open) {
      citeAddresses();
      copy(summary.parentElement.querySelector(".ed-cite__text").textContent, "Citation copied to the clipboard.", summary, "Citation copied");
    }
  });

  // /sources/#ID is a source's permanent address: it forwards to the full record. A record page
  // reached with an id it lacks (the source moved to another group) asks the index again.
  function forwardSource() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var stub = target && target.parentElement && target.parentElement.matches(".ed-sources--index") && target.querySelector("a");
    var records = id && !target && document.querySelector("ol[data-index]");
    if (stub) location.replace(stub.href);
    else if (records) location.replace(new URL(records.dataset.index, location.href).href + "#" + encodeURIComponent(id));
  }
  forwardSource();

  // A link to an evidence item hidden under "Earlier evidence" opens its disclosure first.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) node.open = true;
    }
    if (target && target.closest("details")) target.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // A cold link lands on its item even when the browser's own scroll to it was lost (seen now and
  // then on long pages under load): until the reader scrolls or types, load and a moment after it
  // bring an item that is off screen back into view.
  var readerMoved = false;
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function () { readerMoved = true; }, { once: true, passive: true });
  });
  function land() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || readerMoved) return;
    var box = target.getBoundingClientRect();
    if (box.top > innerHeight || box.bottom < 0) target.scrollIntoView();
  }
  window.addEventListener("load", function () { land(); setTimeout(land, 150); });

  // Light/dark switch (overrides/partials/palette.html). Material's own script restyles every element
  // on each page load; this one touches the page only when the scheme changes. The header's inline
  // script (overrides/partials/javascripts/palette.html) sets the saved or the system's scheme before
  // the first paint; the saved choice keeps Material's key and shape.
  var palette = document.querySelector("form[data-ed-palette]");
  if (palette) {
    var inputs = Array.prototype.slice.call(palette.querySelectorAll("input"));
    var current = 0;
    var colorScheme = document.createElement("meta"), themeColor = document.createElement("meta");
    colorScheme.name = "color-scheme";
    themeColor.name = "theme-color";

    var choose = function (index, save) {
      var color = {};
      current = index;
      ["media", "scheme", "primary", "accent"].forEach(function (key) { color[key] = inputs[index].getAttribute("data-md-color-" + key); });
      // The body's media attribute is only Material's record of the choice: no style reads it.
      var changed = ["scheme", "primary", "accent"].some(function (key) { return document.body.getAttribute("data-md-color-" + key) !== color[key]; });
      if (changed) {
        document.body.setAttribute("data-md-color-switching", "");  // Material's rule: no transitions meanwhile
        Object.keys(color).forEach(function (key) { document.body.setAttribute("data-md-color-" + key, color[key]); });
        setTimeout(function () { document.body.removeAttribute("data-md-color-switching"); });
      }
      // Browser chrome follows the page: scrollbars and form controls (Material's slate is the dark
      // one), and the address bar takes the header's colour.
      colorScheme.content = color.scheme === "slate" ? "dark" : "light";
      themeColor.content = getComputedStyle(document.querySelector(".md-header")).backgroundColor;
      document.head.append(colorScheme, themeColor);
      inputs.forEach(function (other, i) {
        if (other.nextElementSibling && other.nextElementSibling.tagName === "LABEL") other.nextElementSibling.hidden = i !== index;
      });
      if (save) __md_set("__palette", { index: index, color: color });
    };
    var systemIndex = function () {
      return Math.max(0, inputs.findIndex(function (input) { return matchMedia(input.getAttribute("data-md-color-media")).matches; }));
    };
    // The header's script has already chosen: show the switch for the scheme on the page.
    choose(Math.max(0, inputs.findIndex(function (input) {
      return input.getAttribute("data-md-color-scheme") === document.body.getAttribute("data-md-color-scheme");
    })), false);

    palette.addEventListener("change", function (event) { choose(inputs.indexOf(event.target), true); });
    // Enter on the focused switch moves to the next scheme, as in Material.
    palette.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var next = inputs[(current + 1) % inputs.length];
      next.click();
      next.focus();
    });
    // Until a reader picks a scheme, follow the system's.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
      if (!__md_get("__palette")) choose(systemIndex(), false);
    });
  }

  // Print every disclosure expanded: criteria, more evidence, source details.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.ed-plain:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.dataset.printOpened = "";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (details) {
      details.removeAttribute("open");
      delete details.dataset.printOpened;
    });
  });
})();
