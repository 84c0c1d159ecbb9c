"""What a reader does, in real Chromium: deep links, search, requests, accessibility, mobile, print.

Needs Debian's chromium (/usr/bin/chromium); axe-core and the Nu Html Checker come from
tests/node (`npm ci`). Without them the tests skip with a note, unless REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import edition
import pytest
from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
NODE = ROOT / "tests" / "node" / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
DATA = edition.load(ROOT / "source")
PAGES = ["", *[f"{s}/" for s in edition.PAGE_SECTIONS], "full-text/", "method/", "sources/", "updates/", "data/"]


def need(condition: bool, how: str) -> None:
    """Skip with a one-line hint, or fail under CI where the tool must be present."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {how}")
    pytest.skip(how)


@pytest.fixture(scope="session")
def server(site):
    """The built site on a local static server."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), "Chromium not found: install Debian's chromium (apt-get install chromium) to run browser tests")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open pages in fresh contexts; every request made is recorded on page.requests."""
    contexts = []

    def opener(url: str, viewport: str = "desktop", scheme: str = "light", **options):
        context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.csp_violations = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text))
        page.goto(url, wait_until="networkidle")
        return page

    yield opener
    for context in contexts:
        context.close()


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


def assert_landed(page, element_id: str) -> None:
    report = target_report(page, element_id)
    assert report["top"] >= report["headerBottom"] - 1, (element_id, report)
    assert report["bottom"] <= report["height"], (element_id, report)
    assert not report["covered"], (element_id, report)
    assert report["marked"], (element_id, report)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_cold_deep_link_to_every_item_lands_visible_and_marked(open_page, server, viewport):
    for item in DATA.items:
        page = open_page(f"{server}{item.section.url}#{item.id}", viewport)
        assert_landed(page, item.id)
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


@pytest.mark.parametrize("query, expected", [("Lukoil", "sanctions/"), ("Rosneft", "energy/"), ("INF", "arms-control/")])
def test_search_finds_pages_offline(open_page, server, query, expected):
    page = open_page(server)
    page.locator(".md-search__input").click()
    page.keyboard.type(query, delay=30)
    page.wait_for_selector(".md-search-result__item")
    links = page.locator(".md-search-result__item a").evaluate_all("els => els.map(a => a.href)")
    assert any(expected in link for link in links), links
    assert all(url.startswith(server) or url.startswith(("data:", "blob:")) for url in page.requests)


def test_no_request_leaves_the_site_and_nothing_breaks_the_csp(open_page, server):
    for path in PAGES:
        page = open_page(server + path)
        outside = [url for url in page.requests if not url.startswith((server, "data:", "blob:"))]
        assert outside == [], (path, outside)
        assert 'http-equiv="Content-Security-Policy"' in page.content()
        assert page.csp_violations == [], (path, page.csp_violations[:1])
        page.context.close()


def test_palette_toggle_works_under_the_csp(open_page, server):
    page = open_page(f"{server}energy/")
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("label.md-header__button[for^='__palette']:visible").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") != before
    assert page.csp_violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(open_page, server, scheme):
    need(AXE.exists(), "axe-core not found: run `npm ci` in tests/node")
    for path in PAGES:
        page = open_page(server + path, scheme=scheme, bypass_csp=True)  # let the test inject axe
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run().then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))")
        assert result == [], (path, scheme, result)
        page.context.close()


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


def test_phone_layout_stacks_without_horizontal_scroll(open_page, server):
    for path in PAGES:
        page = open_page(server + path, viewport="phone")
        page.set_viewport_size({"width": 320, "height": 800})
        page.wait_for_timeout(100)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        page.context.close()
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
    small = page.evaluate("""() => [...document.querySelectorAll('.ed-permalink__link, .md-header__button, .ed-tally a')]
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
