"""The Cases page: search, a sortable table of cases, New case and Open.

Layout and wiring only. It asks for nothing itself: `open_requested(case_id)` and `new_requested()`
tell the main window what the person wants, and the main window opens the editor or the case page.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui import theme
from app.ui.errors import show_error
from app.ui.record_table import empty_label, record_table
from app.ui.cases.case_list_model import CHANGED, CHILD, REFERENCE, CaseListModel

SEARCH_DELAY_MS = 250


class CaseListView(QWidget):
    """Search box, table of cases and the buttons to open one or add one."""

    open_requested = Signal(int)
    new_requested = Signal()

    def __init__(self, ws: Any, parent: QWidget | None = None, page_size: int = 200) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("Page")
        self.model = CaseListModel(ws.store, page_size=page_size, today=ws.today)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        top = QHBoxLayout()
        title = QLabel("Cases")
        title.setProperty("role", "title")
        top.addWidget(title)
        top.addStretch(1)
        self.new_button = QPushButton(theme.icon("new", "#ffffff"), "New case")
        self.new_button.setProperty("primary", "true")
        self.new_button.setAccessibleName("New case")
        self.new_button.setToolTip("Add a case (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        search_row = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("CaseSearch")
        self.search_edit.setPlaceholderText("Search by case reference or child's name")
        self.search_edit.setAccessibleName("Search cases by reference or child's name")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip("Search (Ctrl+F). Press the down arrow to move to the results.")
        search_row.addWidget(self.search_edit, 1)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.count_label.setAccessibleName("Number of cases shown")
        search_row.addWidget(self.count_label)
        layout.addLayout(search_row)

        self.stack = QStackedWidget()
        self.table = record_table(self.model, "CaseTable", "Cases")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CHILD, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        for column, width in ((REFERENCE, 160), (2, 170), (3, 190), (CHANGED, 170)):
            self.table.setColumnWidth(column, width)
        self.stack.addWidget(self.table)

        self.empty_label = empty_label()
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        hint = QLabel("Double-click a case or press Enter to open it.")
        hint.setProperty("role", "muted")
        buttons.addWidget(hint)
        buttons.addStretch(1)
        self.open_button = QPushButton(theme.icon("open"), "Open")
        self.open_button.setAccessibleName("Open the selected case")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_search)
        self.search_edit.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.totalChanged.connect(self._update_count)
        self.model.loadFailed.connect(lambda exc: show_error(self, exc, "The list of cases could not be read."))
        self._update_count()
        self.model.report_failure()

        self._set_tab_order()

    def _set_tab_order(self) -> None:
        # Also set on show: moving the view into the main window's stack can rebuild the focus chain.
        QWidget.setTabOrder(self.search_edit, self.table)
        QWidget.setTabOrder(self.table, self.open_button)
        QWidget.setTabOrder(self.open_button, self.new_button)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        self._set_tab_order()
        super().showEvent(event)

    # -- actions ------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search_edit.text())

    def selected_case_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.open_requested.emit(case_id)

    def refresh(self, select_case_id: int | None = None) -> None:
        """Fetch again (after a case was added or changed), keeping the search and order."""
        keep = select_case_id if select_case_id is not None else self.selected_case_id()
        self.model.refresh()
        if keep is not None:
            self.select_case(keep)

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # -- keeping the screen right -------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row())
        if case_id is not None:
            self.open_requested.emit(case_id)

    def _selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected_case_id() is not None)

    def _update_count(self, *_args: object) -> None:
        total = self.model.total
        search = self.model.search()
        if search:
            self.count_label.setText(f"{total:,} {'case matches' if total == 1 else 'cases match'} “{search}”")
            self.empty_label.setText(
                f"No cases match “{search}”. Check the spelling, or search by part of the reference.")
        else:
            self.count_label.setText(f"{total:,} case{'s' if total != 1 else ''}")
            self.empty_label.setText("No cases yet. Choose New case (Ctrl+N) to add the first one.")
        self.stack.setCurrentWidget(self.table if total else self.empty_label)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key == Qt.Key.Key_Down and self.model.rowCount():
                self.apply_search()
                self.table.setFocus()
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
        return super().eventFilter(watched, event)

