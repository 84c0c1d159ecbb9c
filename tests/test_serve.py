"""`mkdocs serve` survives a bad edit: it reports the error, then recovers when the file is fixed."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import BUILD_ENV


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds: float = 40) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_serve_reports_a_bad_edit_and_recovers_without_restart(project, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT, env=BUILD_ENV)
    url = f"http://127.0.0.1:{port}/"  # the home scorecard names every section by its title
    section = project / "source/sections/energy.yml"
    good = section.read_text(encoding="utf-8")
    try:
        assert wait_for(lambda: "Energy" in fetch(url)), log.read_text()
        section.write_text(re.sub(r"(?m)^title: .*$", "title: [Energy", good, count=1), encoding="utf-8")
        assert wait_for(lambda: "source/sections/energy.yml:" in log.read_text()), log.read_text()
        assert server.poll() is None, "the server stopped on a bad edit"
        section.write_text(re.sub(r"(?m)^title: .*$", "title: Energy, fixed", good, count=1), encoding="utf-8")
        assert wait_for(lambda: "Energy, fixed" in fetch(url)), log.read_text()
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(10)
