"""Preview cards (1200×630 PNG) for link previews, drawn with Pillow from the data.

Fonts are bundled in hooks/fonts (Liberation, SIL OFL 1.1), so nothing is fetched. The same
inputs give the same bytes; cards are cached by a hash of their inputs under .cache/cards/.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
FONTS = Path(__file__).parent / "fonts"
CARD_VERSION = 1  # bump when the drawing changes, so cached cards are redrawn
INK, MUTED, PAPER, HEDGE = "#1a1a1a", "#4d4d4d", "#ffffff", "#e0b000"
# Badge colours, as in docs/stylesheets/extra.css (light scheme).
COLOURS = {"check-bold": "#1b6e3a", "approximately-equal": "#1b6e3a", "fraction-one-half": "#8a5a00",
           "alert-outline": "#8a5a00", "close-thick": "#a3262a", "clock-outline": "#245b9e", "cancel": "#4a5568"}


@dataclass(frozen=True)
class Card:
    kicker: str  # small line at the top: "Prediction · Arms control"
    title: str
    body: str  # the quote (or a summary when quoted is False)
    footer: str  # "Reviewed 1 Dec 2026 · evidence to 12 Feb 2026"
    site_name: str
    quoted: bool = True
    hedge: str = ""  # words of the body to underline
    badge_label: str = ""
    badge_icon: str = ""  # an icon name from edition.ICONS


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"Liberation{name}.ttf"), size)


def _wrap(draw: ImageDraw.ImageDraw, words: list[str], font, width: int, max_lines: int) -> list[list[str]]:
    """Greedy line breaking; the last line ends in an ellipsis when words remain."""
    lines: list[list[str]] = []
    line: list[str] = []
    for index, word in enumerate(words):
        if line and draw.textlength(" ".join(line + [word]), font=font) > width:
            lines.append(line)
            line = []
            if len(lines) == max_lines:
                last = lines[-1]
                while last and draw.textlength(" ".join(last) + " …", font=font) > width:
                    last.pop()
                last.append("…")
                return lines
        line.append(word)
    lines.append(line)
    return lines


def _icon(draw: ImageDraw.ImageDraw, name: str, box: tuple[int, int, int, int], colour: str) -> None:
    """The verdict mark as simple shapes, matching the site's icons."""
    x0, y0, x1, y1 = box
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
    width = max(4, int(r / 3))
    if name == "check-bold":
        draw.line([(x0 + r * 0.2, cy), (cx - r * 0.2, y1 - r * 0.3), (x1 - r * 0.1, y0 + r * 0.3)], fill=colour, width=width, joint="curve")
    elif name == "close-thick":
        draw.line([(x0 + r * 0.3, y0 + r * 0.3), (x1 - r * 0.3, y1 - r * 0.3)], fill=colour, width=width)
        draw.line([(x0 + r * 0.3, y1 - r * 0.3), (x1 - r * 0.3, y0 + r * 0.3)], fill=colour, width=width)
    elif name == "clock-outline":
        draw.ellipse(box, outline=colour, width=width - 1)
        draw.line([(cx, y0 + r * 0.45), (cx, cy), (cx + r * 0.45, cy + r * 0.3)], fill=colour, width=width - 1)
    elif name == "fraction-one-half":
        draw.ellipse(box, outline=colour, width=width - 1)
        draw.pieslice(box, 90, 270, fill=colour)
    elif name == "cancel":
        draw.ellipse(box, outline=colour, width=width - 1)
        draw.line([(cx - r * 0.7, cy + r * 0.7), (cx + r * 0.7, cy - r * 0.7)], fill=colour, width=width - 1)
    elif name == "alert-outline":
        draw.polygon([(cx, y0), (x1, y1), (x0, y1)], outline=colour, width=width - 1)
        draw.line([(cx, y0 + r * 0.7), (cx, y1 - r * 0.6)], fill=colour, width=width - 1)
    elif name == "approximately-equal":
        for dy in (-r * 0.3, r * 0.3):
            draw.arc((x0, cy + dy - r * 0.4, cx, cy + dy + r * 0.2), 200, 340, fill=colour, width=width - 1)
            draw.arc((cx, cy + dy - r * 0.2, x1, cy + dy + r * 0.4), 20, 160, fill=colour, width=width - 1)


def render(card: Card) -> bytes:
    """Draw one card and return PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    accent = COLOURS.get(card.badge_icon, "#3f51b5")
    draw.rectangle((0, 0, 16, HEIGHT), fill=accent)

    small, title_font = _font("Sans-Regular", 28), _font("Sans-Bold", 44)
    draw.text((MARGIN, 48), card.kicker.upper(), font=small, fill=MUTED)
    y = 96
    for line in _wrap(draw, card.title.split(), title_font, WIDTH - 2 * MARGIN, 2):
        draw.text((MARGIN, y), " ".join(line), font=title_font, fill=INK)
        y += 54
    y += 18

    body_font = _font("Serif-Regular", 38) if card.quoted else _font("Sans-Regular", 34)
    text = f"“{card.body}”" if card.quoted else card.body
    hedge = card.hedge.lower().split()
    lines = _wrap(draw, text.split(), body_font, WIDTH - 2 * MARGIN, 4 if card.badge_label else 5)
    for line in lines:
        x = MARGIN
        for index, word in enumerate(line):
            draw.text((x, y), word, font=body_font, fill=INK)
            advance = draw.textlength(word, font=body_font)
            if hedge and word.strip("“”,.;:").lower() in hedge:
                draw.rectangle((x, y + 44, x + advance, y + 50), fill=HEDGE)
            x += advance + draw.textlength(" ", font=body_font)
        y += 50

    base = HEIGHT - 56
    if card.badge_label:
        label_font = _font("Sans-Bold", 40)
        width = int(draw.textlength(card.badge_label, font=label_font)) + 120
        top = base - 64
        draw.rounded_rectangle((MARGIN, top, MARGIN + width, base), radius=32, fill=accent)
        _icon(draw, card.badge_icon, (MARGIN + 22, top + 14, MARGIN + 58, top + 50), PAPER)
        draw.text((MARGIN + 74, top + 10), card.badge_label, font=label_font, fill=PAPER)
        foot_x = MARGIN + width + 28
    else:
        foot_x = MARGIN
    foot_font = _font("Sans-Regular", 26)
    draw.text((foot_x, base - 62), card.footer, font=foot_font, fill=MUTED)
    draw.text((foot_x, base - 28), card.site_name, font=_font("Sans-Bold", 26), fill=INK)

    # A small palette keeps cards well under 60 KB; no dithering keeps the output deterministic.
    palette = image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cached(card: Card, cache_dir: Path) -> bytes:
    """The card's PNG, drawn once per distinct content and reused across builds."""
    key = hashlib.sha256(json.dumps([CARD_VERSION, PIL.__version__, asdict(card)], ensure_ascii=False).encode()).hexdigest()
    path = cache_dir / f"{key[:32]}.png"
    if path.is_file():
        return path.read_bytes()
    png = render(card)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # builds may run side by side: never a half-written card
    partial.write_bytes(png)
    os.replace(partial, path)
    return png
