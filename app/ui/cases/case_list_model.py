"""The list of cases as a table model that fetches pages from the store as the view scrolls.

It keeps only the rows fetched so far (a page at a time, via canFetchMore/fetchMore) and the total
from `count_cases`, so 100,000 cases open as fast as 10. Searching and sorting are done by the store;
changing either starts again from the first page. (The paging is app.ui.paged_table_model's.)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from app.ui.cases import words
from app.ui.paged_table_model import ID_ROLE, Row, StorePagedModel  # noqa: F401  (ID_ROLE: for importers)


# (heading, store column to sort by or None)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Reference", "reference"),
    ("Child", "child_name"),
    ("Age", "date_of_birth"),
    ("Plan", None),
    ("Last changed", "updated_at"),
)
REFERENCE, CHILD, AGE, PLAN, CHANGED = range(len(COLUMNS))


class CaseListModel(StorePagedModel):
    """Cases matching the current search, in the current order; `total` is how many match."""

    COLUMNS = COLUMNS

    def __init__(self, store: Any, page_size: int = 200, today: Callable[[], dt.date] = dt.date.today,
                 parent: Any = None) -> None:
        super().__init__(page_size, CHANGED, Qt.SortOrder.DescendingOrder, parent)
        self.store = store
        self.today = today
        self._search = ""
        self._load()

    def _cell_data(self, row: Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == AGE:
            born = words.format_date(row.get("date_of_birth"))
            return f"Born {born}" if born else self._text(row, column)
        return None

    def _text(self, row: Row, column: int) -> str:
        if column == REFERENCE:
            return row.get("reference") or ""
        if column == CHILD:
            return row.get("child_name") or ""
        if column == AGE:
            return words.age_text(row.get("date_of_birth"), row.get("expected_delivery_date"), self.today())
        if column == PLAN:
            return words.label(words.PLAN_LABELS, row.get("plan"), empty="No plan")
        return words.format_time(row.get("updated_at"))

    # -- the store ----------------------------------------------------------------------------------
    def _count(self) -> int:
        return self.store.count_cases(search=self._search or None)

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        return self.store.list_cases(search=self._search or None, order_by=self.order_by(), limit=limit,
                                     offset=offset)

    # -- search -------------------------------------------------------------------------------------
    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        """Show only cases whose reference or child's name contains `text` (any letter case)."""
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self.refresh()

    # -- for the view -------------------------------------------------------------------------------
    def case_id(self, row: int) -> int | None:
        return self._id_at(row)
