"""The fonts a PDF prints with: the ones shipped in resources/fonts, then the computer's own.

Each family covers some scripts; text is split into runs and each run printed in the first family
that has every character (see `app.report.text`). The shipped families come first, so a PDF looks the
same on every computer for the scripts the app promises (Latin, Cyrillic, Greek, Arabic, Urdu,
Gurmukhi, Bengali).

A character none of them has (a Chinese, Japanese, Korean or Thai name, say) is looked up among the
fonts installed on the computer through fontconfig (`fc-list`, on Linux and wherever fontconfig is
installed). Only TrueType-outline fonts that allow embedding are used (reportlab refuses CFF outlines
and fonts whose licence forbids embedding), and only the characters used are embedded, so the PDF
stays self-contained. What no font covers is never dropped or replaced by an empty box: the text
layer prints it as its code points and the PDF says so (see `text.unprintable_marker`).

Gurmukhi and Bengali need OpenType shaping (vowel signs that sit before the consonant, conjuncts).
reportlab shapes with uharfbuzz when it is installed; without it those families are left out, and
such text is then shown as code points rather than printed in the wrong order.
"""
from __future__ import annotations

import os
import shutil
import subprocess
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

#: Set to "0" to print only with the shipped fonts (no look-up of the computer's fonts).
SYSTEM_FONTS_ENV = "SPC_PDF_SYSTEM_FONTS"


@dataclass(frozen=True)
class Family:
    """A registered font family: `regular` and `bold` are reportlab font names.

    `rtl`: its script runs right to left. In a paragraph that is not shaped the text layer puts such
    runs in display order itself; in a shaped paragraph HarfBuzz reverses each word.
    `source`: the font file, for families found on the computer ("" for the shipped ones).
    """

    name: str
    regular: str
    bold: str
    rtl: bool = False
    needs_shaping: bool = False
    source: str = ""


BASE = Family("NotoSans", "NotoSans-Regular", "NotoSans-Bold")
ARABIC = Family("NotoSansArabic", "NotoSansArabic-Regular", "NotoSansArabic-Bold", rtl=True)
BENGALI = Family("NotoSansBengali", "NotoSansBengali-Regular", "NotoSansBengali-Bold", needs_shaping=True)
GURMUKHI = Family("NotoSansGurmukhi", "NotoSansGurmukhi-Regular", "NotoSansGurmukhi-Bold", needs_shaping=True)

_ALL_FAMILIES = (BASE, ARABIC, BENGALI, GURMUKHI)

# Scripts written left to right whose letters need OpenType shaping to print correctly (marks that
# move or reorder, conjuncts): Indic, Sinhala, Thai, Lao, Tibetan, Myanmar, Khmer, Balinese and the like.
_COMPLEX_LTR = ((0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
                (0x1900, 0x1AFF), (0x1B00, 0x1CFF), (0xA800, 0xABFF), (0x11000, 0x11FFF))


def describe(character: str) -> str:
    """'U+674E CJK UNIFIED IDEOGRAPH-674E': the code point and its Unicode name."""
    return f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')}"


_lock = threading.RLock()
_families: tuple[Family, ...] | None = None
_coverage: dict[str, frozenset[int]] = {}
_system: list[Family] = []  # families found on the computer, in the order found
_system_for: dict[int, Family | None] = {}  # code point -> the computer's family for it (None: none has it)
_tried_files: set[tuple[str, int]] = set()


def families() -> tuple[Family, ...]:
    """Register the shipped fonts (first call only) and return the families in fallback order."""
    global _families
    if _families is not None:
        return _families
    with _lock:
        if _families is None:
            usable = tuple(f for f in _ALL_FAMILIES if SHAPING_AVAILABLE or not f.needs_shaping)
            for family in usable:
                _register(family, FONT_DIR / f"{family.regular}.ttf", FONT_DIR / f"{family.bold}.ttf")
            _disable_discretionary_ligatures()
            _families = usable
    return _families


def _register(family: Family, regular: Path, bold: Path, index: tuple[int, int] = (0, 0)) -> None:
    for face, path, sub in ((family.regular, regular, index[0]), (family.bold, bold, index[1])):
        if face not in pdfmetrics.getRegisteredFontNames():
            # Shaping happens only in paragraphs whose style asks for it (see text.py).
            pdfmetrics.registerFont(TTFont(face, str(path), subfontIndex=sub))
        _coverage[face] = frozenset(pdfmetrics.getFont(face).face.charToGlyph)
    # Italic maps to upright (no italic faces used); added first so that the upright mappings win when
    # reportlab looks a face name back up (for <b>).
    addMapping(family.name, 0, 1, family.regular)
    addMapping(family.name, 1, 1, family.bold)
    addMapping(family.name, 0, 0, family.regular)
    addMapping(family.name, 1, 0, family.bold)


def covers(family: Family, codepoint: int) -> bool:
    """True when both faces of `family` have a glyph for `codepoint`."""
    return codepoint in _coverage[family.regular] and codepoint in _coverage[family.bold]


def family_for(codepoint: int) -> Family | None:
    """The first shipped family that has `codepoint`, else a font on this computer that has it, else None."""
    for family in families():
        if covers(family, codepoint):
            return family
    return system_family(codepoint)


def system_family(codepoint: int) -> Family | None:
    """A family from the fonts installed on this computer that covers `codepoint`, registered on first use.

    None when fontconfig is not installed, finds no usable font, or `SPC_PDF_SYSTEM_FONTS=0`.
    """
    try:
        return _system_for[codepoint]
    except KeyError:
        pass
    with _lock:
        if codepoint not in _system_for:
            found = next((f for f in _system if covers(f, codepoint)), None)
            if found is None and os.environ.get(SYSTEM_FONTS_ENV, "1") != "0":
                found = _load_system_family(codepoint)
            _system_for[codepoint] = found
        return _system_for[codepoint]


def system_families() -> tuple[Family, ...]:
    """The families found on this computer so far (for tests and diagnostics)."""
    return tuple(_system)


def forget_system_fonts() -> None:
    """Forget what was found on this computer, so the next look-up asks fontconfig again.

    Fonts already registered stay registered with reportlab (a PDF being made may be using them);
    they are simply not offered again until found again.
    """
    with _lock:
        _system.clear()
        _system_for.clear()
        _tried_files.clear()


@dataclass(frozen=True)
class _Candidate:
    path: str
    index: int
    family: str
    weight: int
    rank: tuple


def _fontconfig_candidates(codepoint: int) -> list[_Candidate]:
    """Installed TrueType fonts that have `codepoint`, best first (plain upright sans, Noto preferred)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\t%{fontformat}\t%{family[0]}\t%{weight}\t%{slant}\t%{width}\n",
             f":charset={codepoint:x}"],
            capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in listed.splitlines():
        parts = line.split("\t")
        if len(parts) != 7 or parts[2] != "TrueType":
            continue  # CFF outlines (most .otf) cannot be embedded by reportlab
        path, index, _, family, weight, slant, width = parts
        try:
            index_n = int(index)
            weight_n, slant_n, width_n = (int(_first_number(v)) for v in (weight, slant, width))
        except ValueError:
            continue
        lowered = family.lower()
        rank = (slant_n != 0, width_n != 100,
                any(word in lowered for word in ("serif", "mono", "looped", "rashi", "kufi", "nastaliq", "emoji")),
                "sans" not in lowered, "noto" not in lowered, family, path)
        found.append(_Candidate(path, index_n, family, weight_n, rank))
    return sorted(found, key=lambda c: c.rank)


def _first_number(value: str) -> float:
    """fontconfig's number, or the lower end of a variable font's range ("[0 210]")."""
    return float(value.strip("[]").split()[0])


def _load_system_family(codepoint: int) -> Family | None:
    """Register the best installed font that has `codepoint` (and its bold, if it has one)."""
    candidates = _fontconfig_candidates(codepoint)
    for regular in sorted(candidates, key=lambda c: (c.rank[:5], abs(c.weight - 80), c.rank[5:])):
        if (regular.path, regular.index) in _tried_files:
            continue
        _tried_files.add((regular.path, regular.index))
        bolds = [c for c in candidates if c.family == regular.family and c.rank[:2] == regular.rank[:2]
                 and c.weight >= 180]
        bold = min(bolds, key=lambda c: abs(c.weight - 200), default=regular)
        family = _system_family_from(regular, bold, codepoint)
        if family is not None:
            return family
    return None


def _system_family_from(regular: _Candidate, bold: _Candidate, codepoint: int) -> Family | None:
    stem = "".join(ch for ch in Path(regular.path).stem if ch.isalnum() or ch == "-")
    name = f"System-{stem}-{regular.index}"
    rtl = unicodedata.bidirectional(chr(codepoint)) in ("R", "AL")
    complex_script = any(lo <= codepoint <= hi for lo, hi in _COMPLEX_LTR)
    family = Family(name, f"{name}-Regular", f"{name}-Bold", rtl=rtl,
                    needs_shaping=complex_script and SHAPING_AVAILABLE and not rtl, source=regular.path)
    for attempt in ((regular, bold), (regular, regular)):
        try:
            _register(family, Path(attempt[0].path), Path(attempt[1].path), (attempt[0].index, attempt[1].index))
        except Exception:  # noqa: BLE001 - reportlab raises TTFError, struct.error, OSError... for unusable files
            for face in (family.regular, family.bold):
                _coverage.pop(face, None)
                _unregister(face)
            continue
        if covers(family, codepoint):
            _system.append(family)
            return family
    return None


def _unregister(face: str) -> None:
    if face in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(face)
        if hasattr(font, "unregister"):
            font.unregister()


def _disable_discretionary_ligatures() -> None:
    """Turn off reportlab's default 'dlig' shaping feature.

    Discretionary ligatures are decorative (in Arabic they add vowel marks to some names); a
    record must show a name as it was typed, so only the standard features stay on.
    """
    shape = getattr(ttfonts, "shapeFragWord", None)
    defaults = getattr(shape, "__defaults__", None)
    if defaults and isinstance(defaults[0], dict) and "dlig" in defaults[0]:
        defaults[0]["dlig"] = False
