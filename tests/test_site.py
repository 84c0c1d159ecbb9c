"""The built site, parsed: pages, ids, quotes, sources, links and leftovers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import edition
import pytest
from conftest import BUILD_ENV, ROOT
from htmlparse import Page

SITE_URL = BUILD_ENV["SITE_URL"]
DATA = edition.load(ROOT / "source")


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def page_path(site: Path, item: edition.Item) -> Path:
    return site / item.section.url / "index.html"


def item_chunk(html: str, item_id: str) -> str:
    """The HTML of one item block: from its heading to the next item block."""
    start = html.index(f'id="{item_id}"')
    end = html.find('<div class="ed-item ', start)
    return html[start:end if end != -1 else len(html)]


def test_op_ed_is_byte_identical_to_the_original():
    original = ROOT.parent / "shared" / "op-ed" / "op-ed.txt"
    if not original.exists():
        pytest.skip("the shared op-ed is not beside this checkout")
    assert (ROOT / "source" / "op-ed.txt").read_bytes() == original.read_bytes()


def test_five_section_pages_exist(site):
    for section_id in edition.PAGE_SECTIONS:
        page = site / section_id / "index.html"
        assert page.is_file(), section_id
        assert DATA.sections[section_id].title in Page(page.read_text(encoding="utf-8")).text


def test_every_item_id_appears_exactly_once_with_its_verdict_and_note(site):
    counts: dict[str, int] = {}
    for path in html_files(site):
        for element_id in Page(path.read_text(encoding="utf-8")).ids:
            counts[element_id] = counts.get(element_id, 0) + 1
    for item in DATA.items:
        assert counts.get(item.id) == 1, f"{item.id} appears {counts.get(item.id, 0)} times"
        chunk = Page(item_chunk(page_path(site, item).read_text(encoding="utf-8"), item.id)).text
        label = DATA.scale(item)[item.verdict].label
        assert label in chunk, f"{item.id}: verdict '{label}' missing"
        first_words = re.sub(r"[*_`]", "", item.note)[:40]
        assert first_words in " ".join(chunk.split()), f"{item.id}: note missing"
        assert str(item.history[-1].date) in chunk, f"{item.id}: as-of date missing"


def test_every_quote_is_verbatim_in_the_article_and_on_its_page(site):
    article = (ROOT / "source" / "op-ed.txt").read_text(encoding="utf-8")
    for item in DATA.items:
        assert article.count(item.quote) == 1, item.id
        assert item.quote in Page(page_path(site, item).read_text(encoding="utf-8")).text, item.id


def test_full_text_page_holds_the_whole_article_and_links_every_item(site):
    html = (site / "full-text" / "index.html").read_text(encoding="utf-8")
    text = " ".join(Page(html).text.split())
    for paragraph in DATA.paragraphs:
        assert " ".join(paragraph.split()) in text
    hrefs = {a.get("href", "") for a in Page(html).attrs("a")}
    for item in DATA.items:
        assert any(h.endswith(f"#{item.id}") for h in hrefs), item.id


def test_every_cited_source_is_listed_on_the_sources_page(site):
    page = Page((site / "sources" / "index.html").read_text(encoding="utf-8"))
    listed = set(page.ids)
    urls = {a.get("href") for a in page.attrs("a")}
    for item in DATA.items:
        for evidence in item.evidence:
            for source in evidence.sources:
                assert source.id in listed, source.id
                assert source.url in urls, source.url


def test_no_template_markers_are_left(site):
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        assert "<!-- editorial:" not in html, f"{path.relative_to(site)} holds a marker"
        text = Page(html).text  # scripts excluded: Material's inline JS has braces
        for marker in ("{{", "{%", "%}", "}}", "{#"):
            assert marker not in text, f"{path.relative_to(site)} holds {marker!r}"


def test_no_third_party_url_in_link_script_or_img(site):
    for path in html_files(site):
        page = Page(path.read_text(encoding="utf-8"))
        for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for attrs in page.attrs(tag):
                url = attrs.get(attribute) or ""
                if re.match(r"(https?:)?//", url):
                    assert url.startswith(SITE_URL), f"{path.relative_to(site)}: <{tag} {attribute}={url}>"


def test_every_internal_link_and_anchor_resolves(site):
    ids = {path: set(Page(path.read_text(encoding="utf-8")).ids) for path in html_files(site)}
    for path in ids:
        for attrs in Page(path.read_text(encoding="utf-8")).attrs("a"):
            href = attrs.get("href", "")
            if not href or re.match(r"[a-z]+:", href) or href.startswith("//"):
                continue
            parts = urlsplit(href)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path.relative_to(site)}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], f"{path.relative_to(site)}: missing anchor {href}"


def test_external_links_carry_noopener_noreferrer(site):
    for path in html_files(site):
        for attrs in Page(path.read_text(encoding="utf-8")).attrs("a"):
            href = attrs.get("href", "")
            if href.startswith(("http://", "https://")) and not href.startswith(SITE_URL):
                assert "noopener" in attrs.get("rel", "") and "noreferrer" in attrs.get("rel", ""), href


def test_every_page_has_a_unique_title_and_description(site):
    titles, descriptions = {}, {}
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert title not in titles, f"{path} repeats the title of {titles.get(title)}"
        assert description not in descriptions, f"{path} repeats the description of {descriptions.get(description)}"
        titles[title], descriptions[description] = path, path
        for tag in ('rel="canonical"', 'property="og:title"', 'property="og:description"', 'name="twitter:card"'):
            assert tag in html, f"{path}: missing {tag}"


def test_a_verdict_is_never_shown_by_colour_alone(site):
    labels = {level.label for level in [*DATA.prediction_scale.values(), *DATA.claim_scale.values()]}
    badge = re.compile(r'<span class="ed-verdict ed-verdict--[a-z-]+"><span class="ed-verdict__symbol" '
                       r'aria-hidden="true">([^<]+)</span> ([^<]+)</span>')
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        found = badge.findall(html)
        assert len(found) == html.count('class="ed-verdict '), f"{path.relative_to(site)}: a badge without symbol and word"
        for symbol, label in found:
            assert symbol.strip() and label in labels, (path, symbol, label)
