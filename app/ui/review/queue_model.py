"""The review queue as a table model that fetches pages from the store as the view scrolls.

It holds only the rows fetched so far (a page at a time, via canFetchMore/fetchMore) and the total from
`count_runs`, so a queue of 100,000 runs opens as quickly as one of 10. Filtering and sorting are done by
the store; changing either starts again from the first page.

Sorting by highest flag puts runs with no open flag last in both directions' natural reading ("most
severe first" ends with the unflagged runs, "least severe first" starts with them). The store sorts a
missing flag before 'urgent', so the model reads that order in two parts: the flagged runs, then the rest.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.model import Severity
from app.supervision import STATUS_WORDS, QueueFilter
from app.ui import theme
from app.ui.cases import words
from app.ui.paged_table_model import ID_ROLE, Index, PagedTableModel, Row  # noqa: F401  (ID_ROLE: for importers)


SEVERITY_ORDER = tuple(Severity)  # index = the store's flag_rank

# (heading, store column to sort by or None)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Highest flag", "flag_rank"),
    ("Case", None),
    ("Child", None),
    ("Checklist", "checklist_id"),
    ("Practitioner", "practitioner"),
    ("Status", "status"),
    ("Last changed", "updated_at"),
)
FLAG, CASE, CHILD, CHECKLIST, PRACTITIONER, STATUS, CHANGED = range(len(COLUMNS))


@dataclass(frozen=True)
class _Part:
    """One stretch of the queue's order: `rows` rows read with these store arguments."""

    rows: int
    queue: QueueFilter
    order_by: str


def severity_of(rank: int | None) -> Severity | None:
    return None if rank is None or not 0 <= rank < len(SEVERITY_ORDER) else SEVERITY_ORDER[rank]


class ReviewQueueModel(PagedTableModel):
    """Runs matching the queue filter, in the chosen order; `total` is how many match.

    `source` is an app.supervision.Supervision (anything with count_queue and list_queue). Views learn of
    a new total from modelReset (every re-query); `totalChanged` is emitted only when scrolling finds
    that runs left the queue since it was counted. (Each Python-side emit in PySide6 6.12 on Python 3.11
    drops a reference to True, so the model does not emit on every re-query.)"""

    COLUMNS = COLUMNS
    FETCH_ERRORS = (Exception,)  # a store problem: keep what is shown, stop fetching, say why

    def __init__(self, source: Any, page_size: int = 200, queue: QueueFilter | None = None,
                 on_error: Callable[[BaseException], None] | None = None, parent: Any = None) -> None:
        super().__init__(page_size, CHANGED, Qt.SortOrder.AscendingOrder, parent)
        self.source = source
        self.on_error = on_error
        self._queue = queue or QueueFilter()
        self._parts: list[_Part] = []
        self._fetching = False
        self._load()

    # -- what the view asks -------------------------------------------------------------------------
    def _cell_data(self, row: Row, column: int, role: int) -> Any:
        if column == FLAG:
            severity = severity_of(row.get("flag_rank"))
            if severity is not None and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
                fg, bg = theme.severity_colours(severity)
                return fg if role == Qt.ItemDataRole.ForegroundRole else bg
            if severity is None and role == Qt.ItemDataRole.ForegroundRole:
                return QColor(theme.COLOURS["muted"])
            if role == Qt.ItemDataRole.ToolTipRole:
                return severity.label if severity else "No open flags on this checklist"
            if role == Qt.ItemDataRole.DecorationRole and severity is not None:
                return theme.icon("flag", theme.SEVERITY_COLOURS[severity][0])
        if role == Qt.ItemDataRole.ToolTipRole and column == CHANGED:
            return f"Last changed {words.format_time(row.get('updated_at'))}"
        if role == Qt.ItemDataRole.ToolTipRole and column == CHECKLIST:
            return self._text(row, column)
        return None

    def _text(self, row: Row, column: int) -> str:
        if column == FLAG:
            severity = severity_of(row.get("flag_rank"))
            return theme.SEVERITY_WORDS[severity] if severity else "None open"
        if column == CASE:
            return row.get("case_reference") or ""
        if column == CHILD:
            return row.get("child_name") or ""
        if column == CHECKLIST:
            title = row.get("checklist_title") or row.get("checklist_id") or ""
            version = row.get("version") or 1
            return f"{title} (version {version})" if version > 1 else title
        if column == PRACTITIONER:
            return row.get("practitioner") or ""
        if column == STATUS:
            return STATUS_WORDS.get(row.get("status") or "", words.label({}, row.get("status")))
        return words.format_time(row.get("updated_at"))

    # -- fetching on demand -------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not self._fetching and super().canFetchMore(parent)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        # A view (or the model tester) may ask again while rows are being inserted: fetch once.
        if self._fetching:
            return
        self._fetching = True
        try:
            super().fetchMore(parent)
        finally:
            self._fetching = False

    def _fetch_failed(self, exc: BaseException) -> None:
        self._report(exc)

    def _ran_out(self) -> None:  # runs left the queue since counting
        self.totalChanged.emit(self._total)

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        """Rows `offset` to `offset + limit` of the queue's order, reading across parts as needed."""
        result: list[Row] = []
        start = 0
        for part in self._parts:
            end = start + part.rows
            if offset < end and len(result) < limit:
                within = offset - start
                want = min(limit - len(result), part.rows - within)
                result += self.source.list_queue(part.queue, part.order_by, want, within)
                offset += want
            start = end
        return result

    # -- filter -------------------------------------------------------------------------------------
    @property
    def queue(self) -> QueueFilter:
        return self._queue

    def set_queue(self, queue: QueueFilter) -> None:
        """Show the runs matching `queue`, from the first page."""
        if queue == self._queue:
            return
        self._queue = queue
        self.refresh()

    def refresh(self) -> None:
        """Fetch again from the first page (after a decision, or a new filter or order)."""
        self.beginResetModel()
        try:
            self._load()
        except Exception as exc:
            self._rows, self._parts, self._total = [], [], 0
            self._report(exc)
        finally:
            self.endResetModel()

    def _plan(self, total: int) -> list[_Part]:
        if total == 0:
            return []
        if self._sort_column != FLAG:
            return [_Part(total, self._queue, self.order_by())]
        if self._queue.min_severity is not None:  # every run shown has a flag
            direction = "asc" if self._sort_order == Qt.SortOrder.AscendingOrder else "desc"
            return [_Part(total, self._queue, f"flag_rank {direction}")]
        flagged_queue = self._queue.with_changes(min_severity=str(Severity.INFO))
        flagged = self.source.count_queue(flagged_queue)
        unflagged = total - flagged
        # The store's 'flag_rank asc' lists the unflagged runs first, then the flagged, most severe first.
        unflagged_part = _Part(unflagged, self._queue, "flag_rank asc")
        if self._sort_order == Qt.SortOrder.AscendingOrder:  # most severe first, unflagged last
            return [_Part(flagged, flagged_queue, "flag_rank asc"), unflagged_part]
        return [unflagged_part, _Part(flagged, flagged_queue, "flag_rank desc")]

    def _load(self) -> None:
        self._rows = []
        self._total = self.source.count_queue(self._queue)
        self._parts = [p for p in self._plan(self._total) if p.rows > 0]
        if self._total:
            self._rows = self._fetch(0, self.page_size)
            if len(self._rows) < self.page_size:
                self._total = len(self._rows)

    def _report(self, exc: BaseException) -> None:
        if self.on_error is None:
            raise exc
        self.on_error(exc)

    # -- for the view -------------------------------------------------------------------------------
    def run_id(self, row: int) -> int | None:
        return self._id_at(row)
