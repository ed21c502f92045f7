"""The page furniture every report page carries, and the document template that draws it.

Top and bottom: the protective marking OFFICIAL-SENSITIVE. Bottom: the date of printing, a short
running title and "Page N of M". Training documents also get a diagonal watermark (drawn before
the page's content, so it sits underneath) and a banner under the top marking.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from app.report import fonts
from app.report.styles import MUTED, NAVY, RULE, WATERMARK
from app.report.text import long_datetime

MARKING = "OFFICIAL-SENSITIVE"
TRAINING_MARK = "TRAINING \u2014 FICTIONAL DATA"
TRAINING_BANNER = "TRAINING \u2014 FICTIONAL DATA. Made in the training workspace: not a real child or case."
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm


@dataclass(frozen=True)
class PageInfo:
    """What the page furniture prints: the running title (a paragraph in the footer style, made by
    `blocks.Writer` like any recorded text), printing time, training."""

    running_title: Flowable
    printed_at: datetime
    training: bool
    running_plain: str = ""  # the running title as plain text when it needs no markup (drawn directly)


def _draw_furniture(canvas: Canvas, info: PageInfo) -> None:
    width, height = A4
    canvas.saveState()
    if info.training:
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.setFont(fonts.BASE.bold, 46)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -16, TRAINING_MARK)
        canvas.restoreState()
    canvas.setFillColor(NAVY)
    canvas.setFont(fonts.BASE.bold, 10)
    canvas.drawCentredString(width / 2, height - 11 * mm, MARKING)
    if info.training:
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(1)
        canvas.setDash(3, 2)
        canvas.rect(MARGIN_X, height - 19.5 * mm, width - 2 * MARGIN_X, 6 * mm)
        canvas.setDash()
        canvas.setFont(fonts.BASE.bold, 8.5)
        canvas.drawCentredString(width / 2, height - 17.3 * mm, TRAINING_BANNER)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, 17 * mm, width - MARGIN_X, 17 * mm)
    canvas.setFont(fonts.BASE.regular, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, 13 * mm, f"Printed {long_datetime(info.printed_at)}")
    room = width - 2 * MARGIN_X - 35 * mm
    if info.running_plain and canvas.stringWidth(info.running_plain, fonts.BASE.regular, 7.5) <= room:
        canvas.drawString(MARGIN_X, 9.3 * mm, info.running_plain)
    else:
        _, used = info.running_title.wrapOn(canvas, room, 10 * mm)
        info.running_title.drawOn(canvas, MARGIN_X, 12 * mm - used)
    canvas.setFillColor(NAVY)
    canvas.setFont(fonts.BASE.bold, 10)
    canvas.drawCentredString(width / 2, 5.5 * mm, MARKING)
    canvas.restoreState()


def _numbered_canvas(info: PageInfo):
    """A Canvas class that holds pages back until the end, then writes "Page N of M" on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(fonts.BASE.bold, 8.5)
                self.setFillColor(NAVY)
                self.drawRightString(A4[0] - MARGIN_X, 13 * mm, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(story: list, info: PageInfo, *, title: str, author: str, subject: str) -> bytes:
    """Lay out `story` on A4 pages with the furniture and return the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP + (4 * mm if info.training else 0), bottomMargin=MARGIN_BOTTOM,
        title=title, author=author, subject=subject, creator="Safeguarding Practice Checklists",
        keywords=MARKING + (", training, fictional data" if info.training else ""),
    )

    def on_page(canvas: Canvas, _doc) -> None:
        _draw_furniture(canvas, info)

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_numbered_canvas(info))
    return buffer.getvalue()
