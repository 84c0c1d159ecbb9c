"""Scorecard, open data and structured data, checked against the data they come from."""

from __future__ import annotations

import csv
import io
import json
import re

from opedcheck import load, model
from conftest import ROOT
from htmlparse import Page

DATA = load.load(ROOT / "source")
LIST_FIELDS = {"history", "evidence", "other_reading", "source_ids", "cited_by"}


def table_rows(html: str) -> list[list[str]]:
    """Every table row of a page as a list of cell texts."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        rows.append([" ".join(Page(cell).text.split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)])
    return rows


def test_scorecard_counts_equal_the_data(site):
    rows = table_rows((site / "index.html").read_text(encoding="utf-8"))
    header = next(r for r in rows if r and r[0] == "Section")
    levels = list(DATA.prediction_scale.values())
    assert header[1:-1] == [f"{level.symbol} {level.label}" for level in levels]
    for section in DATA.sections.values():
        row = next(r for r in rows if r and r[0] == section.title)
        expected = [sum(item.verdict == level.id for item in section.predictions) for level in levels]
        assert [int(cell) for cell in row[1:]] == expected + [len(section.predictions)], section.id
    total = next(r for r in rows if r and r[0] == "All sections")
    expected = [sum(item.verdict == level.id for item in DATA.predictions) for level in levels]
    assert [int(cell) for cell in total[1:]] == expected + [len(DATA.predictions)]


def test_scorecard_lists_every_prediction_with_a_link(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    for item in DATA.predictions:
        assert re.search(rf'href="p/{item.id}/"', html), item.id
    answer = html.split('class="ed-answer"')[1].split("</div>")[0]
    for level in DATA.prediction_scale.values():
        n = sum(item.verdict == level.id for item in DATA.predictions)
        if n:
            assert f'href="#verdict-{level.id}"' in answer and f"{n} {level.label.lower()}" in Page(answer).text
            group = html.split(f'id="verdict-{level.id}"')[1].split("</div>")[0]
            assert all(f'href="p/{item.id}/"' in group for item in DATA.predictions if item.verdict == level.id)


def documented_fields(site) -> dict[str, list[str]]:
    """Field names from the tables on the data page, by heading."""
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    items, sources = html.split('id="fields-items"')[1].split('id="fields-sources"')
    common, prediction_only = items.split("Predictions also have")
    names = lambda chunk: re.findall(r"<td><code>([a-z_]+)</code></td>", chunk)
    return {"claims": names(common), "predictions": names(common) + names(prediction_only), "sources": names(sources)}


def test_json_files_parse_and_match_their_documented_fields(site):
    fields = documented_fields(site)
    counts = {"predictions": len(DATA.predictions), "claims": len(DATA.claims), "sources": len(DATA.sources)}
    for name, expected in fields.items():
        records = json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"))
        assert len(records) == counts[name]
        for record in records:
            assert list(record) == expected, name


def test_csv_reads_back_to_the_same_rows_as_the_json(site):
    for name in ("predictions", "claims", "sources"):
        records = json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"))
        rows = list(csv.DictReader(io.StringIO((site / "data" / f"{name}.csv").read_text(encoding="utf-8"), newline="")))
        assert len(rows) == len(records)
        for row, record in zip(rows, records):
            decoded = {k: json.loads(v) if k in LIST_FIELDS else v for k, v in row.items()}
            assert decoded == {k: v if k in LIST_FIELDS else str(v) for k, v in record.items()}


def test_json_ld_parses_on_every_page_with_a_claim_review_per_item(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            reviews = json.loads(block)
            if isinstance(reviews, dict):  # an item page: one ClaimReview, for that item
                assert reviews["url"].endswith(f"p/{path.parent.name}/") and reviews["@type"] == "ClaimReview"
                assert f'id="{path.parent.name}"' in html
                continue
            ids = {review["url"].split("#")[1] for review in reviews}
            assert all(review["@type"] == "ClaimReview" and review["reviewRating"]["name"] for review in reviews)
            assert all(f'id="{i}"' in html for i in ids), path
    for section in DATA.sections.values():
        html = (site / section.url / "index.html").read_text(encoding="utf-8")
        reviews = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert sorted(r["url"].split("#")[1] for r in reviews) == sorted(item.id for item in section.items)


def test_each_section_page_has_its_tally_and_a_timeline_linking_every_evidence_item(site):
    for section in DATA.sections.values():
        if section.id == "overall":
            continue
        html = (site / section.url / "index.html").read_text(encoding="utf-8")
        tally = html.split('class="ed-tally"')[1].split("</div>")[0]
        for item in section.items:
            assert f'href="#{item.id}"' in tally
        timeline = html.split('class="ed-vtimeline"')[1].split("</ol>")[0]
        for item in section.items:
            for n in range(1, len(item.evidence) + 1):
                assert f'href="#{item.id}-e{n}"' in timeline
                assert f'id="{item.id}-e{n}"' in html
