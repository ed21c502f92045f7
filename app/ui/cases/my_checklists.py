"""My checklists: the runs of the person using the app, with returned ones and the supervisor's reasons."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store.errors import StoreError
from app.ui import theme
from app.ui.errors import show_error
from app.ui.record_table import empty_label, record_table
from app.ui.cases.run_list_model import RunListModel

COLUMNS = ("case", "child", "checklist", "status", "flag", "changed", "note")
SHOW: tuple[tuple[str, str | list[str] | None], ...] = (
    ("Not yet signed off", ["draft", "returned", "submitted"]),
    ("Returned to me", "returned"),
    ("In progress", "draft"),
    ("With supervisor", "submitted"),
    ("Signed off", "signed_off"),
    ("All", None),
)


class MyChecklistsView(QWidget):
    """The current practitioner's runs. `open_run_requested(run_id)` asks the main window to open one."""

    open_run_requested = Signal(int)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("Page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        top = QHBoxLayout()
        title = QLabel("My checklists")
        title.setProperty("role", "title")
        top.addWidget(title)
        top.addStretch(1)
        show_label = QLabel("&Show")
        self.show_combo = QComboBox()
        self.show_combo.setAccessibleName("Which of my checklists to show")
        for text, _status in SHOW:
            self.show_combo.addItem(text)
        show_label.setBuddy(self.show_combo)
        top.addWidget(show_label)
        top.addWidget(self.show_combo)
        layout.addLayout(top)

        self.returned_label = QLabel()
        self.returned_label.setObjectName("ReturnedNotice")
        self.returned_label.setProperty("role", "note")
        self.returned_label.setWordWrap(True)
        self.returned_label.setAccessibleName("Checklists returned to you")
        layout.addWidget(self.returned_label)

        self.model = RunListModel(ws.store, COLUMNS, self._filters(), parent=self)
        self.table = record_table(self.model, "MyRunsTable", "My checklists", word_wrap=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        for index, width in enumerate((110, 150, 230, 130, 100, 150)):
            self.table.setColumnWidth(index, width)
        layout.addWidget(self.table, 1)
        self.empty_label = empty_label()
        layout.addWidget(self.empty_label, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton(theme.icon("open"), "Open checklist")
        self.open_button.setAccessibleName("Open the selected checklist")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)

        self.show_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.loadFailed.connect(lambda exc: show_error(self, exc, "Your checklists could not be read."))
        self._update()
        self.model.report_failure()

    def _practitioner(self) -> str:
        return (self.ws.profile or {}).get("name") or ""

    def _filters(self) -> dict[str, Any]:
        status = SHOW[self.show_combo.currentIndex()][1] if self.show_combo.currentIndex() >= 0 else None
        filters: dict[str, Any] = {"practitioner": self._practitioner()}
        if status is not None:
            filters["status"] = status
        return filters

    def refresh(self) -> None:
        """Read the runs again (after a checklist was changed, submitted or returned)."""
        self.model.set_filters(**self._filters())
        self._update()

    def _update(self) -> None:
        try:
            returned = self.ws.store.count_runs(practitioner=self._practitioner(), status="returned")
        except StoreError:
            returned = 0  # the list's own read reports the problem
        self.returned_label.setVisible(returned > 0)
        if returned:
            self.returned_label.setText(
                f"{returned} checklist{' has' if returned == 1 else 's have'} been returned to you by a supervisor. "
                "Their reasons are in the last column: open the checklist to make the changes, then submit it again.")
        has_rows = self.model.total > 0
        self.table.setVisible(has_rows)
        self.open_button.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        choice = self.show_combo.currentText().lower()
        self.empty_label.setText(
            "You have not started any checklists yet. Open a case and choose Start checklist."
            if choice == "all" else f"No checklists to show for “{self.show_combo.currentText()}”.")
        self.table.resizeRowsToContents()

    def selected_run_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.run_id(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        run_id = self.selected_run_id()
        if run_id is not None:
            self.open_run_requested.emit(run_id)

    def _open_row(self, row: int) -> None:
        run_id = self.model.run_id(row)
        if run_id is not None:
            self.open_run_requested.emit(run_id)

    def _selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected_run_id() is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()
            return True
        return super().eventFilter(watched, event)
