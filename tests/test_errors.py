"""Bad input: every editor mistake stops the real build with a located, actionable message.

Each case breaks a copy of the real data, runs `mkdocs build --strict`, and expects the
exact line `path:line:col: context: expected ..., found ...`, a non-zero exit and no traceback.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import mkdocs_build

SECTION = "source/sections/arms-control.yml"
OTHER_SECTION = "source/sections/cyber.yml"
SOURCES = "source/sources/arms-control.yml"


# ---- Ways to break a file ---------------------------------------------------


def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def locate(text: str, needle: str, offset: int = 0, start: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` (plus `offset` characters) in `text`, searched from `start`."""
    index = text.index(needle, start) + offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def edit_yaml(project: Path, relative: str, change) -> tuple[str, dict]:
    """Load, change and re-dump a YAML file; `change` returns the marker to locate."""
    path = project / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    marker = change(data)
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    return text, marker


def first_prediction(data) -> dict:
    return data["predictions"][0]


# ---- The cases -------------------------------------------------------------
# Each returns (file, line, col, message) for the broken copy in `project`.


def yaml_syntax(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8").replace("author: Alexander Azadgan", "author: [Alexander Azadgan")
    path.write_text(text, encoding="utf-8")
    line, _ = locate(text, "reviewed:")
    return "source/edition.yml", line, 1, r"expected valid YAML, found a syntax error: .+"


def tab_indent(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8").replace("  - publisher:", "\t- publisher:", 1)
    path.write_text(text, encoding="utf-8")
    line, _ = locate(text, "\t- publisher:")
    return "source/edition.yml", line, 1, "expected spaces, found a tab"


def byte_order_mark(project):
    path = project / "source/hedges.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return "source/hedges.yml", 1, 1, "expected UTF-8 text without a byte-order mark, found a BOM"


def crlf_line_endings(project):
    path = project / "source/scales.yml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    first = text.split("\n")[0]
    return "source/scales.yml", 1, len(first) + 1, "expected LF line endings, found CRLF"


def not_utf8(project):
    path = project / "source/edition.yml"
    path.write_bytes(path.read_bytes().replace(b"Alexander", b"Alex\xe9nder", 1))
    line, col = locate(path.read_bytes().decode("latin-1"), "Alex\xe9nder", 4)
    return "source/edition.yml", line, col, "expected UTF-8 text, found byte 0xe9"


def control_character(project):
    path = project / "source/corrections.yml"
    path.write_text("[]\n# a stray \x1f\n", encoding="utf-8")
    return "source/corrections.yml", 2, 11, "expected printable text, found control character U\\+001F"


def empty_file(project):
    (project / "source/corrections.yml").write_text("# nothing\n", encoding="utf-8")
    return "source/corrections.yml", 1, 1, "expected YAML content, found an empty file"


def duplicate_key(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8") + "author: Someone Else\n"
    path.write_text(text, encoding="utf-8")
    line, _ = locate(text, "author: Someone Else")
    return "source/edition.yml", line, 1, "edition: expected each key once, found 'author' twice"


def unknown_key(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8") + "bogus: 1\n"
    path.write_text(text, encoding="utf-8")
    line, _ = locate(text, "bogus:")
    return "source/edition.yml", line, 1, "edition: expected one of title, author, reviewed, written, written_between, written_sources, appearances, found unknown key 'bogus'"


def missing_key(project):
    def change(data):
        del first_prediction(data)["statement"]
        return "- id: " + first_prediction(data)["id"]
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 2)
    return SECTION, line, col, r"predictions\[0\]: expected key 'statement', found it missing"


def wrong_type(project):
    def change(data):
        data["paragraphs"] = "six"
        return "paragraphs: six"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("paragraphs: "))
    return SECTION, line, col, "paragraphs: expected a list, found text 'six'"


def empty_string(project):
    def change(data):
        data["title"] = ""
        return "title: ''"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("title: "))
    return SECTION, line, col, "title: expected text, found an empty string"


def reviewed(project) -> str:
    return str(yaml.safe_load((project / "source/edition.yml").read_text(encoding="utf-8"))["reviewed"])


def impossible_date(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8").replace(f"reviewed: {reviewed(project)}", "reviewed: 2026-02-30")
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "2026-02-30")
    return "source/edition.yml", line, col, r"reviewed: expected a date YYYY-MM-DD \(or YYYY-MM, YYYY\), found '2026-02-30', not a calendar date"


def future_date(project):
    def change(data):
        first_prediction(data)["evidence"][0]["date"] = datetime.date(2031, 1, 1)
        return "2031-01-01"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, rf"predictions\[0\]\.evidence\[0\]\.date: expected a date on or before the review date {reviewed(project)}, found 2031-01-01"


def duplicate_id_across_sections(project):
    taken = yaml.safe_load((project / SECTION).read_text(encoding="utf-8"))["predictions"][0]["id"]
    def change(data):
        data["predictions"][0]["id"] = taken
        return f"- id: {taken}"
    text, marker = edit_yaml(project, OTHER_SECTION, change)
    line, col = locate(text, marker, len("- id: "))
    return OTHER_SECTION, line, col, rf"predictions\[0\]\.id: expected an id unique across the site, found '{taken}' again \(first used at {SECTION}:\d+\)"


def bad_id(project):
    def change(data):
        first_prediction(data)["id"] = "Has Spaces"
        return "Has Spaces"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.id: expected a lowercase kebab-case id like 'ac-new-talks', found text 'Has Spaces'"


def unknown_source(project):
    def change(data):
        first_prediction(data)["evidence"][0]["sources"][0] = "no-such-source"
        return "no-such-source"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources\[0\]: expected a source id from source/sources/, found unknown source 'no-such-source'"


def source_cited_nowhere(project):
    path = project / SOURCES
    text = path.read_text(encoding="utf-8") + (
        "- id: orphan-source\n  publisher: Example\n  title: '[Never cited]'\n  url: https://example.org/\n  kind: wire\n"
        "  accessed: 2026-01-01\n")
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "orphan-source")
    return SOURCES, line, col, "sources: expected every source to be cited, found 'orphan-source' cited nowhere"


def duplicate_source(project):
    path = project / SOURCES
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.append(dict(data[0]))
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    index = text.rindex(f"- id: {data[0]['id']}\n") + len("- id: ")
    line, col = text.count("\n", 0, index) + 1, len("- id: ") + 1
    return SOURCES, line, col, rf"sources\[{len(data) - 1}\]\.id: expected a unique source id, found '{data[0]['id']}' defined twice \(first at {SOURCES}:\d+\)"


def http_source_url(project):
    def change(data):
        data[0]["url"] = data[0]["url"].replace("https://", "http://", 1)
        return data[0]["url"]
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker)
    return SOURCES, line, col, r"sources\[0\]\.url: expected an https:// URL, found 'http://.*'"


def unknown_source_kind(project):
    def change(data):
        data[0]["kind"] = "blog"
        return "kind: blog"
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker, len("kind: "))
    return SOURCES, line, col, r"sources\[0\]\.kind: expected one of primary, wire, reputable, weak, state-media, found text 'blog'"


def quote_not_in_article(project):
    def change(data):
        first_prediction(data)["quote"] = "Trump will end the war in 24 hours"
        return "Trump will end the war in 24 hours"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.quote: expected text found verbatim in source/op-ed.txt, found a quote that is not in the article"


def quote_found_twice(project):
    def change(data):
        first_prediction(data)["quote"] = "arms control"
        return "quote: arms control"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("quote: "))
    return SECTION, line, col, r"predictions\[0\]\.quote: expected text found once in the article, found it \d+ times; quote more words to make it unambiguous"


def overlapping_quotes(project):
    def change(data):
        data["claims"][1]["quote"] = "key agreements such as the Intermediate-Range"
        return "- id: " + data["claims"][1]["id"]
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("- id: "))
    return SECTION, line, col, r"quote of '[a-z-]+': expected quotes that do not overlap, found it overlapping '[a-z-]+'"


def unknown_verdict(project):
    def change(data):
        first_prediction(data)["verdict"] = "maybe"
        return "verdict: maybe"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("verdict: "))
    return SECTION, line, col, r"predictions\[0\]\.verdict: expected one of came-true, partly, not-borne-out, open, untestable, found text 'maybe'"


def unknown_hedge(project):
    def change(data):
        first_prediction(data)["hedge"] = "perhaps"
        return "hedge: perhaps"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("hedge: "))
    return SECTION, line, col, r"predictions\[0\]\.hedge: expected one of .+, found text 'perhaps'"


def hedge_not_in_sentence(project):
    def change(data):
        first_prediction(data)["hedge"] = "will-not"
        return "hedge: will-not"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("hedge: "))
    return SECTION, line, col, r"predictions\[0\]\.hedge: expected the words 'will not' in the quote's sentence, found them missing"


def verdict_not_last_in_history(project):
    def change(data):
        item = first_prediction(data)
        item["verdict"] = next(v for v in ("came-true", "partly", "not-borne-out", "open") if v != item["history"][-1]["verdict"] and v != "open")
        return f"verdict: {item['verdict']}"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len("verdict: "))
    return SECTION, line, col, r"predictions\[0\]\.verdict: expected the verdict of the last history entry, '[a-z-]+', found '[a-z-]+'"


def history_out_of_order(project):
    def change(data):
        item = first_prediction(data)
        last = item["history"][-1]
        item["history"].append({"date": datetime.date(2025, 3, 1), "verdict": last["verdict"], "reason": "An earlier date."})
        return "2025-03-01"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.history\[\d+\]\.date: expected history oldest first, found 2025-03-01 after .+"


def raw_html_in_note(project):
    def change(data):
        first_prediction(data)["note"] = "Fine words. <script>alert(1)</script>"
        return "Fine words."
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.note: expected Markdown without raw HTML, found '<script>aler'"


def javascript_link_in_note(project):
    def change(data):
        first_prediction(data)["note"] = "See [this](javascript:alert(1)) now."
        return "See [this]"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.note: expected links to http\(s\) URLs, found 'javascript:alert\(1'"


def only_weak_sources(project):
    sources = project / SOURCES
    text = sources.read_text(encoding="utf-8") + (
        "- id: weak-blog\n  publisher: A blog\n  title: '[A blog post]'\n  url: https://blog.example.org/\n  kind: weak\n"
        "  accessed: 2026-01-01\n")
    sources.write_text(text, encoding="utf-8")
    def change(data):
        evidence = first_prediction(data)["evidence"][0]
        evidence["sources"], evidence["text"] = ["weak-blog"], "A plain sentence without quotation marks."
        return "- weak-blog"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)  # a block list starts at its first dash
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources: expected at least one source that is not 'weak', found only weak sources"


def missing_section(project):
    (project / "source/sections/energy.yml").unlink()
    return "source/sections/energy.yml", 1, 1, "expected the section file for 'energy', found no file"


def unknown_section(project):
    (project / "source/sections/weather.yml").write_text("id: weather\n", encoding="utf-8")
    return "source/sections/weather.yml", 1, 1, "expected one of the sections overall, arms-control, eastern-europe, cyber, energy, sanctions, found unknown section file"


def paragraph_out_of_range(project):
    def change(data):
        data["paragraphs"] = [6, 99]
        return "- 99"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 2)
    return SECTION, line, col, r"paragraphs\[1\]: expected a number from 1 to 20, found 99"


def merge_key(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8") + "<<: {author: X}\n"
    path.write_text(text, encoding="utf-8")
    line, _ = locate(text, "<<:")
    return "source/edition.yml", line, 1, "edition: expected plain keys, found a merge key '<<'"


# ---- Quotations, locators and sources (the evidence chain) -----------------


def first_source_id(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def quote_with_no_locator(project):
    def change(data):
        evidence = first_prediction(data)["evidence"][0]
        evidence["sources"] = [first_source_id(s) for s in evidence["sources"]]
        evidence["text"] = "An official said “words no page carries”."
        return "An official said"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.text: expected every quotation to be covered by a locator of this evidence's citations, found “words no page carries” in none of: [a-z0-9-, ]+"


def locator_too_long(project):
    def change(data):
        evidence = first_prediction(data)["evidence"][0]
        evidence["text"] = "A plain sentence without quotation marks."
        evidence["sources"][0] = {first_source_id(evidence["sources"][0]): "one two three four five six seven eight nine ten eleven"}
        return "one two three"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources\[0\] locator: expected at most 10 words for a locator that is not a quotation in the text, found 11 words"


def empty_locator(project):
    def change(data):
        evidence = first_prediction(data)["evidence"][0]
        evidence["text"] = "A plain sentence without quotation marks."
        evidence["sources"][0] = {first_source_id(evidence["sources"][0]): ""}
        return f"- {first_source_id(evidence['sources'][0])}: ''"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, len(marker) - 2)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources\[0\] locator: expected the words on the page that carry the fact, found an empty locator"


def locator_not_fragment_text(project):
    def change(data):
        evidence = first_prediction(data)["evidence"][0]
        evidence["text"] = "A plain sentence without quotation marks."
        evidence["sources"][0] = {first_source_id(evidence["sources"][0]): "hiddenzw\u200bmark"}
        return "hiddenzw"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources\[0\] locator: expected plain words a text fragment can match, found U\+200B '\\u200b'"


def citation_of_unknown_source(project):
    def change(data):
        first_prediction(data)["evidence"][0]["sources"][0] = {"no-such-page": "some words"}
        return "no-such-page"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.evidence\[0\]\.sources\[0\]: expected a source id from source/sources/, found unknown source 'no-such-page'"


def note_quote_in_no_evidence(project):
    def change(data):
        first_prediction(data)["note"] = "The record shows “a phrase found in no evidence item”."
        return "The record shows"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line, col, r"predictions\[0\]\.note: expected every quotation to occur in this item's evidence or in the op-ed, found “a phrase found in no evidence item” in neither"


def missing_accessed(project):
    def change(data):
        del data[0]["accessed"]
        return f"- id: {data[0]['id']}"
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker, 2)
    return SOURCES, line, col, r"sources\[0\]: expected key 'accessed', found it missing"


def accessed_after_review(project):
    def change(data):
        data[0]["accessed"] = datetime.date(2030, 1, 1)
        return data[0]["id"]
    text, source_id = edit_yaml(project, SOURCES, change)
    line, col = locate(text, "2030-01-01")
    return SOURCES, line, col, rf"sources: expected '{source_id}' accessed on or before the review date {reviewed(project)}, found 2030-01-01"


def tracking_parameters(project):
    def change(data):
        data[0]["url"] += "?utm_source=feed"
        return data[0]["url"]
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker)
    return SOURCES, line, col, r"sources\[0\]\.url: expected a URL without tracking parameters, found 'utm_source'"


ARCHIVE_EXPECTED = (r"expected the address of a snapshot in a public web archive \(https://web\.archive\.org/web/"
                    r"YYYYMMDDhhmmss/URL, archive\.today and its mirrors archive\.ph, \.is, \.li, \.md, \.vn, or "
                    r"perma\.cc\), found ")


def archived_not_https(project):
    def change(data):
        data[0]["archived"] = "http://web.archive.org/web/20261201000000/" + data[0]["url"]
        return data[0]["archived"]
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker)
    return SOURCES, line, col, r"sources\[0\]\.archived: expected an https:// URL, found 'http://web\.archive\.org/.*'"


def archived_in_unknown_archive(project):
    def change(data):
        data[0]["archived"] = "https://archive.example.org/web/20261201000000/" + data[0]["url"]
        return data[0]["archived"]
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker)
    return SOURCES, line, col, r"sources\[0\]\.archived: " + ARCHIVE_EXPECTED + r"'https://archive\.example\.org/.*'"


def archived_lookup_not_snapshot(project):
    # The Wayback Machine's lookup by day is built by the site; what is stored names one snapshot.
    def change(data):
        data[0]["archived"] = "https://web.archive.org/web/20261201/" + data[0]["url"]
        return data[0]["archived"]
    text, marker = edit_yaml(project, SOURCES, change)
    line, col = locate(text, marker)
    return SOURCES, line, col, r"sources\[0\]\.archived: " + ARCHIVE_EXPECTED + r"'https://web\.archive\.org/web/20261201/.*'"


def archived_mirror_without_snapshot(project):
    path = project / SOURCES
    text = path.read_text(encoding="utf-8").replace("  accessed: 2026-12-01\n", "  accessed: 2026-12-01\n  archived: https://archive.ph/\n", 1)
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "https://archive.ph/")
    return SOURCES, line, col, r"sources\[0\]\.archived: " + ARCHIVE_EXPECTED + r"'https://archive\.ph/'"


def correction_of_unknown_item(project):
    path = project / "source/corrections.yml"
    text = "- date: 2026-01-01\n  where: no-such-item\n  was: Old words.\n  now: New words.\n"
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "no-such-item")
    return "source/corrections.yml", line, col, r"corrections\[0\]\.where: expected the id of an item, a section or a source, or 'edition', found unknown id 'no-such-item'"


def unknown_icon(project):
    path = project / "source/scales.yml"
    text = path.read_text(encoding="utf-8").replace("icon: check-bold", "icon: smiley", 1)
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "smiley")
    return "source/scales.yml", line, col, r"predictions\[0\]\.icon: expected one of the verdict icons .+, found 'smiley'"


def writing_window_reversed(project):
    path = project / "source/edition.yml"
    text = path.read_text(encoding="utf-8").replace("written_between: [2024-11-05, 2025-02-12]", "written_between: [2025-02-12, 2024-11-05]")
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "2024-11-05]")
    return "source/edition.yml", line, col, r"written_between\[1\]: expected a date on or after 2025-02-12, found 2024-11-05"


def reserved_source_file_name(project):
    (project / SOURCES).rename(project / "source/sources/retired.yml")
    return "source/sources/retired.yml", 1, 1, r"expected a lower-case file name with hyphens, not 'retired' .+, found 'retired.yml'"


def other_reading_missing(project):
    def change(data):
        del first_prediction(data)["other_reading"]
        return f"- id: {first_prediction(data)['id']}"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 2)
    return SECTION, line, col, r"predictions\[0\]: expected key 'other_reading', found it missing"


def other_reading_empty(project):
    def change(data):
        first_prediction(data)["other_reading"]["text"] = ""
        return "text: ''"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 6)
    return SECTION, line, col, r"predictions\[0\]\.other_reading\.text: expected text, found an empty string"


def other_reading_unknown_verdict(project):
    def change(data):
        first_prediction(data)["other_reading"]["points_to"] = "maybe"
        return "points_to: maybe"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 11)
    return SECTION, line, col, r"predictions\[0\]\.other_reading\.points_to: expected one of came-true, partly, not-borne-out, untestable, found text 'maybe'"


def other_reading_own_verdict(project):
    def change(data):
        item = first_prediction(data)
        item["other_reading"]["points_to"] = ["partly", item["verdict"]]
        return f"- {item['verdict']}"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker, 2)
    return SECTION, line, col, r"predictions\[0\]\.other_reading\.points_to\[1\]: expected a verdict other than the item's own, one of .+, found its own verdict 'open'"


def other_reading_quote_with_no_locator(project):
    def change(data):
        first_prediction(data)["other_reading"]["text"] += " An official said talks were “well under way”."
        return "other_reading:"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, "text: ", 6, start=text.index(marker))
    return SECTION, line, col, r"predictions\[0\]\.other_reading\.text: expected every quotation to be covered by a locator of its sources \(or to be the op-ed's words\), found “well under way” in none"


def other_reading_without_evidence_or_search(project):
    def change(data):
        reading = first_prediction(data)["other_reading"]
        reading.pop("sources", None), reading.pop("searched", None)
        return "other_reading:"
    text, marker = edit_yaml(project, SECTION, change)
    line, col = locate(text, marker)
    return SECTION, line + 1, col + 2, r"predictions\[0\]\.other_reading: expected key 'sources' \(the evidence\) or 'searched' \(what a search found nothing for\), found neither"


def unknown_marker(project):
    path = project / "docs/method.md"
    text = path.read_text(encoding="utf-8") + "\nSee <!-- editorial:nothing-here --> below.\n"
    path.write_text(text, encoding="utf-8")
    line, col = locate(text, "<!-- editorial:nothing-here")
    return "docs/method.md", line, col, "expected a marker named after a section or a template in templates/, found unknown marker 'nothing-here'"


CASES = [yaml_syntax, tab_indent, byte_order_mark, crlf_line_endings, not_utf8, control_character, empty_file, duplicate_key,
         unknown_key, missing_key, wrong_type, empty_string, impossible_date, future_date,
         duplicate_id_across_sections, bad_id, unknown_source, source_cited_nowhere, duplicate_source,
         http_source_url, unknown_source_kind, quote_not_in_article, quote_found_twice, overlapping_quotes,
         unknown_verdict, unknown_hedge, hedge_not_in_sentence, verdict_not_last_in_history,
         history_out_of_order, raw_html_in_note, javascript_link_in_note, only_weak_sources, missing_section,
         unknown_section, paragraph_out_of_range, merge_key, quote_with_no_locator, locator_too_long, empty_locator,
         locator_not_fragment_text, citation_of_unknown_source, note_quote_in_no_evidence, missing_accessed,
         accessed_after_review, tracking_parameters, correction_of_unknown_item, unknown_icon,
         writing_window_reversed, reserved_source_file_name, other_reading_missing, other_reading_empty,
         other_reading_unknown_verdict, other_reading_own_verdict, other_reading_quote_with_no_locator,
         other_reading_without_evidence_or_search, archived_not_https, archived_in_unknown_archive,
         archived_lookup_not_snapshot, archived_mirror_without_snapshot, unknown_marker]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_stops_the_build_with_a_located_error(case, project, tmp_path_factory):
    path, line, col, message = case(project)
    result = mkdocs_build(project, tmp_path_factory.mktemp("site"))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    expected = rf"ERROR\s+-\s+{re.escape(path)}:{line}:{col}: {message}\n"
    assert re.search(expected, output), f"expected {expected!r} in:\n{output}"


def test_a_failed_build_leaves_the_last_good_site_untouched(project, tmp_path):
    site_dir = tmp_path / "site"
    assert mkdocs_build(project, site_dir).returncode == 0
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site_dir.rglob("*") if p.is_file()}
    unknown_verdict(project)
    result = mkdocs_build(project, site_dir)
    assert result.returncode != 0
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site_dir.rglob("*") if p.is_file()}
    assert after == before
