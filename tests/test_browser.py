"""What a reader does, in real Chromium: deep links, search, requests, accessibility, mobile, print.

Needs Debian's chromium (/usr/bin/chromium); axe-core and the Nu Html Checker come from
tests/node (`npm ci`). Without them the tests skip with a note, unless REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from opedcheck import load, model
import pytest
from conftest import CHROMIUM, FLAGS, ROOT, VIEWPORTS, need  # noqa: F401 (the browser fixtures live in conftest.py)

NODE = ROOT / "tests" / "node" / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
DATA = load.load(ROOT / "source")
# Every page type: home, the five sections, the item pages of a prediction and a claim, and the rest.
ITEM_PAGES = [f"p/{DATA.predictions[0].id}/", f"p/{DATA.claims[-1].id}/"]
PAGES = ["", *[f"{s}/" for s in model.PAGE_SECTIONS], *ITEM_PAGES, "full-text/", "method/", "sources/",
         f"sources/{model.PAGE_SECTIONS[0]}/", "sources/retired/", "updates/", "data/"]
SYMBOLS = {level.symbol for level in [*DATA.prediction_scale.values(), *DATA.claim_scale.values()]}


def target_report(page, element_id: str) -> dict:
    """Where the element lies, what covers its centre, and whether it is marked."""
    return page.evaluate("""(id) => {
        const el = document.getElementById(id);
        const box = el.getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 40), box.top + box.height / 2);
        const item = el.closest('.ed-item');
        return {top: box.top, bottom: box.bottom, headerBottom: header.bottom, height: innerHeight,
                covered: !(hit && (el === hit || el.contains(hit))),
                marked: item ? getComputedStyle(item).outlineStyle !== 'none' : false};
    }""", element_id)


def settle(page, element_id: str) -> None:
    """Under load a cold page may still be scrolling to its target: give it two seconds, as a reader would."""
    with contextlib.suppress(Exception):
        page.wait_for_function("""(id) => { const box = document.getElementById(id).getBoundingClientRect();
            return box.top >= document.querySelector('.md-header').getBoundingClientRect().bottom - 1 && box.bottom <= innerHeight; }""",
                               arg=element_id, timeout=2000)


def assert_landed(page, element_id: str) -> None:
    settle(page, element_id)
    report = target_report(page, element_id)
    assert report["top"] >= report["headerBottom"] - 1, (element_id, report)
    assert report["bottom"] <= report["height"], (element_id, report)
    assert not report["covered"], (element_id, report)
    assert report["marked"], (element_id, report)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("section", DATA.sections)
def test_cold_deep_link_to_every_item_lands_visible_and_marked(open_page, server, section, viewport):
    """On a phone the verdict and the reason are on the first screen too (one page load serves both checks)."""
    for item in DATA.sections[section].items:
        page = open_page(f"{server}{item.section.url}#{item.id}", viewport)
        assert_landed(page, item.id)
        if viewport == "phone":
            label = DATA.scale(item)[item.verdict].label
            why = first_screen(page, f"#{item.id} ~ .ed-item__quote .ed-why")
            badge = first_screen(page, f"#{item.id} ~ .ed-item__quote .ed-verdict")
            assert label in badge["text"] and why["top"] >= 0 and why["bottom"] <= why["height"], (item.id, why)
        page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_in_site_link_lands_and_back_returns(open_page, server, viewport):
    page = open_page(f"{server}full-text/", viewport)
    for item in [DATA.items[0], DATA.items[-1]]:
        link = page.locator(f"a.ed-quote-link[href$='#{item.id}']")
        link.scroll_into_view_if_needed()
        before = page.evaluate("scrollY")
        link.click()
        page.wait_for_url(f"**#{item.id}")
        page.wait_for_timeout(200)
        assert_landed(page, item.id)
        page.go_back()
        page.wait_for_url(f"{server}full-text/")
        page.wait_for_timeout(300)
        assert abs(page.evaluate("scrollY") - before) < 5


def test_link_to_this_gives_the_absolute_permalink(open_page, server):
    for section in DATA.sections.values():
        page = open_page(f"{server}{section.url}")
        for item in section.items:
            href = page.locator(f"#{item.id} ~ div a.ed-permalink__link").first.evaluate("a => a.href")
            assert href == f"{server}{section.url}#{item.id}"
        page.context.close()


def first_screen(page, selector: str) -> dict:
    return page.evaluate("""(sel) => { const el = document.querySelector(sel); const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: innerHeight, text: el.innerText}; }""", selector)


def test_item_pages_load_cold_at_both_widths_with_the_answer_first(open_page, server):
    for item in DATA.items[::4]:
        for viewport in VIEWPORTS:
            page = open_page(f"{server}p/{item.id}/", viewport)
            why = first_screen(page, ".ed-why")
            assert why["bottom"] <= why["height"], (item.id, viewport, why)
            assert page.locator("h1").inner_text().strip() == item.title
            context = page.locator(".ed-item-nav a", has_text="Read it in context").evaluate("a => a.href")
            assert context == f"{server}{item.section.url}#{item.id}"
            page.context.close()


def test_home_first_phone_screen_has_title_tally_and_score(open_page, server):
    page = open_page(server, "phone")
    answer = first_screen(page, ".ed-answer")
    assert answer["bottom"] <= answer["height"], answer
    assert DATA.author in answer["text"] and "Brier" not in answer["text"]  # the score in words; its figures are in #calibration
    for level in DATA.prediction_scale.values():
        n = sum(item.verdict == level.id for item in DATA.predictions)
        if n:
            link = page.locator(f".ed-answer a[href='#verdict-{level.id}']")
            assert f"{n} {level.label.lower()}" in link.inner_text()
    page.locator(".ed-answer a[href^='#verdict-']").first.click()
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelector(location.hash).getBoundingClientRect().top") < 812


def test_share_copies_the_item_url_and_says_so(browser, server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(f"{server}arms-control/", wait_until="networkidle")
    item = DATA.sections["arms-control"].items[0]
    share = page.locator(f"#{item.id} ~ div a.ed-share")
    assert share.evaluate("a => a.href") == f"{server}p/{item.id}/"  # a plain link without JavaScript
    page.evaluate("delete Navigator.prototype.share")  # the desktop fallback: copy
    share.click()
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()") == f"{server}p/{item.id}/"
    assert "Link copied" in page.locator("[role=status]").inner_text()
    cite = page.locator(f"#{item.id} ~ div details.ed-cite summary")
    cite.click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert item.title in copied and f"{server}p/{item.id}/" in copied and str(DATA.reviewed) in copied  # the reader's address
    assert "Citation copied" in page.locator("[role=status]").inner_text()
    context.close()


def test_a_source_address_forwards_to_its_record(open_page, server):
    """/sources/#ID, the permanent address, opens the full record; a stale record address finds it again."""
    current = next(s for s in DATA.sources.values() if s.file == model.PAGE_SECTIONS[0])
    retired = DATA.retired_sources[-1]
    for source, start, group in [(current, "sources/", current.file), (retired, "sources/", "retired"),
                                 (current, "sources/shared/", current.file)]:
        page = open_page(f"{server}{start}#{source.id}", "phone")
        page.wait_for_url(f"{server}sources/{group}/#{source.id}")
        box = page.locator(f"[id='{source.id}']").bounding_box()
        assert box and 0 <= box["y"] < 812, (source.id, box)
        page.go_back()  # the forward replaced the entry: Back leaves, it does not bounce into the record again
        assert page.url == "about:blank", (source.id, page.url)
        page.context.close()


def test_link_to_a_hidden_evidence_item_opens_it(open_page, server):
    item = next(i for i in DATA.items if len(i.evidence) > 4)
    page = open_page(f"{server}{item.section.url}#{item.id}-e1", "phone")
    box = page.locator(f"#{item.id}-e1").bounding_box()
    assert box and box["height"] > 0 and 0 <= box["y"] < 812


@pytest.mark.parametrize("query, expected", [("Lukoil", "sanctions/"), ("Rosneft", "energy/"), ("INF", "arms-control/")])
def test_search_finds_pages_offline(open_page, server, query, expected):
    page = open_page(server)
    page.locator(".md-search__input").click()
    page.keyboard.type(query, delay=30)
    page.wait_for_selector(".md-search-result__item")
    links = page.locator(".md-search-result__item a").evaluate_all("els => els.map(a => a.href)")
    assert any(expected in link for link in links), links
    assert outside_requests(page, server) == []


# ---- Every page at each width, loaded once: the checks below share that one load ----

DISCLOSURE_MARKS = ("▸", "▾")


def outside_requests(page, server: str) -> list[str]:
    return [url for url in page.requests if not url.startswith((server, "data:", "blob:"))]


def small_svg_text(page) -> list:
    return page.evaluate("""() => [...document.querySelectorAll('svg text')].filter(t => t.getClientRects().length)
        .map(t => { const svg = t.ownerSVGElement; const box = svg.viewBox.baseVal;
            const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
            return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]; })
        .filter(([, size]) => size < 11)""")


def overlapping_svg_text(page) -> list:
    """Pairs of labels in one chart whose boxes cross ("opevidence to 7 Mar 2026")."""
    return page.evaluate("""() => [...document.querySelectorAll('svg')].flatMap(svg => {
        const boxes = [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length)
            .map(t => [t.textContent, t.getBoundingClientRect()]);
        return boxes.flatMap(([a, r], i) => boxes.slice(i + 1).filter(([, q]) =>
            r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1).map(([b]) => [a, b]));
    })""")


def snapshot_names(tree: str):
    """(role, name, text) for each line of an aria snapshot: '- role "name" [attrs]:' or '- text: words'."""
    for line in tree.splitlines():
        match = re.match(r'\s*- (\w+)(?: "(.*?)")?(?: \[[^\]]*\])*:?\s*(.*)$', line)
        if match:
            yield match.group(1), (match.group(2) or ""), (match.group(3) or "").strip().strip('"')


def what_is_said_badly(page) -> list:
    """Accessibility-tree names a screen reader would read as noise (issue #19)."""
    bad = []
    for role, name, text in snapshot_names(page.locator("body").aria_snapshot()):
        said = [name.strip(), text]
        if any(s in SYMBOLS | {"…", "?"} or re.fullmatch(r"¶\d*", s) for s in said):
            bad.append(("bare symbol", role, name, text))
        if any(mark in name + text for mark in DISCLOSURE_MARKS):
            bad.append(("disclosure mark", role, name, text))
        if role in ("columnheader", "rowheader") and any(symbol in name + text for symbol in SYMBOLS):
            bad.append(("symbol in a table header", role, name, text))
        if role == "heading" and "Link to" in name:
            bad.append(("permalink label in a heading's name", role, name, text))
    return bad


def duplicate_control_names(page) -> list[str]:
    controls = page.evaluate("""() => [...document.querySelectorAll('.ed-actions a, .ed-actions summary, .headerlink')]
        .filter(el => el.getClientRects().length && el.getAttribute('aria-hidden') !== 'true')
        .map(el => (el.getAttribute('aria-label') || el.textContent).trim())""")
    return sorted({c for c in controls if controls.count(c) > 1})


def tables_overflowing_without_a_cue(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.md-content table')].filter(t => t.getClientRects().length)
        .filter(t => { const box = t.parentElement.closest('.md-typeset__scrollwrap') || t.parentElement;
            const over = t.getBoundingClientRect().width > box.clientWidth + 1;
            const cue = getComputedStyle(box).overflowX !== 'visible' && getComputedStyle(box).backgroundImage.includes('gradient');
            return over && !cue; }).map(t => t.innerText.slice(0, 40))""")


def axe_violations(page, rules: list[str] | None = None) -> list:
    """axe-core run in the page; evaluate() is not subject to the page's CSP, so the CSP stays on."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options = json.dumps({"runOnly": rules} if rules else {})
    found = page.evaluate(f"axe.run({options}).then(r => [r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]), r.passes.length])")
    assert found[1] > 0, "axe ran no passing check: it did not run"
    return found[0]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_at_each_width(open_page, server, path, viewport):
    """No outside request or CSP break; no SVG text under 11 px; a quiet accessibility tree; unique control names.
    Wide: axe finds nothing, in light and in dark. Phone: every wide table has a scroll cue, nothing scrolls at 320 px."""
    need(AXE.exists(), "axe-core not found: run `npm ci` in tests/node")
    page = open_page(server + path, viewport, wait_until="networkidle" if viewport == "desktop" else "load")
    assert outside_requests(page, server) == [], path
    assert 'http-equiv="Content-Security-Policy"' in page.content()
    assert page.csp_violations == [], (path, page.csp_violations[:1])
    assert small_svg_text(page) == [], path
    assert overlapping_svg_text(page) == [], path
    assert what_is_said_badly(page) == [], path
    assert duplicate_control_names(page) == [], path
    split = page.evaluate("() => [...document.querySelectorAll('td:first-child > code')].filter(c => c.getClientRects().length > 1).map(c => c.textContent)")
    assert split == [], (path, "a field name breaks mid-word", split[:3])
    if viewport == "desktop":
        assert axe_violations(page) == [], (path, "light")
        page.emulate_media(color_scheme="dark")
        page.reload(wait_until="load")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert axe_violations(page, ["color-contrast", "link-in-text-block"]) == [], (path, "dark")
    else:
        assert tables_overflowing_without_a_cue(page) == [], path
        page.set_viewport_size({"width": 320, "height": 800})
        page.wait_for_timeout(100)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_no_full_stop_starts_a_line_after_a_badge(open_page, server):
    """The op-ed's text, where a badge follows each checked passage, at widths where a break used to fall there."""
    page = open_page(f"{server}full-text/", "phone")
    for width in (355, 404, 453, 558, 964):
        page.set_viewport_size({"width": width, "height": 800})
        broken = page.evaluate("() => [...document.querySelectorAll('.ed-nowrap')].filter(s => s.getClientRects().length > 1).map(s => s.textContent)")
        assert broken == [], (width, broken[:3])


SCHEME_STATE = """() => [document.body.dataset.mdColorScheme, document.querySelector('meta[name=color-scheme]')?.content,
    [...document.querySelectorAll('form[data-ed-palette] label')].filter(label => !label.hidden).map(label => label.title)]"""


def test_palette_follows_the_system_then_the_readers_choice(open_page, server):
    page = open_page(f"{server}energy/", scheme="dark")
    assert page.evaluate(SCHEME_STATE) == ["slate", "dark", ["Switch to light mode"]]
    page.locator("label.md-header__button[for^='__palette']:visible").click()
    assert page.evaluate(SCHEME_STATE) == ["default", "light", ["Switch to dark mode"]]
    page.goto(f"{server}cyber/")  # the choice is kept, against the system's
    assert page.evaluate(SCHEME_STATE) == ["default", "light", ["Switch to dark mode"]]
    page.focus("#__palette_0")
    page.keyboard.press("Enter")
    assert page.evaluate(SCHEME_STATE) == ["slate", "dark", ["Switch to light mode"]]
    assert page.csp_violations == []


@pytest.mark.parametrize("system, saved, expected", [("light", False, "default"), ("dark", False, "slate"),
                                                     ("dark", True, "default")])
def test_the_scheme_is_set_before_the_page_content_is_parsed(open_page, server, system, saved, expected):
    # Material's palette script marks the body as switching after every load, which restyles every
    # element (see BENCHMARKS.md). Ours sets the saved scheme, or the system's, from the header.
    page = open_page(f"{server}eastern-europe/", scheme=system)
    if saved:
        page.locator("label.md-header__button[for^='__palette']:visible").click()
    page.add_init_script("""window.bodyChanges = [];
        new MutationObserver(list => list.forEach(m => m.target === document.body
                && m.oldValue !== document.body.getAttribute(m.attributeName)
                && bodyChanges.push([m.attributeName, document.querySelector('.md-main') ? 'after' : 'before'])))
            .observe(document, {attributes: true, attributeOldValue: true, subtree: true});""")
    page.reload(wait_until="networkidle")
    changes = page.evaluate("bodyChanges")
    assert [when for _, when in changes if when != "before"] == [], changes
    assert "data-md-color-switching" not in [name for name, _ in changes]
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected


def test_nu_html_checker_finds_no_errors(site):
    need(VNU.exists() and shutil.which("java") is not None, "vnu.jar or Java not found: install a JRE and run `npm ci` in tests/node")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(site)],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], messages[:5]


def test_keyboard_reaches_controls_with_visible_focus(open_page, server):
    page = open_page(f"{server}arms-control/")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { let el = document.activeElement;
            const tag = el.tagName;
            // Material's palette toggle is a hidden radio; the label after it shows the focus
            if (tag === 'INPUT' && el.type === 'radio' && el.nextElementSibling?.tagName === 'LABEL') el = el.nextElementSibling;
            const s = getComputedStyle(el);
            return {tag, outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }""")
        if style["tag"] in ("A", "SUMMARY", "BUTTON", "INPUT", "LABEL"):
            seen += 1
            assert style["outline"] != "none" or style["shadow"] != "none", style
    assert seen >= 20


def test_phone_layout_stacks_quote_above_note(open_page, server):
    page = open_page(f"{server}energy/", viewport="phone")
    quote, analysis = (page.locator(f".ed-item__{part}").first.bounding_box() for part in ("quote", "analysis"))
    assert analysis["y"] >= quote["y"] + quote["height"] - 1  # stacked, not side by side


def test_wide_layout_sets_quote_beside_note(open_page, server):
    page = open_page(f"{server}energy/")
    quote, analysis = (page.locator(f".ed-item__{part}").first.bounding_box() for part in ("quote", "analysis"))
    assert analysis["x"] > quote["x"] + quote["width"] - 1
    assert abs(analysis["y"] - quote["y"]) < 40


def test_tap_targets_in_content_are_at_least_24px(open_page, server):
    page = open_page(f"{server}cyber/", viewport="phone")
    small = page.evaluate("""() => [...document.querySelectorAll('.ed-action, .md-header__button, .ed-tally a, .ed-answer a')]
        .map(a => a.getBoundingClientRect()).filter(r => r.width > 0 && (r.height < 24 || r.width < 24)).length""")
    assert small == 0


def test_print_to_pdf_keeps_quotes_notes_and_source_urls(open_page, server, tmp_path):
    need(shutil.which("pdftotext") is not None, "pdftotext not found: apt-get install poppler-utils")
    page = open_page(f"{server}arms-control/")
    pdf = tmp_path / "arms-control.pdf"
    page.pdf(path=str(pdf))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    section = DATA.sections["arms-control"]
    for item in section.items:
        assert " ".join(item.quote.split()[:6]) in flat, item.id
        for evidence in item.evidence:  # "Show more" prints expanded
            assert str(evidence.date) in flat, (item.id, evidence.date)
    host = urlsplit(section.items[0].evidence[0].sources[0].url).netloc
    assert host in flat.replace(" ", "")  # source URLs are printed after their links
    assert "Search" not in flat.split(section.title)[0]  # no header chrome before the content


def test_screenshots_for_people(open_page, server):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        pytest.skip("set SCREENSHOTS_DIR to save a screenshot of every page at both widths")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for path in PAGES:
        for viewport in VIEWPORTS:
            page = open_page(server + path, viewport)
            name = (path.strip("/") or "home") + f"-{viewport}.png"
            page.screenshot(path=str(Path(folder) / name), full_page=True)
            page.context.close()
