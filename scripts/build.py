"""Build the site with any engine: generate the docs tree, render it, finish the HTML.

    .venv/bin/python scripts/build.py --engine mkdocs|properdocs|zensical --site-dir DIR

The site replaces DIR only when every stage succeeded, so a bad edit leaves the last good site.
Set SITE_URL to the public address when building to publish (see README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from opedcheck import finish, generate, render
from opedcheck.load import EditionError

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=sorted(render.ENGINES), default="mkdocs")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    config = render.read_config(ROOT)
    for warning in render.publishing_warnings(os.environ, config.get("extra") or {}):
        print(f"WARNING  -  {warning}", file=sys.stderr)
    try:
        tree = generate.docs_tree(render.settings(ROOT, config))
    except (EditionError, generate.GenerateError) as error:
        print(f"ERROR    -  {error}", file=sys.stderr)
        return 1
    folder = render.stage(ROOT, args.engine, config, tree)
    try:
        result = render.run(args.engine, folder)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print(f"ERROR    -  {args.engine} failed (exit {result.returncode}); {args.site_dir} is unchanged", file=sys.stderr)
            return 1
        pages = finish.site(folder / "site")
        site_dir = args.site_dir.resolve()
        if site_dir.exists():
            shutil.rmtree(site_dir)
        shutil.move(folder / "site", site_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"INFO     -  {args.engine}: {pages} pages finished into {site_dir} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
