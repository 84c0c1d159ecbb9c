"""One editorial engine, any renderer: the site built by scripts/build.py with MkDocs, ProperDocs
and Zensical keeps every contracted address, every verdict, the CSP and no leftover marker."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import link_contract
from conftest import BUILD_ENV, ROOT, serving
from htmlparse import Page

from opedcheck import load

DATA = load.load(ROOT / "source")


def pages(site):
    return sorted(site.rglob("*.html"))


def test_every_contracted_address_and_anchor_lands(engine_site):
    engine, site = engine_site
    ids: dict[str, set[str]] = {}
    for entry in link_contract.read():
        page, _, anchor = entry.lstrip("/").partition("#")
        if "." in page.rsplit("/", 1)[-1]:
            assert (site / page).is_file(), f"{engine}: {entry}: file missing"
            continue
        html_file = site / page / "index.html"
        assert html_file.is_file(), f"{engine}: {entry}: page missing"
        if anchor:
            ids.setdefault(page, set(Page(html_file.read_text(encoding="utf-8")).ids))
            assert anchor in ids[page], f"{engine}: {entry}: anchor missing"


def test_every_item_shows_its_verdict_in_context_and_on_its_page(engine_site):
    engine, site = engine_site
    for item in DATA.items:
        label = DATA.scale(item)[item.verdict].label
        for path in (site / item.section.url / "index.html", site / "p" / item.id / "index.html"):
            html = path.read_text(encoding="utf-8")
            start = html.index(f'id="{item.id}"')
            block = html[start:html.find('<div class="ed-item ', start) if '<div class="ed-item ' in html[start:] else None]
            badge = re.search(rf'<span class="ed-verdict ed-verdict--{item.verdict}">.*?</span>', block, re.S)
            assert badge and label in badge.group(0), f"{engine}: {path.relative_to(site)}: no '{label}' badge for {item.id}"


def test_every_page_carries_the_csp_and_no_marker_is_left(engine_site):
    engine, site = engine_site
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        assert '<meta http-equiv="Content-Security-Policy"' in html, f"{engine}: {path.relative_to(site)}: no CSP"
        assert "<!-- editorial:" not in html and "ed-html:" not in html, f"{engine}: {path.relative_to(site)}: marker left"
    assert len(pages(site)) > 40


def test_the_evidence_and_its_sources_are_rendered_not_escaped(engine_site):
    engine, site = engine_site
    html = (site / "p" / DATA.items[0].id / "index.html").read_text(encoding="utf-8")
    assert '<ol class="ed-evidence">' in html and "About th" in html, f"{engine}: evidence missing"
    assert "&lt;details" not in html, f"{engine}: evidence HTML escaped"


def test_a_bad_edit_stops_the_build_with_its_location_and_keeps_the_last_site(project, tmp_path):
    """scripts/build.py reports the loader's file:line:col error and leaves --site-dir as it was."""
    shutil.copytree(ROOT / "scripts", project / "scripts")
    site_dir = tmp_path / "last-good"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("last good", encoding="utf-8")
    path = project / "source/sections/energy.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("verdict: came-true", "verdict: maybe", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, str(project / "scripts/build.py"), "--engine", "zensical", "--site-dir", str(site_dir)],
                            cwd=project, capture_output=True, text=True, env=BUILD_ENV)
    assert result.returncode == 1
    assert re.search(r"source/sections/energy\.yml:\d+:\d+: predictions\[\d\]\.verdict: expected one of", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert (site_dir / "index.html").read_text(encoding="utf-8") == "last good"


def test_a_build_without_site_url_or_a_report_channel_warns_and_a_strict_one_fails(tmp_path):
    env = {key: value for key, value in BUILD_ENV.items() if key != "SITE_URL"}
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "m")],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert strict.returncode == 1 and "SITE_URL is not set" in strict.stderr, strict.stderr
    result = subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--engine", "mkdocs", "--site-dir", str(tmp_path / "s")],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "SITE_URL is not set" in result.stderr
    # with the address but no way to report an error, a publishing build warns, and a strict one fails
    env = {key: value for key, value in BUILD_ENV.items() if not key.startswith("REPORT_")}
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "m")],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert strict.returncode == 1 and "Neither REPORT_URL nor REPORT_EMAIL is set" in strict.stderr, strict.stderr


def test_a_reader_in_chromium_lands_on_items_with_no_outside_request(engine_site, open_page):
    """Each engine's site, served and opened cold on a phone: deep links land, nothing leaves the origin, the CSP holds."""
    from test_browser import assert_landed, outside_requests  # the browser tests' own checks

    engine, site = engine_site
    with serving(site) as server:
        for item in (DATA.items[0], DATA.items[-1]):
            page = open_page(f"{server}{item.section.url}#{item.id}", "phone", wait_until="networkidle")
            assert_landed(page, item.id)
            assert outside_requests(page, server) == [], engine
            assert page.csp_violations == [], (engine, page.csp_violations[:1])
            page.context.close()
