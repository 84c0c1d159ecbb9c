"""The link contract: every public page URL and anchor that readers may have shared.

`python tests/link_contract.py` appends the anchors the site publishes that the contract
lacks. Nothing is ever removed: a retired anchor keeps working through an alias (`aliases:`
in source/) or a page redirect (mkdocs.yml, plugin `redirects`).
"""

from __future__ import annotations

import sys
from pathlib import Path

CONTRACT = Path(__file__).with_name("link-contract.txt")


def read() -> list[str]:
    return [line.strip() for line in CONTRACT.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def published(data) -> list[str]:
    """Pages, plus the anchors of sections, predictions, claims and sources, as the site has them now."""
    pages = [section.url for section in data.sections.values()] + ["full-text/", "method/", "sources/", "updates/", "data/"]
    pages += [f"sources/{name}/" for name in sorted({source.file for source in data.sources.values()})]
    pages += ["sources/retired/"] if data.retired_sources else []
    anchors = [f"{item.section.url}#{item.id}" for item in data.items]
    anchors += [f"{s.url}#{name}" for s in data.sections.values() if s.id != "overall"
                for name in ("text", "predictions" if s.predictions else "", "claims" if s.claims else "") if name]
    anchors += [f"sources/#{source_id}" for source_id in data.sources]
    anchors += [f"sources/#{source.id}" for source in data.retired_sources]
    anchors += [f"p/{item.id}/" for item in data.items] + ["feed.xml"]
    anchors += ["#scorecard", "#overall", "method/#scales", "method/#hedges", "method/#scoring", "data/#cite", "data/#licence",
                "updates/#other-readings"]
    return ["/" + entry for entry in pages + anchors]


if __name__ == "__main__":
    from opedcheck import load

    data = load.load(Path(__file__).resolve().parent.parent / "source")
    known = set(read())
    new = [entry for entry in published(data) if entry not in known]
    with CONTRACT.open("a", encoding="utf-8") as handle:
        handle.writelines(f"{entry}\n" for entry in new)
    print(f"added {len(new)} entries")
