"""The list of cases as a table model that fetches pages from the store as the view scrolls.

It keeps only the rows fetched so far (a page at a time, via canFetchMore/fetchMore) and the total
from `count_cases`, so 100,000 cases open as fast as 10. Searching and sorting are done by the store;
changing either starts again from the first page.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.store.errors import StoreError
from app.ui.cases import words

ID_ROLE = Qt.ItemDataRole.UserRole + 1

# (heading, store column to sort by or None)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Reference", "reference"),
    ("Child", "child_name"),
    ("Age", "date_of_birth"),
    ("Plan", None),
    ("Last changed", "updated_at"),
)
REFERENCE, CHILD, AGE, PLAN, CHANGED = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


class CaseListModel(QAbstractTableModel):
    """Cases matching the current search, in the current order; `total` is how many match."""

    totalChanged = Signal(int)
    loadFailed = Signal(object)  # a StoreError while reading; what was already shown is kept

    def __init__(self, store: Any, page_size: int = 200, today: Callable[[], dt.date] = dt.date.today,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.page_size = page_size
        self.today = today
        self._search = ""
        self._sort_column = CHANGED
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._rows: list[dict[str, Any]] = []
        self._failure: StoreError | None = None  # from the first load, reported once a view is listening
        self._total = 0
        self._load()

    # -- what the view asks -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sort by {COLUMNS[section][0].lower()}" if COLUMNS[section][1] else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(COLUMNS):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == AGE:
            born = words.format_date(row.get("date_of_birth"))
            return f"Born {born}" if born else self._text(row, column)
        if role == ID_ROLE:
            return row["id"]
        return None

    def _text(self, row: dict[str, Any], column: int) -> str:
        if column == REFERENCE:
            return row.get("reference") or ""
        if column == CHILD:
            return row.get("child_name") or ""
        if column == AGE:
            return words.age_text(row.get("date_of_birth"), row.get("expected_delivery_date"), self.today())
        if column == PLAN:
            return words.label(words.PLAN_LABELS, row.get("plan"), empty="No plan")
        return words.format_time(row.get("updated_at"))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # -- fetching on demand -------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        try:
            page = self.store.list_cases(search=self._search or None, order_by=self._order_by(),
                                         limit=self.page_size, offset=len(self._rows))
        except StoreError as exc:
            self._total = len(self._rows)  # stop asking until the next refresh
            self.loadFailed.emit(exc)
            return
        if not page:  # cases were removed since counting
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- search and sort ----------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return  # that column is not one the store can sort by
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column, self._sort_order = column, order
        self.refresh()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def _order_by(self) -> str:
        column = COLUMNS[self._sort_column][1] or "updated_at"
        return f"{column} {'asc' if self._sort_order == Qt.SortOrder.AscendingOrder else 'desc'}"

    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        """Show only cases whose reference or child's name contains `text` (any letter case)."""
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self.refresh()

    def refresh(self) -> None:
        """Fetch again from the first page (after a change, or a new search or order)."""
        self.beginResetModel()
        self._load()
        self.endResetModel()
        self.totalChanged.emit(self._total)
        self.report_failure()

    def report_failure(self) -> None:
        """Emit loadFailed for a read that failed before anyone was listening (e.g. in the constructor)."""
        failure, self._failure = self._failure, None
        if failure is not None:
            self.loadFailed.emit(failure)

    def _load(self) -> None:
        try:
            total = self.store.count_cases(search=self._search or None)
            rows = self.store.list_cases(search=self._search or None, order_by=self._order_by(),
                                         limit=self.page_size, offset=0) if total else []
        except StoreError as exc:
            self._failure = exc  # keep what was shown
            return
        self._rows = rows
        self._total = len(rows) if len(rows) < self.page_size else total

    # -- for the view -------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many cases match the search (not just the rows fetched so far)."""
        return self._total

    def case_id(self, row: int) -> int | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int | None:
        """The row showing `case_id`, if it has been fetched."""
        return next((i for i, r in enumerate(self._rows) if r["id"] == case_id), None)
