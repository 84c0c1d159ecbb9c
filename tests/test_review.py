"""scripts/review.py, the editor's desk: each kind of line, on the real data at pinned dates or on an edited copy."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

SITE = "https://example.org/check/"


def review(today: str, source: Path | None = None) -> tuple[dict[str, list[str]], str]:
    """Run the desk; return the bullet lines under each heading (its text before ' (') and the whole report."""
    args = [sys.executable, str(ROOT / "scripts" / "review.py"), "--today", today]
    if source:
        args += ["--source", str(source)]
    run = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "SITE_URL": SITE}, timeout=60)
    assert run.returncode == 0, run.stderr
    sections: dict[str, list[str]] = {}
    for line in run.stdout.splitlines():
        if line.startswith("## "):
            sections[re.sub(r" \(\d+\)$", "", line[3:])] = current = []
        elif line.startswith("- ") and sections:
            current.append(line)
    return sections, run.stdout


@pytest.fixture
def source(tmp_path) -> Path:
    copy = tmp_path / "source"
    shutil.copytree(ROOT / "source", copy)
    return copy


def set_horizons(source: Path) -> Path:
    """Evidence horizons fixed for the tests, whatever the data says today."""
    for name, through in {"arms-control": "2026-02-24", "cyber": "2026-02", "overall": "2026-03-13", "energy": "2026-03-13",
                          "sanctions": "2026-03-13", "eastern-europe": "2026-06-04"}.items():
        path = source / "sections" / f"{name}.yml"
        path.write_text(re.sub(r"^evidence_through: .*$", f"evidence_through: {through}", path.read_text(encoding="utf-8"),
                               flags=re.M), encoding="utf-8")
    return source


def ids(lines: list[str]) -> list[str]:
    return [re.match(r"- \[([^\]]+)\]", line).group(1) for line in lines]


def test_open_predictions_past_their_window_and_their_settling_date_come_first(source):
    report, text = review("2029-02-01")
    headings = list(report)
    assert headings[:2] == ["Open predictions whose window has ended", "Open predictions whose settling date has passed"]
    assert ids(report["Open predictions whose window has ended"]) == ["ac-new-talks", "ee-article-5"]
    assert report["Open predictions whose window has ended"][0] == (
        f"- [ac-new-talks]({SITE}p/ac-new-talks/): still open; its window ended 20 January 2029, 12 days ago. Give it a verdict.")
    assert "names 20 January 2029, now past" in report["Open predictions whose settling date has passed"][1]
    assert "Open predictions whose window ends within 90 days" not in report


def test_a_window_ending_within_90_days(source):
    report, _ = review("2028-12-01")
    assert report["Open predictions whose window ends within 90 days"] == [
        f"- [ac-new-talks]({SITE}p/ac-new-talks/): still open; its window ends 20 January 2029, in 50 days.",
        f"- [ee-article-5]({SITE}p/ee-article-5/): still open; its window ends 20 January 2029, in 50 days."]
    assert "Open predictions whose window has ended" not in report
    assert "Open predictions whose settling date has passed" not in report
    far, _ = review("2028-10-01")  # 111 days before: not yet
    assert "Open predictions whose window ends within 90 days" not in far


def test_pages_whose_evidence_is_older_than_six_months(source):
    report, _ = review("2026-12-04", set_horizons(source))
    stale = report["Pages whose evidence is more than 6 months old"]
    # Oldest first; a month-only date counts to its last day; eastern-europe (4 June) is exactly 6 months old.
    assert ids(stale) == ["arms-control", "cyber", "home page (overall)", "energy", "sanctions"]
    assert stale[0].startswith(f"- [arms-control]({SITE}arms-control/): evidence to 24 February 2026")
    assert stale[2].startswith(f"- [home page (overall)]({SITE}): ")
    assert "eastern-europe" in " ".join(review("2026-12-05", source)[0]["Pages whose evidence is more than 6 months old"])


def test_the_pages_that_hold_the_as_of_date_back_are_listed_oldest_first(source):
    report, _ = review("2026-12-04", set_horizons(source))
    held = report["What holds the site's “as of” date back"]
    assert ids(held)[:2] == ["arms-control", "cyber"] and ids(held)[-1] == "eastern-europe"
    assert held[0].endswith("100 days behind the newest page.") and held[-1].endswith("(the newest).")


def test_verdicts_not_re_argued_since_the_review_date_say_what_the_data_cannot_show(source):
    edition = source / "edition.yml"
    edition.write_text(re.sub(r"^reviewed: .*$", "reviewed: 2026-12-20", edition.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    heading = "Verdicts not re-argued since the review date, 20 December 2026"
    report, text = review("2026-12-21", source)
    assert {"ac-new-talks", "ac-reduce-tensions"} <= set(ids(report[heading]))
    assert any(line.startswith(f"- [ac-new-talks]({SITE}p/ac-new-talks/): Open, last history entry ") for line in report[heading])
    assert "leaves no other trace in the data" in text
    # A history entry, or an other reading dated on the review date, takes an item off the list.
    path = source / "sections" / "arms-control.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = data["predictions"][:2]
    first["history"].append({"date": datetime.date(2026, 12, 20), "verdict": first["verdict"], "reason": "Re-checked and kept."})
    second["other_reading"]["date"] = datetime.date(2026, 12, 20)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")
    listed = ids(review("2026-12-21", source)[0][heading])
    assert first["id"] not in listed and second["id"] not in listed and "ee-article-5" in listed


def test_sources_not_read_for_twelve_months(source):
    path = source / "sources" / "energy.yml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^- id: (\S+)", text, re.M).group(1)
    path.write_text(text.replace("accessed: 2026-12-01", "accessed: 2025-11-30", 1), encoding="utf-8")
    report, _ = review("2026-12-04", source)
    assert report["Sources not read for more than 12 months"] == [
        f"- [sources/energy]({SITE}sources/energy/), 1 last read more than 12 months ago: "
        f"[{first}]({SITE}sources/#{first}) (read 30 November 2025)"]
    assert "Sources not read for more than 12 months" not in review("2026-12-04")[0]


def test_sources_with_no_archived_copy(source):
    report, _ = review("2026-12-04")
    lines = report["Sources with no archived copy"]
    assert lines and all(re.match(rf"- \[sources/[a-z-]+\]\({re.escape(SITE)}sources/[a-z-]+/\), \d+ without", line) for line in lines)
    assert f"({SITE}sources/#geostrategy-rs-oped)" in " ".join(lines)
    # A recorded snapshot takes a source off the list.
    path = source / "sources" / "overall.yml"
    text = path.read_text(encoding="utf-8")
    url = re.search(r"^- id: geostrategy-rs-oped\n(?:  .*\n)*?  url: (\S+)\n", text, re.M).group(1)
    path.write_text(text.replace(f"  url: {url}\n", f"  url: {url}\n  archived: https://web.archive.org/web/20261201000000/{url}\n", 1),
                    encoding="utf-8")
    after = " ".join(review("2026-12-04", source)[0]["Sources with no archived copy"])
    assert "#geostrategy-rs-oped)" not in after and "#geostrategy-club-oped)" in after


def test_the_report_is_ordered_most_urgent_first_and_exits_zero(source):
    edition = source / "edition.yml"
    edition.write_text(re.sub(r"^reviewed: .*$", "reviewed: 2026-12-20", edition.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    report, text = review("2029-02-01", source)
    order = ["Open predictions whose window has ended", "Open predictions whose settling date has passed",
             "Pages whose evidence is more than 6 months old",
             "Verdicts not re-argued since the review date, 20 December 2026",
             "Sources not read for more than 12 months", "Sources with no archived copy",
             "What holds the site's “as of” date back"]
    assert list(report) == order
    assert text.startswith("# Editor's desk, 1 February 2029\n")
