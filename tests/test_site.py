"""The built site, parsed: pages, ids, quotes, sources, links and leftovers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from opedcheck import load, model
import pytest
from conftest import BUILD_ENV, ROOT, mkdocs_build
from htmlparse import Page

SITE_URL = BUILD_ENV["SITE_URL"]
DATA = load.load(ROOT / "source")


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def page_path(site: Path, item: model.Item) -> Path:
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
    for section_id in model.PAGE_SECTIONS:
        page = site / section_id / "index.html"
        assert page.is_file(), section_id
        assert DATA.sections[section_id].title in Page(page.read_text(encoding="utf-8")).text


def test_every_item_id_appears_once_in_context_and_once_on_its_own_page(site):
    counts: dict[str, list[str]] = {}
    for path in html_files(site):
        for element_id in Page(path.read_text(encoding="utf-8")).ids:
            counts.setdefault(element_id, []).append(path.relative_to(site).as_posix())
    for item in DATA.items:
        assert sorted(counts.get(item.id, [])) == sorted([f"{item.section.url}index.html", f"p/{item.id}/index.html"]), item.id
        for path in (page_path(site, item), site / "p" / item.id / "index.html"):
            chunk = " ".join(Page(item_chunk(path.read_text(encoding="utf-8"), item.id)).text.split())
            label = DATA.scale(item)[item.verdict].label
            assert label in chunk, f"{item.id}: verdict '{label}' missing"
            first_words = " ".join(re.sub(r"[*_`]", "", item.note)[:40].split())
            assert first_words in chunk, f"{item.id}: note missing"
            when = f"Evidence to {item.section.evidence_through.short} · reviewed {DATA.reviewed.short}"
            assert when in chunk, f"{item.id}: evidence and review dates missing"
            assert " ".join(item.history[-1].reason.split())[:30] in chunk, f"{item.id}: one-line reason missing"


def test_every_quote_is_verbatim_in_the_article_and_on_its_page(site):
    article = (ROOT / "source" / "op-ed.txt").read_text(encoding="utf-8")
    for item in DATA.items:
        assert article.count(item.quote) == 1, item.id
        assert item.quote in Page(page_path(site, item).read_text(encoding="utf-8")).text, item.id


def test_full_text_page_holds_the_whole_article_and_links_every_item_with_its_verdict(site):
    html = (site / "full-text" / "index.html").read_text(encoding="utf-8")
    badge = re.compile(r' <span class="ed-nowrap"><span class="ed-verdict ed-verdict--small ed-verdict--[a-z-]+">.*?</span>', re.S)
    text = " ".join(Page(badge.sub("", html)).text.split())
    for paragraph in DATA.paragraphs:
        assert " ".join(paragraph.split()) in text
    for item in DATA.items:
        link = re.search(rf'<a class="ed-quote-link[^"]*" href="[^"]*#{item.id}">.*?</a> <span class="ed-nowrap"><span class="ed-verdict ed-verdict--small ed-verdict--([a-z-]+)">', html, re.S)
        assert link and link.group(1) == item.verdict, item.id


def test_every_source_has_a_record_and_a_permanent_entry_on_the_index(site):
    index = (site / "sources" / "index.html").read_text(encoding="utf-8")
    records: dict[str, str] = {}
    for source in [*DATA.sources.values(), *DATA.retired_sources]:
        # /sources/#ID is the permanent address: an entry there names the source and links its record.
        stub = re.search(rf'<li id="{source.id}"><a href="([a-z-]+)/#{source.id}"[^>]*>(.*?)</a> · (.*?)</li>', index, re.S)
        assert stub, source.id
        assert html.unescape(stub.group(2)) == source.title and html.unescape(stub.group(3)).startswith(source.publisher), source.id
        group = stub.group(1)
        if group not in records:
            records[group] = (site / "sources" / group / "index.html").read_text(encoding="utf-8")
        entry_html = re.search(rf'<li id="{source.id}">(.*?)</li>', records[group], re.S).group(1)
        entry = " ".join(Page(entry_html).text.split())
        assert " ".join(source.title.split()) in entry and source.publisher in entry, source.id
        assert f'href="{html.escape(source.url, quote=True)}"' in entry_html, source.id
        if isinstance(source, model.RetiredSource):
            assert group == "retired", source.id
            continue
        assert group == source.file, source.id
        assert ("no headline recorded" in entry) == (not source.headline), source.id
        if source.accessed:
            assert f"read {source.accessed}" in entry, source.id
        for where in source.cited_by:  # the items citing it, and every word located on it
            if where in {item.id for item in DATA.items}:
                assert f'href="../../p/{where}/"' in entry_html, (source.id, where)
        for item in DATA.items:
            for evidence in item.evidence:
                for citation in evidence.citations:
                    if citation.source is source:
                        for locator in citation.locators:
                            assert " ".join(locator.split()) in entry, (source.id, locator)


def test_evidence_links_to_the_record_of_each_source(site):
    for item in DATA.items:
        chunk = item_chunk(page_path(site, item).read_text(encoding="utf-8"), item.id)
        for evidence in item.evidence:
            for source in evidence.sources:
                assert f'href="../sources/{source.file}/#{source.id}"' in chunk or (
                    item.section.id == "overall" and f'href="sources/{source.file}/#{source.id}"' in chunk), (item.id, source.id)


def test_citations_land_on_their_words_and_show_what_they_point_at(site):
    for item in DATA.items:
        html = page_path(site, item).read_text(encoding="utf-8")
        for n, evidence in enumerate(item.evidence, 1):
            chunk = html.split(f'id="{item.id}-e{n}"')[1].split("</details>")[0]
            for citation in evidence.citations:
                href = citation.source.url + (model.text_fragment(citation.locators) if citation.locators else "")
                assert f'href="{href.replace("&", "&amp;")}"' in chunk, (item.id, n, citation.source.id)
                details = " ".join(Page(chunk).text.split())
                assert citation.source.title in details, (item.id, n, "headline")
                if citation.source.accessed:
                    assert f"read {citation.source.accessed}" in details, (item.id, n, "accessed")



def test_the_sources_that_date_the_writing_and_every_record_passage_link_to_their_words(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    written = home[home.index("When it was written"):].split("</p>")[0]
    for citation in DATA.written_sources:
        assert citation.locators, citation.source.id
        assert f'href="{citation.href.replace("&", "&amp;")}"' in written, citation.source.id
    every = [c for c in DATA.citations if c.locators]
    assert any(c in DATA.written_sources for c in every) and any(c in item.other_reading.citations for item in DATA.items for c in every)
    for citation in every:
        record = (site / "sources" / citation.source.file / "index.html").read_text(encoding="utf-8")
        entry = record[record.index(f'id="{citation.source.id}"'):].split("</li>")[0]
        for locator in citation.locators:
            href = citation.source.url + model.text_fragment([locator])
            assert f'href="{href.replace("&", "&amp;")}"' in entry, (citation.source.id, locator)

ARCHIVE_LINK = re.compile(r'<a [^>]*class="ed-source__archive[^"]*" href="([^"]*)">(Archived copy|Look for an archived copy)</a>')


def archive_links(html_text: str) -> list[tuple[str, str]]:
    return [(html.unescape(href), label) for href, label in ARCHIVE_LINK.findall(html_text)]


def expected_archive_link(source) -> tuple[str, str]:
    """A recorded snapshot, else the Wayback Machine's lookup at the day the page was read; never a text fragment."""
    return (source.archived, "Archived copy") if source.archived else (source.archive_lookup, "Look for an archived copy")


def test_every_source_shows_an_archived_copy_or_a_lookup_on_its_record(site):
    for source in DATA.sources.values():
        record = (site / "sources" / source.file / "index.html").read_text(encoding="utf-8")
        entry_html = re.search(rf'<li id="{source.id}">(.*?)</li>', record, re.S).group(1)
        assert archive_links(entry_html) == [expected_archive_link(source)], source.id
        href = expected_archive_link(source)[0]
        assert "#:~:" not in href and href.startswith("https://web.archive.org/web/" if not source.archived else "https://")
        if not source.archived:
            assert href == f"https://web.archive.org/web/{source.accessed.start:%Y%m%d}/{source.url}", source.id


def test_about_these_sources_shows_an_archived_copy_or_a_lookup_beside_each_citation(site):
    for item in DATA.items:
        html_text = page_path(site, item).read_text(encoding="utf-8")
        for n, evidence in enumerate(item.evidence, 1):
            chunk = html_text.split(f'id="{item.id}-e{n}"')[1].split("</details>")[0]
            assert archive_links(chunk) == [expected_archive_link(c.source) for c in evidence.citations], (item.id, n)


def test_a_recorded_snapshot_is_shown_as_the_archived_copy_and_published_in_the_data(project, tmp_path):
    path = project / "source" / "sources" / "energy.yml"
    text = path.read_text(encoding="utf-8")
    source = next(s for s in DATA.sources.values() if s.file == "energy")
    snapshot = f"https://web.archive.org/web/20261201093000/{source.url}"
    marker = f"  url: {source.url}\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + f"  archived: {snapshot}\n", 1), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    record = (tmp_path / "site" / "sources" / "energy" / "index.html").read_text(encoding="utf-8")
    entry_html = re.search(rf'<li id="{source.id}">(.*?)</li>', record, re.S).group(1)
    assert archive_links(entry_html) == [(snapshot, "Archived copy")]
    assert f'href="{html.escape(source.url, quote=True)}"' in entry_html  # the original stays linked too
    published = json.loads((tmp_path / "site" / "data" / "sources.json").read_text(encoding="utf-8"))
    archived = {record["id"]: record["archived"] for record in published}
    assert archived[source.id] == snapshot and set(archived.values()) == {snapshot, ""}


def test_text_fragments_are_encoded_as_the_spec_requires():
    assert model.text_fragment(["Not to my knowledge"]) == "#:~:text=Not%20to%20my%20knowledge"
    assert model.text_fragment(["a-b, c & d"]) == "#:~:text=a%2Db%2C%20c%20%26%20d"
    long = "one two three four five six seven eight nine ten eleven twelve"
    assert model.text_fragment([long]) == "#:~:text=one%20two%20three%20four%20five,eight%20nine%20ten%20eleven%20twelve"
    assert model.text_fragment(["Depends on your definition … There's numerous"]) == (
        "#:~:text=Depends%20on%20your%20definition,There%27s%20numerous")
    assert model.text_fragment(["first", "second"]) == "#:~:text=first&text=second"


def test_quotation_checks_normalise_only_spacing_and_quote_marks():
    assert model.pieces("“It’s   here … and there”") == ['"It\'s here', 'and there"']
    assert model.quotations('He said “one” and "two".') == ["one", "two"]
    assert model.normalise("Case Stays") != model.normalise("case stays")


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
    labels = {level.label.lower() for level in [*DATA.prediction_scale.values(), *DATA.claim_scale.values()]}
    badge = re.compile(r'<(?:span|a)[^>]* class="ed-verdict ed-verdict--[a-z-]+[^"]*">(.*?)</(?:span|a)>', re.S)
    for path in html_files(site):
        html = path.read_text(encoding="utf-8")
        found = badge.findall(html)
        assert len(found) == html.count('class="ed-verdict '), f"{path.relative_to(site)}: a badge not parsed"
        for inner in found:
            assert '<svg class="ed-icon" aria-hidden="true"' in inner, (path, inner[:80])
            word = re.sub(r"\d+", "", Page(inner).text).strip().lower()
            assert word in labels, (path, word)


def test_every_page_front_matter_is_read(site):
    """Front matter that is not valid YAML is silently printed as text by MkDocs; catch it here."""
    import yaml

    for path in sorted((ROOT / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        meta = yaml.safe_load(text.split("---\n")[1])
        assert isinstance(meta, dict) and "title" in meta, path.name
        if "description" not in meta:  # section pages take theirs from the section's summary
            continue
        built = site / ("" if path.stem == "index" else path.stem) / "index.html"
        content = re.search(r'<meta name="description" content="([^"]*)"', built.read_text(encoding="utf-8")).group(1)
        assert html.unescape(content).replace("“", '"').replace("”", '"') == meta["description"].replace("“", '"').replace("”", '"'), path.name


def test_every_page_tells_readers_where_to_report_an_error(site):
    """The channel a publishing build must set (REPORT_EMAIL here), in every footer and on the method page."""
    mailto = f'href="mailto:{BUILD_ENV["REPORT_EMAIL"]}?subject=Error%20report"'
    for path in html_files(site):
        assert mailto in path.read_text(encoding="utf-8"), path
    method = (site / "method" / "index.html").read_text(encoding="utf-8")
    assert mailto in method[method.index('id="report"'):], "the method page's report paragraph"


def test_a_source_cited_on_more_than_one_page_lives_in_shared_yml():
    """Its record then sits on /sources/shared/, not under one of the pages that cite it."""
    pages = {}
    for item in DATA.items:
        for citation in [c for ev in item.evidence for c in ev.citations] + item.other_reading.citations:
            pages.setdefault(citation.source.id, set()).add(item.section.id)
    misplaced = [(sid, DATA.sources[sid].file) for sid, where in pages.items() if len(where) > 1 and DATA.sources[sid].file != "shared"]
    assert misplaced == []


NOTE_WORDS, OTHER_READING_WORDS = 180, 135  # with the quote, about a minute's reading each


def test_every_note_and_other_reading_reads_in_about_a_minute():
    long = [(item.id, field, len(model.plain(text).split())) for item in DATA.items
            for field, text, limit in (("note", item.note, NOTE_WORDS), ("other_reading", item.other_reading.text, OTHER_READING_WORDS))
            if len(model.plain(text).split()) > limit]
    assert long == [], long
