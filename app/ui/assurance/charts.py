"""Tiles and bar charts for the assurance dashboard, painted with QPainter so they stay crisp at any
scale and carry their figures as accessible text (a screen reader hears every number, not a picture)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.ui import theme

BAR = QColor(theme.COLOURS["primary"])
TRACK = QColor("#e3e8ee")
TRACK_EDGE = QColor(theme.COLOURS["border_light"])
TEXT = QColor(theme.COLOURS["text"])
MUTED = QColor(theme.COLOURS["muted"])


@dataclass(frozen=True)
class BarRow:
    """One bar: its label, its value, and the total it is a share of (None: a plain count)."""

    label: str
    value: int
    of: int | None = None

    @property
    def text(self) -> str:
        if self.of is None:
            return str(self.value)
        percent = f" ({round(100 * self.value / self.of)}%)" if self.of else ""
        return f"{self.value} of {self.of}{percent}"


class BarChart(QWidget):
    """Horizontal bars, one per row: the label on the left (wrapping to two lines), the bar, then the figure.

    A row with a total is drawn as its share of the total. A plain count is printed as a number alone, unless
    the chart is made with `count_bars=True` (a ranking), when it is drawn against the largest count."""

    def __init__(self, title: str, parent: QWidget | None = None, count_bars: bool = False) -> None:
        super().__init__(parent)
        self.title = title
        self.count_bars = count_bars
        self.rows: list[BarRow] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by keyboard, so its description can be read

    def set_rows(self, rows: Sequence[BarRow]) -> None:
        self.rows = list(rows)
        description = "; ".join(f"{r.label}: {r.text}" for r in self.rows) or "No figures"
        self.setAccessibleDescription(description)
        self.setToolTip("\n".join(f"{r.label}: {r.text}" for r in self.rows))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).lineSpacing() * 2 + 8

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(520, max(1, len(self.rows)) * self._row_height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(320, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        width = self.width()
        value_width = metrics.horizontalAdvance("000 of 000 (100%)") + 8
        label_width = int(min(max(width * 0.42, 160), width - value_width - 80))
        bar_left = label_width + 12
        bar_width = max(40, width - bar_left - value_width - 8)
        row_h = self._row_height()
        bar_h = max(10, metrics.height() - 2)
        largest = max([r.value for r in self.rows if r.of is None] + [1])
        bold = self.font()
        bold.setBold(True)
        for index, row in enumerate(self.rows):
            top = index * row_h
            painter.setPen(TEXT)
            painter.setFont(self.font())
            painter.drawText(QRectF(0, top, label_width, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             "\n".join(two_lines(row.label, label_width, metrics)))
            value_left = bar_left + bar_width + 10
            if row.of is None and not self.count_bars:
                painter.setFont(bold)
                painter.drawText(QRectF(value_left, top, value_width, row_h),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, row.text)
                self._rule(painter, index, top + row_h, width)
                continue
            track = QRectF(bar_left, top + (row_h - bar_h) / 2, bar_width, bar_h)
            painter.setPen(TRACK_EDGE)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(track, 3, 3)
            share = (row.value / row.of if row.of else 0.0) if row.of is not None else row.value / largest
            if share > 0:
                fill = QRectF(track.left(), track.top(), max(track.width() * min(share, 1.0), 3), track.height())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR if row.of is not None else QColor(theme.COLOURS["accent"]))
                painter.drawRoundedRect(fill, 3, 3)
            painter.setPen(TEXT)
            painter.setFont(bold)
            painter.drawText(QRectF(value_left, top, value_width, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, row.text)
            self._rule(painter, index, top + row_h, width)
        painter.end()

    def _rule(self, painter: QPainter, index: int, y: int, width: int) -> None:
        if index < len(self.rows) - 1:
            painter.setPen(QColor(theme.COLOURS["border_light"]))
            painter.drawLine(0, y, width, y)


def two_lines(text: str, width: int, metrics: QFontMetrics) -> list[str]:
    """`text` wrapped at word boundaries into at most two lines of `width`, the second elided if need be."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = metrics.elidedText(f"{lines[-1]} {' '.join(words)}", Qt.TextElideMode.ElideRight, width)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


class Tile(QFrame):
    """A headline figure: the big number (a percentage, or a count), 'x of y', what it counts, the question."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AssuranceTile")
        self.setProperty("role", "card")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(2)
        self.figure = QLabel()
        self.figure.setFont(theme.scaled_font(2.2, bold=True))
        self.figure.setStyleSheet(f"color: {theme.COLOURS['primary']};")
        self.detail = QLabel()
        self.detail.setProperty("role", "muted")
        self.label = QLabel()
        self.label.setProperty("role", "subheading")
        self.label.setWordWrap(True)
        self.question = QLabel()
        self.question.setProperty("role", "muted")
        self.question.setWordWrap(True)
        for widget in (self.figure, self.detail, self.label, self.question):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_figure(self, big: str, detail: str, label: str, question: str, spoken: str = "") -> None:
        """Show a figure; `spoken` is the figure in words for screen readers (default: `detail`)."""
        self.figure.setText(big)
        self.detail.setText(detail)
        self.label.setText(label)
        self.question.setText(question)
        self.setAccessibleName(f"{label}: {big}")
        self.setAccessibleDescription(f"{question} {label}: {spoken or detail}.")
