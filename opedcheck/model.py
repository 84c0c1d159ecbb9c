"""The editorial model: plain dataclasses for the op-ed, its items, evidence and sources.

Stage 1 of the build (load) fills these from source/; every later stage reads them. No YAML,
Jinja or MkDocs here. Also the rules that turn a citation's locators into a text-fragment link.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

SECTION_ORDER = ["overall", "arms-control", "eastern-europe", "cyber", "energy", "sanctions"]
PAGE_SECTIONS = SECTION_ORDER[1:]  # the five section pages; "overall" lives on the home page
QUOTATION = re.compile(r"“([^”]*)”|\"([^\"]*)\"")  # double quotation marks, curly or straight
GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")  # an ellipsis stands for omitted words
FRAGMENT_WORDS = 10  # a longer passage is linked as textStart,textEnd


# ---- Quotations and text fragments -----------------------------------------


def normalise(text: str) -> str:
    """Text as compared for quotations: one space for any whitespace, straight quote marks."""
    text = re.sub(r"[‘’‚‛′]", "'", re.sub(r"[“”„‟″]", '"', text))
    return re.sub(r"\s+", " ", text).strip()


def pieces(text: str) -> list[str]:
    """A quotation or locator split at its ellipses, normalised, empty pieces dropped."""
    return [piece for piece in (normalise(p) for p in GAP.split(text)) if piece]


def plain(markdown: str) -> str:
    """One line of Markdown as plain text, for meta descriptions and feed summaries: links and emphasis dropped."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("*", "")


def quotations(text: str) -> list[str]:
    """Every phrase between double quotation marks in a text."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in QUOTATION.finditer(text)]


def text_fragment(locators: list[str]) -> str:
    """A Text Fragment (#:~:text=...) that highlights each locator; a long passage as start,end."""
    from urllib.parse import quote

    def enc(words: list[str]) -> str:
        return quote(" ".join(words), safe="").replace("-", "%2D")  # '-' marks prefix/suffix in the syntax

    directives = []
    for locator in locators:
        parts = [p.split() for p in GAP.split(locator.strip()) if p.strip()]
        if len(parts) == 1 and len(parts[0]) <= FRAGMENT_WORDS:
            directives.append("text=" + enc(parts[0]))
        else:
            start, end = parts[0], parts[-1]
            if len(parts) == 1:
                start, end = start[:5], start[-5:]
            directives.append(f"text={enc(start)},{enc(end)}")
    return "#:~:" + "&".join(directives)



# ---- Data ------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Date:
    """A date at day, month or year precision, as written in the data."""

    text: str
    year: int
    month: int | None
    day: int | None

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def short(self) -> str:
        """'12 Feb 2026', 'Feb 2026' or '2026'."""
        if self.day:
            return f"{self.day} {self.start:%b %Y}"
        return self.start.strftime("%b %Y") if self.month else str(self.year)

    def __str__(self) -> str:
        if self.day:
            return f"{self.day} {self.start:%B %Y}"
        if self.month:
            return self.start.strftime("%B %Y")
        return str(self.year)


@dataclass
class Source:
    id: str
    publisher: str
    title: str
    date: Date | None
    url: str
    kind: str
    via: str | None = None
    accessed: Date | None = None
    file: str = ""  # the file under source/sources/ that defines it
    cited_by: list[str] = field(default_factory=list)
    archived: str | None = None  # a snapshot in a public web archive

    @property
    def archive_lookup(self) -> str:
        """The Wayback Machine's lookup for this URL at the day it was read (it opens the nearest snapshot, if any)."""
        return f"https://web.archive.org/web/{self.accessed.start:%Y%m%d}/{self.url}" if self.accessed else \
            f"https://web.archive.org/web/*/{self.url}"

    @property
    def sort_key(self) -> str:
        """Publication order, undated pages last."""
        return self.date.text if self.date else f"9999 {self.publisher}"

    @property
    def headline(self) -> bool:
        """True when the title is the page's own headline, not our bracketed description."""
        return not self.title.startswith("[")


@dataclass
class RetiredSource:
    """A source no longer cited; its anchor on /sources/ stays for links already shared."""

    id: str
    publisher: str
    title: str
    url: str
    retired: Date
    reason: str


@dataclass
class Citation:
    """One source cited by an evidence item, with the words on its page that carry the fact."""

    source: Source
    locators: list[str] = field(default_factory=list)

    @property
    def href(self) -> str:
        return self.source.url + text_fragment(self.locators) if self.locators else self.source.url


@dataclass
class Evidence:
    date: Date
    text: str
    citations: list[Citation]
    deciding: bool = False  # shown first, before "Show more"

    @property
    def sources(self) -> list[Source]:
        return [citation.source for citation in self.citations]


@dataclass
class OtherReading:
    """The strongest case for a different verdict, and why the item's verdict stands."""

    date: Date  # when it was written or last changed (the feed lists it then)
    points_to: list[str]  # verdicts of the item's scale, never its own
    text: str
    citations: list[Citation]
    searched: str = ""  # what a search for such evidence looked for, where it found nothing reliable


@dataclass
class Change:
    date: Date
    verdict: str
    reason: str


@dataclass
class Hedge:
    id: str
    words: str
    low: float
    high: float
    point: float
    basis: str
    sources: list[Source]


@dataclass
class Item:
    """A prediction or a checked claim; both carry a quote, a verdict and evidence."""

    kind: str  # "prediction" or "claim"
    id: str
    title: str
    quote: str
    verdict: str
    note: str
    evidence: list[Evidence]
    history: list[Change]
    section: "Section" = None
    start: int = 0  # character offset of the quote in the op-ed
    paragraph: int = 0
    hedge: Hedge | None = None
    statement: str = ""
    criteria: dict = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    other_reading: OtherReading = None

    @property
    def url(self) -> str:
        """The item's own page, relative to the site root: /p/ID/."""
        return f"p/{self.id}/"

    @property
    def window_end(self) -> str:
        """The closing date of a prediction's window ('20 January 2029'), read from its criteria."""
        match = re.search(r"\bto (\d{1,2} [A-Z][a-z]+ \d{4})", self.criteria.get("window", ""))
        return match.group(1) if match else ""

    @property
    def probability(self) -> float | None:
        return self.hedge.point if self.hedge else None


@dataclass
class Section:
    id: str
    title: str
    summary: str
    paragraphs: list[int]
    evidence_through: Date
    coverage: str
    predictions: list[Item]
    claims: list[Item]

    @property
    def url(self) -> str:
        return "" if self.id == "overall" else f"{self.id}/"

    @property
    def items(self) -> list[Item]:
        return self.predictions + self.claims


@dataclass
class Level:
    id: str
    label: str
    symbol: str
    definition: str
    outcome: float | None = None  # for scoring: 1, 0.5, 0, or None (not scored)
    rating: int | None = None  # ClaimReview ratingValue, 1 (worst) to 5 (best), or None
    icon: str = ""  # a name from ICONS


@dataclass
class Correction:
    date: Date
    where: str  # the id of an item, a section or a source, or "edition"
    was: str
    now: str
    target: object = None  # the Item, Section or Source it names, or None for "edition"


@dataclass
class Edition:
    title: str
    author: str
    reviewed: Date
    written: str
    written_between: tuple[Date, Date]  # the estimated writing window, as dates (timelines draw it)
    written_sources: list[Citation]  # what dates the writing, each with the words its link highlights
    appearances: list[dict]
    oped: str
    paragraphs: list[str]
    sections: dict[str, Section]
    sources: dict[str, Source]
    hedges: dict[str, Hedge]
    prediction_scale: dict[str, Level]
    claim_scale: dict[str, Level]
    corrections: list[Correction]
    retired_sources: list[RetiredSource] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections.values() for item in section.items]

    @property
    def predictions(self) -> list[Item]:
        return [item for section in self.sections.values() for item in section.predictions]

    @property
    def claims(self) -> list[Item]:
        return [item for section in self.sections.values() for item in section.claims]

    @property
    def citations(self) -> list[Citation]:
        """Every citation on the site: the evidence, the other readings and the sources that date the writing."""
        return [*(c for item in self.items for ev in item.evidence for c in ev.citations),
                *(c for item in self.items for c in item.other_reading.citations), *self.written_sources]

    @property
    def evidence_through(self) -> Date:
        return max(section.evidence_through for section in self.sections.values())

    def scale(self, item: Item) -> dict[str, Level]:
        return self.prediction_scale if item.kind == "prediction" else self.claim_scale
