"""Shared fixtures: a real `mkdocs build --strict` of the project, the same site built by each
engine through scripts/build.py, and throwaway copies of the project.

Each site is built once per test run, even with pytest-xdist's several workers: the first worker
to ask builds it into the run's shared temporary folder under a lock, the others reuse it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["mkdocs.yml", "docs", "hooks", "overrides", "source", "templates"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
             "SITE_URL": "http://127.0.0.1:8000/"}


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
