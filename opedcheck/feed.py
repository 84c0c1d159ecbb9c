"""The Atom feed of updates: every verdict change and every correction, newest first.

Entry ids are tag: URIs built from the item (or correction target) and the date, so a feed
reader never shows an entry twice and rebuilding the site changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .model import Edition, Item, plain

TAG_YEAR = 2026  # the year the site's tag: URIs were minted; never change it


def _tag(site_url: str, specific: str) -> str:
    return f"tag:{urlsplit(site_url).hostname or 'localhost'},{TAG_YEAR}:{specific}"


def entries(data: Edition, site_url: str) -> list[dict]:
    """Feed entries as dicts (id, title, link, date, summary), newest first."""
    found = []
    first_dates = sorted({item.history[0].date.text for item in data.items})
    for date in first_dates:
        items = [item for item in data.items if item.history[0].date.text == date]
        found.append({"id": _tag(site_url, f"first-verdicts/{date}"), "date": date,
                      "title": f"First verdicts on {len(items)} predictions and claims",
                      "link": f"{site_url}updates/",
                      "summary": "First published verdicts: " + "; ".join(
                          f"{item.title}: {data.scale(item)[item.history[0].verdict].label}" for item in items) + "."})
    for item in data.items:
        for before, change in zip(item.history, item.history[1:]):
            scale = data.scale(item)
            found.append({"id": _tag(site_url, f"{item.id}/{change.date.text}"), "date": change.date.text,
                          "title": f"{item.title}: {scale[before.verdict].label} → {scale[change.verdict].label}",
                          "link": f"{site_url}{item.url}", "summary": change.reason})
    for date in sorted({item.other_reading.date.text for item in data.items}):
        items = [item for item in data.items if item.other_reading.date.text == date]
        found.append({"id": _tag(site_url, f"other-readings/{date}"), "date": date,
                      "title": f"The case for a different verdict, written or changed for {len(items)} "
                               f"{'item' if len(items) == 1 else 'predictions and claims'}",
                      "link": f"{site_url}updates/#other-readings",
                      "summary": " ".join(f"{item.title}: {plain(item.other_reading.text)}" for item in items)})
    seen: dict[tuple[str, str], int] = {}
    for correction in data.corrections:
        key = (correction.where, correction.date.text)
        seen[key] = seen.get(key, 0) + 1
        target = correction.target
        if isinstance(target, Item):
            link, name = f"{site_url}{target.url}", target.title
        elif target is not None and hasattr(target, "summary"):
            link, name = f"{site_url}{target.url}", f"{target.title} page"
        elif target is not None:
            link, name = f"{site_url}sources/#{target.id}", f"source: {target.publisher}"
        else:
            link, name = site_url, "home page"
        found.append({"id": _tag(site_url, f"correction/{correction.where}/{correction.date.text}/{seen[key]}"),
                      "date": correction.date.text, "title": f"Correction: {name}", "link": link,
                      "summary": f"Was: {correction.was} Now: {correction.now}"})
    return sorted(found, key=lambda entry: entry["date"], reverse=True)


def atom(data: Edition, site_url: str, site_name: str) -> str:
    """The feed document."""
    found = entries(data, site_url)
    updated = (found[0]["date"] if found else data.reviewed.text) + "T00:00:00Z"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <title>{escape(site_name)}: verdict changes and corrections</title>",
             f"  <id>{_tag(site_url, 'feed')}</id>", f"  <updated>{updated}</updated>",
             f'  <link rel="self" href="{escape(site_url)}feed.xml"/>',
             f'  <link rel="alternate" type="text/html" href="{escape(site_url)}updates/"/>',
             f"  <author><name>{escape(site_name)}</name></author>"]
    for entry in found:
        lines += ["  <entry>", f"    <id>{escape(entry['id'])}</id>", f"    <title>{escape(entry['title'])}</title>",
                  f'    <link rel="alternate" type="text/html" href="{escape(entry["link"])}"/>',
                  f"    <updated>{entry['date']}T00:00:00Z</updated>",
                  f"    <summary>{escape(entry['summary'])}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
