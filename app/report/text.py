"""Turning any text into what reportlab prints: font runs, right-to-left order, characters no font has.

Text is split into runs by which font family covers each character (see `fonts`): the shipped
families first, then a font found on the computer. Text with no right-to-left script becomes
paragraph markup at once (`Rendered.markup`): each run wrapped in `<font name=...>` and XML-escaped.
Text with Arabic, Urdu or another right-to-left script cannot: its display order depends on where
the lines break, so it is laid out by `app.report.bidi.BidiParagraph` from the runs
(`Rendered.lines`) once the width is known.

A character that no font covers is never dropped and never printed as an empty box: it is shown as
its code point in a marked run, "[characters not shown: U+674E U+5C0F]", listed in
`Rendered.unprintable`, and the PDF explains the mark (see `blocks.unprintable_notice`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import arabic_reshaper

from app.report import fonts
from app.report.fonts import Family

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})

#: The background of a run of characters that no font covers.
MARK_BACKGROUND = "#E3E7EC"
MARK_WORDS = "characters not shown"

#: A run: the family printing it, or None for characters no font covers; and its text.
Run = tuple[Family | None, str]

#: Invisible characters that steer the direction of text (marks, embeddings, isolates). They are kept
#: for `bidi.BidiParagraph` and never printed.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NOT_PRINTED = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


@dataclass(frozen=True)
class Rendered:
    """How one text prints.

    `markup`: paragraph markup, for text with no right-to-left script ("" when `rtl`).
    `shaped`: the paragraph needs HarfBuzz shaping (a styles `shaped` variant).
    `unprintable`: characters no font has, each once; they print as code points.
    `plain`: one line, all in the paragraph's own font: no markup needed.
    `rtl`: has right-to-left script; lay it out from `lines` with `bidi.BidiParagraph`.
    `lines`: the runs of each line of the text (split at line breaks), in reading order.
    """

    markup: str
    shaped: bool
    unprintable: tuple[str, ...]
    plain: bool = False
    rtl: bool = False
    lines: tuple[tuple[Run, ...], ...] = ()


def escape(text: str) -> str:
    """Escape the characters that reportlab's paragraph parser treats as markup."""
    return text.translate(_ESCAPES)


def unprintable_marker(characters: str) -> str:
    """The words printed in place of characters that no font has: each one's code point."""
    return f"[{MARK_WORDS}: " + " ".join(f"U+{ord(c):04X}" for c in characters) + "]"


def is_rtl(ch: str) -> bool:
    """A strong right-to-left character (Hebrew, Arabic, Syriac, Thaana, N'Ko...)."""
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _is_neutral(ch: str) -> bool:
    """Spaces, punctuation, symbols, digits, marks and format characters: they join any run."""
    return unicodedata.category(ch)[0] in "ZPSNMC"


_INVISIBLE = BIDI_CONTROLS | frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")


def _is_invisible(ch: str) -> bool:
    """A format character that is never drawn (joiners, direction controls, soft hyphen, tags).

    Visible format characters, such as the Arabic number sign, are not among them: they need a font.
    """
    return ch in _INVISIBLE or 0xE0000 <= ord(ch) <= 0xE007F


def _split_runs(line: str) -> list[Run]:
    """The runs of one line: each character in the first family that has it, neutrals joining the run they are in."""
    runs: list[list] = []
    for ch in line:
        cp = ord(ch)
        current = runs[-1][0] if runs else None
        if _is_invisible(ch) and (ch in BIDI_CONTROLS or current is None or not fonts.covers(current, cp)):
            # Invisible formatting (direction controls, joiners): never drawn, so no font needs it.
            # Direction controls stay for the bidi layout; a joiner the run's font lacks is left out
            # rather than drawn as an empty box.
            if ch in BIDI_CONTROLS:
                if runs and current is not None:
                    runs[-1][1].append(ch)
                else:
                    runs.append([fonts.BASE, [ch]])
            continue
        if current is not None and fonts.covers(current, cp) and (
            _is_neutral(ch) or fonts.family_for(cp) is current
        ):
            runs[-1][1].append(ch)
            continue
        family = fonts.family_for(cp)
        if runs and family is current:  # both None: consecutive characters no font has
            runs[-1][1].append(ch)
        else:
            runs.append([family, [ch]])
    result: list[Run] = []
    for family, chars in runs:
        text = "".join(chars)
        if family is not None and family.rtl:
            # Trailing spaces and punctuation belong to the text that follows, not the RTL run.
            end = len(text)
            while end > 1 and unicodedata.category(text[end - 1])[0] in "ZPS" and fonts.covers(
                    fonts.BASE, ord(text[end - 1])):
                end -= 1
            if end < len(text):
                result.append((family, text[:end]))
                result.append((fonts.BASE, text[end:]))
                continue
        result.append((family, text))
    return _merged(_punctuation_into_shaped_runs(result))


def _punctuation_into_shaped_runs(runs: list[Run]) -> list[Run]:
    """Punctuation touching a shaped run (Gurmukhi, Bengali), with no space between, joins that run.

    reportlab shapes a word (the text between two spaces) with the font of its first character, so
    "(" in another font before a Gurmukhi name would turn the whole name into empty boxes. Printed in
    the name's own font (which has the punctuation), the word has one font.
    """
    if not any(family is not None and family.needs_shaping for family, _ in runs):
        return runs
    texts = [[family, text] for family, text in runs]
    for i, (family, _) in enumerate(texts):
        if family is None or not family.needs_shaping:
            continue
        if i > 0 and texts[i - 1][0] is not None and not texts[i - 1][0].needs_shaping:
            before = texts[i - 1][1]
            cut = len(before)
            while cut > 0 and _is_glued_punctuation(before[cut - 1], family):
                cut -= 1
            texts[i - 1][1], texts[i][1] = before[:cut], before[cut:] + texts[i][1]
        if i + 1 < len(texts) and texts[i + 1][0] is not None and not texts[i + 1][0].needs_shaping:
            after = texts[i + 1][1]
            cut = 0
            while cut < len(after) and _is_glued_punctuation(after[cut], family):
                cut += 1
            texts[i][1], texts[i + 1][1] = texts[i][1] + after[:cut], after[cut:]
    return [(family, text) for family, text in texts]


def _merged(runs: list[Run]) -> list[Run]:
    """Adjacent runs in the same family as one; empty runs left out."""
    merged: list[Run] = []
    for family, text in runs:
        if not text:
            continue
        if merged and merged[-1][0] is family:
            merged[-1] = (family, merged[-1][1] + text)
        else:
            merged.append((family, text))
    return merged


def _is_glued_punctuation(ch: str, family: Family) -> bool:
    return unicodedata.category(ch)[0] == "P" and fonts.covers(family, ord(ch))


@lru_cache(maxsize=4096)
def reshape(text: str, family: Family) -> str:
    """Arabic-script letters in their joined (contextual) forms, still in reading order.

    Left as typed if the family lacks a joined form, so no letter is lost.
    """
    shaped = _RESHAPER.reshape(text)
    if shaped != text and not all(fonts.covers(family, ord(c)) for c in shaped if c not in BIDI_CONTROLS):
        return text
    return shaped


def _run_markup(family: Family | None, run: str, bold: bool) -> str:
    if family is None:
        face = fonts.BASE.bold if bold else fonts.BASE.regular
        return f'<font name="{face}" backcolor="{MARK_BACKGROUND}">{escape(unprintable_marker(run))}</font>'
    run = run.translate(_NOT_PRINTED)
    if not run:
        return ""
    if family is fonts.BASE:
        return escape(run)
    return f'<font name="{family.bold if bold else family.regular}">{escape(run)}</font>'


@lru_cache(maxsize=8192)
def render(text: str, bold: bool = False) -> Rendered:
    """How `text` prints: escaped markup in font runs, or the runs of right-to-left text.

    `bold` picks the bold face for runs in other families (runs in the base family take the
    paragraph's own font, so wrap them in <b> or use a bold style).

    Line breaks become `<br/>`. Characters that no font covers print as their code points in a
    marked run and are listed in `unprintable`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isascii() and text.isprintable():
        return Rendered(escape(text), False, (), plain=True)
    if not any(is_rtl(c) for c in text):
        text = text.translate(_NOT_PRINTED)  # direction controls only matter beside right-to-left text
    lines = tuple(tuple(_split_runs(line)) for line in text.split("\n"))
    unprintable = tuple(dict.fromkeys(ch for runs in lines for family, run in runs if family is None
                                      for ch in run))
    shaped = any(family is not None and family.needs_shaping for runs in lines for family, _ in runs)
    if any(family is not None and any(is_rtl(c) for c in run) for runs in lines for family, run in runs):
        return Rendered("", shaped, unprintable, rtl=True, lines=lines)
    markup = "<br/>".join("".join(_run_markup(family, run, bold) for family, run in runs) for runs in lines)
    plain = len(lines) == 1 and all(family is fonts.BASE for family, _ in lines[0]) \
        and not BIDI_CONTROLS.intersection(text)
    return Rendered(markup, shaped, unprintable, plain)


_TAG = re.compile(r"<b>|</b>|<br/>|&amp;|&lt;|&gt;|<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def fixed_spans(markup: str, bold: bool) -> tuple[list[tuple[str, bool]], bool]:
    """Fixed wording written as markup ("<b>Not asked:</b> ") as (text, bold) pieces, and whether
    text after it is bold. Only <b>, </b>, <br/> and the three escapes are allowed in fixed wording
    that stands beside right-to-left text."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in _TAG.finditer(markup):
        if match.start() > at:
            pieces.append((markup[at:match.start()], bold))
        tag = match.group(0)
        if tag == "<b>":
            bold = True
        elif tag == "</b>":
            bold = False
        elif tag == "<br/>":
            pieces.append(("\n", bold))
        elif tag in _ENTITIES:
            pieces.append((_ENTITIES[tag], bold))
        else:
            raise ValueError(f"Markup {tag!r} cannot stand beside right-to-left text.")
        at = match.end()
    if at < len(markup):
        pieces.append((markup[at:], bold))
    return pieces, bold


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
