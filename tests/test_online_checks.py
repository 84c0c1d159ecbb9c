"""scripts/check_sources.py links and quotes, run as a maintainer would, against a local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT

from opedcheck import load

TIMEOUT = 1  # seconds given to the checkers; the hanging page answers only after HANG
HANG = 5
WORDS = "<html><body><p>The \u201cquick\u201d brown\n   fox <b>jumps</b> over the dog.</p></body></html>"


class Pages(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/hang":
            time.sleep(HANG)
        status, body, headers = {
            "/words": (200, WORDS, {}),
            "/nowords": (200, "<html><body><p>Nothing about animals.</p></body></html>", {}),
            "/moved": (301, "", {"Location": "/words"}),
            "/hang": (200, WORDS, {}),
        }.get(self.path, (404, "<p>Not found</p>", {}))
        data = body.encode("utf-8")
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(data)), **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def server():
    # Port 0: any free port. Its handler threads are daemons, so a hanging request never blocks shutdown.
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def check(mode: str, entries: list[dict], tmp_path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the checker; return the process and the report's bullet lines under each heading."""
    urls = tmp_path / "urls.json"
    urls.write_text(json.dumps(entries), encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_sources.py"), mode, "--timeout", str(TIMEOUT),
                          "--urls", str(urls), *extra], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode in (0, 1), run.stderr
    sections: dict[str, list[str]] = {}
    path = next((extra[i + 1] for i, arg in enumerate(extra) if arg == "--report"), f"source-check-{mode}.md")
    for line in (tmp_path / path).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections[line[3:].split(":")[0].split(" (")[0]] = current = []
        elif line.startswith(("- ", "  - ")) and sections:
            current.append(line)
    return run, sections


def test_links_reports_the_dead_the_timed_out_and_the_redirected(server, tmp_path):
    entries = [{"url": f"{server}/{path}"} for path in ("words", "nowords", "moved", "gone", "hang")]
    started = time.monotonic()
    run, report = check("links", entries, tmp_path)
    assert report["Dead"] == [f"- 404: {server}/gone"]
    assert report["Timed out"] == [f"- {server}/hang"]
    assert report["Redirected"] == [f"- {server}/moved → {server}/words (301)"]
    assert run.stdout.strip() == "links: 5 URLs, 1 dead, 1 timed out, 1 redirected; report: source-check-links.md"
    assert run.returncode == 1
    assert time.monotonic() - started < 20


def test_quotes_reports_missing_words_and_pages_that_did_not_load(server, tmp_path):
    entries = [
        # Curly quotes, a line break and markup on the page; straight quotes and a gap in the locator.
        {"url": f"{server}/words", "locators": ['The "quick" brown fox jumps', "quick … over the dog."]},
        {"url": f"{server}/moved", "locators": ["brown fox jumps"]},  # followed to /words: found
        {"url": f"{server}/nowords", "locators": ["Nothing about ... brown fox"]},  # first piece there, second not
        {"url": f"{server}/gone", "locators": ["brown fox"]},
        {"url": f"{server}/hang", "locators": ["brown fox"]},
    ]
    run, report = check("quotes", entries, tmp_path, "--report", "quotes.md")
    assert report["Pages whose text lacks a locator"] == [
        f"- {server}/nowords", "  - “Nothing about ... brown fox” — missing: “brown fox”"]
    assert report["Pages that failed to load"] == [f"- HTTP 404: {server}/gone", f"- timed out: {server}/hang"]
    assert run.stdout.strip() == "quotes: 5 pages, 1 locators not found, 2 pages failed to load; report: quotes.md"
    assert run.returncode == 1


def test_both_checks_pass_when_every_page_is_fine(server, tmp_path):
    entries = [{"url": f"{server}/words", "locators": ["brown fox jumps"]},
               {"url": f"{server}/nowords", "locators": []}]
    for mode in ("links", "quotes"):
        run, report = check(mode, entries, tmp_path)
        assert run.returncode == 0, run.stdout
        assert report and all(lines == [] for lines in report.values()), report


# ---- archive: a fake Wayback Machine ----------------------------------------

ARCHIVE_SOURCES = "sources/arms-control.yml"
# Source ids in that file and what the fake archive does for each.
FOUND, OLD, NEW, REFUSED, SLOW = ("internazionale-2026-01-08-if-it-expires", "aca-2026-new-start-strategy",
                                  "geo-2026-02-06-new-framework", "thehawk-2026-02-06-kremlin-talks",
                                  "straitstimes-2026-02-05-axios-new-start")
CAPTURED_AT = "20261204120000"


def source_urls() -> dict[str, str]:
    data = load.load(ROOT / "source")
    return {sid: data.sources[sid].url for sid in (FOUND, OLD, NEW, REFUSED, SLOW)}


class Archive(BaseHTTPRequestHandler):
    """The Availability API (/wayback/available) and Save Page Now (/save/URL), as the Wayback Machine answers."""

    urls: dict[str, str] = {}
    requests: list[str] = []

    def answer(self, status: int, body: str = "", headers: dict | None = None):
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the checker gave up on a hanging answer
            pass

    def do_GET(self):
        from urllib.parse import parse_qs, urlsplit
        self.requests.append(self.path)
        by_url = {url: sid for sid, url in self.urls.items()}
        if self.path.startswith("/wayback/available?"):
            query = parse_qs(urlsplit(self.path).query)
            url, sid = query["url"][0], by_url.get(query["url"][0])
            assert query["timestamp"][0].startswith("20261201"), query  # asked near the day the page was read
            if sid == SLOW:
                time.sleep(HANG)
            stamp = {FOUND: "20261130081500", OLD: "20190101000000"}.get(sid)
            closest = {"closest": {"status": "200", "available": True, "timestamp": stamp,
                                   "url": f"http://web.archive.org/web/{stamp}/{url}"}} if stamp else {}
            return self.answer(200, json.dumps({"url": url, "archived_snapshots": closest}))
        if self.path.startswith("/save/"):
            url = self.path[len("/save/"):]
            sid = by_url.get(url)
            if sid == REFUSED:
                return self.answer(403, "<p>Blocked</p>", {"Content-Type": "text/html",
                                   "X-Archive-Wayback-Runtime-Error": "RobotAccessControlException: Blocked By Robots"})
            if sid in (OLD, NEW):
                memento = f"https://web.archive.org/web/{CAPTURED_AT}/{url}"
                link = (f'<{url}>; rel="original", <https://web.archive.org/web/timemap/link/{url}>; rel="timemap"; '
                        f'type="application/link-format", <https://web.archive.org/web/{url}>; rel="timegate", '
                        f'<{memento}>; rel="memento"; datetime="Fri, 04 Dec 2026 12:00:00 GMT", '
                        f'<{memento}>; rel="last memento"; datetime="Fri, 04 Dec 2026 12:00:00 GMT"')
                return self.answer(200, "<p>Saved</p>", {"Content-Type": "text/html", "Link": link})
        return self.answer(404, "{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def archive_server():
    Archive.urls, Archive.requests = source_urls(), []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Archive)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run_archive(base: str, source, tmp_path, *ids: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_sources.py"), "archive", "--timeout", str(TIMEOUT),
                           "--pause", "0", "--archive-base", base, "--source", str(source), "--ids", *ids],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)


def report_sections(path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections[line[3:].split(" (")[0]] = current = []
        elif line.startswith("- ") and sections:
            current.append(line)
    return sections


def test_archive_records_found_and_new_snapshots_and_reports_refusals_and_timeouts(archive_server, tmp_path):
    import shutil
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    path = source / ARCHIVE_SOURCES
    before = path.read_bytes()
    urls = Archive.urls
    run = run_archive(archive_server, source, tmp_path, FOUND, OLD, NEW, REFUSED, SLOW)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.strip() == ("archive: 5 sources without a snapshot, 1 found, 2 captured, 2 could not be archived; "
                                  "report: source-check-archive.md")
    report = report_sections(tmp_path / "source-check-archive.md")
    snapshot = {FOUND: f"https://web.archive.org/web/20261130081500/{urls[FOUND]}",  # within 30 days of reading
                OLD: f"https://web.archive.org/web/{CAPTURED_AT}/{urls[OLD]}",  # its only snapshot is from 2019
                NEW: f"https://web.archive.org/web/{CAPTURED_AT}/{urls[NEW]}"}
    assert report["Found in the archive"] == [f"- {FOUND}: {snapshot[FOUND]}"]
    assert report["Captured now"] == [f"- {OLD}: {snapshot[OLD]}", f"- {NEW}: {snapshot[NEW]}"]
    assert report["Could not archive"] == [
        f"- {REFUSED}: capture refused (HTTP 403: RobotAccessControlException: Blocked By Robots): {urls[REFUSED]}",
        f"- {SLOW}: timed out after {TIMEOUT} s: {urls[SLOW]}"]
    assert not any(f"/save/{urls[FOUND]}" in r for r in Archive.requests)  # a found snapshot asks for no capture

    # Byte for byte as before, apart from one inserted line per archived source, right after its `accessed`.
    old_lines = before.decode("utf-8").splitlines(keepends=True)
    new_lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    inserted = [line for line in new_lines if line.startswith("  archived: ")]
    assert inserted == [f"  archived: {snapshot[sid]}\n" for sid in (FOUND, OLD, NEW)]
    assert [line for line in new_lines if line not in inserted] == old_lines
    for sid in (FOUND, OLD, NEW):
        at = new_lines.index(f"  archived: {snapshot[sid]}\n")
        assert new_lines[at - 1].startswith("  accessed: ")
        assert [l for l in new_lines[:at] if l.startswith("- id: ")][-1] == f"- id: {sid}\n"
    for other in (source / "sources").glob("*.yml"):
        if other != path:
            assert other.read_bytes() == (ROOT / "source" / "sources" / other.name).read_bytes(), other.name

    data = load.load(source)  # the written file loads, with the snapshots
    assert {sid: data.sources[sid].archived for sid in snapshot} == snapshot
    assert data.sources[REFUSED].archived is None

    # A second run leaves recorded snapshots alone and asks only about the rest.
    Archive.requests.clear()
    again = run_archive(archive_server, source, tmp_path, FOUND, OLD, NEW, REFUSED)
    assert again.stdout.startswith("archive: 1 sources without a snapshot, 0 found, 0 captured, 1 could not be archived")
    from urllib.parse import unquote
    assert len(Archive.requests) == 2 and all(urls[REFUSED] in unquote(r) for r in Archive.requests), Archive.requests


def test_archive_inserts_into_any_layout_without_touching_the_rest(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("check_sources", ROOT / "scripts" / "check_sources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "s.yml"
    text = ("# a comment\n- id: a\n  url: 'https://x.org/a'   # why\n  accessed: 2026-12-01  # read\n\n"
            "# between\n- {id: flow, url: 'https://x.org/f'}\n-   id: b\n    url: \"https://x.org/b\"\n"
            "    note: >-\n      folded\n      text\n- id: c\n  accessed: 2026-12-01")
    path.write_text(text, encoding="utf-8")
    written = module.insert_archived(path, {"a": "https://web.archive.org/web/20261201000000/https://x.org/a",
                                            "b": "https://archive.ph/AbCd1", "c": "https://perma.cc/AB12-CD34",
                                            "flow": "https://archive.ph/Zz"})
    assert sorted(written) == ["a", "b", "c"]
    assert path.read_text(encoding="utf-8") == (
        "# a comment\n- id: a\n  url: 'https://x.org/a'   # why\n  accessed: 2026-12-01  # read\n"
        "  archived: https://web.archive.org/web/20261201000000/https://x.org/a\n\n"
        "# between\n- {id: flow, url: 'https://x.org/f'}\n-   id: b\n    url: \"https://x.org/b\"\n"
        "    note: >-\n      folded\n      text\n    archived: https://archive.ph/AbCd1\n- id: c\n  accessed: 2026-12-01\n"
        "  archived: https://perma.cc/AB12-CD34\n")
