"""The review queue: filters, a sortable table of runs and Open.

Layout and wiring only: the model asks the store through app.supervision, and `open_requested(run_id)`
tells the page which run the supervisor wants to read.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QStackedWidget, QVBoxLayout, QWidget,
)

from app.supervision import QueueFilter, Supervision
from app.ui import theme
from app.ui.errors import describe
from app.ui.record_table import empty_label, record_table
from app.ui.review.queue_model import CASE, CHANGED, CHECKLIST, CHILD, FLAG, PRACTITIONER, STATUS, ReviewQueueModel

TYPING_DELAY_MS = 300
ANY = ""
# (value, words) for the period filter; the number is how many days back, None for any time.
PERIODS: tuple[tuple[str, str, int | None], ...] = (
    ("any", "Any time", None),
    ("today", "Today", 0),
    ("week", "Last 7 days", 6),
    ("month", "Last 30 days", 29),
    ("between", "Between dates…", None),
)
SEVERITY_CHOICES: tuple[tuple[str, str], ...] = (
    (ANY, "Any, or none"),
    ("urgent", "Urgent"),
    ("act", "Act or more severe"),
    ("consider", "Consider or more severe"),
    ("info", "Any open flag"),
)


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for value, text in items:
        combo.addItem(text, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class ReviewQueueView(QWidget):
    """Filters across the top, the queue table, and Open."""

    open_requested = Signal(int)

    def __init__(self, supervision: Supervision, parent: QWidget | None = None, page_size: int = 200,
                 today: Any = None) -> None:
        super().__init__(parent)
        self.supervision = supervision
        self.today = today or supervision.workspace.today
        self.setObjectName("ReviewQueue")
        self.model = ReviewQueueModel(supervision, page_size=page_size, on_error=self._show_problem, parent=self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        top = QHBoxLayout()
        title = QLabel("Review queue")
        title.setProperty("role", "title")
        top.addWidget(title)
        top.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.count_label.setAccessibleName("Number of checklists in the queue")
        top.addWidget(self.count_label)
        layout.addLayout(top)

        layout.addWidget(self._filter_bar())

        self.problem_label = QLabel()
        self.problem_label.setProperty("role", "error")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)

        self.stack = QStackedWidget()
        self.table = record_table(self.model, "ReviewTable", "Checklists to review")
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CHECKLIST, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("m")
        for column, width in ((FLAG, 10), (CASE, 9), (CHILD, 12), (PRACTITIONER, 12), (STATUS, 13), (CHANGED, 11)):
            self.table.setColumnWidth(column, width * em)
        self.stack.addWidget(self.table)
        self.empty_label = empty_label()
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        hint = QLabel("Double-click a checklist or press Enter to read it, comment and decide.")
        hint.setProperty("role", "muted")
        buttons.addWidget(hint)
        buttons.addStretch(1)
        self.open_button = QPushButton(theme.icon("review", "#ffffff"), "Open for review")
        self.open_button.setProperty("primary", "true")
        self.open_button.setAccessibleName("Open the selected checklist for review")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)

        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.totalChanged.connect(self._update_count)
        self._update_count()

    # -- the filters --------------------------------------------------------------------------------
    def _filter_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("FilterBar")
        grid = QGridLayout(bar)
        grid.setContentsMargins(12, 8, 12, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        choices = self.supervision.filter_choices()

        self.status_combo = _combo("Status", choices.statuses + [(ANY, "Any status")])
        self.practitioner_combo = _combo("Practitioner", [(ANY, "Anyone")] + [(p, p) for p in choices.practitioners])
        self.practitioner_combo.setEditable(True)
        self.practitioner_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.practitioner_combo.lineEdit().setPlaceholderText("Anyone")
        self.practitioner_combo.setMinimumContentsLength(14)
        self.team_combo = _combo("Team", [(ANY, "All teams")] + [(t, t) for t in choices.teams])
        self.checklist_combo = _combo("Checklist", [(ANY, "All checklists")])  # filled when first shown
        self.checklist_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.checklist_combo.setMinimumContentsLength(18)
        self.severity_combo = _combo("Highest flag", list(SEVERITY_CHOICES))
        self.period_combo = _combo("Last changed", [(value, words) for value, words, _ in PERIODS])
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        today = QDate(self.today())
        for edit, name in ((self.from_date, "From date"), (self.to_date, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setDate(today)
            edit.setAccessibleName(name)
            edit.hide()
        self.from_date.setDate(today.addDays(-30))
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear the filters and show the whole queue")
        self.clear_button.clicked.connect(self.clear_filters)

        fields = (("Status", self.status_combo), ("Practitioner", self.practitioner_combo), ("Team", self.team_combo),
                  ("Checklist", self.checklist_combo), ("Highest flag", self.severity_combo),
                  ("Last changed", self.period_combo))
        for column, (words, widget) in enumerate(fields):
            label = QLabel(words)
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
        dates = QHBoxLayout()
        dates.setSpacing(6)
        self.dates_label = QLabel("to")
        self.dates_label.hide()
        dates.addWidget(self.from_date)
        dates.addWidget(self.dates_label)
        dates.addWidget(self.to_date)
        grid.addLayout(dates, 1, len(fields))
        grid.setColumnStretch(len(fields) + 1, 1)
        grid.addWidget(self.clear_button, 1, len(fields) + 2)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._typing.timeout.connect(self.apply_filters)
        for combo in (self.status_combo, self.team_combo, self.checklist_combo, self.severity_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.practitioner_combo.activated.connect(self.apply_filters)
        self.practitioner_combo.editTextChanged.connect(lambda _text: self._typing.start())
        self.practitioner_combo.lineEdit().returnPressed.connect(self.apply_filters)
        self.from_date.dateChanged.connect(self.apply_filters)
        self.to_date.dateChanged.connect(self.apply_filters)
        return bar

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.fill_checklists()

    def fill_checklists(self) -> None:
        """Offer the loaded checklists in the filter (once: the files are read when the queue is first shown,
        not when the window opens)."""
        if self.checklist_combo.count() > 1:
            return
        try:
            choices = self.supervision.checklist_choices()
        except Exception as exc:
            self._show_problem(exc)
            return
        self.checklist_combo.blockSignals(True)
        for value, title in choices:
            self.checklist_combo.addItem(title, value)
        self.checklist_combo.blockSignals(False)

    def _period_changed(self) -> None:
        between = self.period_combo.currentData() == "between"
        for widget in (self.from_date, self.dates_label, self.to_date):
            widget.setVisible(between)
        self.apply_filters()

    def current_filter(self) -> QueueFilter:
        """The filter the controls describe."""
        since = until = None
        period = self.period_combo.currentData()
        if period == "between":
            since, until = self.from_date.date().toPython(), self.to_date.date().toPython()
        else:
            days = next(back for value, _, back in PERIODS if value == period)
            if days is not None:
                since = self.today() - dt.timedelta(days=days)
        practitioner = self.practitioner_combo.currentText().strip()
        if practitioner == self.practitioner_combo.itemText(0):
            practitioner = ANY
        return QueueFilter().with_changes(
            status=self.status_combo.currentData() or None,
            practitioner=practitioner or None,
            team=self.team_combo.currentData() or None,
            checklist_id=self.checklist_combo.currentData() or None,
            min_severity=self.severity_combo.currentData() or None,
            since=since,
            until=until,
        )

    def apply_filters(self, *_args: object) -> None:
        """Re-query the store with the filters as they are now."""
        self._typing.stop()
        self.problem_label.hide()
        try:
            queue = self.current_filter()
            queue.store_args()  # checks the dates make sense before asking the store
        except Exception as exc:
            self._show_problem(exc)
            return
        self.model.set_queue(queue)

    def clear_filters(self) -> None:
        widgets = (self.status_combo, self.practitioner_combo, self.team_combo, self.checklist_combo,
                   self.severity_combo, self.period_combo)
        for widget in widgets:
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        self.practitioner_combo.setEditText("")
        self._period_changed()

    def _show_problem(self, exc: BaseException) -> None:
        self.show_problem(describe(exc).message)

    def show_problem(self, text: str) -> None:
        """Say what went wrong above the table (cleared by the next change of filter)."""
        self.problem_label.setText(text)
        self.problem_label.show()

    # -- the table ----------------------------------------------------------------------------------
    def selected_run_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.run_id(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        run_id = self.selected_run_id()
        if run_id is not None:
            self.open_requested.emit(run_id)

    def refresh(self, select_run_id: int | None = None) -> None:
        """Fetch again (after a decision), keeping the filters and order."""
        keep = select_run_id if select_run_id is not None else self.selected_run_id()
        self.model.refresh()
        if keep is not None:
            row = self.model.row_of(keep)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

    def _open_index(self, index: QModelIndex) -> None:
        run_id = self.model.run_id(index.row())
        if run_id is not None:
            self.open_requested.emit(run_id)

    def _selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected_run_id() is not None)

    def _filtered(self) -> bool:
        return self.model.queue != QueueFilter()

    def _update_count(self, *_args: object) -> None:
        total = self.model.total
        waiting = self.model.queue.status == "submitted"
        noun = "checklist" if total == 1 else "checklists"
        if waiting and not self._filtered():
            self.count_label.setText(f"{total:,} {noun} waiting for review")
        else:
            self.count_label.setText(f"{total:,} {noun} match these filters")
        if self._filtered():
            self.empty_label.setText("No checklists match these filters. Choose Clear filters to see every "
                                     "checklist waiting for review.")
        else:
            self.empty_label.setText("No checklists are waiting for review. Checklists appear here when a "
                                     "practitioner submits them.")
        self.stack.setCurrentWidget(self.table if total else self.empty_label)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
        return super().eventFilter(watched, event)
