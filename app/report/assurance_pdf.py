"""The partnership board's assurance PDF: the dashboard's figures on A4, with the usual page furniture
(OFFICIAL-SENSITIVE top and bottom, date printed, "Page N of M", training watermark when it applies).

    build_assurance_pdf(figures) -> bytes      # figures: app.assurance.AssuranceFigures

Figures only: counts, percentages and the wording of checklists and flags. Nothing in the figures names a
child, a case or a practitioner, and nothing here adds one.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from app.report.blocks import WIDTH, UnprintableNotice, Writer, grid, label_grid, plain_paragraph, severity_band
from app.report.builders import page_info
from app.report.page import MARKING, render_pdf
from app.report.styles import NAVY, PANEL, RULE, SEVERITY
from app.report.text import long_datetime

if TYPE_CHECKING:  # the use case module; only its plain dataclasses are read here
    from app.assurance import AssuranceFigures, Measure, Question

TITLE = "Is the learning from reviews being applied?"
RUNNING_TITLE = "Partnership assurance figures"
FIGURES_ONLY = ("Figures only: this report counts checklists and answers. It names no child, case or "
                "practitioner.")


class Bar(Flowable):
    """A horizontal bar: a pale track with the share filled in navy. Drawn, so it prints crisply."""

    def __init__(self, share: float, width: float, height: float = 7) -> None:
        super().__init__()
        self.share = max(0.0, min(1.0, share))
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(PANEL)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        if self.share > 0:
            canvas.setFillColor(NAVY)
            canvas.rect(0, 0, max(self.width * self.share, 1.2), self.height, stroke=0, fill=1)
        canvas.restoreState()


def build_assurance_pdf(figures: "AssuranceFigures", printed_at: datetime | None = None) -> bytes:
    """The A4 assurance PDF for the partnership board.

    Always made: characters no font has print as their code points, and a note near the top says so.
    """
    w = Writer()
    story = _opening(w, figures)
    story += _headlines(w, figures)
    for question in figures.questions:
        story += _question(w, question)
    story += _top_flags(w, figures)
    story += _checklists(w, figures)
    story += [Spacer(1, 8), plain_paragraph(FIGURES_ONLY, w.st.small)]
    info = page_info(w, f"{RUNNING_TITLE} \u00b7 {figures.period_text} \u00b7 {figures.team_text}", printed_at,
                     figures.training)
    return render_pdf(story, info, title=f"{RUNNING_TITLE}: {figures.period_text}",
                      author=figures.partnership or "Safeguarding Practice Checklists",
                      subject=f"Partnership assurance figures ({MARKING})")


def _opening(w: Writer, figures: "AssuranceFigures") -> list[Flowable]:
    st = w.st
    pairs = [("Period", figures.period_text), ("Team", figures.team_text),
             ("Checklists counted", str(figures.runs.value)),
             ("Produced", long_datetime(figures.generated_at))]
    lead = (f"For {figures.partnership}. " if figures.partnership else "") + (
        "Counts from the checklists practitioners completed, to help the partnership seek assurance that the "
        "learning from child safeguarding practice reviews is applied in everyday work.")
    return [
        plain_paragraph("PARTNERSHIP ASSURANCE REPORT", st.label),
        plain_paragraph(TITLE, st.title),
        w.para(lead, st.subtitle),
        label_grid(w, pairs),
        UnprintableNotice(w),
        plain_paragraph("Checklists counted: those started in the period by the team, latest version of each "
                        "(an amendment replaces the version it amends).", st.small),
    ]


def _headlines(w: Writer, figures: "AssuranceFigures") -> list[Flowable]:
    """One cell per question: the big figure, what it is, and the question."""
    st = w.st
    cells = []
    for question in figures.questions:
        headline = question.headline
        big = f"{headline.percent}%" if headline.percent is not None else str(headline.value)
        if headline.of is not None and headline.percent is None:
            big = "None"
        sub = f"{headline.value} of {headline.of}" if headline.of is not None else "in total"
        cells.append([plain_paragraph(big, st.title), plain_paragraph(sub, st.label),
                      w.para(headline.label, st.cell_bold), w.para(question.title, st.small)])
    width = WIDTH / max(len(cells), 1)
    table = Table([cells], colWidths=[width] * len(cells), hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, NAVY), ("LINEAFTER", (0, 0), (-2, -1), 2, "white"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
    return [plain_paragraph("At a glance", st.h1), table]


def _measure_rows(w: Writer, measures: Any) -> Table:
    st = w.st
    label_w, count_w = WIDTH - 108 * mm, 34 * mm
    bar_w = WIDTH - label_w - count_w
    rows = []
    for m in measures:
        # a bar only for a share of a total; a plain count is printed as a number alone
        bar = Bar(m.value / m.of if m.of else 0.0, bar_w - 10) if m.of is not None else ""
        rows.append([w.para(m.label, st.cell), bar, plain_paragraph(m.text, st.cell_bold)])
    return grid(rows, [label_w, bar_w, count_w], [("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


def _question(w: Writer, question: "Question") -> list[Flowable]:
    st = w.st
    headline = question.headline
    return [
        KeepTogether([
            w.para(question.title, st.h1),
            w.para(question.learning, st.small, lead="Based on: "),
            Spacer(1, 3),
            w.para(f"{headline.label}: {headline.text}", st.flag_message),
            Spacer(1, 3),
            _measure_rows(w, question.breakdown),
        ]),
        Spacer(1, 2),
        w.para(question.counted, st.small, lead="How this is counted: "),
    ]


def _checklists(w: Writer, figures: "AssuranceFigures") -> list[Flowable]:
    st = w.st
    return [
        KeepTogether([plain_paragraph("Checklists started, by checklist", st.h1),
                      _measure_rows(w, figures.by_checklist)]),
        KeepTogether([plain_paragraph("Where they are in review", st.h2), _measure_rows(w, figures.by_status)]),
    ]


def _top_flags(w: Writer, figures: "AssuranceFigures") -> list[Flowable]:
    st = w.st
    out: list[Flowable] = [plain_paragraph("Most frequent flags", st.h1)]
    if not figures.top_flags:
        out.append(plain_paragraph("No checklist counted here raised a flag.", st.body))
        return out
    head = [plain_paragraph(t, st.label) for t in ("Flag", "Checklist", "Severity", "Raised", "With a response")]
    rows: list[list] = [head]
    extra: list = [("BACKGROUND", (0, 0), (-1, 0), PANEL), ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY)]
    for i, flag in enumerate(figures.top_flags, start=1):
        rows.append([w.para(flag.flag, st.cell), w.para(flag.checklist, st.cell), severity_band(w, flag.severity),
                     plain_paragraph(str(flag.raised), st.cell_bold),
                     plain_paragraph(f"{flag.responded} of {flag.raised}", st.cell)])
        extra += [("BACKGROUND", (2, i), (2, i), SEVERITY[flag.severity].colour), ("VALIGN", (2, i), (2, i), "MIDDLE")]
    table = grid(rows, [WIDTH - 115 * mm, 38 * mm, 31 * mm, 16 * mm, 30 * mm], extra)
    table.repeatRows = 1
    out.append(table)
    return out
