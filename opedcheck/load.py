"""Stage 1, load: read and validate source/ into the model (opedcheck.model).

Every problem raises EditionError with a compiler-style location, file:line:col, and stops at the first.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml

from .model import (SECTION_ORDER, Change, Citation, Correction, Date, Edition, Evidence, Hedge,
                    Item, Level, OtherReading, RetiredSource, Section, Source, normalise, pieces, quotations)

# Verdict marks that read without a legend; each is drawn in templates/icons/NAME.svg and on the cards.
ICONS = ["check-bold", "fraction-one-half", "close-thick", "clock-outline", "cancel", "approximately-equal", "alert-outline"]
SOURCE_KINDS = ["primary", "wire", "reputable", "weak", "state-media"]
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML was built with it
HTML_PATTERN = re.compile(r"<\s*[A-Za-z!/?]")
LOCATOR_WORDS = 10  # most words in a locator that is not itself a quotation
REQUIRE_ACCESSED = True  # every source records the day its page was read
# Public web archives whose snapshot addresses `archived:` may hold: host -> the path a snapshot has.
ARCHIVES = {"web.archive.org": r"/web/\d{14}(?:[a-z]{2}_)?/\S+",  # the Wayback Machine: /web/YYYYMMDDhhmmss/URL
            **{host: r"/\S+" for host in ("archive.today", "archive.ph", "archive.is", "archive.li", "archive.md",
                                          "archive.vn")},  # archive.today and its mirrors: /ID or /TIMESTAMP/URL
            "perma.cc": r"/[0-9A-Z]{4}-[0-9A-Z]{4}"}  # Perma.cc (Harvard Law School Library), cited by courts
DEFERRED: list | None = None  # a list here collects quotation problems instead of raising (editors' check script)
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


def _quotation_problem(error: "EditionError") -> None:
    if DEFERRED is None:
        raise error
    DEFERRED.append(str(error))


class EditionError(Exception):
    """A located problem in the editorial data: 'path:line:col: message'."""


def _unmatchable(text: str) -> str | None:
    """A character a text fragment cannot match on the page: controls, invisible format marks, markup."""
    import unicodedata
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf") or char in "<>[]*`|":
            return char
    return None


# ---- Locations -------------------------------------------------------------


class _Where:
    """Turns a YAML node (or a mark) into 'path:line:col' for messages."""

    def __init__(self, path: Path, root: Path):
        self.path = path
        try:
            self.name = path.relative_to(root).as_posix()
        except ValueError:
            self.name = path.as_posix()

    def error(self, at, message: str) -> EditionError:
        mark = getattr(at, "start_mark", at)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return EditionError(f"{self.name}:{line}:{col}: {message}")


def _describe(node) -> str:
    """What a node holds, for 'found ...' in messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    names = {"str": "text", "int": "a number", "float": "a number", "bool": "true/false",
             "null": "nothing", "timestamp": "a date"}
    value = node.value if len(node.value) <= 60 else node.value[:57] + "..."
    return f"{names.get(tag, tag)} {value!r}" if value else "nothing"


# ---- Reading YAML ----------------------------------------------------------


def _compose(path: Path, where: _Where):
    """Parse one YAML file into a node tree, rejecting BOM, CRLF and tabs with locations."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise EditionError(f"{where.name}:1:1: expected UTF-8 text without a byte-order mark, found a BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise EditionError(f"{where.name}:{line}:{col}: expected UTF-8 text, found byte 0x{raw[err.start]:02x}") from None
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            raise EditionError(f"{where.name}:{number}:{len(line)}: expected LF line endings, found CRLF")
        if "\t" in line:
            raise EditionError(f"{where.name}:{number}:{line.index(chr(9)) + 1}: expected spaces, found a tab")
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "invalid YAML").strip()
        raise where.error(mark, f"expected valid YAML, found a syntax error: {problem}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise EditionError(f"{where.name}:{line}:{col}: expected printable text, found control character U+{err.character:04X}") from None
    if node is None:
        raise EditionError(f"{where.name}:1:1: expected YAML content, found an empty file")
    return node


class _Reader:
    """Typed access to one file's nodes; every failure names the node's position."""

    def __init__(self, where: _Where):
        self.where = where

    def fields(self, node, context: str, required: list[str], optional: list[str] = ()):
        """Return {key: value_node}, rejecting missing, unknown and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            raise self.where.error(node, f"{context}: expected a mapping, found {_describe(node)}")
        found: dict[str, yaml.Node] = {}
        allowed = list(required) + list(optional)
        for key_node, value_node in node.value:
            key = key_node.value
            if key == "<<":
                raise self.where.error(key_node, f"{context}: expected plain keys, found a merge key '<<'")
            if key in found:
                raise self.where.error(key_node, f"{context}: expected each key once, found '{key}' twice")
            if key not in allowed:
                raise self.where.error(key_node, f"{context}: expected one of {', '.join(allowed)}, found unknown key '{key}'")
            found[key] = value_node
        for key in required:
            if key not in found:
                raise self.where.error(node, f"{context}: expected key '{key}', found it missing")
        return found

    def text(self, node, context: str, *, markdown: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.where.error(node, f"{context}: expected text, found {_describe(node)}")
        value = node.value.strip()
        if not value:
            raise self.where.error(node, f"{context}: expected text, found an empty string")
        match = HTML_PATTERN.search(value)
        if match:
            raise self.where.error(node, f"{context}: expected Markdown without raw HTML, found {value[match.start():match.start() + 12]!r}")
        if markdown:
            for target in LINK_TARGET.findall(value):
                if not target.startswith(("https://", "http://")):
                    raise self.where.error(node, f"{context}: expected links to http(s) URLs, found {target!r}")
        return value

    def ident(self, node, context: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not ID_PATTERN.fullmatch(node.value):
            raise self.where.error(node, f"{context}: expected a lowercase kebab-case id like 'ac-new-talks', found {_describe(node)}")
        return node.value

    def choice(self, node, context: str, choices: list[str]) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.value not in choices:
            raise self.where.error(node, f"{context}: expected one of {', '.join(choices)}, found {_describe(node)}")
        return node.value

    def date(self, node, context: str) -> "Date":
        expected = f"{context}: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)"
        match = DATE_PATTERN.fullmatch(node.value) if isinstance(node, yaml.ScalarNode) else None
        if not match:
            raise self.where.error(node, f"{expected}, found {_describe(node)}")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError:
            raise self.where.error(node, f"{expected}, found {node.value!r}, not a calendar date") from None
        return Date(node.value, year, month, day)

    def url(self, node, context: str) -> str:
        value = self.text(node, context)
        if not re.fullmatch(r"https://[^\s<>\"]+", value):
            raise self.where.error(node, f"{context}: expected an https:// URL, found {value!r}")
        return value

    def seq(self, node, context: str, *, allow_empty: bool = False) -> list:
        if not isinstance(node, yaml.SequenceNode):
            raise self.where.error(node, f"{context}: expected a list, found {_describe(node)}")
        if not node.value and not allow_empty:
            raise self.where.error(node, f"{context}: expected a non-empty list, found an empty list")
        return node.value

    def number(self, node, context: str, low: float, high: float) -> float:
        try:
            if not isinstance(node, yaml.ScalarNode) or node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
                raise ValueError
            value = float(node.value)
        except ValueError:
            raise self.where.error(node, f"{context}: expected a number, found {_describe(node)}") from None
        if not low <= value <= high:
            raise self.where.error(node, f"{context}: expected a number from {low:g} to {high:g}, found {value:g}")
        return value


# ---- Loading ---------------------------------------------------------------


def split_paragraphs(text: str) -> list[str]:
    """The op-ed's blocks separated by blank lines, numbered from 1 on the full-text page."""
    return [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def load(source_dir: Path) -> Edition:
    """Read every file in source/ and return a validated Edition, or raise EditionError."""
    source_dir = Path(source_dir)
    root = source_dir.parent
    oped_path = source_dir / "op-ed.txt"
    if not oped_path.is_file():
        raise EditionError(f"{_Where(oped_path, root).name}:1:1: expected the op-ed text, found no file")
    oped = oped_path.read_text(encoding="utf-8")
    paragraphs = split_paragraphs(oped)

    files = _Files(source_dir, root)
    sources = _load_sources(files)
    hedges = _load_hedges(files, sources)
    prediction_scale, claim_scale = _load_scales(files)
    reader, node = files.read("edition.yml")
    top = reader.fields(node, "edition", ["title", "author", "reviewed", "written", "written_between",
                                                   "written_sources", "appearances"])
    reviewed = reader.date(top["reviewed"], "reviewed")
    window = reader.seq(top["written_between"], "written_between")
    if len(window) != 2:
        raise reader.where.error(top["written_between"], f"written_between: expected two dates [first, last], found {len(window)}")
    written_between = (reader.date(window[0], "written_between[0]"), reader.date(window[1], "written_between[1]"))
    if written_between[1].start < written_between[0].start:
        raise reader.where.error(window[1], f"written_between[1]: expected a date on or after {written_between[0].text}, "
                                            f"found {written_between[1].text}")
    appearances = []
    for i, entry in enumerate(reader.seq(top["appearances"], "appearances")):
        f = reader.fields(entry, f"appearances[{i}]", ["publisher", "url", "source"])
        appearances.append({
            "publisher": reader.text(f["publisher"], f"appearances[{i}].publisher"),
            "url": reader.url(f["url"], f"appearances[{i}].url"),
            "source": _source_ref(reader, f["source"], f"appearances[{i}].source", sources, "edition"),
        })
    written = reader.text(top["written"], "written", markdown=True)
    written_sources = [_citation(reader, s, f"written_sources[{i}]", sources, "edition", written)
                       for i, s in enumerate(reader.seq(top["written_sources"], "written_sources"))]
    title = reader.text(top["title"], "title")
    if title not in oped:
        raise reader.where.error(top["title"], f"title: expected the op-ed's title verbatim, found {title!r}")

    sections: dict[str, Section] = {}
    seen_ids: dict[str, tuple[_Where, yaml.Node]] = {}
    for section_id in SECTION_ORDER:
        path = source_dir / "sections" / f"{section_id}.yml"
        if not path.is_file():
            raise EditionError(f"{_Where(path, root).name}:1:1: expected the section file for '{section_id}', found no file")
        sections[section_id] = _load_section(files, section_id, oped, paragraphs, sources, hedges,
                                             prediction_scale, claim_scale, reviewed, seen_ids)
    extra = sorted(p.name for p in (source_dir / "sections").glob("*.yml") if p.stem not in SECTION_ORDER)
    if extra:
        where = _Where(source_dir / "sections" / extra[0], root)
        raise EditionError(f"{where.name}:1:1: expected one of the sections {', '.join(SECTION_ORDER)}, found unknown section file")

    _check_overlaps(sections, seen_ids)
    targets = {"edition": None, **sources, **sections, **{item.id: item for s in sections.values() for item in s.items},
               **{alias: item for s in sections.values() for item in s.items for alias in item.aliases}}
    corrections = _load_corrections(files, reviewed, targets)
    for sid, (where, node) in files.accessed.items():
        if node is not None and sources[sid].accessed.start > reviewed.start:
            raise where.error(node, f"sources: expected '{sid}' accessed on or before the review date {reviewed.text}, found {sources[sid].accessed.text}")
    retired = _load_retired_sources(files, sources, reviewed)
    for source in sources.values():
        if not source.cited_by:
            where, node = files.locations[source.id]
            raise where.error(node, f"sources: expected every source to be cited, found '{source.id}' cited nowhere")

    return Edition(title=title, author=reader.text(top["author"], "author"), reviewed=reviewed,
                   written=written, written_between=written_between,
                   written_sources=written_sources,
                   appearances=appearances,
                   oped=oped, paragraphs=paragraphs, sections=sections, sources=sources, hedges=hedges,
                   prediction_scale=prediction_scale, claim_scale=claim_scale, corrections=corrections,
                   retired_sources=retired)


class _Files:
    """Opens files under source/ and remembers where each source id was defined."""

    def __init__(self, source_dir: Path, root: Path):
        self.source_dir, self.root = source_dir, root
        self.locations: dict[str, tuple[_Where, yaml.Node]] = {}
        self.accessed: dict[str, tuple[_Where, yaml.Node | None]] = {}

    def read(self, relative: str):
        path = self.source_dir / relative
        where = _Where(path, self.root)
        if not path.is_file():
            raise EditionError(f"{where.name}:1:1: expected this file, found no file")
        return _Reader(where), _compose(path, where)


def _source_ref(reader: _Reader, node, context: str, sources: dict[str, Source], cited_by: str) -> Source:
    sid = reader.ident(node, context)
    if sid not in sources:
        raise reader.where.error(node, f"{context}: expected a source id from source/sources/, found unknown source '{sid}'")
    if cited_by not in sources[sid].cited_by:
        sources[sid].cited_by.append(cited_by)
    return sources[sid]


def _citation(reader: _Reader, node, context: str, sources: dict[str, Source], cited_by: str, text: str) -> Citation:
    """A citation: 'source-id', or 'source-id: locator', or 'source-id: [locator, ...]'."""
    if not isinstance(node, yaml.MappingNode):
        return Citation(_source_ref(reader, node, context, sources, cited_by))
    if len(node.value) != 1:
        raise reader.where.error(node, f"{context}: expected one source id with its locator, found {len(node.value)} keys")
    key, value = node.value[0]
    citation = Citation(_source_ref(reader, key, context, sources, cited_by))
    quoted = [piece for phrase in quotations(text) for piece in pieces(phrase)]
    for j, loc in enumerate(value.value if isinstance(value, yaml.SequenceNode) else [value]):
        lctx = f"{context} locator" + (f"[{j}]" if isinstance(value, yaml.SequenceNode) else "")
        if isinstance(loc, yaml.ScalarNode) and loc.tag == "tag:yaml.org,2002:str" and not loc.value.strip():
            raise reader.where.error(loc, f"{lctx}: expected the words on the page that carry the fact, found an empty locator")
        locator = reader.text(loc, lctx)
        bad = _unmatchable(locator)
        if bad:
            raise reader.where.error(loc, f"{lctx}: expected plain words a text fragment can match, found U+{ord(bad):04X} {bad!r}")
        if not pieces(locator):
            raise reader.where.error(loc, f"{lctx}: expected words, found only an ellipsis")
        words = len(locator.replace("…", " ").split())
        is_quotation = all(any(piece in q for q in quoted) for piece in pieces(locator))
        if words > LOCATOR_WORDS and not is_quotation:
            raise reader.where.error(loc, f"{lctx}: expected at most {LOCATOR_WORDS} words for a locator that is not a quotation in the text, found {words} words")
        citation.locators.append(locator)
    return citation


def _load_sources(files: _Files) -> dict[str, Source]:
    """Every file in source/sources/, in name order; ids are unique across all of them."""
    folder = files.source_dir / "sources"
    paths = sorted(folder.glob("*.yml"))
    if not paths:
        raise EditionError(f"{_Where(folder, files.root).name}/:1:1: expected source files (*.yml), found none")
    sources: dict[str, Source] = {}
    for path in paths:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem) or path.stem == "retired":  # it names /sources/FILE/
            raise EditionError(f"{_Where(path, files.root).name}:1:1: expected a lower-case file name with hyphens, "
                               f"not 'retired' (it names the page /sources/FILE/), found '{path.name}'")
        reader, node = files.read(f"sources/{path.name}")
        for i, entry in enumerate(reader.seq(node, "sources")):
            ctx = f"sources[{i}]"
            f = reader.fields(entry, ctx, ["id", "publisher", "title", "url", "kind"] + (["accessed"] if REQUIRE_ACCESSED else []),
                              ["date", "via", "archived"] + ([] if REQUIRE_ACCESSED else ["accessed"]))
            sid = reader.ident(f["id"], f"{ctx}.id")
            if sid in sources:
                first = files.locations[sid]
                raise reader.where.error(f["id"], f"{ctx}.id: expected a unique source id, found '{sid}' defined twice (first at {first[0].name}:{first[1].start_mark.line + 1})")
            url = reader.url(f["url"], f"{ctx}.url")
            tracking = re.search(r"[?&](utm_[a-z]+|fbclid|gclid|itid|cid|ocid)=", url)
            if tracking:
                raise reader.where.error(f["url"], f"{ctx}.url: expected a URL without tracking parameters, found '{tracking.group(1)}'")
            sources[sid] = Source(
                id=sid, publisher=reader.text(f["publisher"], f"{ctx}.publisher"),
                title=reader.text(f["title"], f"{ctx}.title"),
                date=reader.date(f["date"], f"{ctx}.date") if "date" in f else None,
                url=url, kind=reader.choice(f["kind"], f"{ctx}.kind", SOURCE_KINDS),
                via=reader.text(f["via"], f"{ctx}.via") if "via" in f else None,
                accessed=reader.date(f["accessed"], f"{ctx}.accessed") if "accessed" in f else None,
                file=path.stem, archived=_archived(reader, f["archived"], f"{ctx}.archived") if "archived" in f else None)
            if sources[sid].accessed and not sources[sid].accessed.day:
                raise reader.where.error(f["accessed"], f"{ctx}.accessed: expected the full day the page was read, YYYY-MM-DD, found {sources[sid].accessed.text}")
            files.locations[sid] = (reader.where, f["id"])
            files.accessed[sid] = (reader.where, f.get("accessed"))
    return sources


def _archived(reader: _Reader, node, context: str) -> str:
    """An https address of a snapshot in one of the public web archives in ARCHIVES."""
    value = reader.url(node, context)
    match = re.fullmatch(r"https://([^/?#]+)(/[^?#]*.*)?", value)
    host, path = (match.group(1), match.group(2) or "") if match else ("", "")
    if host not in ARCHIVES or not re.match(ARCHIVES[host], path):
        raise reader.where.error(node, f"{context}: expected the address of a snapshot in a public web archive "
                                       f"(https://web.archive.org/web/YYYYMMDDhhmmss/URL, archive.today and its mirrors "
                                       f"archive.ph, .is, .li, .md, .vn, or perma.cc), found {value!r}")
    return value


def _load_hedges(files: _Files, sources: dict[str, Source]) -> dict[str, Hedge]:
    reader, node = files.read("hedges.yml")
    hedges: dict[str, Hedge] = {}
    for i, entry in enumerate(reader.seq(node, "hedges")):
        ctx = f"hedges[{i}]"
        f = reader.fields(entry, ctx, ["id", "words", "low", "high", "point", "basis", "sources"])
        hid = reader.ident(f["id"], f"{ctx}.id")
        if hid in hedges:
            raise reader.where.error(f["id"], f"{ctx}.id: expected a unique hedge id, found '{hid}' twice")
        low, high = reader.number(f["low"], f"{ctx}.low", 0, 1), reader.number(f["high"], f"{ctx}.high", 0, 1)
        point = reader.number(f["point"], f"{ctx}.point", low, high)
        hedges[hid] = Hedge(hid, reader.text(f["words"], f"{ctx}.words"), low, high, point,
                            reader.text(f["basis"], f"{ctx}.basis", markdown=True),
                            [_source_ref(reader, s, f"{ctx}.sources[{j}]", sources, "method")
                             for j, s in enumerate(reader.seq(f["sources"], f"{ctx}.sources"))])
    return hedges


def _load_scales(files: _Files) -> tuple[dict[str, Level], dict[str, Level]]:
    reader, node = files.read("scales.yml")
    top = reader.fields(node, "scales", ["predictions", "claims"])
    scales = []
    for name in ("predictions", "claims"):
        levels: dict[str, Level] = {}
        for i, entry in enumerate(reader.seq(top[name], name)):
            ctx = f"{name}[{i}]"
            f = reader.fields(entry, ctx, ["id", "label", "symbol", "icon", "definition", "rating"], ["outcome"])
            lid = reader.ident(f["id"], f"{ctx}.id")
            if lid in levels:
                raise reader.where.error(f["id"], f"{ctx}.id: expected a unique level id, found '{lid}' twice")
            outcome = reader.number(f["outcome"], f"{ctx}.outcome", 0, 1) if "outcome" in f else None
            rating = f["rating"]
            icon = reader.text(f["icon"], f"{ctx}.icon")
            if icon not in ICONS:
                raise reader.where.error(f["icon"], f"{ctx}.icon: expected one of the verdict icons {', '.join(sorted(ICONS))}, found {icon!r}")
            levels[lid] = Level(lid, reader.text(f["label"], f"{ctx}.label"), reader.text(f["symbol"], f"{ctx}.symbol"),
                                reader.text(f["definition"], f"{ctx}.definition", markdown=True), outcome,
                                None if rating.tag == "tag:yaml.org,2002:null" else int(reader.number(rating, f"{ctx}.rating", 1, 5)),
                                icon)
        scales.append(levels)
    return scales[0], scales[1]


def _sentence_around(oped: str, start: int, end: int) -> str:
    """The sentence (or line) that contains oped[start:end], for hedge checks."""
    left = max(oped.rfind(". ", 0, start) + 1, oped.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (oped.find(". ", end), oped.find("\n", end)) if i != -1]
    return oped[left:min(stops) if stops else len(oped)]


def _load_section(files, section_id, oped, paragraphs, sources, hedges, prediction_scale, claim_scale, reviewed, seen_ids) -> Section:
    reader, node = files.read(f"sections/{section_id}.yml")
    top = reader.fields(node, "section", ["id", "title", "summary", "paragraphs", "evidence_through", "coverage"],
                        ["predictions", "claims"])
    if reader.ident(top["id"], "id") != section_id:
        raise reader.where.error(top["id"], f"id: expected '{section_id}' (the file name), found {top['id'].value!r}")
    numbers = []
    for i, p in enumerate(reader.seq(top["paragraphs"], "paragraphs")):
        number = int(reader.number(p, f"paragraphs[{i}]", 1, len(paragraphs)))
        if p.value != str(number):
            raise reader.where.error(p, f"paragraphs[{i}]: expected a whole paragraph number, found {p.value!r}")
        numbers.append(number)
    section = Section(id=section_id, title=reader.text(top["title"], "title"),
                      summary=reader.text(top["summary"], "summary", markdown=True), paragraphs=numbers,
                      evidence_through=reader.date(top["evidence_through"], "evidence_through"),
                      coverage=reader.text(top["coverage"], "coverage", markdown=True), predictions=[], claims=[])
    if section.evidence_through.start > reviewed.start:
        raise reader.where.error(top["evidence_through"], f"evidence_through: expected a date on or before the review date {reviewed.text}, found {section.evidence_through.text}")
    for kind, scale in (("predictions", prediction_scale), ("claims", claim_scale)):
        if kind not in top:
            continue
        for i, entry in enumerate(reader.seq(top[kind], kind)):
            item = _load_item(reader, entry, f"{kind}[{i}]", kind[:-1] if kind == "claims" else "prediction",
                              scale, oped, paragraphs, sources, hedges, reviewed, seen_ids)
            item.section = section
            getattr(section, kind).append(item)
    if not section.items:
        raise reader.where.error(node, "section: expected at least one prediction or claim, found none")
    return section


def _load_item(reader, node, ctx, kind, scale, oped, paragraphs, sources, hedges, reviewed, seen_ids) -> Item:
    common = ["id", "title", "quote", "verdict", "other_reading", "note", "evidence", "history"]
    f = reader.fields(node, ctx, common + (["hedge", "statement", "criteria"] if kind == "prediction" else []), ["aliases"])
    item_id = reader.ident(f["id"], f"{ctx}.id")
    aliases = [reader.ident(a, f"{ctx}.aliases[{j}]") for j, a in enumerate(reader.seq(f["aliases"], f"{ctx}.aliases"))] if "aliases" in f else []
    for name, name_node in [(item_id, f["id"])] + list(zip(aliases, f["aliases"].value if aliases else [])):
        if name in seen_ids or name in SECTION_ORDER:
            first = seen_ids.get(name)
            where = f" (first used at {first[0].name}:{first[1].start_mark.line + 1})" if first else ""
            raise reader.where.error(name_node, f"{ctx}.id: expected an id unique across the site, found '{name}' again{where}")
        seen_ids[name] = (reader.where, name_node)

    quote = reader.text(f["quote"], f"{ctx}.quote")
    count = oped.count(quote)
    if count == 0:
        raise reader.where.error(f["quote"], f"{ctx}.quote: expected text found verbatim in source/op-ed.txt, found a quote that is not in the article")
    if count > 1:
        raise reader.where.error(f["quote"], f"{ctx}.quote: expected text found once in the article, found it {count} times; quote more words to make it unambiguous")
    start = oped.index(quote)
    paragraph = next(n for n, text in enumerate(paragraphs, 1) if quote in text)

    verdict = reader.choice(f["verdict"], f"{ctx}.verdict", list(scale))
    evidence = []
    for j, entry in enumerate(reader.seq(f["evidence"], f"{ctx}.evidence")):
        ectx = f"{ctx}.evidence[{j}]"
        ef = reader.fields(entry, ectx, ["date", "text", "sources"], ["deciding"])
        date = reader.date(ef["date"], f"{ectx}.date")
        if date.start > reviewed.start:
            raise reader.where.error(ef["date"], f"{ectx}.date: expected a date on or before the review date {reviewed.text}, found {date.text}")
        text = reader.text(ef["text"], f"{ectx}.text", markdown=True)
        cited = [_citation(reader, c, f"{ectx}.sources[{k}]", sources, item_id, text)
                 for k, c in enumerate(reader.seq(ef["sources"], f"{ectx}.sources"))]
        if all(c.source.kind == "weak" for c in cited):
            raise reader.where.error(ef["sources"], f"{ectx}.sources: expected at least one source that is not 'weak', found only weak sources")
        located = [piece for c in cited for locator in c.locators for piece in pieces(locator)]
        for phrase in quotations(text):
            if not all(any(piece in loc for loc in located) for piece in pieces(phrase)):
                names = ", ".join(c.source.id for c in cited)
                _quotation_problem(reader.where.error(ef["text"], f"{ectx}.text: expected every quotation to be covered by a locator of this evidence's citations, found “{phrase}” in none of: {names}"))
        deciding = "deciding" in ef and reader.choice(ef["deciding"], f"{ectx}.deciding", ["true", "false"]) == "true"
        evidence.append(Evidence(date, text, cited, deciding))

    history = []
    for j, entry in enumerate(reader.seq(f["history"], f"{ctx}.history")):
        hctx = f"{ctx}.history[{j}]"
        hf = reader.fields(entry, hctx, ["date", "verdict", "reason"])
        date = reader.date(hf["date"], f"{hctx}.date")
        if date.start > reviewed.start:
            raise reader.where.error(hf["date"], f"{hctx}.date: expected a date on or before the review date {reviewed.text}, found {date.text}")
        if history and date.start < history[-1].date.start:
            raise reader.where.error(hf["date"], f"{hctx}.date: expected history oldest first, found {date.text} after {history[-1].date.text}")
        history.append(Change(date, reader.choice(hf["verdict"], f"{hctx}.verdict", list(scale)),
                              reader.text(hf["reason"], f"{hctx}.reason", markdown=True)))
    if history[-1].verdict != verdict:
        raise reader.where.error(f["verdict"], f"{ctx}.verdict: expected the verdict of the last history entry, '{history[-1].verdict}', found '{verdict}'")

    note = reader.text(f["note"], f"{ctx}.note", markdown=True)
    said = [normalise(ev.text) for ev in evidence] + [normalise(oped)]
    for phrase in quotations(note):
        if not all(any(piece in text for text in said) for piece in pieces(phrase)):
            _quotation_problem(reader.where.error(f["note"], f"{ctx}.note: expected every quotation to occur in this item's evidence or in the op-ed, found “{phrase}” in neither"))
    item = Item(kind=kind, id=item_id, title=reader.text(f["title"], f"{ctx}.title"), quote=quote, verdict=verdict,
                note=note, evidence=evidence, history=history, start=start, paragraph=paragraph, aliases=aliases)
    item.other_reading = _other_reading(reader, f["other_reading"], f"{ctx}.other_reading", scale, verdict,
                                        sources, item_id, oped, reviewed)
    if kind == "prediction":
        hedge_id = reader.choice(f["hedge"], f"{ctx}.hedge", list(hedges))
        hedge = hedges[hedge_id]
        sentence = _sentence_around(oped, start, start + len(quote))
        if not re.search(rf"\b{re.escape(hedge.words)}\b", sentence, re.IGNORECASE):
            raise reader.where.error(f["hedge"], f"{ctx}.hedge: expected the words '{hedge.words}' in the quote's sentence, found them missing")
        cf = reader.fields(f["criteria"], f"{ctx}.criteria", ["window", "came_true", "partly", "not_borne_out", "evidence"], ["settle"])
        item.hedge = hedge
        item.statement = reader.text(f["statement"], f"{ctx}.statement", markdown=True)
        item.criteria = {key: reader.text(value, f"{ctx}.criteria.{key}", markdown=True) for key, value in cf.items()}
        if verdict == "open" and "settle" not in cf:
            raise reader.where.error(f["criteria"], f"{ctx}.criteria: expected key 'settle' for an open prediction, found it missing")
    return item


def _other_reading(reader, node, ctx, scale, verdict, sources, item_id, oped, reviewed) -> OtherReading:
    """date, points_to (a verdict or a list), text, and sources (citations as in evidence) or searched, or both."""
    f = reader.fields(node, ctx, ["date", "points_to", "text"], ["sources", "searched"])
    date = reader.date(f["date"], f"{ctx}.date")
    if not date.day or date.start > reviewed.start:
        raise reader.where.error(f["date"], f"{ctx}.date: expected the full day it was written, YYYY-MM-DD, on or before the review date {reviewed.text}, found {date.text}")
    targets = reader.seq(f["points_to"], f"{ctx}.points_to") if isinstance(f["points_to"], yaml.SequenceNode) else [f["points_to"]]
    points_to = []
    for j, target in enumerate(targets):
        tctx = f"{ctx}.points_to" + (f"[{j}]" if isinstance(f["points_to"], yaml.SequenceNode) else "")
        others = [level for level in scale if level != verdict]
        if isinstance(target, yaml.ScalarNode) and target.value == verdict:
            raise reader.where.error(target, f"{tctx}: expected a verdict other than the item's own, one of {', '.join(others)}, found its own verdict '{verdict}'")
        points_to.append(reader.choice(target, tctx, others))
    text = reader.text(f["text"], f"{ctx}.text", markdown=True)
    if "sources" not in f and "searched" not in f:
        raise reader.where.error(node, f"{ctx}: expected key 'sources' (the evidence) or 'searched' (what a search found nothing for), found neither")
    cited = [_citation(reader, c, f"{ctx}.sources[{k}]", sources, item_id, text)
             for k, c in enumerate(reader.seq(f["sources"], f"{ctx}.sources"))] if "sources" in f else []
    located = [piece for c in cited for locator in c.locators for piece in pieces(locator)]
    said = normalise(oped)
    for phrase in quotations(text):
        if not all(any(piece in loc for loc in located) or piece in said for piece in pieces(phrase)):
            _quotation_problem(reader.where.error(f["text"], f"{ctx}.text: expected every quotation to be covered by a locator of its sources (or to be the op-ed's words), found “{phrase}” in none"))
    searched = reader.text(f["searched"], f"{ctx}.searched", markdown=True) if "searched" in f else ""
    return OtherReading(date, points_to, text, cited, searched)


def _check_overlaps(sections: dict[str, Section], seen_ids) -> None:
    """Quotes may not overlap: each stretch of the article belongs to one analysis."""
    items = sorted((item for s in sections.values() for item in s.items), key=lambda item: item.start)
    for before, after in zip(items, items[1:]):
        if after.start < before.start + len(before.quote):
            where, node = seen_ids[after.id]
            raise where.error(node, f"quote of '{after.id}': expected quotes that do not overlap, found it overlapping '{before.id}'")


def _load_retired_sources(files: _Files, sources: dict[str, Source], reviewed: Date) -> list[RetiredSource]:
    reader, node = files.read("retired-sources.yml")
    retired: list[RetiredSource] = []
    for i, entry in enumerate(reader.seq(node, "retired sources", allow_empty=True)):
        ctx = f"retired[{i}]"
        f = reader.fields(entry, ctx, ["id", "publisher", "title", "url", "retired", "reason"])
        rid = reader.ident(f["id"], f"{ctx}.id")
        if rid in sources or any(r.id == rid for r in retired):
            raise reader.where.error(f["id"], f"{ctx}.id: expected an id not used by another source, found '{rid}' again")
        date = reader.date(f["retired"], f"{ctx}.retired")
        if date.start > reviewed.start:
            raise reader.where.error(f["retired"], f"{ctx}.retired: expected a date on or before the review date {reviewed.text}, found {date.text}")
        retired.append(RetiredSource(rid, reader.text(f["publisher"], f"{ctx}.publisher"), reader.text(f["title"], f"{ctx}.title"),
                                     reader.url(f["url"], f"{ctx}.url"), date, reader.text(f["reason"], f"{ctx}.reason")))
    return retired


def _load_corrections(files: _Files, reviewed: Date, targets: dict) -> list[Correction]:
    reader, node = files.read("corrections.yml")
    corrections = []
    for i, entry in enumerate(reader.seq(node, "corrections", allow_empty=True)):
        ctx = f"corrections[{i}]"
        f = reader.fields(entry, ctx, ["date", "where", "was", "now"])
        date = reader.date(f["date"], f"{ctx}.date")
        if date.start > reviewed.start:
            raise reader.where.error(f["date"], f"{ctx}.date: expected a date on or before the review date {reviewed.text}, found {date.text}")
        if corrections and date.start < corrections[-1].date.start:
            raise reader.where.error(f["date"], f"{ctx}.date: expected corrections oldest first, found {date.text} after {corrections[-1].date.text}")
        where = reader.ident(f["where"], f"{ctx}.where")
        if where not in targets:
            raise reader.where.error(f["where"], f"{ctx}.where: expected the id of an item, a section or a source, or 'edition', found unknown id '{where}'")
        corrections.append(Correction(date, where, reader.text(f["was"], f"{ctx}.was", markdown=True),
                                      reader.text(f["now"], f"{ctx}.now", markdown=True), targets[where]))
    return corrections
