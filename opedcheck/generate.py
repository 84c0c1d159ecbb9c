"""Stage 2, generate: the model becomes the complete docs tree a renderer needs.

`docs_tree` returns every file that differs from docs/: each Markdown page with its editorial
markers filled and its meta (description, preview card, JSON-LD) in its front matter, the item
pages (p/ID.md), the source record pages, the data files, the cards, the feed and the forwarding
pages of renamed items. `write_tree` lays it over a copy of docs/. No MkDocs import here.
"""

from __future__ import annotations

import functools
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import yaml
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from . import cards, feed, fragments, published, scoring
from . import model
from .load import load

MARKER = re.compile(r"<!-- editorial:([a-z-]+) -->")
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


class GenerateError(Exception):
    """A docs page the data cannot fill, e.g. an unknown marker: 'path:line:col: message'."""


@dataclass
class Settings:
    """What generation needs from the site's configuration (mkdocs.yml)."""

    root: Path  # the project folder: source/, templates/, docs/
    site_url: str
    site_name: str
    report_url: str = ""
    docs_dir: str = "docs"


def docs_tree(settings: Settings) -> dict[str, str | bytes]:
    """Load source/ and return the generated docs tree, by path relative to the docs folder."""
    root = settings.root
    data = load(root / "source")
    site_url = settings.site_url
    (root / ".cache" / "jinja").mkdir(parents=True, exist_ok=True)
    env = Environment(loader=FileSystemLoader(root / "templates"), undefined=StrictUndefined,
                      bytecode_cache=FileSystemBytecodeCache(str(root / ".cache" / "jinja")),  # compiled once, not every build
                      autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["inline_markdown"] = _inline_markdown
    env.globals["stash"] = _stash
    scores = _scores(data)
    groups = _source_groups(data)
    env.globals.update(edition=data, rel=_relative_url, doc=_doc_link, segments=_segments, quote_parts=_quote_parts,
                       scores=scores, timeline=_timeline, icon=_icon_loader(root / "templates" / "icons"),
                       evidence_split=_evidence_split,
                       config_site_name=settings.site_name, host=lambda url: urlsplit(url).hostname, site_url=site_url,
                       report_url=settings.report_url, zip=zip, items_by_id={item.id: item for item in data.items},
                       described=[source for source in data.sources.values() if not source.headline],
                       source_groups=groups, source_url=_source_record,
                       located_words=_located_words(data), fragment=model.text_fragment,
                       counts=_citation_counts(data), citation_text=lambda item: _citation_text(data, item, site_url, settings.site_name))
    made_cards = _cards(data, root, settings.site_name)
    tree: dict[str, str | bytes] = {}
    docs = root / settings.docs_dir
    for path in sorted(docs.rglob("*.md")):
        name, text = path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8")

        def fill(match: re.Match) -> str:
            marker = match.group(1)
            section = data.sections.get(marker)
            try:
                template = env.get_template("section.md.jinja" if section else f"{marker}.md.jinja")
            except TemplateNotFound:
                line = text.count("\n", 0, match.start()) + 1
                col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                raise GenerateError(f"{settings.docs_dir}/{name}:{line}:{col}: expected a marker named after a section or "
                                    f"a template in templates/, found unknown marker '{marker}'") from None
            return template.render(section=section, page_url="" if marker == "home" else f"{marker}/")
        tree[name] = MARKER.sub(fill, text)
    for section in data.sections.values():
        items = section.items
        for index, item in enumerate(items):
            tree[f"p/{item.id}.md"] = env.get_template("item.md.jinja").render(
                item=item, page_url=item.url, previous=items[index - 1] if index else None,
                next=items[index + 1] if index + 1 < len(items) else None,
                page_title=_item_title(data, item), page_description=_item_description(data, item))
        for alias in (alias for item in items for alias in item.aliases):
            item = next(item for item in items if alias in item.aliases)  # a renamed item's old page forwards
            tree[f"p/{alias}/index.html"] = (
                f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{item.title}</title>'
                f'<meta http-equiv="refresh" content="0; url=../{item.id}/"><link rel="canonical" href="../{item.id}/">'
                f'</head><body><p>This page moved: <a href="../{item.id}/">{item.title}</a>.</p></body></html>\n')
    for group in groups:
        tree[group.doc] = env.get_template("sources-group.md.jinja").render(group=group, page_url=group.url)
    for name in [name for name in tree if name.endswith(".md")]:
        tree[name] = _with_meta(tree[name], name, data, made_cards, site_url, settings.site_name)
    for name, content in published.data_files(data, site_url).items():
        tree[f"data/{name}"] = content
    for name, png in made_cards.items():
        tree[f"cards/{name}"] = png
    tree["feed.xml"] = feed.atom(data, site_url or "http://127.0.0.1:8000/", settings.site_name)
    return tree


def write_tree(tree: dict[str, str | bytes], docs: Path, out: Path) -> None:
    """A complete docs folder at `out`: a copy of `docs` with the generated tree laid over it."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(docs, out)
    for name, content in tree.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _with_meta(page: str, name: str, data: model.Edition, made_cards: dict, site_url: str, site_name: str) -> str:
    """The page with its front matter completed: description, preview card and JSON-LD."""
    match = FRONT_MATTER.match(page)
    meta = (yaml.safe_load(match.group(1)) or {}) if match else {}
    body = page[match.end():] if match else page
    stem = Path(name).stem
    section = data.sections.get(stem)
    if section and "description" not in meta:
        meta["description"] = section.summary
    if (section and section.id != "overall" and "/" not in name) or name.startswith("p/"):  # shared alone, it says whose op-ed
        meta["description"] = f"{_byline(data)} · {meta['description']}"
    if section and section.id != "overall":  # the phone header has room for two short lines
        meta.setdefault("header_title", section.title)
    if "description" in meta:  # Material writes it into content="…" unescaped: no straight double quotes
        meta["description"] = re.sub(r'"([^"]*)"', r"“\1”", meta["description"]).replace('"', "”")
    meta.setdefault("image", "cards/" + (f"{stem}.png" if f"{stem}.png" in made_cards else "home.png"))
    page_url = "" if name == "index.md" else name[:-3] + "/"
    json_ld = published.json_ld(data, page_url, site_url, site_name)
    if json_ld:
        meta["json_ld"] = json_ld
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{front}---\n{body}"


# ---- Template helpers --------------------------------------------------------

def _stash(html: str) -> Markup:
    """A finished HTML fragment carried through Markdown unparsed; opedcheck.fragments puts it back."""
    return Markup(fragments.encode(str(html)))


_MARKDOWN = markdown.Markdown()  # one converter, reset per call: building one per call costs more than converting


@functools.lru_cache(maxsize=4096)
def _inline_markdown(text: str) -> Markup:
    """One line of Markdown (emphasis, links) as HTML, for places inside raw HTML blocks."""
    html = _MARKDOWN.reset().convert(text)
    return Markup(html[3:-4] if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1 else html)


SHOWN_EVIDENCE = 3  # items with more evidence show the deciding (or latest) three, the rest behind "Show more"


def _icon_loader(folder: Path):
    """icon(name) -> the inline SVG of templates/icons/NAME.svg, hidden from assistive technology."""
    cache: dict[str, Markup] = {}

    def icon(name: str) -> Markup:
        if name not in cache:
            svg = (folder / f"{name}.svg").read_text(encoding="utf-8").strip()
            cache[name] = Markup(svg.replace("<svg ", '<svg class="ed-icon" aria-hidden="true" focusable="false" ', 1))
        return cache[name]
    return icon


def _evidence_split(item: model.Item) -> tuple[list, list]:
    """(shown, earlier) lists of (number, evidence), in number order: the earlier ones (a leading run, so
    the list reads in one direction) go behind "Earlier evidence"; the latest three, every deciding item
    and every item the note quotes stay shown. Fewer than two earlier items are shown too."""
    numbered = list(enumerate(item.evidence, 1))
    phrases = [piece for quotation in model.quotations(item.note) for piece in model.pieces(quotation)]
    kept = [n for n, ev in numbered if ev.deciding or any(piece in model.normalise(ev.text) for piece in phrases)]
    start = min([len(numbered) - SHOWN_EVIDENCE + 1, *kept])  # the first number shown
    if start <= 2:
        return numbered, []
    return numbered[start - 1:], numbered[:start - 1]


SOURCE_GROUPS = {"arms-control": "Arms control", "eastern-europe": "Eastern Europe and NATO",
                 "cyber": "Cybersecurity and elections", "energy": "Energy", "sanctions": "Sanctions and trade",
                 "overall": "Home page: overall predictions and the op-ed's date", "shared": "Cited on more than one page",
                 "method": "Method"}  # titles of the files in source/sources/, in page order


@dataclass
class SourceGroup:
    """The sources of one file in source/sources/ (or the retired ones), with a record page of their own."""

    id: str
    title: str
    sources: list

    @property
    def url(self) -> str:
        return f"sources/{self.id}/"

    @property
    def doc(self) -> str:
        return f"sources/{self.id}.md"

    @property
    def description(self) -> str:
        if self.id == "retired":
            return f"{len(self.sources)} pages this site cited before and no longer cites, with their addresses and the day each was retired."
        return (f"{self.title}: {len(self.sources)} sources, each with its headline, publisher, date, the day we read it, "
                "the items citing it and the words located on it.")


def _source_groups(data: model.Edition) -> list[SourceGroup]:
    """Sources by file, in page order (an unlisted file last, titled by its name), then the retired ones."""
    files = sorted({source.file for source in data.sources.values()},
                   key=lambda name: (list(SOURCE_GROUPS).index(name) if name in SOURCE_GROUPS else len(SOURCE_GROUPS), name))
    groups = [SourceGroup(name, SOURCE_GROUPS.get(name, name.replace("-", " ").capitalize()),
                          sorted((s for s in data.sources.values() if s.file == name), key=lambda s: s.sort_key))
              for name in files]
    if data.retired_sources:
        groups.append(SourceGroup("retired", "No longer cited", list(data.retired_sources)))
    return groups


def _source_record(source: model.Source | model.RetiredSource) -> str:
    """Where a source's full record is; /sources/#ID forwards there, so only links built each time use this."""
    return f"sources/{source.file if isinstance(source, model.Source) else 'retired'}/#{source.id}"


def _located_words(data: model.Edition) -> dict[str, list[str]]:
    """Every locator of each source, by source id, in citation order, each once."""
    words: dict[str, list[str]] = {}
    for c in data.citations:
        known = words.setdefault(c.source.id, [])
        known += [loc for loc in c.locators if loc not in known]
    return words


def _citation_counts(data: model.Edition) -> dict:
    """For the method page: quotations tied to pages, citations with locators, described titles."""
    citations = [c for item in data.items for ev in item.evidence for c in ev.citations]
    quotations = [q for item in data.items for ev in item.evidence for q in model.quotations(ev.text)]
    return {"quotations": len(quotations), "citations": len(citations),
            "located": sum(1 for c in citations if c.locators),
            "headlines": sum(1 for s in data.sources.values() if s.headline), "sources": len(data.sources)}


def _byline(data: model.Edition) -> str:
    """Whose op-ed a shared page checks, for its description."""
    return f"From {data.author}'s op-ed “{data.title}”"


def _item_title(data: model.Edition, item: model.Item) -> str:
    """The item page's <title>: what a link preview needs, title and verdict with its date."""
    return f"{item.title}: {data.scale(item)[item.verdict].label} (reviewed {data.reviewed.short})"


def _item_description(data: model.Edition, item: model.Item) -> str:
    quote = item.quote if len(item.quote) <= 140 else item.quote[:140].rsplit(" ", 1)[0] + "…"
    kind = "Prediction" if item.kind == "prediction" else "Claim"
    label = data.scale(item)[item.verdict].label
    plain = model.plain(item.statement or item.history[-1].reason)
    return (f"{kind}: “{quote}” Verdict: {label}, evidence to {item.section.evidence_through.short}, reviewed "
            f"{data.reviewed.short}. {'Counts as true if: ' if item.statement else ''}{plain}")


def _cards(data: model.Edition, root: Path, site_name: str) -> dict[str, bytes]:
    """A preview card per item, per section page and for the home page, by file name."""
    cache = root / ".cache" / "cards"
    made = {}
    for item in data.items:
        level = data.scale(item)[item.verdict]
        made[f"{item.id}.png"] = cards.cached(cards.Card(
            kicker=f"{'Prediction' if item.kind == 'prediction' else 'Claim about the past'} in {data.author}'s op-ed",
            title=item.title, body=item.quote, hedge=item.hedge.words if item.hedge else "",
            badge_label=level.label, badge_icon=level.icon, site_name=site_name,
            footer=f"Reviewed {data.reviewed.short} · evidence to {item.section.evidence_through.short}"), cache)
    for section in data.sections.values():
        name = "home" if section.id == "overall" else section.id
        made[f"{name}.png"] = cards.cached(cards.Card(
            kicker="The op-ed's forecasts checked" if name == "home" else f"{data.author}'s op-ed, checked by section",
            title=data.title if name == "home" else section.title, quoted=False,
            body=_section_line(data, data) if name == "home" else _section_line(data, section),
            site_name=site_name, footer=f"Op-ed by {data.author} · reviewed {data.reviewed.short}" if name == "home"
            else f"Reviewed {data.reviewed.short} · evidence to {section.evidence_through.short}"), cache)
    return made


def _counts_text(scale: dict[str, model.Level], items: list) -> str:
    """'6 came true, 8 partly, 2 open': each verdict that occurs, in scale order."""
    return ", ".join(f"{n} {level.label.lower()}" for level in scale.values()
                     if (n := sum(item.verdict == level.id for item in items)))


def _section_line(data: model.Edition, section: model.Section | model.Edition) -> str:
    """A section's (or the whole op-ed's) verdicts in words, for its card."""
    return " ".join(f"{len(items)} {noun}{'s' if len(items) != 1 else ''}: {_counts_text(scale, items)}."
                    for items, noun, scale in ((section.predictions, "prediction", data.prediction_scale),
                                               (section.claims, "claim", data.claim_scale)) if items)


def _citation_text(data: model.Edition, item: model.Item, site_url: str, site_name: str) -> str:
    """A ready citation of one item: title, verdict, evidence date, review date, site, URL."""
    label = data.scale(item)[item.verdict].label
    return (f"“{item.title}”. Verdict: {label} (evidence to {item.section.evidence_through}; reviewed "
            f"{data.reviewed}). {site_name}. {site_url}{item.url}")


def _marker_names(docs: Path) -> set[str]:
    """Every marker name used in docs/, so each fragment is rendered before the site is touched."""
    names = set()
    for path in docs.rglob("*.md"):
        names.update(MARKER.findall(path.read_text(encoding="utf-8")))
    return names


def _relative_url(from_url: str, to_url: str) -> str:
    """Link from one directory-style page URL ('a/' or '') to another, with any '#fragment'."""
    target, _, fragment = to_url.partition("#")
    if target == from_url:
        return f"#{fragment}" if fragment else "./"
    up = "../" * from_url.count("/")
    return f"{up}{target}" + (f"#{fragment}" if fragment else "") or "./"


def _doc_link(target, fragment: str = "") -> str:
    """A Markdown link target to a section or item, as 'page.md#fragment', which MkDocs validates."""
    section = getattr(target, "section", None) or target
    if fragment == "" and hasattr(target, "section"):
        fragment = target.id
    page = "index.md" if section.id == "overall" else f"{section.id}.md"
    return f"{page}#{fragment}" if fragment else page


def _segments(data: model.Edition, number: int) -> list[tuple[str, model.Item | None, str]]:
    """Paragraph `number` of the op-ed as (text, item or None, tail) runs: plain text, or an item's quote with the
    punctuation that follows it, which is set with the item's badge so a full stop never starts a line."""
    text = data.paragraphs[number - 1]
    offset = data.oped.index(text)
    spans = sorted((item.start - offset, item) for item in data.items if item.paragraph == number)
    parts, cursor = [], 0
    for start, item in spans:
        parts.append((text[cursor:start], None, ""))
        cursor = start + len(item.quote)
        tail = re.match(r"[.,;:!?)\]\u201d\u2019'\"]*", text[cursor:]).group()
        parts.append((item.quote, item, tail))
        cursor += len(tail)
    parts.append((text[cursor:], None, ""))
    return [part for part in parts if part[0]]


def _quote_parts(item: model.Item) -> list[tuple[str, bool]]:
    """The quote split around its hedge words, marked True, for highlighting."""
    if not item.hedge:
        return [(item.quote, False)]
    pieces = re.split(rf"\b({re.escape(item.hedge.words)})\b", item.quote, flags=re.IGNORECASE)
    return [(piece, i % 2 == 1) for i, piece in enumerate(pieces) if piece]


def _timeline(section: model.Section, written: tuple[model.Date, model.Date], width: float = 440) -> dict:
    """Evidence dates of a section as x positions (0..width), a row per item, with year ticks, the
    op-ed's writing window and the evidence horizon; dots closer than a dot's width are staggered."""
    written_from, written_to = written[0].start, written[1].start
    dates = [ev.date.start for item in section.items for ev in item.evidence] + [written_from]
    first = min(dates).replace(month=1, day=1)
    last = max(max(dates), section.evidence_through.start).replace(month=12, day=31)
    span = (last - first).days or 1

    def x(day) -> float:
        return round((day - first).days / span * width, 1)
    rows = []
    for item in section.items:
        points, previous = [], None
        for n, ev in enumerate(item.evidence, 1):
            here = x(ev.date.start)
            crowded = previous is not None and here - previous[0] < 10 and previous[1] == 0
            points.append((here, n, ev, -7 if crowded else 0))
            previous = (here, -7 if crowded else 0)
        rows.append({"item": item, "points": points, "label": textwrap.wrap(item.title, 30)})  # full title
    ticks = [(x(first.replace(year=year)), year) for year in range(first.year, last.year + 1)]
    dated = sorted(((ev.date.start, item, n, ev) for item in section.items for n, ev in enumerate(item.evidence, 1)),
                   key=lambda entry: (entry[0], entry[2]))
    return {"rows": rows, "ticks": ticks, "written": (x(written_from), x(written_to)), "through": x(section.evidence_through.start),
            "written_label": f"{written_from:%B %Y} to {written_to:%B %Y}", "dated": dated}


def _calibration_sentence(data: model.Edition, main) -> str:
    """One plain sentence on what the Brier figures mean for this op-ed, and the main reason."""
    if not main.n:
        return "No prediction is resolved yet, so the op-ed cannot be scored."
    compare = "worse than" if main.oped > main.always_half + 0.0005 else "better than" if main.oped < main.always_half - 0.0005 else "the same as"
    groups: dict[str, list] = {}
    for item in data.predictions:
        outcome = data.prediction_scale[item.verdict].outcome
        if outcome is not None:
            groups.setdefault(item.verdict, []).append((item, (item.probability - outcome) ** 2))
    verdict, members = max(groups.items(), key=lambda pair: sum(penalty for _, penalty in pair[1]))
    members = [item for item, penalty in members if penalty > 0.05]
    words = sorted({item.hedge.words for item in members})
    points = sorted({round(item.probability * 100) for item in members})
    outcome = {"came-true": "came true", "partly": "only partly came true", "not-borne-out": "were not borne out"}[verdict]
    reason = (f"the main reason is that {len(members)} predictions worded with "
              f"{' or '.join('“' + w + '”' for w in words)} (read as {' or '.join(f'{p}%' for p in points)} likely) {outcome}")
    return (f"Read as probabilities, the op-ed's hedge words score {main.oped:.3f} on the Brier scale (0 is perfect, "
            f"lower is better), {compare} the {main.always_half:.3f} of a forecaster who says 50% every time; {reason}.")


def _scores(data: model.Edition) -> dict:
    """Brier scores: partly counted as 0.5 (main) and partly left out (strict)."""
    main, strict = [], []
    for item in data.predictions:
        outcome = data.prediction_scale[item.verdict].outcome
        if outcome is None:
            continue
        main.append((item.probability, outcome))
        if outcome in (0, 1):
            strict.append((item.probability, outcome))
    result = {"main": scoring.score(main), "strict": scoring.score(strict)}
    result["sentence"] = _calibration_sentence(data, result["main"])
    return result
