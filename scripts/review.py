"""The editor's desk: what in source/ needs an editor, most urgent first, as a short Markdown report.

    .venv/bin/python scripts/review.py [--today YYYY-MM-DD] [--source DIR]

Run it before every review date and once a month. It reads source/ with the build's loader and lists,
each line linking to the page on the site (SITE_URL, default http://127.0.0.1:8000/):

1. open predictions whose window has ended;
2. open predictions whose `settle` criterion names a date that has passed;
3. open predictions whose window ends within 90 days;
4. pages whose `evidence_through` is more than 6 months old;
5. verdicts with neither a history entry nor an other reading dated since the review date in edition.yml;
6. sources not read (`accessed`) for more than 12 months;
7. sources with no archived copy (`archived:`; `scripts/check_sources.py archive` records them);

and then which pages hold the site's "as of" date back the most. Exits 0 with a report (it is a to-do
list, not a check); 1 only if source/ does not load.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from opedcheck import load, model

SOON_DAYS = 90
STALE_EVIDENCE_MONTHS = 6
STALE_ACCESS_MONTHS = 12
# A date written out in a criterion: '20 January 2029', 'January 2029'.
DATE_IN_TEXT = re.compile(r"\b(?:(\d{1,2}) )?(January|February|March|April|May|June|July|August|September|October|"
                          r"November|December) (\d{4})\b")


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(date: model.Date) -> datetime.date:
    """The last day a YYYY, YYYY-MM or YYYY-MM-DD date covers: evidence 'to February 2026' reaches 28 February."""
    if date.day:
        return date.start
    if date.month:
        return datetime.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return datetime.date(date.year, 12, 31)


def dates_in(text: str) -> list[datetime.date]:
    """Every date written out in a text; a month alone counts as its last day."""
    found = []
    for day, month, year in DATE_IN_TEXT.findall(text):
        number = list(calendar.month_name).index(month)
        found.append(datetime.date(int(year), number, int(day) if day else calendar.monthrange(int(year), number)[1]))
    return found


def window_end(item: model.Item) -> datetime.date | None:
    written = item.window_end
    return datetime.datetime.strptime(written, "%d %B %Y").date() if written else None


def day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def report(data: model.Edition, today: datetime.date, site: str) -> str:
    def item_link(item: model.Item) -> str:
        return f"[{item.id}]({site}{item.url})"

    def section_link(section: model.Section) -> str:
        name = "home page (overall)" if section.id == "overall" else section.id
        return f"[{name}]({site}{section.url})"

    def source_link(source: model.Source) -> str:
        return f"[{source.id}]({site}sources/#{source.id})"

    groups: list[tuple] = []  # (heading, entries[, a note under the heading])
    open_items = [item for item in data.predictions if item.verdict == "open"]

    ended, soon = [], []
    for item in open_items:
        end = window_end(item)
        if end and end < today:
            ended.append(f"- {item_link(item)}: still open; its window ended {day(end)}, {(today - end).days} days ago. "
                         f"Give it a verdict.")
        elif end and (end - today).days <= SOON_DAYS:
            soon.append(f"- {item_link(item)}: still open; its window ends {day(end)}, in {(end - today).days} days.")
    groups.append(("Open predictions whose window has ended", ended))

    settle = []
    for item in data.predictions:
        passed = [d for d in dates_in(item.criteria.get("settle", "")) if d < today]
        if passed and item.verdict == "open":
            settle.append(f"- {item_link(item)}: its “what would settle it” names {', '.join(day(d) for d in passed)}, "
                          f"now past; settle it or say why it stays open.")
    groups.append(("Open predictions whose settling date has passed", settle))
    groups.append((f"Open predictions whose window ends within {SOON_DAYS} days", soon))

    cutoff = months_before(today, STALE_EVIDENCE_MONTHS)
    stale = [f"- {section_link(s)}: evidence to {s.evidence_through}, more than {STALE_EVIDENCE_MONTHS} months ago; "
             f"extend the evidence and `evidence_through`."
             for s in sorted(data.sections.values(), key=lambda s: last_day(s.evidence_through))
             if last_day(s.evidence_through) < cutoff]
    groups.append((f"Pages whose evidence is more than {STALE_EVIDENCE_MONTHS} months old", stale))

    reviewed = data.reviewed.start
    def argued(item: model.Item) -> datetime.date:  # a history entry, or the other reading it was re-argued against
        return max(item.history[-1].date.start, item.other_reading.date.start)
    unreviewed = [f"- {item_link(item)}: {data.scale(item)[item.verdict].label}, last history entry {item.history[-1].date}, "
                  f"other reading of {item.other_reading.date}."
                  for item in sorted(data.items, key=argued) if argued(item) < reviewed]
    groups.append((f"Verdicts not re-argued since the review date, {data.reviewed}", unreviewed,
                   f"Every item's page says “reviewed {data.reviewed.short}”, but these have neither a history entry nor an "
                   f"other reading dated since then: a verdict re-checked and kept leaves no other trace in the data. "
                   f"Re-argue each against its criteria and its other reading, and date what changed."))

    def by_file(sources: list[model.Source], what: str, detail) -> list[str]:
        files: dict[str, list[model.Source]] = {}
        for source in sources:
            files.setdefault(source.file, []).append(source)
        return [f"- [sources/{name}]({site}sources/{name}/), {len(found)} {what}: "
                + ", ".join(source_link(s) + detail(s) for s in found) for name, found in sorted(files.items())]

    old = months_before(today, STALE_ACCESS_MONTHS)
    unread = [s for s in data.sources.values() if not s.accessed or s.accessed.start < old]
    groups.append((f"Sources not read for more than {STALE_ACCESS_MONTHS} months", unread,
                   "Open each again, check the cited words are still there (`scripts/check_sources.py quotes`) and "
                   "update `accessed`."))
    unarchived = [s for s in data.sources.values() if not s.archived]
    groups.append(("Sources with no archived copy", unarchived,
                   "Their pages link only a search of the Wayback Machine. `scripts/check_sources.py archive` finds "
                   "or makes a snapshot and records it as `archived:`."))

    total = sum(len(entries) for _, entries, *_ in groups)
    lines = [f"# Editor's desk, {day(today)}", "",
             f"Source data last reviewed {data.reviewed}; {total} things to look at, most urgent first.", ""]
    for title, entries, *note in groups:
        if not entries:
            continue
        lines += [f"## {title} ({len(entries)})", ""] + ([note[0], ""] if note else [])
        if entries is unread:
            entries = by_file(unread, f"last read more than {STALE_ACCESS_MONTHS} months ago",
                              lambda s: f" (read {s.accessed})" if s.accessed else " (never)")
        elif entries is unarchived:
            entries = by_file(unarchived, "without an archived copy", lambda s: "")
        lines += [*entries, ""]
    newest = max(last_day(s.evidence_through) for s in data.sections.values())
    lines += ["## What holds the site's “as of” date back", "",
              "The pages whose evidence ends earliest, oldest first; bringing these up to date moves the site's "
              "“as of” date most:", ""]
    for section in sorted(data.sections.values(), key=lambda s: last_day(s.evidence_through)):
        lag = (newest - last_day(section.evidence_through)).days
        behind = f", {lag} days behind the newest page" if lag else " (the newest)"
        lines.append(f"- {section_link(section)}: evidence to {section.evidence_through}{behind}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today(),
                        help="the day to judge from, YYYY-MM-DD (default: today)")
    parser.add_argument("--source", type=Path, default=ROOT / "source", help="the data folder (default: source/)")
    args = parser.parse_args()
    site = os.environ.get("SITE_URL") or "http://127.0.0.1:8000/"
    site = site if site.endswith("/") else site + "/"
    try:
        data = load.load(args.source)
    except load.EditionError as err:
        sys.exit(f"source/ does not load; fix this first: {err}")
    print(report(data, args.today, site), end="")


if __name__ == "__main__":
    main()
