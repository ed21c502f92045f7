"""The supervisor's review, end to end, as a supervisor uses it: filter the queue, open a checklist,
comment, sign off (then it refuses edits), return with reasons (the practitioner sees them), amend after
sign-off (a new version; the old one kept), and the signs of a rushed checklist.

The builders here are shared by the other test_review_* files."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.catalog import load_catalog
from app.services import CHECKLISTS_DIR, ServiceError, Workspace
from app.store import RunSignedOff, Store
from app.supervision import latest_return
from app.ui.cases.my_checklists import MyChecklistsView
from app.ui.review import ReviewQueuePage
from app.ui.review.queue_model import CASE, PRACTITIONER

TODAY = dt.date.today()
SUPERVISOR = ("Sam Okafor", "supervisor", "Health visiting North")
AMINA = ("Amina Patel", "practitioner", "Health visiting North")
BEATA = ("Beata Kowalska", "practitioner", "Health visiting South")
HOUSEHOLD = [{"id": "m1", "name": "Kasia Nowak", "relationship": "mother"},
             {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}]
DESCRIPTION = "Bruise 1cm on the left shin, yellow-brown, seen with mother at the home visit."


class Clock:
    """The store's clock: each write `step` seconds after the one before, starting a few hours ago."""

    def __init__(self, step: float = 45.0):
        self.at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=3)
        self.step = step

    def __call__(self) -> str:
        self.at += dt.timedelta(seconds=self.step)
        return self.at.isoformat(timespec="microseconds")


@pytest.fixture(scope="session")
def review_catalog():
    return load_catalog(CHECKLISTS_DIR)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def review_ws(tmp_path, review_catalog, clock):
    store = Store.open(tmp_path / "records.db", auto_backup=False, now=clock)
    workspace = Workspace(store, review_catalog, data_dir=tmp_path, today=lambda: TODAY)
    for profile in (AMINA, BEATA, SUPERVISOR):  # the supervisor is the one using the app
        workspace.save_profile(*profile)
    yield workspace
    workspace.close()


def act_as(ws: Workspace, name: str) -> None:
    profile = ws.store.get_profile(name)
    ws.save_profile(profile["name"], profile["role"], profile["team"])


def complete(session, description: str = DESCRIPTION) -> None:
    """Answer every required question (yes/no answers varied) and respond to every flag, as a practitioner would."""
    yes_no = iter(["no", "unknown"] * 20)
    for _ in range(10):
        missing = session.evaluation.missing_required
        if not missing:
            break
        for prompt in missing:
            values = prompt.option_values()
            value = {"multi_choice": [values[0]] if values else None, "text": description,
                     "yes_no_unknown": next(yes_no), "date": TODAY.isoformat(), "number": int(prompt.min or 1),
                     "person": "m2"}.get(str(prompt.type), values[0] if values else None)
            session.record_answer(prompt.id, value)
    for flag in session.evaluation.flags:
        session.record_flag_response(flag.id, action_taken="Discussed with the MASH", by_whom="Amina Patel",
                                     by_when=TODAY.isoformat())


def submitted_run(ws: Workspace, practitioner: str = "Amina Patel", reference: str = "WV-0001",
                  checklist: str = "non-mobile-bruising", description: str = DESCRIPTION) -> int:
    """A run completed and submitted by `practitioner`; the workspace is left acting as the supervisor."""
    act_as(ws, practitioner)
    case_id = ws.create_case({"reference": reference, "child_name": f"Baby {reference[-1]}",
                              "date_of_birth": (TODAY - dt.timedelta(days=400)).isoformat(), "mobility": "walks",
                              "household": HOUSEHOLD})
    session = ws.open_run(ws.start_run(case_id, checklist))
    complete(session, description)
    session.submit()
    act_as(ws, SUPERVISOR[0])
    return session.run_id


def make_page(qtbot, ws: Workspace, page_size: int = 200) -> ReviewQueuePage:
    page = ReviewQueuePage(ws, page_size=page_size)
    qtbot.addWidget(page)
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    return page


def table_column(page: ReviewQueuePage, column: int) -> list[str]:
    model = page.queue.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def open_row(qtbot, page: ReviewQueuePage, reference: str) -> None:
    """Double-click the queue row of a case, as a supervisor does."""
    row = table_column(page, CASE).index(reference)
    table = page.queue.table
    rect = table.visualRect(page.queue.model.index(row, CASE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.review)


def choose(qtbot, combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setFocus()
    combo.setCurrentIndex(index)


# ---------------------------------------------------------------------------------------------- tests

def test_filtering_the_queue_by_practitioner_team_checklist_flag_and_date(qtbot, qtmodeltester, review_ws):
    submitted_run(review_ws, "Amina Patel", "WV-0001")
    submitted_run(review_ws, "Beata Kowalska", "WV-0002")
    submitted_run(review_ws, "Amina Patel", "WV-0003", checklist="was-not-brought")
    page = make_page(qtbot, review_ws)
    queue = page.queue
    qtmodeltester.check(queue.model)
    assert queue.count_label.text() == "3 checklists waiting for review"
    assert sorted(table_column(page, CASE)) == ["WV-0001", "WV-0002", "WV-0003"]

    choose(qtbot, queue.practitioner_combo, "Beata Kowalska")
    qtbot.waitUntil(lambda: table_column(page, CASE) == ["WV-0002"])
    assert queue.count_label.text() == "1 checklist match these filters"
    choose(qtbot, queue.practitioner_combo, "Anyone")
    choose(qtbot, queue.team_combo, "Health visiting North")
    qtbot.waitUntil(lambda: sorted(table_column(page, CASE)) == ["WV-0001", "WV-0003"])
    title = review_ws.catalog.checklists["was-not-brought"].title
    choose(qtbot, queue.checklist_combo, title)
    qtbot.waitUntil(lambda: table_column(page, CASE) == ["WV-0003"])
    qtmodeltester.check(queue.model)

    queue.clear_button.click()
    qtbot.waitUntil(lambda: queue.model.total == 3)
    choose(qtbot, queue.severity_combo, "Urgent")
    urgent = review_ws.store.count_runs(status="submitted", min_severity="urgent")
    qtbot.waitUntil(lambda: queue.model.total == urgent)
    choose(qtbot, queue.severity_combo, "Any, or none")

    choose(qtbot, queue.period_combo, "Today")
    qtbot.waitUntil(lambda: queue.model.total == 3)
    choose(qtbot, queue.period_combo, "Between dates…")
    assert queue.from_date.isVisible() and queue.to_date.isVisible()
    queue.from_date.setDate(queue.from_date.date().addDays(60))  # after the 'to' date
    qtbot.waitUntil(lambda: queue.problem_label.isVisible())
    assert "'to' date is before the 'from' date" in queue.problem_label.text()
    queue.clear_button.click()
    qtbot.waitUntil(lambda: queue.model.total == 3 and not queue.problem_label.isVisible())

    # typing a name that matches nobody empties the table and says what to do
    queue.practitioner_combo.setFocus()
    queue.practitioner_combo.lineEdit().selectAll()
    qtbot.keyClicks(queue.practitioner_combo.lineEdit(), "Nobody Known")
    qtbot.waitUntil(lambda: queue.model.total == 0)
    assert queue.stack.currentWidget() is queue.empty_label
    assert "Clear filters" in queue.empty_label.text()


def test_open_comment_and_sign_off_then_the_run_refuses_edits(qtbot, review_ws, clock):
    run_id = submitted_run(review_ws)
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    assert review.title.text() == review_ws.catalog.checklists["non-mobile-bruising"].title
    assert review.status_pill.text() == "Waiting for review"
    holder = review.scroll.widget()
    cards = [w.objectName() for w in holder.children() if w.objectName() in ("FlagsCard", "RushedPanel", "SectionCard")]
    assert cards[:2] == ["FlagsCard", "RushedPanel"] and "SectionCard" in cards  # flags first
    assert "No signs of a rushed checklist" in review.rushed_panel.text()
    answer = holder.findChild(type(review.title), "answer-mark_description")
    assert DESCRIPTION in answer.text() and "Sources:" in answer.text()

    qtbot.mouseClick(review.comment_box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(review.comment_box, "Clear description; good that the red book was checked.")
    qtbot.mouseClick(review.comment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sam Okafor</b> commented" in review.history.text())
    assert "red book was checked" in review.history.text() and review.comment_box.toPlainText() == ""

    qtbot.mouseClick(review.sign_off_button, Qt.MouseButton.LeftButton)
    assert review.confirm_strip.isVisible() and "locked" in review.confirm_label.text()
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.status_pill.text() == "Signed off")
    run = review_ws.store.get_run(run_id)
    assert run["signed_off_by"] == "Sam Okafor" and run["signed_off_at"]
    assert "Signed off by Sam Okafor on" in review.decision_banner.text()
    assert not review.sign_off_button.isVisible() and review.amend_button.isEnabled()

    with pytest.raises(ServiceError, match="signed off"):
        review_ws.open_run(run_id).record_answer("unwell", "yes")
    with pytest.raises(RunSignedOff):
        review_ws.store.save_answer(run_id, "unwell", "yes", by="Amina Patel")

    qtbot.mouseClick(review.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.queue)
    assert page.queue.model.total == 0  # no longer waiting


def test_return_with_reasons_reaches_the_practitioner(qtbot, review_ws):
    run_id = submitted_run(review_ws)
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.feedback.isVisible())
    assert "Write the reasons for returning it" in review.feedback.text()
    assert review_ws.store.get_run(run_id)["status"] == "submitted"

    reasons = "Say who was holding the baby when the mark was first seen, and when."
    qtbot.mouseClick(review.comment_box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(review.comment_box, reasons)
    qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.status_pill.text() == "Returned to practitioner")
    assert "Returned to Amina Patel" in review.feedback.text()
    assert reasons in review.history.text()

    act_as(review_ws, "Amina Patel")
    theirs = review_ws.store.list_runs(practitioner="Amina Patel", status="returned")
    assert [r["id"] for r in theirs] == [run_id]
    returned = latest_return(review_ws.store, run_id)
    assert returned["comment"] == reasons and returned["supervisor"] == "Sam Okafor"
    assert review_ws.open_run(run_id).editable

    # Amina's own list shows it, with the reasons
    mine = MyChecklistsView(review_ws)
    qtbot.addWidget(mine)
    mine.show()
    choose(qtbot, mine.show_combo, "Returned to me")
    qtbot.waitUntil(lambda: mine.model.rowCount() == 1)
    assert mine.returned_label.isVisible() and "returned to you" in mine.returned_label.text()
    shown = [mine.model.index(0, c).data() for c in range(mine.model.columnCount())]
    assert reasons in shown


def test_amend_after_sign_off_makes_a_new_version_and_keeps_the_old(qtbot, review_ws):
    run_id = submitted_run(review_ws)
    review_ws.store.sign_off(run_id, "Sam Okafor", "Agreed")
    old_answers = review_ws.store.get_answers(run_id)
    page = make_page(qtbot, review_ws)
    choose(qtbot, page.queue.status_combo, "Signed off")
    qtbot.waitUntil(lambda: page.queue.model.total == 1)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    qtbot.mouseClick(review.amend_button, Qt.MouseButton.LeftButton)
    assert "stays exactly as it is" in review.confirm_label.text()
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.run_id != run_id)
    new_id = review.run_id
    new = review_ws.store.get_run(new_id)
    assert new["amends_run_id"] == run_id and new["version"] == 2 and new["status"] == "draft"
    assert review.status_pill.text() == "In progress" and "Version 2 started" in review.feedback.text()
    assert review.version_bar.isVisible() and run_id in review.version_buttons

    old = review_ws.store.get_run(run_id)
    assert old["status"] == "signed_off" and review_ws.store.get_answers(run_id) == old_answers

    # the supervisor corrects the new version in the walk-through, then comes back to its review
    assert review.edit_button.isVisible()
    qtbot.mouseClick(review.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.walkthrough)
    assert page.walkthrough.editable
    qtbot.mouseClick(page.walkthrough.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.review)

    # both versions stay readable
    qtbot.mouseClick(review.version_buttons[run_id], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.run_id == run_id)
    assert review.status_pill.text() == "Signed off"
    assert DESCRIPTION in review.scroll.widget().findChild(type(review.title), "answer-mark_description").text()
    assert not review.amend_button.isEnabled()  # amend the latest version instead
    assert new_id in review.version_buttons


def test_a_rushed_checklist_shows_its_signs_beside_the_answers(qtbot, review_ws, clock):
    clock.step = 2  # answered two seconds apart
    submitted_run(review_ws, description="ok")
    clock.step = 45
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    panel = page.review.rushed_panel
    assert panel.property("found") == "true"
    text = panel.text()
    assert "Answered seconds apart" in text and "less than 5 seconds after the one before" in text
    assert "Very short required descriptions" in text and "only 2 characters" in text
    assert "not proof that the work was not done" in text
    tags = [w.text() for w in page.review.scroll.widget().findChildren(type(page.review.title))
            if w.property("role") == "tag"]
    assert tags == ["Very short for a required description: check it says what was seen or done"]


def test_a_supervisor_cannot_sign_off_their_own_checklist(qtbot, review_ws):
    submitted_run(review_ws, "Amina Patel", "WV-0001")
    review_ws.save_profile("Amina Patel", "supervisor", "Health visiting North")
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    assert not review.sign_off_button.isEnabled() and not review.return_button.isEnabled()
    assert "another supervisor" in review.decision_banner.text()
    assert "another supervisor" in review.sign_off_button.toolTip()


def test_queue_sorts_when_a_heading_is_clicked(qtbot, review_ws):
    submitted_run(review_ws, "Beata Kowalska", "WV-0001")
    submitted_run(review_ws, "Amina Patel", "WV-0002")
    page = make_page(qtbot, review_ws)
    header = page.queue.table.horizontalHeader()
    x = header.sectionViewportPosition(PRACTITIONER) + header.sectionSize(PRACTITIONER) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    qtbot.waitUntil(lambda: page.queue.model.sort_state()[0] == PRACTITIONER)
    names = table_column(page, PRACTITIONER)
    assert names in (["Amina Patel", "Beata Kowalska"], ["Beata Kowalska", "Amina Patel"])
    order = page.queue.model.sort_state()[1]
    assert names == sorted(names, reverse=order == Qt.SortOrder.DescendingOrder)
    assert isinstance(page.queue.open_button, QPushButton)
