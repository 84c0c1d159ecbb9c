"""Shared fixtures: a real `mkdocs build --strict` of the project, the same site built by each
engine through scripts/build.py, and throwaway copies of the project.

Each site is built once per test run, even with pytest-xdist's several workers: the first worker
to ask builds it into the run's shared temporary folder under a lock, the others reuse it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["mkdocs.yml", "docs", "hooks", "overrides", "source", "templates"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
             "SITE_URL": "http://127.0.0.1:8000/", "REPORT_EMAIL": "corrections@example.org"}  # example.org: reserved


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Run the real CLI build, as CI and editors do."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=project, capture_output=True, text=True, env=BUILD_ENV)


def engine_build(engine: str, site_dir: Path) -> subprocess.CompletedProcess:
    """generate → render with ENGINE → finish, as `scripts/build.py` does for maintainers."""
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--engine", engine, "--site-dir", str(site_dir)],
                          cwd=ROOT, capture_output=True, text=True, env=BUILD_ENV)


def _built_once(tmp_path_factory, name: str, build) -> Path:
    """A site built once for the whole run, shared by every xdist worker."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    site_dir, log = shared / f"built-{name}", shared / f"built-{name}.log"
    with open(shared / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            result = build(site_dir)
            log.write_text(f"{result.returncode}\n{result.stdout}{result.stderr}", encoding="utf-8")
    code, _, output = log.read_text(encoding="utf-8").partition("\n")
    assert code == "0", output
    return site_dir


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built from the working tree by `mkdocs build --strict` with the hooks, once per run."""
    return _built_once(tmp_path_factory, "site", lambda site_dir: mkdocs_build(ROOT, site_dir))


@pytest.fixture(scope="session", params=["mkdocs", "properdocs", "zensical"])
def engine_site(request, tmp_path_factory) -> tuple[str, Path]:
    """(engine, site) built by scripts/build.py with each engine, once per run."""
    engine = request.param
    return engine, _built_once(tmp_path_factory, engine, lambda site_dir: engine_build(engine, site_dir))


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project that a test may break."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / part)
    return tmp_path


# ---- The browser: shared by tests/test_browser.py and tests/test_reader.py (one Playwright per session) ----

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def need(condition: bool, how: str) -> None:
    """Skip with a one-line hint, or fail under CI where the tool must be present."""
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {how}")
    pytest.skip(how)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no request log on the test output
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """A built site on a local static server, at its own free port."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def server(site):
    """The MkDocs-built site on a local static server."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), "Chromium not found: install Debian's chromium (apt-get install chromium) to run browser tests")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open pages in fresh contexts; every request made is recorded on page.requests."""
    contexts = []

    def opener(url: str, viewport: str = "desktop", scheme: str = "light", wait_until: str = "load", **options):
        context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.csp_violations = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text))
        page.goto(url, wait_until=wait_until)  # "networkidle" costs half a second a page: only where every request counts
        return page

    yield opener
    for context in contexts:
        context.close()
