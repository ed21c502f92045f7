"""The supervisor's review: the queue of submitted checklists, reading one, deciding, and its audit trail.

    from app.ui.review import ReviewQueuePage
    page = ReviewQueuePage(workspace)       # self-contained: queue -> review -> (edit an amendment) -> back
    page.decided.connect(...)               # a run's status or supervision history changed: emits its id
    page.refresh()                          # re-query the queue (e.g. when the page is shown again)
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.supervision import Supervision
from app.ui.errors import describe
from app.ui.review.queue_view import ReviewQueueView
from app.ui.review.review_view import ReviewView
from app.ui.review.style import STYLE_SHEET
from app.ui.walkthrough import WalkthroughView


class ReviewQueuePage(QWidget):
    """The 'Review queue' page: the queue; opening a run shows its review; Back returns to the queue.

    An amendment a supervisor starts can be edited here too: the walk-through opens in place of the
    review, and closing it returns to the review of that version."""

    decided = Signal(int)

    def __init__(self, workspace: Any, parent: QWidget | None = None, page_size: int = 200) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.supervision = Supervision(workspace)
        self.setObjectName("ReviewPage")
        self.setStyleSheet(STYLE_SHEET)
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.queue = ReviewQueueView(self.supervision, page_size=page_size)
        self.review = ReviewView(self.supervision)
        self.walkthrough: QWidget | None = None
        self.stack.addWidget(self.queue)
        self.stack.addWidget(self.review)

        self.queue.open_requested.connect(self.open_run)
        self.review.back_requested.connect(self.show_queue)
        self.review.decided.connect(self._decided)
        self.review.edit_requested.connect(self.edit_run)

    def open_run(self, run_id: int) -> None:
        """Show the review of one run."""
        try:
            self.review.load(run_id)
        except Exception as exc:
            self.queue.show_problem(describe(exc, "The checklist could not be opened.").message)
            return
        self.stack.setCurrentWidget(self.review)
        self.review.back_button.setFocus()

    def show_queue(self) -> None:
        """Back to the queue, fetched afresh, with the last run read still selected if it is listed."""
        self.queue.refresh(self.review.run_id)
        self.stack.setCurrentWidget(self.queue)
        self.queue.table.setFocus()

    def refresh(self) -> None:
        """Re-query the queue, keeping the filters, order and selection."""
        self.queue.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        """Coming back to the page shows the queue as it is now (other supervisors may have decided)."""
        super().showEvent(event)
        if not event.spontaneous() and self.stack.currentWidget() is self.queue:
            self.queue.refresh()

    def _decided(self, run_id: int) -> None:
        self.decided.emit(run_id)

    def edit_run(self, run_id: int) -> None:
        """Open a draft version (an amendment) in the walk-through; closing it returns to its review."""
        try:
            session = self.workspace.open_run(run_id)
        except Exception as exc:
            self.review.say(describe(exc, "The checklist could not be opened.").message, ok=False)
            return
        view = WalkthroughView(session)
        view.closed.connect(lambda: self._walkthrough_done(run_id))
        view.submitted.connect(lambda _rid: self._walkthrough_done(run_id))
        if self.walkthrough is not None:
            self.stack.removeWidget(self.walkthrough)
            self.walkthrough.deleteLater()
        self.walkthrough = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)

    def _walkthrough_done(self, run_id: int) -> None:
        self.review.load(run_id)
        self.stack.setCurrentWidget(self.review)
        self.decided.emit(run_id)
