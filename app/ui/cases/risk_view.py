"""The cumulative risk picture of a case: every flag raised on any of its checklists, over time.

One checklist shows what one visit found; reviews keep finding that the pattern across visits was the
warning nobody saw ("start again syndrome"). This view puts every flag from every run of the case on
one timeline and one table: when it was raised, how serious, on which checklist, what it said, whether
it is still current, and what was done about it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import Severity
from app.ui import theme
from app.ui.cases import words

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Raised", "Severity", "Checklist", "Flag", "Now")
RAISED, SEVERITY, CHECKLIST, MESSAGE, NOW = range(len(COLUMNS))


def response_text(response: dict | None) -> str:
    """What was recorded about a flag, in one line."""
    if not response:
        return "No response recorded"
    action = (response.get("action_taken") or "").strip()
    if action:
        who = (response.get("by_whom") or "").strip()
        when = (response.get("by_when") or "").strip()
        when_text = words.format_date(when, empty=when) if when else ""
        extra = ", ".join(part for part in (who, f"by {when_text}" if when_text else "") if part)
        return f"{action} ({extra})" if extra else action
    reason = (response.get("reason_not_acting") or "").strip()
    return f"Not acting: {reason}" if reason else "No response recorded"


class RiskModel(QAbstractTableModel):
    """Flags of one case, oldest first (a case has tens of flags, so they are read whole)."""

    def __init__(self, flags: list[dict[str, Any]], title_for: Callable[[str], str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.title_for = title_for
        self._flags = list(flags)

    def set_flags(self, flags: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._flags = list(flags)
        self.endResetModel()

    def flag(self, row: int) -> dict[str, Any] | None:
        return self._flags[row] if 0 <= row < len(self._flags) else None

    def all_flags(self) -> list[dict[str, Any]]:
        return list(self._flags)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._flags)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS) \
                and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._flags) or index.column() >= len(COLUMNS):
            return None
        flag = self._flags[index.row()]
        column = index.column()
        severity = Severity(flag["severity"])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(flag, column, severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == RAISED:
                return words.format_time(flag.get("raised_at"))
            if column == SEVERITY:
                return severity.label
            if column == MESSAGE:
                return (f"{flag.get('message', '')}\n\nRecommended: {flag.get('action', '')}\n\n"
                        f"What was done: {response_text(flag.get('response'))}")
            return None
        if column == SEVERITY and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            fg, bg = theme.severity_colours(severity)
            return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if column == SEVERITY and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and flag.get("cleared_at") and column != SEVERITY:
            return QBrush(QColor(theme.COLOURS["muted"]))
        return None

    def _text(self, flag: dict[str, Any], column: int, severity: Severity) -> str:
        if column == RAISED:
            return words.format_date(flag.get("raised_at"))
        if column == SEVERITY:
            return theme.SEVERITY_WORDS[severity]
        if column == CHECKLIST:
            return self.title_for(flag.get("checklist_id") or "")
        if column == MESSAGE:
            return flag.get("message") or ""
        cleared = flag.get("cleared_at")
        return f"Cleared {words.format_date(cleared)}" if cleared else "Current"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def summary(flags: list[dict[str, Any]], title_for: Callable[[str], str]) -> str:
    """One paragraph: how many flags, how serious, from how many checklists, how many still current."""
    if not flags:
        return ("No flags have been raised on this case's checklists. Flags from every checklist on this "
                "case will appear here together, oldest first.")
    counts = Counter(Severity(f["severity"]) for f in flags)
    parts = [f"{counts[s]} {theme.SEVERITY_WORDS[s].lower()}" for s in Severity if counts[s]]
    checklists = {f.get("checklist_id") for f in flags}
    current = sum(1 for f in flags if not f.get("cleared_at"))
    first = words.format_date(flags[0].get("raised_at"))
    text = (f"{len(flags)} flag{'s' if len(flags) != 1 else ''} raised since {first}: {', '.join(parts)}. "
            f"{current} still current.")
    if len(checklists) > 1:
        names = sorted(title_for(c or "") for c in checklists)
        text += (f" They come from {len(checklists)} different checklists ({'; '.join(names)}): read them "
                 "together, as the pattern may matter more than any single flag.")
    return text


class Timeline(QWidget):
    """A strip from the first flag to today with one mark per flag, coloured by severity.

    More serious flags are drawn higher, so a run of serious flags stands out at a glance. The table
    below holds the same information in words (for screen readers and for detail).
    """

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._flags: list[dict[str, Any]] = []
        self.setAccessibleName("Timeline of flags")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.fontMetrics().height() * 6)

    def set_flags(self, flags: list[dict[str, Any]]) -> None:
        self._flags = list(flags)
        self.setVisible(bool(flags))
        self.update()

    def _span(self) -> tuple[dt.date, dt.date]:
        dates = [d for d in (words.parse_date(f.get("raised_at")) for f in self._flags) if d]
        start = min(dates) if dates else self.today()
        end = max(max(dates) if dates else start, self.today())
        if (end - start).days < 14:
            start = end - dt.timedelta(days=14)
        return start, end

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line_h = metrics.height()
        left, right = 12.0, float(self.width() - 12)
        axis_y = float(self.height() - line_h - 8)
        painter.setPen(QPen(QColor(theme.COLOURS["border"]), 1.5))
        painter.drawLine(QPointF(left, axis_y), QPointF(right, axis_y))
        start, end = self._span()
        days = max((end - start).days, 1)
        painter.setPen(QColor(theme.COLOURS["muted"]))
        painter.drawText(QRectF(left, axis_y + 4, 200, line_h), Qt.AlignmentFlag.AlignLeft,
                         words.format_date(start))
        painter.drawText(QRectF(right - 200, axis_y + 4, 200, line_h), Qt.AlignmentFlag.AlignRight,
                         f"Today, {words.format_date(end)}" if end == self.today() else words.format_date(end))
        radius = max(5.0, line_h * 0.36)
        band = (axis_y - radius * 2 - 6) / 4
        stacked: Counter[tuple[int, int]] = Counter()
        for flag in self._flags:
            day = words.parse_date(flag.get("raised_at"))
            if day is None:
                continue
            severity = Severity(flag["severity"])
            x = left + radius + (right - left - 2 * radius) * (day - start).days / days
            slot = (round(x / (radius * 2)), severity.rank)
            offset = stacked[slot] * radius * 0.9
            stacked[slot] += 1
            y = radius + 4 + band * severity.rank
            fg, bg = theme.severity_colours(severity)
            painter.setPen(QPen(QColor(theme.COLOURS["border_light"]), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x + offset, y), QPointF(x + offset, axis_y))
            painter.setPen(QPen(fg, 2))
            painter.setBrush(fg if not flag.get("cleared_at") else bg)
            painter.drawEllipse(QPointF(x + offset, y), radius, radius)
        painter.end()


class RiskView(QWidget):
    """Summary, timeline and table of every flag raised across the case's checklists."""

    def __init__(self, ws: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case_id = case_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("RiskSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Summary of flags across all checklists")
        layout.addWidget(self.summary_label)
        self.timeline = Timeline(ws.today)
        layout.addWidget(self.timeline)
        legend = QLabel(self._legend())
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setProperty("role", "muted")
        legend.setAccessibleName("Key to the timeline")
        self.legend = legend
        layout.addWidget(legend)
        self.model = RiskModel([], self.title_for, self)
        self.table = QTableView()
        self.table.setObjectName("RiskTable")
        self.table.setAccessibleName("Flags raised on this case, oldest first")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((RAISED, 105), (SEVERITY, 100), (CHECKLIST, 165), (NOW, 125)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setObjectName("RiskDetail")
        self.detail.setProperty("role", "note")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("The selected flag: recommended action and what was done")
        layout.addWidget(self.detail)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self.show_detail(current.row()))
        self.refresh()

    @staticmethod
    def _legend() -> str:
        parts = []
        for severity in Severity:
            fg, _bg = theme.SEVERITY_COLOURS[severity]
            parts.append(f"<span style='color:{fg}'>●</span> {theme.SEVERITY_WORDS[severity]}")
        return ("Higher marks are more serious. Filled: still current; pale: cleared. &nbsp; "
                + " &nbsp; ".join(parts))

    def title_for(self, checklist_id: str) -> str:
        checklist = self.ws.catalog.checklists.get(checklist_id)
        return checklist.title if checklist is not None else checklist_id

    def refresh(self) -> None:
        flags = self.ws.case_flags(self.case_id)
        self.model.set_flags(flags)
        self.timeline.set_flags(flags)
        self.legend.setVisible(bool(flags))
        self.table.setVisible(bool(flags))
        self.summary_label.setText(summary(flags, self.title_for))
        self.table.resizeRowsToContents()
        if flags:
            self.table.selectRow(len(flags) - 1)  # the latest
            self.show_detail(len(flags) - 1)
        else:
            self.detail.hide()

    def show_detail(self, row: int) -> None:
        """Under the table: the selected flag's recommended action and what was recorded about it."""
        flag = self.model.flag(row)
        if flag is None:
            self.detail.hide()
            return
        severity = Severity(flag["severity"])
        fg, _bg = theme.SEVERITY_COLOURS[severity]
        checklist = self.title_for(flag.get("checklist_id") or "")
        raised = words.format_time(flag.get("raised_at"))
        whose = f" (completed by {flag['practitioner']})" if flag.get("practitioner") else ""
        self.detail.setText(
            f"<b style='color:{fg}'>{_escape(severity.label)}</b><br>"
            f"Raised {_escape(raised)} on {_escape(checklist)}{_escape(whose)}.<br>"
            f"<b>Recommended:</b> {_escape(flag.get('action') or '')}<br>"
            f"<b>What was done:</b> {_escape(response_text(flag.get('response')))}")
        self.detail.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
