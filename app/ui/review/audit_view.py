"""A run's audit trail: who changed what, when, from what to what; and whether its hash chain verifies.

The banner above the table says in plain words whether every entry still matches its fingerprint. If
not, it is a clear warning naming the first entry that fails, and that row is marked in the table."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from app.domain.case_facts import CaseFacts
from app.domain.engine import Answer
from app.domain.model import Checklist, HowKnown, Severity
from app.supervision import STATUS_WORDS, AuditReport
from app.ui import theme
from app.ui.cases import words
from app.ui.walkthrough.summary import answer_words

CELL_LIMIT = 140
COLUMNS = ("When", "Who", "What changed", "Before", "After")
WHEN, WHO, WHAT, BEFORE, AFTER = range(len(COLUMNS))
_ANSWER_FIELDS = {"value": "Answer", "note": "Note on the answer", "how_known": "How it is known",
                  "reported_by": "Reported by"}
_RESPONSE_FIELDS = {"action_taken": "action taken", "by_whom": "by whom", "by_when": "by when",
                    "reason_not_acting": "reason for not acting"}
_REVIEW_WORDS = {"comment": "Supervision comment", "returned": "Returned to the practitioner",
                 "signed_off": "Signed off"}

Index = QModelIndex | QPersistentModelIndex


def stamp_words(value: object) -> str:
    """'25 Nov 2026, 14:05:09' in local time: audit times keep their seconds."""
    stamp = words.local_time(value)
    return f"{stamp.day} {stamp.strftime('%b %Y, %H:%M:%S')}" if stamp else str(value)


class AuditWords:
    """Audit rows in plain words, using the run's checklist for the questions and answers."""

    def __init__(self, checklist: Checklist, facts: CaseFacts | None = None) -> None:
        self.checklist = checklist
        self.facts = facts or CaseFacts()
        self.flag_messages = {f.id: f.message for f in checklist.flags}

    def _ask(self, prompt_id: str) -> str:
        return self.checklist.prompt(prompt_id).ask if self.checklist.has_prompt(prompt_id) else prompt_id

    def what(self, row: Mapping[str, Any]) -> str:
        entity, field = row["entity"], row["field"]
        key = str(row["entity_id"]).split("/", 1)[-1]
        if entity == "run":
            if field == "created":
                new = row["new_value"] if isinstance(row["new_value"], dict) else {}
                return "Amendment started" if new.get("amends_run_id") else "Checklist started"
            return "Status" if field == "status" else field.replace("_", " ").capitalize()
        if entity == "answer":
            return f"{_ANSWER_FIELDS.get(field, field)}: {self._ask(key)}"
        if entity == "flag":
            message = self.flag_messages.get(key, key)
            if field == "raised":
                return f"Flag raised: {message}"
            if field == "cleared_at":
                return f"Flag cleared (no longer raised by the answers): {message}"
            return f"Flag {field} changed: {message}"
        if entity == "flag_response":
            return f"Response to the flag, {_RESPONSE_FIELDS.get(field, field)}: {self.flag_messages.get(key, key)}"
        if entity == "review":
            return _REVIEW_WORDS.get(field, field)
        return f"{entity} {field}".replace("_", " ").capitalize()

    def value(self, row: Mapping[str, Any], value: Any) -> str:
        if value is None or value == "":
            return ""
        entity, field = row["entity"], row["field"]
        key = str(row["entity_id"]).split("/", 1)[-1]
        if entity == "run" and field == "status":
            return STATUS_WORDS.get(str(value), str(value))
        if entity == "run" and field == "created" and isinstance(value, dict):
            return STATUS_WORDS.get(str(value.get("status")), "In progress")
        if entity == "answer" and field == "value" and self.checklist.has_prompt(key):
            return answer_words(self.checklist.prompt(key), Answer(value), self.facts) or str(value)
        if entity == "answer" and field == "how_known":
            try:
                return HowKnown(value).label
            except ValueError:
                return str(value)
        if entity == "flag" and field == "raised" and isinstance(value, dict):
            try:
                return theme.SEVERITY_WORDS[Severity(value.get("severity"))]
            except ValueError:
                return str(value.get("severity", ""))
        if entity == "flag" and field == "cleared_at":
            return words.format_time(value) or str(value)
        if isinstance(value, dict):
            return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if v not in (None, ""))
        if isinstance(value, (list, tuple)):
            return "; ".join(str(v) for v in value)
        return str(value)


class AuditTableModel(QAbstractTableModel):
    """Audit rows, oldest first. The first row that fails verification (if any) is marked."""

    def __init__(self, rows: list[dict[str, Any]], describer: AuditWords, broken_id: int | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.describer = describer
        self.broken_id = broken_id
        self._cache: dict[int, tuple[str, ...]] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
                return str(self.rows[section]["id"])
        return None

    def _texts(self, row_number: int) -> tuple[str, ...]:
        if row_number not in self._cache:
            row = self.rows[row_number]
            self._cache[row_number] = (
                stamp_words(row["at"]),
                str(row["who"]),
                self.describer.what(row),
                self.describer.value(row, row["old_value"]),
                self.describer.value(row, row["new_value"]),
            )
        return self._cache[row_number]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(COLUMNS):
            return None
        text = self._texts(index.row())[index.column()]
        broken = self.rows[index.row()]["id"] == self.broken_id
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - 1] + "…"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if broken:
                return "This entry does not match its fingerprint or its place in the chain."
            return text if len(text) > CELL_LIMIT or index.column() == WHAT else None
        if broken and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(theme.COLOURS["error_bg"])
        if broken and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(theme.COLOURS["error"])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def row_of(self, audit_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r["id"] == audit_id), None)


def banner_words(report: AuditReport) -> str:
    """What the banner says about the chain check."""
    check = report.check
    if check.ok:
        return (f"The audit trail is intact: all {check.checked} entries for this checklist match their "
                "fingerprints, so nothing has been changed or removed outside the app.")
    return ("Warning: this checklist's audit trail does not verify. " + check.user_message +
            " Do not rely on this record until it has been checked.")


class AuditView(QWidget):
    """The verification banner and the table of audit rows for one run."""

    def __init__(self, report: AuditReport, describer: AuditWords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)

        self.banner = QFrame()
        self.banner.setObjectName("AuditBanner")
        self.banner.setProperty("ok", "true" if report.ok else "false")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 8, 12, 8)
        icon = QLabel()
        icon.setPixmap(theme.icon("saved" if report.ok else "warning",
                                  theme.COLOURS["ok"] if report.ok else theme.COLOURS["error"]).pixmap(22, 22))
        banner_layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.banner_label = QLabel(banner_words(report))
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not report.ok:
            self.banner_label.setFont(theme.scaled_font(1.0, bold=True))
        self.banner_label.setAccessibleName("Audit trail check")
        banner_layout.addWidget(self.banner_label, 1)
        layout.addWidget(self.banner)

        intro = QLabel("Every change to this checklist, oldest first: who made it, when, and what it was before "
                       "and after. Times are shown in this computer's time zone.")
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = AuditTableModel(report.rows, describer, report.check.first_broken_id, self)
        self.table = QTableView()
        self.table.setObjectName("AuditTable")
        self.table.setAccessibleName("Audit trail")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setToolTip("Entry number")
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        em = self.fontMetrics().horizontalAdvance("m")
        for column, width in ((WHEN, 12), (WHO, 10), (BEFORE, 14), (AFTER, 18)):
            self.table.setColumnWidth(column, width * em)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        if not report.ok and report.check.first_broken_id is not None:
            row = self.model.row_of(report.check.first_broken_id)
            if row is not None:
                self.table.scrollTo(self.model.index(row, 0))
