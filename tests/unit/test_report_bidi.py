"""Right-to-left text in the PDFs: lines broken in reading order, each line in display order, right-aligned.

Checked where a reader sees it: the position of every piece of text on the page of a real PDF, and the
left-to-right order of the characters reportlab draws on each line.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import replace

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from app.report import AnswerLine, SectionBlock, build_run_pdf, fonts
from app.report.bidi import BidiParagraph
from app.report.blocks import Writer
from app.report.example import example_run_document
from app.report.page import MARGIN_X
from app.report.text import reshape

# A health visitor's note in Arabic, long enough to wrap over several lines of an answer's note:
# "The mother went with the child to the clinic on 12/03/2026 at 10:30 in the morning, and said the bruise
# appeared two days ago and she did not know its cause. ... we will visit the family again in 5 days."
NOTE = ("ذهبت الأم مع الطفل إلى العيادة يوم 12/03/2026 في الساعة 10:30 صباحاً، وقالت إن الكدمة ظهرت قبل يومين "
        "ولم تعرف سببها. تحدثت مع الأب أيضاً وقال إنه لم يلاحظ أي شيء غير عادي في المنزل خلال الأسبوع الماضي، "
        "وسنعود لزيارة الأسرة مرة أخرى بعد 5 أيام للتأكد من سلامة الطفل")
FIRST_WORD, LAST_WORD = "ذهبت", "سلامة"  # "went" opens the note, "safety" is near its end
RIGHT_EDGE = 210 * mm - MARGIN_X - 6  # where text may reach: the page's margin, less the frame's padding
ENGLISH = ("Seen at home with her mother فاطمة الزهراء and her brother, who said the baby had been unsettled "
           "since Tuesday and had not fed well overnight.")


def _flat(text: str) -> str:
    """Presentation forms back to letters, spacing normalised."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _contains(text: str, word: str) -> bool:
    """`word` in `text`, whether `text` holds right-to-left words as drawn or in reading order.

    Reversed before the joined forms are undone, so a ligature (lam-alef) comes back in reading order.
    """
    return word in _flat(text) or word in _flat(text[::-1])


def _drawn(arabic: str) -> str:
    """How reportlab is handed Arabic words: joined forms, right to left."""
    return reshape(arabic, fonts.ARABIC)[::-1]


def _placed_lines(pdf: bytes, page: int = 0) -> list[tuple[float, float, float, str]]:
    """(baseline, left, right, text) of every line of text on a page, top line first.

    Where each piece is drawn comes from the page's own drawing operators (text matrix, moves, and the
    embedded font's glyph widths); its text from pypdf.
    """
    reader = PdfReader(io.BytesIO(pdf))
    sheet = reader.pages[page]
    fonts_used = {name: font.get_object() for name, font in sheet["/Resources"]["/Font"].items()}
    spans: dict[float, list[tuple[float, float]]] = defaultdict(list)
    cm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    saved: list[list[float]] = []
    line_x = line_y = x = leading = size = 0.0
    font = None
    for operands, operator in ContentStream(sheet.get_contents(), reader).operations:
        if operator == b"q":
            saved.append(cm)
        elif operator == b"Q":
            cm = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            cm = [a * cm[0] + b * cm[2], a * cm[1] + b * cm[3], c * cm[0] + d * cm[2], c * cm[1] + d * cm[3],
                  e * cm[0] + f * cm[2] + cm[4], e * cm[1] + f * cm[3] + cm[5]]
        elif operator == b"Tm":
            line_x, line_y = float(operands[4]), float(operands[5])
            x = line_x
        elif operator == b"Td":
            line_x, line_y = line_x + float(operands[0]), line_y + float(operands[1])
            x = line_x
        elif operator == b"T*":
            line_y -= leading
            x = line_x
        elif operator == b"TL":
            leading = float(operands[0])
        elif operator == b"Tf":
            font, size = fonts_used[operands[0]], float(operands[1])
        elif operator == b"Tj":
            codes = operands[0].original_bytes if hasattr(operands[0], "original_bytes") else bytes(operands[0])
            widths, first = font.get("/Widths", []), int(font.get("/FirstChar", 0))
            advance = sum(float(widths[c - first]) for c in codes if 0 <= c - first < len(widths)) * size / 1000
            if codes.strip(b" "):
                absolute_y = round(x * cm[1] + line_y * cm[3] + cm[5], 1)
                start = x * cm[0] + line_y * cm[2] + cm[4]
                spans[absolute_y].append((start, start + advance))
            x += advance
    texts: dict[float, list[str]] = defaultdict(list)

    def visit(text, cm_, tm, _font, _size):
        if text.strip():
            texts[round(tm[4] * cm_[1] + tm[5] * cm_[3] + cm_[5], 1)].append(text.strip("\n"))

    sheet.extract_text(visitor_text=visit)
    lines = [(y, min(a for a, _ in row), max(b for _, b in row), " ".join(texts.get(y, [])))
             for y, row in spans.items()]
    return sorted(lines, key=lambda line: -line[0])


def _pdf_with(answer: AnswerLine) -> bytes:
    doc = replace(example_run_document(1, training=False), sections=[SectionBlock("Visit", True, "", [answer])])
    return build_run_pdf(doc)


def _shown(markup: str) -> str:
    """The characters of one laid-out line, left to right as drawn."""
    return re.sub(r"<[^>]*>", "", markup).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _laid_out(text: str, width: float, **para) -> tuple[BidiParagraph, list[str]]:
    w = Writer()
    paragraph = w.para(text, para.pop("style", w.st.body), **para)
    assert isinstance(paragraph, BidiParagraph)
    paragraph.wrap(width, 10_000)
    return paragraph, [_shown(line) for line in paragraph.display_lines()]


def test_an_arabic_note_that_wraps_starts_on_the_top_line_and_ends_on_the_bottom_one():
    pdf = _pdf_with(AnswerLine("seen", "What did you see?", "A bruise on the left cheek.", NOTE, "Seen by me"))
    lines = _placed_lines(pdf)
    note = [line for line in lines if any("\u0600" <= c <= "\u06ff" for c in _flat(line[3]))]
    assert len(note) >= 3, "the note should wrap over at least three lines"
    assert _contains(note[0][3], FIRST_WORD), "the first word read must be on the top line"
    assert _contains(note[-1][3], LAST_WORD), "the last words read must be on the bottom line"
    assert not any(_contains(line[3], FIRST_WORD) for line in note[1:])
    # every word of the note is printed, none lost at the line breaks
    for word in NOTE.split():
        if not any(ch.isdigit() for ch in word):
            assert any(_contains(piece, word.strip("،.")) for _, _, _, text in note for piece in text.split()), word


def test_right_to_left_lines_are_right_aligned_and_english_ones_left_aligned():
    pdf = _pdf_with(AnswerLine("seen", "What did you see?", ENGLISH, NOTE, ""))
    lines = _placed_lines(pdf)
    note = [line for line in lines if _contains(line[3], "سلامة") or "Note:" in line[3]
            or any(_contains(line[3], word) for word in ("تحدثت", "صباحاً"))]
    assert len(note) >= 3
    assert all(abs(right - RIGHT_EDGE) < 0.5 for _, _, right, _ in note), "right-to-left lines end at the margin"
    assert note[-1][1] - note[0][1] > 20, "the short last line starts further right"
    english = [line for line in lines if line[3].startswith(("Seen at home", "Tuesday"))]
    assert len(english) == 2
    assert abs(english[0][1] - english[1][1]) < 0.1, "left-to-right lines share their left edge"
    assert english[1][2] < RIGHT_EDGE - 100, "and end where their words end"


def test_an_english_sentence_with_an_arabic_name_reads_left_to_right_with_the_name_joined():
    paragraph, lines = _laid_out(ENGLISH, 260)
    assert not paragraph.rtl
    assert lines[0].startswith("Seen at home with her mother")
    # the name is drawn right to left (so it reads correctly), the English around it left to right
    assert "mother " + _drawn("فاطمة الزهراء") + " and her brother" in " ".join(lines)
    assert lines[-1].endswith("overnight.")


def test_numbers_and_dates_in_an_arabic_note_keep_their_own_order():
    paragraph, [line] = _laid_out("موعد 12/03/2026 الساعة 10:30", 400)
    assert paragraph.rtl
    # drawn left to right: the time, the word for hour, the date, the word for appointment
    assert line == "10:30 " + _drawn("الساعة") + " 12/03/2026 " + _drawn("موعد")


def test_the_label_before_a_right_to_left_note_stands_at_the_start_of_its_first_line():
    w = Writer()
    paragraph, lines = _laid_out(NOTE, 300, style=w.st.meta, lead="Note: ")
    assert paragraph.rtl and len(lines) >= 3
    # read from the right: "Note:", then the note from its first word
    assert lines[0].endswith(_drawn("ذهبت الأم مع الطفل") + " Note:"), lines[0]
    assert "Note" not in " ".join(lines[1:])
    bold, bold_lines = _laid_out("محمد عبد الرحمن", 300, lead="<b>Not asked:</b> ")
    assert bold_lines[0].endswith(" Not asked:")
    assert '<font name="NotoSans-Bold">Not asked:</font>' in bold.display_lines()[0]


def test_a_name_between_isolate_marks_does_not_turn_the_english_around_it():
    paragraph, [line] = _laid_out("\u2068فاطمة\u2069 (mother)", 300)
    assert not paragraph.rtl
    assert line == _drawn("فاطمة") + " (mother)"
    assert "\u2068" not in "".join(paragraph.display_lines())
    unmarked, [plain] = _laid_out("فاطمة (mother)", 300)
    assert unmarked.rtl and plain == "(mother) " + _drawn("فاطمة")  # as the Unicode algorithm says, without marks


def test_a_note_split_across_pages_keeps_its_lines_in_order_on_both_pages():
    w = Writer()
    paragraph = w.para(NOTE, w.st.body)
    _, height = paragraph.wrap(200, 10_000)
    whole = paragraph.display_lines()
    leading = w.st.body.leading
    assert height == len(whole) * leading and len(whole) >= 5
    first, rest = paragraph.split(200, 2 * leading + 1)
    assert first.wrap(200, 10_000)[1] == 2 * leading
    rest.wrap(200, 10_000)
    # the same lines, the first two on this page and the others on the next, each still in display order
    assert first.display_lines() + rest.display_lines() == whole
    assert _contains(first.getPlainText(), FIRST_WORD) and not _contains(first.getPlainText(), LAST_WORD)
    assert _contains(rest.getPlainText(), LAST_WORD) and not _contains(rest.getPlainText(), FIRST_WORD)
    # laid out again at another width, the rest still reads from its own first words
    def first_word_read(line: str) -> str:
        return _flat(_shown(line)[::-1]).split()[0]

    rest.wrap(120, 10_000)
    assert len(rest.display_lines()) > len(whole) - 2
    assert first_word_read(rest.display_lines()[0]) == first_word_read(whole[2])
    assert paragraph.split(200, leading + 1) == []  # one line alone is an orphan: the whole note moves on
    assert paragraph.split(200, 10_000) == [paragraph]
