"""What the app's record tables have in common: rows fetched from the store a page at a time.

`PagedTableModel` keeps only the rows fetched so far (dicts with an "id", a page at a time via
canFetchMore/fetchMore) and `total`, how many there are in all, so 100,000 records open as fast as 10.
Sorting is done by the store: `COLUMNS` names each column's heading and the store column it sorts by
(None: not sortable). A subclass supplies `_text` (a cell's words), `_cell_data` (its other roles),
`_fetch` (a page of rows) and its own loading; `StorePagedModel` adds the loading for models that read
the store directly and report a StoreError through `loadFailed`.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.store.errors import StoreError

ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
Row = dict[str, Any]


class PagedTableModel(QAbstractTableModel):
    """Rows fetched a page at a time, in an order the store sorts; `total` is how many there are."""

    # (heading, store column to sort by or None)
    COLUMNS: tuple[tuple[str, str | None], ...] = ()
    # what fetchMore catches: the rows shown are kept and fetching stops until the next refresh
    FETCH_ERRORS: tuple[type[BaseException], ...] = (StoreError,)

    totalChanged = Signal(int)

    def __init__(self, page_size: int, sort_column: int, sort_order: Qt.SortOrder, parent: Any = None) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self._sort_column = sort_column
        self._sort_order = sort_order
        self._rows: list[Row] = []
        self._total = 0
        self._headers: dict[tuple[int, Any, int], Any] = {}
        self._headers_for: tuple[tuple[str, str | None], ...] | None = None

    # -- hooks ---------------------------------------------------------------------------------------
    def _text(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def _cell_data(self, row: Row, column: int, role: int) -> Any:
        """Roles other than the text and ID_ROLE (tooltips, colours...)."""
        return None

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        """Rows `offset` to `offset + limit` in the current order."""
        raise NotImplementedError

    def _fetch_failed(self, exc: BaseException) -> None:
        """One of FETCH_ERRORS while scrolling (fetching has already stopped)."""
        raise NotImplementedError

    def _ran_out(self) -> None:
        """A page came back empty: rows were removed since counting (`total` is already corrected)."""

    def refresh(self) -> None:
        raise NotImplementedError

    # -- what the view asks -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks this a thousand times while laying out its first page: answer from a table built
        # once per COLUMNS (a subclass may set COLUMNS after this class's constructor).
        if self._headers_for is not self.COLUMNS:
            self._build_headers()
        return self._headers.get((section, orientation, role))

    def _build_headers(self) -> None:
        columns = self.COLUMNS
        headers: dict[tuple[int, Any, int], Any] = {}
        for section, (heading, store_column) in enumerate(columns):
            headers[(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)] = heading
            if store_column:
                headers[(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)] = f"Sort by {heading.lower()}"
        self._headers = headers
        self._headers_for = columns

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.COLUMNS):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == ID_ROLE:
            return row["id"]
        return self._cell_data(row, index.column(), role)

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
            page = self._fetch(len(self._rows), self.page_size)
        except self.FETCH_ERRORS as exc:
            self._total = len(self._rows)  # stop asking until the next refresh
            self._fetch_failed(exc)
            return
        if not page:
            self._total = len(self._rows)
            self._ran_out()
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- sort ---------------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS) or self.COLUMNS[column][1] is None:
            return  # the store cannot sort by that column
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column, self._sort_order = column, order
        self.refresh()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def order_by(self) -> str:
        """The store order for the current sort (last changed when the sort column is not a store one)."""
        column = self.COLUMNS[self._sort_column][1] if 0 <= self._sort_column < len(self.COLUMNS) else None
        return f"{column or 'updated_at'} {'asc' if self._sort_order == Qt.SortOrder.AscendingOrder else 'desc'}"

    # -- for the view -------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many rows match (not just the rows fetched so far)."""
        return self._total

    def _id_at(self, row: int) -> int | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: int) -> int | None:
        """The row showing the record `row_id`, if it has been fetched."""
        return next((i for i, r in enumerate(self._rows) if r["id"] == row_id), None)


class StorePagedModel(PagedTableModel):
    """A PagedTableModel that counts and reads the store itself; a StoreError is kept, not raised."""

    loadFailed = Signal(object)  # a StoreError while reading; what was already shown is kept

    def __init__(self, page_size: int, sort_column: int, sort_order: Qt.SortOrder, parent: Any = None) -> None:
        super().__init__(page_size, sort_column, sort_order, parent)
        self._failure: StoreError | None = None  # from the first load, reported once a view is listening

    def _count(self) -> int:
        raise NotImplementedError

    def _fetch_failed(self, exc: BaseException) -> None:
        self.loadFailed.emit(exc)

    def refresh(self) -> None:
        """Fetch again from the first page (after a change, or a new search, filter or order)."""
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
            total = self._count()
            rows = self._fetch(0, self.page_size) if total else []
        except StoreError as exc:
            self._failure = exc  # keep what was shown
            return
        self._loaded()
        self._rows = rows
        self._total = len(rows) if len(rows) < self.page_size else total

    def _loaded(self) -> None:
        """A first page was read (before it replaces the rows shown)."""
