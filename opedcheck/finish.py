"""Stage 4, finish: what must happen to rendered HTML, whichever engine rendered it.

`content` works on a page's body as the engine converted it (MkDocs' hooks call it before
search indexing); `page` on a whole page; `site` runs both over every page of a built site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

HEADERLINK = re.compile(r'<a class="headerlink" (href="#[^"]+" title="Link to this heading")>')
EXTERNAL_LINK = re.compile(r'<a (?![^>]*\brel=)([^>]*href="https?://[^"]*"[^>]*)>')
CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input [^>]*type="checkbox"[^>]*?) autocomplete="off"')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
FINISHED = '<meta http-equiv="Content-Security-Policy"'


def content(html: str) -> str:
    """A page body: heading permalinks kept out of the heading's name, outside links without opener or referrer."""
    # As GitHub does: the ¶ is for the mouse; a screen reader hears the heading alone, and the contents list links it.
    html = HEADERLINK.sub(r'<a class="headerlink" \1 aria-hidden="true" tabindex="-1">', html)
    return EXTERNAL_LINK.sub(r'<a rel="noopener noreferrer" \1>', html)


def valid_html(html: str) -> str:
    """Drop two attributes in Material's templates that HTML forbids (Nu Html Checker errors):
    autocomplete on checkbox toggles, and an empty tabindex on navigation section labels."""
    return CHECKBOX_AUTOCOMPLETE.sub(r"\1", html).replace(' tabindex=""', "")


def with_csp(html: str) -> str:
    """Add a Content-Security-Policy allowing only this origin, plus the page's own inline scripts by hash."""
    hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
                      for script in INLINE_SCRIPT.findall(html))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes=hashes)}">'
    return html.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n      {meta}', 1)


def page(html: str, *, csp: bool = True) -> str:
    """A whole page: valid HTML, and the CSP (left off under a dev server that injects its own scripts)."""
    html = valid_html(html)
    return with_csp(html) if csp and FINISHED not in html else html


def site(site_dir: Path) -> int:
    """Finish every HTML page of a built site in place; returns how many pages changed."""
    changed = 0
    for path in Path(site_dir).rglob("*.html"):
        before = path.read_text(encoding="utf-8")
        after = page(content(before)) if "<html" in before else before
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed += 1
    return changed
