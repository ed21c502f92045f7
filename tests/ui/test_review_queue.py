"""The review queue model: holds a page at a time, fetches more as the view scrolls, counts through the
store, re-queries on a new filter or order, and sorts by highest flag with unflagged runs last."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.store import Store
from app.supervision import QueueFilter, Supervision
from app.ui.review.queue_model import CASE, CHANGED, FLAG, ID_ROLE, ReviewQueueModel

SNAPSHOT = {"id": "non-mobile-bruising", "version": 2, "title": "Bruising and injuries in babies and young children",
            "sections": [], "flags": []}
SEVERITIES = ["urgent", "act", "consider", "info", None]


class Source:
    """The queue's source (Supervision's count_queue/list_queue), counting how often the store is asked."""

    def __init__(self, store: Store):
        self.store = store
        self.listed = 0

    def count_queue(self, queue):
        return self.store.count_runs(**queue.store_args())

    def list_queue(self, queue, order_by, limit, offset):
        self.listed += 1
        return self.store.list_runs(**queue.store_args(), order_by=order_by, limit=limit, offset=offset)


@pytest.fixture(autouse=True)
def _application(qapp):
    """Icons and colours need the QApplication."""
    return qapp


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "records.db", auto_backup=False)
    yield store
    store.close()


def fill(store: Store, runs: int) -> dict[int, str | None]:
    """`runs` submitted runs whose highest open flag cycles through the severities (and none)."""
    severity_of = {}
    for number in range(runs):
        case_id = store.create_case({"reference": f"Q-{number:04d}", "child_name": f"Child {number}"}, by="Amina Patel")
        run_id = store.start_run(case_id, SNAPSHOT["id"], SNAPSHOT["version"], SNAPSHOT, "Amina Patel")
        severity = SEVERITIES[number % len(SEVERITIES)]
        if severity:
            store.sync_flags(run_id, [{"flag_id": "f", "severity": severity, "message": "A flag", "action": "Act"}],
                             by="Amina Patel")
        store.submit(run_id, by="Amina Patel")
        severity_of[run_id] = severity
    return severity_of


def all_rows(model: ReviewQueueModel) -> list[int]:
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]


def test_the_model_holds_one_page_and_fetches_more_as_the_view_scrolls(qtmodeltester, store):
    fill(store, 23)
    source = Source(store)
    model = ReviewQueueModel(source, page_size=5)
    assert model.total == 23 and model.rowCount() == 5 and model.canFetchMore() and source.listed == 1
    model.fetchMore()
    assert model.rowCount() == 10 and source.listed == 2
    qtmodeltester.check(model)  # the tester fetches too
    ids = all_rows(model)
    assert len(ids) == len(set(ids)) == 23 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_a_new_filter_or_order_starts_again_from_the_first_page(store):
    fill(store, 12)
    model = ReviewQueueModel(Source(store), page_size=4)
    model.fetchMore()
    assert model.rowCount() == 8
    model.set_queue(QueueFilter(min_severity="act"))
    assert model.total == store.count_runs(status="submitted", min_severity="act") == 6
    assert model.rowCount() == 4
    model.sort(CHANGED, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 4 and model.sort_state() == (CHANGED, Qt.SortOrder.DescendingOrder)
    changed = [model.index(r, CHANGED).data() for r in range(4)]
    assert changed == sorted(changed, reverse=True)
    model.sort(CASE, Qt.SortOrder.AscendingOrder)  # the store cannot sort by case: nothing changes
    assert model.sort_state() == (CHANGED, Qt.SortOrder.DescendingOrder)


@pytest.mark.parametrize("page_size", [3, 4, 50])
def test_highest_flag_sorts_most_severe_first_with_unflagged_runs_last(store, qtmodeltester, page_size):
    severity_of = fill(store, 15)
    model = ReviewQueueModel(Source(store), page_size=page_size)
    model.sort(FLAG, Qt.SortOrder.AscendingOrder)
    ids = all_rows(model)
    assert sorted(ids) == sorted(severity_of)
    read = [severity_of[i] for i in ids]
    assert read == sorted(read, key=lambda s: SEVERITIES.index(s))
    assert model.index(0, FLAG).data() == "Urgent" and model.index(len(ids) - 1, FLAG).data() == "None open"

    model.sort(FLAG, Qt.SortOrder.DescendingOrder)
    read = [severity_of[i] for i in all_rows(model)]
    assert read == sorted(read, key=lambda s: -SEVERITIES.index(s))
    assert read[0] is None and read[-1] == "urgent"
    # last: the tester re-checks on every reset, and asks for more rows while checking
    qtmodeltester.check(model)


def test_flag_cells_say_the_severity_in_words_with_its_colours(store):
    fill(store, 5)
    model = ReviewQueueModel(Source(store))
    model.sort(FLAG, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, FLAG).data() for r in range(5)] == ["Urgent", "Act", "Consider", "Information", "None open"]
    assert model.index(0, FLAG).data(Qt.ItemDataRole.ToolTipRole) == "Urgent: act today"
    assert model.index(0, FLAG).data(Qt.ItemDataRole.BackgroundRole).name() == "#fbe3e1"
    assert model.index(4, FLAG).data(Qt.ItemDataRole.ToolTipRole) == "No open flags on this checklist"


def test_a_store_problem_is_reported_not_raised_into_the_view(store):
    fill(store, 3)
    problems = []
    model = ReviewQueueModel(Source(store), on_error=problems.append)
    store.close()
    model.refresh()
    assert model.rowCount() == 0 and model.total == 0
    assert problems and hasattr(problems[0], "user_message")


def test_supervision_is_a_source(qtmodeltester, tmp_path, store):
    fill(store, 2)

    class Ws:
        def __init__(self, store):
            self.store = store

    model = ReviewQueueModel(Supervision(Ws(store)))
    qtmodeltester.check(model)
    assert model.total == 2


def test_the_page_reads_the_checklist_files_only_when_first_shown(qtbot, tmp_path):
    from app.services import Workspace
    from app.ui.review import ReviewQueuePage

    ws = Workspace(Store.open(tmp_path / "lazy.db", auto_backup=False), data_dir=tmp_path)
    try:
        ws.save_profile("Sam Okafor", "supervisor", "Health visiting North")
        page = ReviewQueuePage(ws)
        qtbot.addWidget(page)
        assert not ws.catalog_loaded and page.queue.checklist_combo.count() == 1
        page.show()
        qtbot.waitUntil(lambda: page.queue.checklist_combo.count() > 1)
        assert ws.catalog_loaded
        assert page.queue.checklist_combo.findData("non-mobile-bruising") > 0
    finally:
        ws.close()
