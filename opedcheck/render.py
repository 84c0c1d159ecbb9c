"""Stage 3, render: an engine (MkDocs, ProperDocs or Zensical) turns a generated docs tree into HTML.

Each build gets a stage folder of its own, `.cache/build/ENGINE-*/`, holding the generated docs
tree and a copy of mkdocs.yml pointed at it, with no hooks: the tree is already complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from . import generate

# Overrides written against Material's templates that another engine's theme does not fit.
NOT_FOR = {"zensical": ["partials/search.html"]}  # Zensical's search has its own markup and script
ENGINES = {
    "mkdocs": ["-m", "mkdocs", "build", "--strict", "--quiet"],
    "properdocs": ["-m", "properdocs", "build", "--strict", "--quiet"],
    "zensical": ["-m", "zensical", "build", "--strict", "--clean"],
}


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!ENV [NAME, default]` takes the environment's value."""


def _env(loader: _ConfigLoader, node) -> str | None:
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else names + [None]
    return next((os.environ[name] for name in variables if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def read_config(root: Path) -> dict:
    """The project's mkdocs.yml, with environment values filled in."""
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def publishing_warnings(environ, extra: dict) -> list[str]:
    """What a build lacks before it can be published: the public address, then a way for readers to report an error."""
    if "SITE_URL" not in environ:
        return ["SITE_URL is not set: canonical links, share tags, the feed and the data files point at "
                "http://127.0.0.1:8000/. Set SITE_URL to the public address before publishing (README, Deploying)."]
    if not (extra.get("report_url") or extra.get("report_email")):
        return ["Neither REPORT_URL nor REPORT_EMAIL is set: the published site would give readers no way to report "
                "an error. Set one, as SITE_URL is set, before publishing (README, Deploying)."]
    return []


def settings(root: Path, config: dict) -> generate.Settings:
    return generate.Settings(root=root, site_url=config.get("site_url") or "", site_name=config["site_name"],
                             report_url=(config.get("extra") or {}).get("report_url", ""),
                             docs_dir=config.get("docs_dir", "docs"))


def stage(root: Path, engine: str, config: dict, tree: dict[str, str | bytes]) -> Path:
    """Write the docs tree and the engine's config into a new .cache/build/ENGINE-*/; returns that folder."""
    (root / ".cache" / "build").mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{engine}-", dir=root / ".cache" / "build"))  # builds may run side by side
    generate.write_tree(tree, root / config.get("docs_dir", "docs"), folder / "docs")
    staged = {key: value for key, value in config.items() if key not in ("hooks", "watch")}
    staged.update(docs_dir="docs", site_dir="site")
    overrides = root / config["theme"]["custom_dir"]
    if engine in NOT_FOR:
        shutil.copytree(overrides, folder / "overrides",
                        ignore=lambda where, names: [n for n in names if (Path(where) / n).relative_to(overrides).as_posix() in NOT_FOR[engine]])
        overrides = folder / "overrides"
    staged["theme"] = {**config["theme"], "custom_dir": str(overrides)}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(staged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def run(engine: str, folder: Path) -> subprocess.CompletedProcess:
    """Render the staged tree into FOLDER/site with the engine's own command line."""
    command = [sys.executable, *ENGINES[engine], "--config-file", str(folder / "mkdocs.yml")]
    if engine != "zensical":
        command += ["--site-dir", str(folder / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env)
