"""Checklist runs as a table model: a case's runs, or one practitioner's, fetched a page at a time.

The columns are chosen by the view (`columns=`), the rows come from `store.list_runs(**filters)` and
`count_runs`, and sorting is done by the store. For returned runs the supervisor's reason is read on
demand (only for rows that are shown) and kept until the next refresh.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from app.domain.model import Severity
from app.ui import theme
from app.store.errors import StoreError
from app.ui.cases import words
from app.ui.paged_table_model import ID_ROLE, Row, StorePagedModel  # noqa: F401  (ID_ROLE: for importers)


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


class RunListModel(StorePagedModel):
    """Runs matching `filters` (the keyword filters of store.list_runs)."""

    def __init__(self, store: Any, columns: tuple[str, ...], filters: dict[str, Any] | None = None,
                 page_size: int = 200, parent: Any = None) -> None:
        unknown = [c for c in columns if c not in COLUMN_SPEC]
        if unknown:
            raise ValueError(f"Unknown run list columns: {', '.join(unknown)}")
        super().__init__(page_size, columns.index("changed") if "changed" in columns else -1,
                         Qt.SortOrder.DescendingOrder, parent)
        self.store = store
        self.columns = columns
        self.COLUMNS = tuple(COLUMN_SPEC[c] for c in columns)
        self.filters = dict(filters or {})
        self._reasons: dict[int, str] = {}
        self._load()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return None  # no "Sort by" tips on these headings
        return super().headerData(section, orientation, role)

    def _cell_data(self, row: Row, column: int, role: int) -> Any:
        key = self.columns[column]
        if role == Qt.ItemDataRole.ToolTipRole and key in ("note", "checklist", "flag"):
            text = self._key_text(row, key)
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
        return None

    def _text(self, row: Row, column: int) -> str:
        return self._key_text(row, self.columns[column])

    def _key_text(self, row: Row, key: str) -> str:
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

    # -- the store ----------------------------------------------------------------------------------
    def _count(self) -> int:
        return self.store.count_runs(**self.filters)

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        return self.store.list_runs(**self.filters, order_by=self.order_by(), limit=limit, offset=offset)

    def _loaded(self) -> None:
        self._reasons = {}

    def set_filters(self, **filters: Any) -> None:
        self.filters = dict(filters)
        self.refresh()

    def run(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def run_id(self, row: int) -> int | None:
        return self._id_at(row)
