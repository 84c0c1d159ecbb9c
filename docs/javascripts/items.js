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

  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { announce(done); }, function () { announce("Copy failed: select the text to copy it."); });
      return true;
    }
    return false;
  }

  document.addEventListener("click", function (event) {
    var share = event.target.closest && event.target.closest("a.ed-share");
    if (share) {
      var url = new URL(share.getAttribute("href"), location.href).href;
      if (navigator.share) {
        event.preventDefault();
        navigator.share({ title: share.dataset.shareTitle, url: url }).catch(function () {});
      } else if (copy(url, "Link copied to the clipboard: " + url)) {
        event.preventDefault();
      }
      return;
    }
    var summary = event.target.closest && event.target.closest("details.ed-cite > summary");
    if (summary && !summary.parentElement.open) {
      copy(summary.parentElement.querySelector(".ed-cite__text").textContent, "Citation copied to the clipboard.");
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

  // A link to an evidence item hidden under "Show more" opens its disclosure first.
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
