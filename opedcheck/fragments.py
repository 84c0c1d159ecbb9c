"""A Python-Markdown extension, listed in mkdocs.yml: puts generated HTML fragments back after conversion.

The generate stage writes finished HTML (evidence lists, criteria) as base64 in a comment, because
md_in_html mangles nested <details>. Every engine converts Markdown with Python-Markdown, so this
restores them in the page's content, before search indexing, whichever engine renders.
"""

from __future__ import annotations

import base64
import re

from markdown import Extension
from markdown.postprocessors import Postprocessor

COMMENT = "<!-- ed-html:{} -->"
FRAGMENT = re.compile(r"<!-- ed-html:([A-Za-z0-9+/=]+) -->")


def encode(html: str) -> str:
    return COMMENT.format(base64.b64encode(html.encode()).decode())


def decode(text: str) -> str:
    return FRAGMENT.sub(lambda match: base64.b64decode(match.group(1)).decode(), text)


class _Restore(Postprocessor):
    def run(self, text: str) -> str:
        return decode(text)


class FragmentsExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.postprocessors.register(_Restore(md), "ed_fragments", 25)  # after raw HTML is put back (30)


def makeExtension(**kwargs) -> FragmentsExtension:
    return FragmentsExtension(**kwargs)
