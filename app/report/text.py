"""Turning any text into reportlab Paragraph markup that prints every character.

Text is split into runs by which shipped font family covers each character (see `fonts`), each
run wrapped in `<font name=...>` and XML-escaped. Right-to-left runs (Arabic, Urdu) are reordered
for display with python-bidi after arabic-reshaper has chosen each letter's joined form, so no
shaping engine is needed for them. Runs in scripts that need shaping (Gurmukhi, Bengali) mark the
paragraph as shaped; reportlab then shapes it with HarfBuzz, and any Arabic run in that paragraph
is handed over in reading order for HarfBuzz to join and reverse.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display

from app.report import fonts
from app.report.fonts import Family

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


@dataclass(frozen=True)
class Rendered:
    """Paragraph markup for one text, whether it needs a shaped style, and characters no font has."""

    markup: str
    shaped: bool
    missing: tuple[str, ...]
    plain: bool = False  # one line, all in the paragraph's own font: no markup needed


def escape(text: str) -> str:
    """Escape the characters that reportlab's paragraph parser treats as markup."""
    return text.translate(_ESCAPES)


def _is_neutral(ch: str) -> bool:
    """Spaces, punctuation, symbols, digits, marks and format characters: they join any run."""
    return unicodedata.category(ch)[0] in "ZPSNMC"


def _split_runs(line: str, families: tuple[Family, ...], missing: list[str]) -> list[tuple[Family, str]]:
    runs: list[list] = []
    for ch in line:
        cp = ord(ch)
        current = runs[-1][0] if runs else None
        if current is not None and fonts.covers(current, cp) and (
            _is_neutral(ch) or next(f for f in families if fonts.covers(f, cp)) is current
        ):
            runs[-1][1].append(ch)
            continue
        family = next((f for f in families if fonts.covers(f, cp)), None)
        if family is None:
            missing.append(ch)
            continue
        if family is current:
            runs[-1][1].append(ch)
        else:
            runs.append([family, [ch]])
    result: list[tuple[Family, str]] = []
    base = families[0]
    for family, chars in runs:
        text = "".join(chars)
        if family.rtl:
            # Trailing spaces and punctuation belong to the text that follows, not the RTL run.
            end = len(text)
            while end > 1 and unicodedata.category(text[end - 1])[0] in "ZPS" and fonts.covers(base, ord(text[end - 1])):
                end -= 1
            if end < len(text):
                result.append((family, text[:end]))
                result.append((base, text[end:]))
                continue
        result.append((family, text))
    return result


def _rtl_visual(text: str, family: Family, missing: list[str]) -> str:
    """Join Arabic-script letters into their contextual forms and put them in display order."""
    shaped = _RESHAPER.reshape(text)
    for ch in shaped:
        if not fonts.covers(family, ord(ch)):
            missing.append(ch)
    return get_display(shaped, base_dir="R")


def _rtl_for_harfbuzz(text: str) -> str:
    """Reverse the word order of an RTL run; HarfBuzz reverses the letters of each word itself."""
    return " ".join(reversed(text.split(" ")))


@lru_cache(maxsize=8192)
def render(text: str, bold: bool = False) -> Rendered:
    """Markup for `text`: escaped, split into font runs, RTL runs shaped and reordered.

    `bold` picks the bold face for runs in other families (runs in the base family take the
    paragraph's own font, so wrap them in <b> or use a bold style).

    Line breaks become `<br/>`. Characters that no shipped font covers are left out of the
    markup and listed in `missing`; callers must raise `fonts.MissingGlyphs` for them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isascii() and text.isprintable():
        return Rendered(escape(text), False, (), plain=True)
    families = fonts.families()
    missing: list[str] = []
    lines = [_split_runs(line, families, missing) for line in text.split("\n")]
    shaped = any(family.needs_shaping for runs in lines for family, _ in runs)
    out: list[str] = []
    for runs in lines:
        parts = []
        for family, run in runs:
            if family.rtl:
                run = _rtl_for_harfbuzz(run) if shaped else _rtl_visual(run, family, missing)
            run = escape(run)
            face = family.bold if bold else family.regular
            parts.append(run if family is families[0] else f'<font name="{face}">{run}</font>')
        out.append("".join(parts))
    plain = len(lines) == 1 and all(family is families[0] for family, _ in lines[0])
    return Rendered("<br/>".join(out), shaped, tuple(dict.fromkeys(missing)), plain and not missing)


def long_date(value: date | None, empty: str = "Not recorded") -> str:
    """'3 March 2026' (UK style), or `empty` for None."""
    if value is None:
        return empty
    return f"{value.day} {value:%B %Y}"


def long_datetime(value: datetime | None, empty: str = "Not recorded") -> str:
    """'3 March 2026 at 14:05', or `empty` for None."""
    if value is None:
        return empty
    return f"{long_date(value)} at {value:%H:%M}"
