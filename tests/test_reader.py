"""The reader review of December 2026 (issue #19), in real Chromium at 375×812 and 1280×800.

Each test states what a reader should meet; see shared/research/reader-review-2026-12.md beside this checkout.
Uses the fixtures and helpers of tests/test_browser.py (Chromium, a local server of the built site). The review's
accessibility-tree checks (no permalink label in a heading's name, no "▸"/"▾", no symbol in a table header) run on
every page at both widths in test_browser.py's test_every_page_at_each_width, which loads each page once.
"""

from __future__ import annotations

import re

from opedcheck import model
import pytest
from test_browser import DATA, VIEWPORTS  # the browser, server and open_page fixtures come from conftest.py

SECTION_PAGES = [f"{section}/" for section in model.PAGE_SECTIONS]
ITEM_PAGES = [item.url for item in DATA.items]

FIRST_SCREEN_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if ([...range.getClientRects()].some(r => r.width > 0 && r.bottom > 0 && r.top < innerHeight)) seen.push(node.textContent);
    }
    return seen.join(' ');
}"""


@pytest.fixture
def tab(browser):
    """One tab per viewport, reused across pages (much faster than a context per page)."""
    contexts = []

    def opener(viewport: str):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_section_and_item_page_names_the_op_ed_and_its_author_and_its_header_fits(tab, server, viewport):
    page = tab(viewport)
    for path in SECTION_PAGES + ITEM_PAGES:
        page.goto(server + path, wait_until="load")
        line = page.locator(".ed-byline").first
        assert line.is_visible(), path
        text = line.inner_text()
        assert DATA.author in text and DATA.title in text, (path, text)
        assert line.locator("a").evaluate("a => a.href") == f"{server}full-text/", path
        # right under the title: nothing but the title above it in the content
        assert page.evaluate("""() => { const h1 = document.querySelector('.md-content h1');
            const line = document.querySelector('.ed-byline');
            return line.getBoundingClientRect().top - h1.getBoundingClientRect().bottom; }""") < 60, path
        # the page's name in the header (shown once the title scrolls away): at least 16 px, never clamped or cut
        size, clamped = page.evaluate("""() => { const t = document.querySelector('[data-md-component=header-topic] .md-ellipsis');
            return [parseFloat(getComputedStyle(t).fontSize), t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1]; }""")
        assert size >= 16 and not clamped, (path, size)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_first_screen_answers_in_words_without_brier(open_page, server, viewport):
    page = open_page(server, viewport)
    seen = page.evaluate(FIRST_SCREEN_TEXT)
    assert "Brier" not in seen, seen
    assert "none of its" in seen or "came true" in seen, seen
    assert "Brier" in page.locator("#calibration ~ p").first.inner_text()  # the figures live in the calibration section


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_one_chart_per_width_and_one_in_the_accessibility_tree(open_page, server, viewport):
    page = open_page(server, viewport)
    shown = page.evaluate("() => [...document.querySelectorAll('figure.ed-chart')].filter(f => f.getClientRects().length).length")
    assert shown == 1
    tree = page.locator("body").aria_snapshot()
    assert len(re.findall(r'img "Verdicts per section', tree)) == 1, tree[:400]


def quoted_numbers(item) -> set[int]:
    phrases = [piece for quotation in model.quotations(item.note) for piece in model.pieces(quotation)]
    return {n for n, ev in enumerate(item.evidence, 1) if any(piece in model.normalise(ev.text) for piece in phrases)}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_evidence_numbers_never_run_backwards_and_nothing_quoted_is_hidden(tab, server, viewport):
    page = tab(viewport)
    for section in DATA.sections.values():
        page.goto(server + section.url, wait_until="load")
        for item in section.items:
            block = f"[id='{item.id}'] ~ .ed-item__analysis"
            hidden = page.evaluate("""(sel) => [...document.querySelectorAll(sel + ' .ed-evidence > li')]
                .filter(li => !li.getClientRects().length).map(li => li.value)""", block)
            assert not quoted_numbers(item) & set(hidden), (item.id, hidden)
            summary = page.locator(f"{block} details.ed-more > summary")
            if summary.count():
                assert "Hide" not in summary.inner_text()
                summary.click()
                assert "Hide" in summary.inner_text() and "Earlier" not in summary.inner_text(), item.id
            shown = page.evaluate("""(sel) => [...document.querySelectorAll(sel + ' .ed-evidence > li')]
                .filter(li => li.getClientRects().length)
                .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(li => li.value)""", block)
            assert shown == list(range(1, len(item.evidence) + 1)), (item.id, shown)


def test_cite_gives_the_address_the_reader_is_on(open_page, server):
    built = "http://127.0.0.1:8000/"  # the build's SITE_URL (tests/conftest.py)
    assert not server.startswith(built), "the test server must differ from the build's address"
    for viewport in VIEWPORTS:
        for path in ["arms-control/", ITEM_PAGES[0]]:
            page = open_page(server + path, viewport)
            texts = page.locator(".ed-cite__text").evaluate_all("els => els.map(p => p.textContent)")
            assert texts
            for text in texts:
                assert built not in text, text
                assert re.search(re.escape(server) + r"p/[a-z0-9-]+/$", text.strip()), text
            page.context.close()


def test_link_to_this_only_where_it_means_a_place_on_the_page(open_page, server):
    page = open_page(server + ITEM_PAGES[0])
    assert page.locator(".ed-permalink__link").count() == 0
    assert page.locator(".ed-actions a.ed-share").count() == 1 and page.locator(".ed-actions details.ed-cite").count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_other_reading_follows_the_reason(tab, server, viewport):
    item = next(item for item in DATA.items if len(item.other_reading.points_to) > 1 and item.other_reading.citations)
    scale = DATA.scale(item)
    page = tab(viewport)
    for path in [item.section.url, item.url]:
        page.goto(server + path, wait_until="load")
        scope = f"[id='{item.id}'] ~ .ed-item__quote"
        other = page.locator(f"{scope} .ed-other")
        assert other.count() == 1 and other.is_visible(), path
        assert page.evaluate("""(scope) => { const why = document.querySelector(scope + ' .ed-why');
            const other = document.querySelector(scope + ' .ed-other');
            return !!(why.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING)
                && other.getBoundingClientRect().top >= why.getBoundingClientRect().bottom - 1; }""", scope), path
        text = " ".join(other.inner_text().split())
        assert "different verdict" in text and all(scale[v].label in text for v in item.other_reading.points_to), text
        hrefs = other.locator(".ed-cites a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert len(hrefs) == len(item.other_reading.citations), hrefs
        assert all("#:~:text=" in href for href, c in zip(hrefs, item.other_reading.citations) if c.locators), hrefs


def test_every_item_shows_its_other_reading_with_what_was_searched(site):
    for item in DATA.items:
        for path in (site / item.url / "index.html", site / item.section.url / "index.html"):
            html = path.read_text(encoding="utf-8")
            block = html[html.index(f'id="{item.id}"'):]
            block = block[:block.find('<div class="ed-item ', 1) if '<div class="ed-item ' in block[1:] else None]
            assert block.count('class="ed-other"') == 1, (item.id, path)
            if item.other_reading.searched:
                assert "What we looked for and did not find" in block, (item.id, path)
