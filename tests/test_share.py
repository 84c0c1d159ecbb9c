"""Item pages, preview cards and the updates feed: what a shared link and a feed reader get."""

from __future__ import annotations

import json
import re
import struct

from opedcheck import cards, feed, load, model
import feedparser
import pytest
from conftest import BUILD_ENV, ROOT, mkdocs_build
from htmlparse import Page

DATA = load.load(ROOT / "source")
SITE_URL = BUILD_ENV["SITE_URL"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, key
    return match.group(1)


def test_every_item_has_its_own_page_with_preview_tags_and_one_claim_review(site):
    for section in DATA.sections.values():
        items = section.items
        for index, item in enumerate(items):
            html = (site / "p" / item.id / "index.html").read_text(encoding="utf-8")
            label = DATA.scale(item)[item.verdict].label
            title = re.search(r"<title>(.*?)</title>", html).group(1)
            assert item.title in title and label in title and DATA.reviewed.short in title, title
            description = meta(html, "description")
            assert label in description and DATA.reviewed.short in description
            assert meta(html, "og:description").startswith(f"From {DATA.author}'s op-ed “{DATA.title}”"), "whose op-ed"
            assert f'<link rel="canonical" href="{SITE_URL}p/{item.id}/">' in html
            assert meta(html, "og:title") and meta(html, "twitter:card") == "summary_large_image"
            assert meta(html, "og:image") == f"{SITE_URL}cards/{item.id}.png"
            blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
            assert len(blocks) == 1 and json.loads(blocks[0])["@type"] == "ClaimReview"
            hrefs = [a.get("href", "") for a in Page(html).attrs("a")]
            assert f"../../{section.url}#{item.id}" in hrefs, "read it in context"
            if index:
                assert f"../../p/{items[index - 1].id}/" in hrefs, "previous"
            if index + 1 < len(items):
                assert f"../../p/{items[index + 1].id}/" in hrefs, "next"


def test_a_shared_section_page_says_whose_op_ed_it_checks(site):
    for section_id in model.PAGE_SECTIONS:
        html = (site / section_id / "index.html").read_text(encoding="utf-8")
        assert meta(html, "og:description").startswith(f"From {DATA.author}'s op-ed “{DATA.title}” · "), section_id


def test_every_page_previews_with_a_1200_by_630_card_under_60_kb(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "404" in path.name:
            continue
        image = meta(html, "og:image")
        assert image.startswith(SITE_URL), image
        data = (site / image[len(SITE_URL):]).read_bytes()
        assert png_size(data) == (1200, 630), image
        assert len(data) <= 60_000, f"{image}: {len(data)} bytes"


def test_cards_are_deterministic_and_cached(tmp_path):
    card = cards.Card(kicker="Prediction · Test", title="A title", body="he may do something", hedge="may",
                      footer="Reviewed 1 Dec 2026", site_name="Site", badge_label="Open", badge_icon="clock-outline")
    first = cards.render(card)
    assert cards.render(card) == first
    assert cards.cached(card, tmp_path) == first and len(list(tmp_path.iterdir())) == 1
    (next(tmp_path.iterdir())).write_bytes(b"cached")  # a second call reads the cache, not the renderer
    assert cards.cached(card, tmp_path) == b"cached"
    other = cards.Card(**{**card.__dict__, "badge_label": "Came true", "badge_icon": "check-bold"})
    assert cards.render(other) != first


def test_the_feed_parses_and_lists_every_change_and_correction(site):
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    changes = sum(len(item.history) - 1 for item in DATA.items)
    first_dates = {item.history[0].date.text for item in DATA.items}
    reading_dates = {item.other_reading.date.text for item in DATA.items}
    assert len(parsed.entries) == changes + len(first_dates) + len(reading_dates) + len(DATA.corrections)
    for date in reading_dates:  # each day's other readings, every item written that day named with its text
        entry = next(entry for entry in parsed.entries if entry.id.endswith(f"other-readings/{date}"))
        for item in (item for item in DATA.items if item.other_reading.date.text == date):
            assert f"{item.title}: " in entry.summary, item.id
    dates = [entry.updated for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    for entry in parsed.entries:
        assert entry.id.startswith("tag:") and entry.link.startswith(SITE_URL)
        if "/verdict" not in entry.id and not entry.id.split(":", 2)[2].startswith(("first-verdicts", "other-readings", "correction")):
            assert "/p/" in entry.link
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if path.name != "404.html":
            assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="[^"]*feed\.xml"', html), path


def test_feed_entry_ids_are_stable_across_builds(project, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert mkdocs_build(project, first).returncode == 0
    assert mkdocs_build(project, second).returncode == 0
    ids = [[e.id for e in feedparser.parse((site / "feed.xml").read_bytes()).entries] for site in (first, second)]
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0])


def test_feed_entries_for_a_verdict_change_and_a_correction():
    item = DATA.items[0]
    entries = {entry["id"]: entry for entry in feed.entries(DATA, SITE_URL)}
    for before, change in zip(item.history, item.history[1:]):
        entry = entries[f"tag:127.0.0.1,2026:{item.id}/{change.date.text}"]
        assert entry["link"] == f"{SITE_URL}p/{item.id}/"
    for correction in DATA.corrections:
        assert any(e["id"].startswith(f"tag:127.0.0.1,2026:correction/{correction.where}/{correction.date.text}/")
                   for e in entries.values())
