"""Links that never break: every entry of the committed link contract still lands."""

from __future__ import annotations

from opedcheck import load, model
import link_contract
from conftest import ROOT
from htmlparse import Page

DATA = load.load(ROOT / "source")


def test_every_contracted_url_and_anchor_still_resolves(site):
    ids: dict[str, set[str]] = {}
    for entry in link_contract.read():
        page, _, anchor = entry.lstrip("/").partition("#")
        if "." in page.rsplit("/", 1)[-1]:  # a file such as feed.xml
            assert (site / page).is_file(), f"{entry}: file gone"
            continue
        html_file = site / page / "index.html"
        assert html_file.is_file(), f"{entry}: page gone; add a redirect in mkdocs.yml"
        if anchor:
            if page not in ids:
                ids[page] = set(Page(html_file.read_text(encoding="utf-8")).ids)
            assert anchor in ids[page], f"{entry}: anchor gone; keep it as an alias of the item that replaces it"


def test_the_contract_lists_everything_the_site_publishes(site):
    missing = [entry for entry in link_contract.published(DATA) if entry not in set(link_contract.read())]
    assert missing == [], f"run `.venv/bin/python tests/link_contract.py` to add: {missing[:5]}"


def test_an_alias_keeps_an_old_anchor_alive(project, tmp_path):
    """Renaming an item's id with the old one as alias keeps the old anchor on the page."""
    import yaml
    from conftest import mkdocs_build

    path = project / "source/sections/energy.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = data["predictions"][0]["id"]
    data["predictions"][0]["id"] = old + "-renamed"
    data["predictions"][0]["aliases"] = [old]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = Page((tmp_path / "site/energy/index.html").read_text(encoding="utf-8")).ids
    assert old in ids and old + "-renamed" in ids
    moved = (tmp_path / f"site/p/{old}/index.html").read_text(encoding="utf-8")
    assert f'url=../{old}-renamed/"' in moved and f'href="../{old}-renamed/"' in moved
