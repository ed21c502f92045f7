"""The main window offers the review queue to supervisors only."""
from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.review import ReviewQueuePage
from conftest import SUPERVISOR


def test_a_practitioner_has_no_review_queue(qtbot, ws, ui_settings):
    win = MainWindow(ws, ui_settings)
    qtbot.addWidget(win)
    assert "review_queue" not in win.pages


def test_a_supervisor_reaches_the_review_queue_from_the_navigation(qtbot, make_ws, ui_settings):
    ws = make_ws()
    ws.save_profile(**SUPERVISOR)
    win = MainWindow(ws, ui_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.nav_items["review_queue"].text() == "Review queue"
    win.nav.setCurrentItem(win.nav_items["review_queue"])
    page = win.pages["review_queue"]
    qtbot.waitUntil(lambda: win.stack.currentWidget() is page)
    assert isinstance(page, ReviewQueuePage)
    assert page.queue.count_label.text() == "0 checklists waiting for review"
    assert page.queue.stack.currentWidget() is page.queue.empty_label
