"""The fonts shipped in resources/fonts, registered with reportlab once per process.

Each family covers some scripts; text is split into runs and each run printed in the first family
that has every character (see `app.report.text`). A character no family has is never dropped or
replaced: it is reported through `MissingGlyphs`.

Gurmukhi and Bengali need OpenType shaping (vowel signs that sit before the consonant, conjuncts).
reportlab shapes with uharfbuzz when it is installed; without it those families are left out, so
such text raises `MissingGlyphs` rather than printing in the wrong order.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

#: True when reportlab can shape text (uharfbuzz importable).
SHAPING_AVAILABLE = ttfonts.uharfbuzz is not None


@dataclass(frozen=True)
class Family:
    """A registered font family: `regular` and `bold` are reportlab font names."""

    name: str
    regular: str
    bold: str
    rtl: bool = False
    needs_shaping: bool = False


BASE = Family("NotoSans", "NotoSans-Regular", "NotoSans-Bold")
ARABIC = Family("NotoSansArabic", "NotoSansArabic-Regular", "NotoSansArabic-Bold", rtl=True)
BENGALI = Family("NotoSansBengali", "NotoSansBengali-Regular", "NotoSansBengali-Bold", needs_shaping=True)
GURMUKHI = Family("NotoSansGurmukhi", "NotoSansGurmukhi-Regular", "NotoSansGurmukhi-Bold", needs_shaping=True)

_ALL_FAMILIES = (BASE, ARABIC, BENGALI, GURMUKHI)


class MissingGlyphs(ValueError):
    """Some characters cannot be printed with any shipped font.

    `characters` lists each one once, in the order first met.
    """

    def __init__(self, characters: list[str]):
        self.characters = list(dict.fromkeys(characters))
        described = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')})"
                              for c in self.characters)
        super().__init__(
            "The PDF was not made because these characters cannot be printed with the fonts "
            f"shipped with the app: {described}. Nothing was left out or replaced."
        )


_lock = threading.Lock()
_families: tuple[Family, ...] | None = None
_coverage: dict[str, frozenset[int]] = {}


def families() -> tuple[Family, ...]:
    """Register the shipped fonts (first call only) and return the families in fallback order."""
    global _families
    if _families is not None:
        return _families
    with _lock:
        if _families is None:
            usable = tuple(f for f in _ALL_FAMILIES if SHAPING_AVAILABLE or not f.needs_shaping)
            for family in usable:
                for face in (family.regular, family.bold):
                    if face not in pdfmetrics.getRegisteredFontNames():
                        # Shaping happens only in paragraphs whose style asks for it (see text.py).
                        pdfmetrics.registerFont(TTFont(face, str(FONT_DIR / f"{face}.ttf")))
                    _coverage[face] = frozenset(pdfmetrics.getFont(face).face.charToGlyph)
                # Italic maps to upright (no italic faces shipped); added first so that the
                # upright mappings win when reportlab looks a face name back up (for <b>).
                addMapping(family.name, 0, 1, family.regular)
                addMapping(family.name, 1, 1, family.bold)
                addMapping(family.name, 0, 0, family.regular)
                addMapping(family.name, 1, 0, family.bold)
            _disable_discretionary_ligatures()
            _families = usable
    return _families


def covers(family: Family, codepoint: int) -> bool:
    """True when both faces of `family` have a glyph for `codepoint`."""
    return codepoint in _coverage[family.regular] and codepoint in _coverage[family.bold]


def _disable_discretionary_ligatures() -> None:
    """Turn off reportlab's default 'dlig' shaping feature.

    Discretionary ligatures are decorative (in Arabic they add vowel marks to some names); a
    record must show a name as it was typed, so only the standard features stay on.
    """
    shape = getattr(ttfonts, "shapeFragWord", None)
    defaults = getattr(shape, "__defaults__", None)
    if defaults and isinstance(defaults[0], dict) and "dlig" in defaults[0]:
        defaults[0]["dlig"] = False
