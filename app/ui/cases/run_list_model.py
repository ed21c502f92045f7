"""Checklist runs as a table model: a case's runs, or one practitioner's, fetched a page at a time.

The columns are chosen by the view (`columns=`), the rows come from `store.list_runs(**filters)` and
`count_runs`, and sorting is done by the store. For returned runs the supervisor's reason is read on
demand (only for rows that are shown) and kept until the next refresh.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush

from app.domain.model import Severity
from app.ui import theme
from app.store.errors import StoreError
from app.ui.cases import words

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITIES = ("urgent", "act", "consider", "info")

# key: (heading, store column to sort by or None)
COLUMN_SPEC: dict[str, tuple[str, str | None]] = {
    "case": ("Case", None),
    "child": ("Child", None),
    "checklist": ("Checklist", "checklist_id"),
    "status": ("Status", "status"),
    "practitioner": ("Practitioner", "practitioner"),
    "flag": ("Highest flag", "flag_rank"),
    "changed": ("Last change", "updated_at"),
    "note": ("Returned because", None),
}

Index = QModelIndex | QPersistentModelIndex


class RunListModel(QAbstractTableModel):
    """Runs matching `filters` (the keyword filters of store.list_runs)."""

    totalChanged = Signal(int)
    loadFailed = Signal(object)  # a StoreError while reading; what was already shown is kept

    def __init__(self, store: Any, columns: tuple[str, ...], filters: dict[str, Any] | None = None,
                 page_size: int = 200, parent: Any = None) -> None:
        super().__init__(parent)
        unknown = [c for c in columns if c not in COLUMN_SPEC]
        if unknown:
            raise ValueError(f"Unknown run list columns: {', '.join(unknown)}")
        self.store = store
        self.columns = columns
        self.filters = dict(filters or {})
        self.page_size = page_size
        self._order_by = "updated_at desc"
        self._sort = (columns.index("changed") if "changed" in columns else -1, Qt.SortOrder.DescendingOrder)
        self._rows: list[dict[str, Any]] = []
        self._failure: StoreError | None = None  # from the first load, reported once a view is listening
        self._reasons: dict[int, str] = {}
        self._total = 0
        self._load()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns) \
                and role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_SPEC[self.columns[section]][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        row = self._rows[index.row()]
        key = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("note", "checklist", "flag"):
            text = self._text(row, key)
            if key == "flag":
                if row.get("flag_rank") is None:
                    return "No flag is open on this checklist"
                return f"Most serious open flag: {Severity(SEVERITIES[row['flag_rank']]).label}"
            return text or None
        if key == "flag" and row.get("flag_rank") is not None and role in (
                Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            fg, bg = theme.severity_colours(SEVERITIES[row["flag_rank"]])
            return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if key == "status" and row.get("status") == "returned" and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(theme.severity_colours("act")[0])
        if role == ID_ROLE:
            return row["id"]
        return None

    def _text(self, row: dict[str, Any], key: str) -> str:
        if key == "case":
            return row.get("case_reference") or ""
        if key == "child":
            return row.get("child_name") or ""
        if key == "checklist":
            title = row.get("checklist_title") or row.get("checklist_id") or ""
            version = row.get("version") or 1
            return f"{title} (amendment {version - 1})" if version > 1 else title
        if key == "status":
            return words.label(words.STATUS_LABELS, row.get("status"))
        if key == "practitioner":
            return row.get("practitioner") or ""
        if key == "flag":
            rank = row.get("flag_rank")
            return "None open" if rank is None else theme.SEVERITY_WORDS[Severity(SEVERITIES[rank])]
        if key == "changed":
            return words.format_time(row.get("updated_at"))
        if key == "note":
            return self.return_reason(row) if row.get("status") == "returned" else ""
        return ""

    def return_reason(self, row: dict[str, Any]) -> str:
        """The supervisor's most recent reason for returning this run (read once, then remembered)."""
        run_id = row["id"]
        if run_id not in self._reasons:
            try:
                reviews = self.store.list_reviews(run_id)
            except StoreError:
                return "The reason could not be read just now. Open the checklist to see it."
            returns = [r for r in reviews if r.get("decision") == "returned"]
            self._reasons[run_id] = (returns[-1].get("comment") or "").strip() if returns else ""
        return self._reasons[run_id]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        try:
            page = self.store.list_runs(**self.filters, order_by=self._order_by, limit=self.page_size,
                                        offset=len(self._rows))
        except StoreError as exc:
            self._total = len(self._rows)  # stop asking until the next refresh
            self.loadFailed.emit(exc)
            return
        if not page:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        store_column = COLUMN_SPEC[self.columns[column]][1]
        if store_column is None or (column, order) == self._sort:
            return
        self._sort = (column, order)
        self._order_by = f"{store_column} {'asc' if order == Qt.SortOrder.AscendingOrder else 'desc'}"
        self.refresh()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def set_filters(self, **filters: Any) -> None:
        self.filters = dict(filters)
        self.refresh()

    def refresh(self) -> None:
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
            total = self.store.count_runs(**self.filters)
            rows = self.store.list_runs(**self.filters, order_by=self._order_by, limit=self.page_size,
                                        offset=0) if total else []
        except StoreError as exc:
            self._failure = exc  # keep what was shown
            return
        self._reasons = {}
        self._rows = rows
        self._total = len(rows) if len(rows) < self.page_size else total

    @property
    def total(self) -> int:
        return self._total

    def run(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def run_id(self, row: int) -> int | None:
        found = self.run(row)
        return found["id"] if found else None
