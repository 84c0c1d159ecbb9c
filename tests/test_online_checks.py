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
