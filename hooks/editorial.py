"""MkDocs hooks: the adapter that runs the editorial engine's stages inside a MkDocs build.

Generation (load + generate) runs in on_pre_build, before MkDocs cleans the site directory,
so bad input stops the build with a located error and leaves the last good site intact.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from opedcheck import finish, generate, render
from opedcheck.load import EditionError

LOG = logging.getLogger("mkdocs.plugins.editorial")  # under mkdocs.*, so --strict counts its warnings
_command = {"name": "build"}
_tree: dict[str, str | bytes] = {}  # replaced by every on_pre_build: hook modules outlive builds under `serve`


def on_startup(*, command: str, dirty: bool) -> None:
    # `mkdocs serve` injects an inline live-reload script that the CSP would block.
    _command["name"] = command


def on_pre_build(*, config) -> None:
    if _command["name"] == "build":
        for warning in render.publishing_warnings(os.environ, config.extra):
            LOG.warning(warning)
    settings = generate.Settings(root=Path(config.config_file_path).parent, site_url=config.site_url or "",
                                 site_name=config.site_name, report_url=config.extra.get("report_url", ""),
                                 docs_dir=Path(config.docs_dir).name)
    try:
        tree = generate.docs_tree(settings)
    except (EditionError, generate.GenerateError) as error:
        raise PluginError(str(error)) from None
    _tree.clear()
    _tree.update(tree)


def on_files(files, *, config):
    generated = dict(_tree)
    for file in files:
        if file.src_uri in generated:
            file.content_string = generated.pop(file.src_uri)
    for name, content in generated.items():
        files.append(File.generated(config, name, content=content))
    return files


def on_page_content(html: str, *, page, config, files) -> str:
    return finish.content(html)


def on_post_page(output: str, *, page, config) -> str:
    return finish.page(output, csp=_command["name"] != "serve")


def on_post_template(output_content: str, *, template_name: str, config) -> str:
    return finish.valid_html(output_content) if template_name.endswith(".html") else output_content
