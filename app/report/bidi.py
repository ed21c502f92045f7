"""Paragraphs with right-to-left text (Arabic, Urdu, Hebrew...), broken into lines in reading order.

The Unicode bidirectional algorithm (UAX #9) resolves the direction of every character over the
whole paragraph, then the paragraph is broken into lines, and only then is each line put in display
order (rules L1 to L4). Putting a whole paragraph in display order before breaking it, as a plain
`get_display(text)` does, reverses the order of its lines: the words read first end up on the last
line. reportlab (5.x) lays out right-to-left paragraphs itself only with its `rlbidi` extension, which
is not on PyPI, so `BidiParagraph` does the steps in the right order:

1. joins Arabic-script letters (arabic-reshaper) and resolves the embedding level of every
   character over the whole text (python-bidi's implementation of the algorithm, rules P to I);
2. when it is given its width, breaks lines in reading order, measuring each word with the font
   and size it prints in (reportlab's own `stringWidth`, or HarfBuzz's advances when shaped);
3. reverses each line for display (rules L2 and L4; no line keeps a trailing space, rule L1) and hands
   reportlab one `Paragraph` whose lines are already in display order, separated by `<br/>`, which
   reportlab draws and aligns as any other paragraph. Split across pages, the rest is a paragraph of its
   own that breaks its lines again, still in reading order.

The paragraph's direction is that of the first strong character of the recorded text (rules P2
and P3, with fixed labels such as "Note: " left out). A right-to-left paragraph is right-aligned,
and fixed labels and the marks for characters no font has keep reading left to right within it.
"""
from __future__ import annotations

from dataclasses import dataclass
from unicodedata import bidirectional

from bidi import algorithm as uba
from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from app.report import fonts
from app.report.text import BIDI_CONTROLS, MARK_BACKGROUND, escape, is_rtl, reshape, unprintable_marker

# reportlab breaks lines at these (its own list); a line feed in the text is a hard line break.
_SPACES = frozenset("\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                    "\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000")
_LRE, _PDF, _PDI = "\u202a", "\u202c", "\u2069"
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph in reading order.

    `family` None: characters no font has (printed as their code points). `fixed`: wording of the
    report itself ("Note: "), not recorded text; it does not decide the paragraph's direction.
    """

    text: str
    family: fonts.Family | None
    bold: bool
    fixed: bool = False


@dataclass
class _Char:
    ch: str
    face: str
    marked: bool  # part of the mark for characters no font has
    level: int = 0


def paragraph_direction(spans: list[Span]) -> bool:
    """True (right to left) when the first strong character of the recorded text is right-to-left.

    Rules P2 and P3, with fixed wording and marks left out (rule HL1: the report's own labels do not
    turn a note around), and text inside isolates (FSI ... PDI) skipped as P2 says.
    """
    depth = 0
    for span in spans:
        if span.fixed or span.family is None:
            continue
        for ch in span.text:
            if ch in _ISOLATES:
                depth += 1
            elif ch == _PDI:
                depth = max(depth - 1, 0)
            elif depth == 0:
                kind = bidirectional(ch)
                if kind in ("R", "AL"):
                    return True
                if kind == "L":
                    return False
    return False


class BidiParagraph(Flowable):
    """A paragraph holding right-to-left text, laid out at whatever width it is given (see module doc)."""

    def __init__(self, spans: list[Span], style: ParagraphStyle, *, shaped: bool = False) -> None:
        super().__init__()
        rtl = paragraph_direction(spans)
        self._setup([_resolve(line, rtl) for line in _hard_lines(spans, shaped)], style, rtl, shaped)

    def _setup(self, lines: list[list[_Char]], style: ParagraphStyle, rtl: bool, shaped: bool) -> None:
        self.style = style
        self.shaped = shaped
        self.rtl = rtl
        self._lines = lines  # each line of the text (between line feeds), resolved, in reading order
        self._measure: dict[str, float] = {}
        self._built_for: float | None = None
        self._inner: Paragraph | None = None
        self._size: tuple[float, float] = (0.0, 0.0)
        self._display: list[str] = []
        self._laid: list[tuple[int, int, int]] = []  # each laid-out line: (line of the text, start, end)

    def _part(self, lines: list[list[_Char]]) -> BidiParagraph:
        """A paragraph of some of this one's text, its levels as resolved over the whole text."""
        part = BidiParagraph.__new__(BidiParagraph)
        Flowable.__init__(part)
        part._setup(lines, self.style, self.rtl, self.shaped)
        return part

    # ------------------------------------------------------------------ layout in reading order

    def _width(self, chars: list[_Char]) -> float:
        """The printed width of `chars` (in reading order), run by run in each run's face."""
        total, start = 0.0, 0
        for i in range(1, len(chars) + 1):
            if i == len(chars) or chars[i].face != chars[start].face:
                text = "".join(c.ch for c in chars[start:i])
                key = chars[start].face + "\0" + text
                width = self._measure.get(key)
                if width is None:
                    width = self._measure[key] = self._text_width(text, chars[start].face)
                total += width
                start = i
        return total

    def _text_width(self, text: str, face: str) -> float:
        size = self.style.fontSize
        if not self.shaped or text.isspace():
            return stringWidth(text, face, size)
        # as reportlab will measure it: HarfBuzz's advances for the word
        word = [stringWidth(text, face, size), (ABag(fontName=face, fontSize=size), text)]
        return rl_paragraph.shapeFragWord(word)[0]

    def _break(self, widths: tuple[float, float]) -> list[tuple[int, int, int]]:
        """Lines in reading order, as (line of the text, start, end): as many words as fit, the first line
        of the paragraph at `widths[0]`. A line is a slice of its text's characters, so the spaces in it keep
        their resolved levels."""
        out: list[tuple[int, int, int]] = []
        for number, chars in enumerate(self._lines):
            start = end = None  # the slice of `chars` on the line being filled
            used = 0.0
            for word_start, word_end in _words(chars):
                width = self._width(chars[word_start:word_end])
                room = widths[0] if not out else widths[1]
                if start is not None:
                    gap = self._width(chars[end:word_start])
                    if used + gap + width <= room:
                        end, used = word_end, used + gap + width
                        continue
                    out.append((number, start, end))
                    room = widths[1]
                while width > room and word_end - word_start > 1:  # longer than a line: split where it must
                    cut = word_start + self._fitting(chars[word_start:word_end], room)
                    out.append((number, word_start, cut))
                    word_start, room = cut, widths[1]
                    width = self._width(chars[word_start:word_end])
                start, end, used = word_start, word_end, width
            out.append((number, start, end) if start is not None else (number, 0, 0))
        return out

    def _fitting(self, word: list[_Char], room: float) -> int:
        cut = 1
        while cut < len(word) and self._width(word[:cut + 1]) <= room:
            cut += 1
        return cut

    # ------------------------------------------------------------------ display order

    def _display_line(self, line: list[_Char]) -> str:
        """One line in display order (L2 reversal, L4 mirroring) as paragraph markup."""
        if not line:
            return ""
        chars = list(line)
        highest = max(c.level for c in chars)
        lowest_odd = min((c.level for c in chars if c.level % 2), default=highest + 1)
        for level in range(highest, lowest_odd - 1, -1):
            i = 0
            while i < len(chars):
                if chars[i].level >= level:
                    j = i
                    while j < len(chars) and chars[j].level >= level:
                        j += 1
                    chars[i:j] = chars[i:j][::-1]
                    i = j
                else:
                    i += 1
        shown = [MIRRORED.get(c.ch, c.ch) if c.level % 2 else c.ch for c in chars]
        if self.shaped:
            _restore_reading_order_for_harfbuzz(chars, shown)
        parts, start = [], 0
        for i in range(1, len(chars) + 1):
            if i == len(chars) or (chars[i].face, chars[i].marked) != (chars[start].face, chars[start].marked):
                text = escape("".join(shown[start:i]))
                back = f' backcolor="{MARK_BACKGROUND}"' if chars[start].marked else ""
                parts.append(f'<font name="{chars[start].face}"{back}>{text}</font>')
                start = i
        return "".join(parts)

    def _build(self, avail_width: float) -> None:
        style = self.style
        first = avail_width - style.leftIndent - style.firstLineIndent - style.rightIndent
        later = avail_width - style.leftIndent - style.rightIndent
        for slack in (0.0, 0.5, 2.0):
            self._laid = self._break((first - slack, later - slack))
            self._display = [self._display_line(self._lines[n][a:b]) for n, a, b in self._laid]
            inner = Paragraph("<br/>".join(self._display), _aligned(style, self.rtl))
            size = inner.wrap(avail_width, 1e9)
            if len(inner.blPara.lines) <= len(self._laid):
                break  # reportlab keeps every line as given (a float rounding could push a word over)
        self._inner, self._built_for, self._size = inner, avail_width, size

    # ------------------------------------------------------------------ Flowable

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._built_for != avail_width:
            self._build(avail_width)  # laid out once per width: the height does not change the lines
        self.width, self.height = self._size
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The lines that fit here, and the rest as a paragraph of its own that lays itself out again
        (in reading order) wherever it lands. Orphans and widows as reportlab's Paragraph allows them."""
        if self._built_for != avail_width:
            self._build(avail_width)
        style, laid = self.style, self._laid
        fit = int(avail_height / style.leading) if style.leading > 0 else len(laid)
        if fit >= len(laid):
            return [self]
        if fit == 0 or (fit == 1 and not getattr(style, "allowOrphans", 0)):
            return []
        if not getattr(style, "allowWidows", 1) and len(laid) == fit + 1:
            if len(laid) <= 3 and not getattr(style, "allowOrphans", 0):
                return []
            fit -= 1
        number, start, _ = laid[fit]
        head = [*self._lines[:number], self._lines[number][:start]] if start else self._lines[:number]
        tail = [self._lines[number][start:], *self._lines[number + 1:]]
        return [self._part(head), self._part(tail)]

    def draw(self) -> None:
        self._inner.drawOn(self.canv, 0, 0)

    def minWidth(self) -> float:  # noqa: N802 - reportlab's name
        widest = max((self._width(chars[s:e]) for chars in self._lines for s, e in _words(chars)), default=0.0)
        return widest + self.style.leftIndent + self.style.rightIndent

    def getPlainText(self) -> str:  # noqa: N802 - reportlab's name
        """The text in reading order (as reportlab's Paragraph offers it)."""
        return "\n".join("".join(c.ch for c in chars) for chars in self._lines)

    def display_lines(self) -> list[str]:
        """The markup of each line as laid out at the last width (for tests)."""
        return list(self._display)


_aligned_styles: dict[tuple[int, int], ParagraphStyle] = {}


def _aligned(style: ParagraphStyle, rtl: bool) -> ParagraphStyle:
    """`style` right-aligned for a right-to-left paragraph (left-aligned styles only: centred stays centred)."""
    if not rtl or style.alignment != TA_LEFT:
        return style
    key = (id(style), TA_RIGHT)
    variant = _aligned_styles.get(key)
    if variant is None or variant.parent is not style:
        variant = _aligned_styles[key] = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
    return variant


def _hard_lines(spans: list[Span], shaped: bool) -> list[list[tuple[str, str, bool, bool]]]:
    """(character, face, marked, unit) in reading order, split at line feeds.

    `unit`: fixed wording or a mark, which keeps reading left to right inside right-to-left text.
    Arabic letters are joined here, in reading order, unless HarfBuzz shapes the paragraph.
    """
    lines: list[list[tuple[str, str, bool, bool]]] = [[]]
    for span in spans:
        family = span.family or fonts.BASE
        face = family.bold if span.bold else family.regular
        text = unprintable_marker(span.text) if span.family is None else span.text
        if span.family is not None and not shaped and any(is_rtl(c) for c in text):
            text = reshape(text, family)
        for ch in text:
            if ch == "\n":
                lines.append([])
            else:
                lines[-1].append((ch, face, span.family is None, span.fixed or span.family is None))
    return lines


def _resolve(line: list[tuple[str, str, bool, bool]], rtl: bool) -> list[_Char]:
    """The line's printed characters, spaces collapsed as reportlab collapses them, each with its
    resolved embedding level (UAX #9 rules P to I1 over the whole line).

    Direction controls in the text steer the levels but are not printed. python-bidi's algorithm
    predates isolates, so an isolate (FSI, LRI, RLI ... PDI) is resolved as the embedding of the same
    direction, which orders its content the same way.
    """
    chars: list[_Char] = []
    units: list[bool] = []
    controls: list[tuple[int, str]] = []  # (before which printed character, control)
    for number, (ch, face, marked, unit) in enumerate(line):
        if ch in BIDI_CONTROLS:
            controls.append((len(chars), _embedding_for(ch, line, number)))
            continue
        if ch in _SPACES:
            if not chars or chars[-1].ch == " ":
                continue
            ch = " "
        chars.append(_Char(ch, face, marked))
        units.append(unit)
    while chars and chars[-1].ch == " ":
        chars.pop()
        units.pop()
    if not chars:
        return []
    for i, c in enumerate(chars):  # a space at the edge of fixed wording is outside it
        if c.ch == " " and units[i] and not (0 < i < len(chars) - 1 and units[i - 1] and units[i + 1]):
            units[i] = False
    steering: list[tuple[str, int | None]] = []  # the text the levels are resolved on, and whose each is
    pending = iter(controls)
    upcoming = next(pending, None)
    for i, c in enumerate(chars):
        while upcoming is not None and upcoming[0] == i:
            steering.append((upcoming[1], None))
            upcoming = next(pending, None)
        if rtl and units[i] and (i == 0 or not units[i - 1]):
            steering.append((_LRE, None))  # fixed wording and marks read left to right in right-to-left text
        steering.append((c.ch, i))
        if rtl and units[i] and (i + 1 == len(chars) or not units[i + 1]):
            steering.append((_PDF, None))
    while upcoming is not None:
        steering.append((upcoming[1], None))
        upcoming = next(pending, None)
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels("".join(ch for ch, _ in steering), storage)
    for record, (_, owner) in zip(storage["chars"], steering):
        record["owner"] = owner
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = {r["owner"]: r["level"] for r in storage["chars"] if r["owner"] is not None}
    previous = storage["base_level"]
    for i, c in enumerate(chars):
        # characters the algorithm sets aside (rule X9: joiners, other format characters) take their
        # neighbour's level
        c.level = previous = levels.get(i, previous)
    return chars


def _embedding_for(control: str, line: list[tuple[str, str, bool, bool]], at: int) -> str:
    """The control python-bidi understands for `control`: isolates become embeddings."""
    if control == "\u2066":  # LRI
        return _LRE
    if control == "\u2067":  # RLI
        return "\u202b"
    if control == _PDI:
        return _PDF
    if control != "\u2068":  # FSI: the direction of its first strong character
        return control
    depth = 0
    for ch, *_ in line[at + 1:]:
        if ch in _ISOLATES:
            depth += 1
        elif ch == _PDI:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and bidirectional(ch) in ("R", "AL"):
            return "\u202b"
        elif depth == 0 and bidirectional(ch) == "L":
            return _LRE
    return _LRE


def _words(chars: list[_Char]) -> list[tuple[int, int]]:
    """(start, end) of each word: the text between single spaces."""
    out, start = [], 0
    for i, c in enumerate(chars):
        if c.ch == " ":
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(chars):
        out.append((start, len(chars)))
    return out


def _restore_reading_order_for_harfbuzz(chars: list[_Char], shown: list[str]) -> None:
    """In a shaped paragraph HarfBuzz reverses each right-to-left word itself: give it those words in
    reading order again (it also joins the letters, so they were not joined here)."""
    i = 0
    while i < len(chars):
        if chars[i].level % 2 and is_rtl(chars[i].ch):
            j = i
            while j < len(chars) and chars[j].level % 2 and chars[j].face == chars[i].face and shown[j] != " ":
                j += 1
            shown[i:j] = shown[i:j][::-1]
            i = max(j, i + 1)
        else:
            i += 1
