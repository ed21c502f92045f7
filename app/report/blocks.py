"""The parts of a report, each returned as a list of flowables.

Every piece of recorded text goes through `Writer`, which prints it in the right fonts, lays out
right-to-left text line by line (`bidi.BidiParagraph`), and keeps the characters no font covers so the
PDF can say which they are (`UnprintableNotice`).
"""
from __future__ import annotations

from typing import Iterable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from app.report import fonts
from app.report.bidi import BidiParagraph, Span
from app.report.inputs import SEVERITY_ORDER, AnswerLine, FlagLine, RunDocument, SectionBlock, SourceLine
from app.report.page import MARGIN_X
from app.report.styles import NAVY, PANEL, RULE, SEVERITY, styles
from app.report.text import MARK_BACKGROUND, escape, fixed_spans, long_date, long_datetime, render, \
    unprintable_marker

WIDTH = 210 * mm - 2 * MARGIN_X
FINGERPRINT_CHARS = 16
KEEP_QUESTION = 36  # points: room for a question and the first line of its answer
KEEP_SECTION = 70  # points: room for a section title and its first question
NOTICE_LISTS = 24  # characters named one by one in the notice; the rest are counted


class Writer:
    """Makes paragraphs from recorded text and remembers characters that no font has."""

    def __init__(self) -> None:
        self.st = styles()
        self.unprintable: list[str] = []

    def para(self, text: str, style: ParagraphStyle, lead: str = "", tail: str = "") -> Flowable:
        """A paragraph of `text` (escaped, font runs) between fixed markup `lead` and `tail`."""
        rendered = render(text, _bold(style) or _opens_bold(lead))
        self.unprintable.extend(rendered.unprintable)
        if rendered.rtl:
            return self._bidi([(lead, False), (text, True), (tail, False)], style)
        if rendered.plain and _no_markup(lead) and _no_markup(tail):
            return plain_paragraph(lead + text + tail, style)
        return Paragraph(lead + rendered.markup + tail, self.st.shaped(style) if rendered.shaped else style)

    def parts(self, pieces: Iterable[tuple[str, bool]], style: ParagraphStyle) -> Flowable:
        """One paragraph from pieces that are either fixed markup (False) or recorded text (True)."""
        pieces = list(pieces)
        markup, shaped, bold, rtl = [], False, _bold(style), False
        for piece, recorded in pieces:
            if recorded:
                rendered = render(piece, bold)
                self.unprintable.extend(rendered.unprintable)
                markup.append(rendered.markup)
                shaped = shaped or rendered.shaped
                rtl = rtl or rendered.rtl
            else:
                markup.append(piece)
                bold = _bold(style) or _opens_bold(piece, bold)
        if rtl:
            return self._bidi(pieces, style)
        return Paragraph("".join(markup), self.st.shaped(style) if shaped else style)

    def _bidi(self, pieces: list[tuple[str, bool]], style: ParagraphStyle) -> BidiParagraph:
        """A paragraph with right-to-left text: fixed wording and recorded text as spans in reading order."""
        spans: list[Span] = []
        shaped = False
        style_bold = bold = _bold(style)
        for piece, recorded in pieces:
            if not piece:
                continue
            if not recorded:
                fixed, bold = fixed_spans(piece, bold)
                bold = bold or style_bold
                spans += [Span(text, fonts.BASE, style_bold or b, fixed=True) for text, b in fixed]
                continue
            rendered = render(piece, bold)
            shaped = shaped or rendered.shaped
            for number, runs in enumerate(rendered.lines):
                if number:
                    spans.append(Span("\n", fonts.BASE, bold))
                spans += [Span(run, family, bold) for family, run in runs]
        return BidiParagraph(spans, self.st.shaped(style) if shaped else style, shaped=shaped)


def _no_markup(fixed: str) -> bool:
    return "<" not in fixed and "&" not in fixed


_templates: dict[str, tuple[ParagraphStyle, ParaFrag]] = {}


def plain_paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (no markup, one font) that skips reportlab's markup parser.

    The parser is most of the cost of a short paragraph; a 60-answer record has hundreds. The
    fragment is a copy of the one the parser makes for the style, carrying the text unescaped.
    """
    cached = _templates.get(style.name)
    if cached is None or cached[0] is not style:
        _, frags, _ = ParaParser().parse("x", style)
        cached = _templates[style.name] = (style, frags[0])
    return Paragraph(text, style, frags=[cached[1].clone(text=" ".join(text.split()))])


def _bold(style: ParagraphStyle) -> bool:
    return style.fontName == fonts.BASE.bold


def _opens_bold(markup: str, before: bool = False) -> bool:
    """Whether text that follows fixed `markup` is inside a <b> element."""
    opened, closed = markup.rfind("<b>"), markup.rfind("</b>")
    return before if opened == closed == -1 else opened > closed


def grid(rows: list[list], widths: list[float], extra: list | None = None) -> Table:
    """A plain table: top-aligned cells, a hairline under each row, plus `extra` style commands."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        *(extra or []),
    ]))
    return table


def header(w: Writer, doc: RunDocument, kicker: str = "Safeguarding practice checklist record",
           notice: bool = True) -> list[Flowable]:
    """Title, checklist version and the case, practitioner, dates and status in a labelled grid.

    `notice`: follow it with the `UnprintableNotice` (the first record of a PDF only).
    """
    st = w.st
    born = (("Date of birth", long_date(doc.date_of_birth)) if doc.date_of_birth or not doc.expected_delivery_date
            else ("Expected delivery date", long_date(doc.expected_delivery_date)))
    version = f"Version {doc.version}" + (f", amending {doc.amends}" if doc.amends else "")
    pairs = [
        ("Case reference", doc.case_reference), ("Child", doc.child_name or "Not recorded"),
        born, ("Status", doc.status),
        ("Practitioner", doc.practitioner_name), ("Team", doc.practitioner_team or "Not recorded"),
        ("Started", long_datetime(doc.started_at)), ("Last updated", long_datetime(doc.updated_at)),
        ("Submitted", long_datetime(doc.submitted_at, empty="Not yet submitted")), ("Record", version),
    ]
    return [
        plain_paragraph(kicker.upper(), st.label),
        w.para(doc.checklist_title, st.title),
        w.parts([(f"Checklist version {doc.checklist_version} (", False), (doc.checklist_id, True), (")", False)],
                st.subtitle),
        label_grid(w, pairs),
        *([UnprintableNotice(w)] if notice else []),
    ]


class UnprintableNotice(Flowable):
    """Says which characters no font could print, and how the PDF shows them; nothing when there are none.

    It is laid out after the whole story has been written, so it names every such character in the
    document, wherever it is, even though it stands near the top of the first page.
    """

    def __init__(self, w: Writer) -> None:
        super().__init__()
        self.w = w
        self._table: Table | None = None

    def _content(self) -> Table | None:
        if self._table is None and self.w.unprintable:
            self._table = unprintable_notice(self.w, list(dict.fromkeys(self.w.unprintable)))
        return self._table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        table = self._content()
        self.width, self.height = table.wrap(avail_width, avail_height) if table is not None else (0, 0)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return 8 if self._content() is not None else 0

    def draw(self) -> None:
        table = self._content()
        if table is not None:
            table.drawOn(self.canv, 0, 0)


def unprintable_notice(w: Writer, characters: list[str]) -> Table:
    """A boxed note naming the characters no font has and showing the mark that stands for them."""
    st = w.st
    named = "; ".join(fonts.describe(c) for c in characters[:NOTICE_LISTS])
    if len(characters) > NOTICE_LISTS:
        more = len(characters) - NOTICE_LISTS
        named += f"; and {more} more character{'s' if more != 1 else ''}"
    example = escape(unprintable_marker(characters[0]))
    body = [
        plain_paragraph("Some recorded text cannot be shown in this PDF", st.cell_bold),
        Paragraph("No font on this computer has the characters listed below, so wherever they were recorded "
                  "(a name or a note, for example) this PDF shows their Unicode code points instead, marked "
                  f'like this: <font backcolor="{MARK_BACKGROUND}">{example}</font>. Nothing was left out or '
                  "changed: the record in the app holds the text exactly as it was typed. To print it, ask IT "
                  "support to install a font for this script, then make the PDF again.", st.cell),
        Paragraph(f"<b>Characters not shown:</b> {escape(named)}.", st.small),
    ]
    table = Table([[body]], colWidths=[WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, NAVY), ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                               ("LINEBEFORE", (0, 0), (0, -1), 3, NAVY),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    return table


def label_grid(w: Writer, pairs: list[tuple[str, str]]) -> Table:
    """Label/value pairs, two to a row, labels on a grey ground."""
    st = w.st
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [plain_paragraph(label, st.label), w.para(value, st.cell_bold)]
        rows.append(row + [""] * (4 - len(row)))
    label_w = 30 * mm
    value_w = (WIDTH - 2 * label_w) / 2
    return grid(rows, [label_w, value_w, label_w, value_w], [
        ("BACKGROUND", (0, 0), (0, -1), PANEL), ("BACKGROUND", (2, 0), (2, -1), PANEL),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY), ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
    ])


def _source_titles(ids: Iterable[str], sources: dict[str, SourceLine]) -> str:
    return "; ".join(sources[i].title if i in sources else i for i in ids)


def sort_flags(flags: Iterable[FlagLine]) -> list[FlagLine]:
    """Most severe first; within a severity, in the order raised."""
    return sorted(flags, key=lambda f: SEVERITY_ORDER.index(f.severity))


def severity_band(w: Writer, severity: str) -> list[Paragraph]:
    """The words printed on a severity's coloured band."""
    look = SEVERITY[severity]
    return [plain_paragraph(look.word, w.st.band), plain_paragraph(look.meaning, w.st.band_small)]


def flags(w: Writer, doc: RunDocument) -> list[Flowable]:
    """The flags and recommended actions, most urgent first, as coloured cards."""
    st = w.st
    out: list[Flowable] = [plain_paragraph("Flags and recommended actions", st.h1)]
    ordered = sort_flags(doc.flags)
    if not ordered:
        out.append(_panel(w, "No flags were raised by the answers recorded in this checklist."))
        return out
    count = len(ordered)
    out.append(plain_paragraph(
        f"{count} flag{'s' if count != 1 else ''} raised by the answers below, most urgent first. "
        "Each one needs a recorded response: see “Response to each flag”.", st.small))
    out.append(Spacer(1, 4))
    sources = {s.id: s for s in doc.sources}
    for flag in ordered:
        look = SEVERITY[flag.severity]
        body: list[Flowable] = [
            w.para(flag.message, st.flag_message),
            w.para(flag.action, st.flag_action, lead="Recommended action: "),
        ]
        details = []
        if flag.raised_at:
            details.append(f"Raised {long_datetime(flag.raised_at)}")
        details.append("Response recorded" if _has_response(flag) else "No response recorded yet")
        body.append(plain_paragraph(". ".join(details) + ".", st.small))
        if flag.sources:
            body.append(w.para(_source_titles(flag.sources, sources), st.small, lead="Based on: "))
        thick = 2.2 if flag.severity == "urgent" else 1.2
        card = Table([[severity_band(w, flag.severity), body]], colWidths=[30 * mm, WIDTH - 30 * mm],
                     hAlign="LEFT")
        card.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (0, 0), look.colour), ("BACKGROUND", (1, 0), (1, 0), look.tint),
            ("BOX", (0, 0), (-1, -1), thick, look.colour), ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
            ("VALIGN", (1, 0), (1, 0), "TOP"), ("LEFTPADDING", (1, 0), (1, 0), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        out += [card, Spacer(1, 5)]
    return out


def _has_response(flag: FlagLine) -> bool:
    r = flag.response
    return bool(r and (r.action_taken or r.reason_not_acting))


def _panel(w: Writer, text: str) -> Table:
    table = Table([[plain_paragraph(text, w.st.body)]], colWidths=[WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PANEL), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def answers(w: Writer, sections: Iterable[SectionBlock]) -> list[Flowable]:
    """The answers by section: shown prompts only; skipped sections named with the reason."""
    st = w.st
    out: list[Flowable] = [plain_paragraph("Answers by section", st.h1)]
    for section in sections:
        out += [CondPageBreak(KEEP_SECTION), w.para(section.title, st.h2)]
        if not section.shown:
            reason = section.skipped_because or "the checklist's conditions for this section were not met"
            out.append(w.para(reason, st.skipped, lead="<b>Not asked:</b> "))
            continue
        if not section.answers:
            out.append(plain_paragraph("No questions in this section were shown.", st.skipped))
        for answer in section.answers:
            out += _answer(w, answer)
    return out


def _answer(w: Writer, answer: AnswerLine) -> list[Flowable]:
    """Question, answer, how it is known and the note.

    Each is a paragraph of one style with no inline markup, which reportlab lays out several
    times faster than mixed markup; a conditional page break keeps a question with its answer.
    """
    st = w.st
    out: list[Flowable] = [CondPageBreak(KEEP_QUESTION), w.para(answer.question, st.question)]
    if answer.answer_text:
        out.append(w.para(answer.answer_text, st.answer))
    else:
        out.append(plain_paragraph("Not answered", st.not_answered))
    if answer.how_known_label:
        out.append(w.para(answer.how_known_label, st.meta, lead="How known: "))
    if answer.note:
        out.append(w.para(answer.note, st.meta, lead="Note: "))
    return out


def responses(w: Writer, doc: RunDocument) -> list[Flowable]:
    """What the practitioner recorded against each flag, or that nothing was recorded."""
    st = w.st
    ordered = sort_flags(doc.flags)
    if not ordered:
        return []
    out: list[Flowable] = [plain_paragraph("Response to each flag", st.h1)]
    for flag in ordered:
        look = SEVERITY[flag.severity]
        head = w.para(flag.message, st.cell_bold, lead=f"{look.word}: ")
        r = flag.response
        if r and r.action_taken:
            rows = [[plain_paragraph("Action taken", st.label), w.para(r.action_taken, st.cell)],
                    [plain_paragraph("By whom", st.label), w.para(r.by_whom or "Not recorded", st.cell)],
                    [plain_paragraph("By when", st.label), plain_paragraph(long_date(r.by_when), st.cell)]]
        elif r and r.reason_not_acting:
            rows = [[plain_paragraph("Not acting because", st.label), w.para(r.reason_not_acting, st.cell)]]
        else:
            rows = [[plain_paragraph("Response", st.label),
                     Paragraph("<b>NO RESPONSE RECORDED.</b> Record what you will do, or why not, "
                               "before this checklist is signed off.", st.cell)]]
        table = grid([[head, ""]] + rows, [38 * mm, WIDTH - 38 * mm], [
            ("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (1, 0), look.tint),
            ("LINEBEFORE", (0, 0), (0, -1), 3, look.colour),
        ])
        out += [KeepTogether([table]), Spacer(1, 5)]
    return out


def sources(w: Writer, doc: RunDocument) -> list[Flowable]:
    """The learning and guidance the prompts and flags cite."""
    if not doc.sources:
        return []
    st = w.st
    out: list[Flowable] = [plain_paragraph("Sources of the learning", st.h1)]
    for source in doc.sources:
        pieces = [("<b>", False), (source.title, True), ("</b>", False)]
        if source.document:
            pieces += [(". ", False), (source.document, True)]
        if source.summary:
            pieces += [("<br/>", False), (source.summary, True)]
        out.append(w.parts(pieces, st.small))
        out.append(Spacer(1, 3))
    return out


def review(w: Writer, doc: RunDocument) -> list[Flowable]:
    """The supervisor's review and sign-off, or an empty block to complete by hand."""
    st = w.st
    out: list[Flowable] = [plain_paragraph("Supervisor review and sign-off", st.h1)]
    if doc.reviews:
        for item in doc.reviews:
            rows = [[plain_paragraph("Decision", st.label), w.para(item.decision, st.cell_bold),
                     plain_paragraph("Supervisor", st.label), w.para(item.supervisor, st.cell_bold)],
                    [plain_paragraph("Date and time", st.label), plain_paragraph(long_datetime(item.at), st.cell),
                     "", ""],
                    [plain_paragraph("Comment", st.label), w.para(item.comment or "No comment recorded.", st.cell),
                     "", ""]]
            out += [KeepTogether([grid(rows, [30 * mm, 55 * mm, 25 * mm, WIDTH - 110 * mm], [
                ("SPAN", (1, 1), (3, 1)), ("SPAN", (1, 2), (3, 2)),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY), ("BACKGROUND", (0, 0), (0, -1), PANEL),
                ("BACKGROUND", (2, 0), (2, 0), PANEL),
            ])]), Spacer(1, 6)]
        return out
    out.append(plain_paragraph("Not yet reviewed. To sign off on paper, complete and sign below.", st.small))
    out.append(Spacer(1, 4))
    line = [("LINEBELOW", (1, i), (1, i), 0.6, colors.black) for i in range(4)]
    rows = [[plain_paragraph("Decision", st.label),
             plain_paragraph("Agreed  /  Returned for more work  (delete one)", st.cell)],
            [plain_paragraph("Supervisor name", st.label), ""],
            [plain_paragraph("Signature", st.label), ""],
            [plain_paragraph("Date", st.label), ""],
            [plain_paragraph("Comment", st.label), ""]]
    table = Table(rows, colWidths=[35 * mm, WIDTH - 35 * mm], rowHeights=[9 * mm] * 4 + [22 * mm],
                  hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("VALIGN", (0, 4), (0, 4), "TOP"),
                               ("BOX", (1, 4), (1, 4), 0.6, colors.black),
                               ("BOX", (0, 0), (-1, -1), 0.8, NAVY), *line]))
    out.append(KeepTogether([table]))
    return out


def fingerprint(w: Writer, doc: RunDocument) -> list[Flowable]:
    """A short prefix of the audit chain's head, and what it is for."""
    st = w.st
    digest = doc.audit_fingerprint.strip()
    if digest:
        short = " ".join(digest[i:i + 4] for i in range(0, min(len(digest), FINGERPRINT_CHARS), 4))
        code = w.para(short + ("\u2026" if len(digest) > FINGERPRINT_CHARS else ""), st.body,
                      lead="<b>Record fingerprint:</b> ")
    else:
        code = Paragraph("<b>Record fingerprint:</b> none (this record has no saved history yet).", st.body)
    explain = plain_paragraph(
        "The fingerprint is worked out from the saved history of this record: every answer, change and "
        "sign-off. Any change to the record changes it, so this printout can be checked against the "
        "record held in the app.", st.small)
    table = Table([[[code, explain]]], colWidths=[WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [Spacer(1, 10), KeepTogether([table])]


def run_story(w: Writer, doc: RunDocument, kicker: str = "Safeguarding practice checklist record",
              notice: bool = True) -> list[Flowable]:
    """Everything one run's record prints, in reading order (`notice`: see `header`)."""
    return [*header(w, doc, kicker, notice), *flags(w, doc), *answers(w, doc.sections), *responses(w, doc),
            *sources(w, doc), *review(w, doc), *fingerprint(w, doc)]

