"""Cases: the list (fetched on demand, searched, sorted), the editor, the case page and the risk view.

Everything is driven as a person would: typing, clicking and pressing keys; assertions are on what is
on screen and on what the real Workspace stored."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QMessageBox, QRadioButton

from app.store.errors import StoreBusy, StoreFull
from app.ui.cases.case_editor import CaseEditor, parse_uk_date
from app.ui.cases.case_list_model import CaseListModel
from app.ui.cases.case_list_view import CaseListView
from app.ui.cases.case_page import CasePage
from app.ui.cases.my_checklists import MyChecklistsView
from app.ui.cases.risk_view import RiskModel, RiskView
from app.ui.cases.run_list_model import RunListModel
from conftest import CASE_BORN, CASE_UNBORN, SUPERVISOR, TODAY, case_id

DOB_7_WEEKS = (TODAY - dt.timedelta(days=49)).strftime("%d/%m/%Y")


def bulk_cases(ws, count: int, prefix: str = "BULK") -> None:
    ws.store.seed([{"reference": f"{prefix}-{i:05d}", "child_name": f"Child {i:05d}", "plan": "none",
                    "date_of_birth": "2025-01-01"} for i in range(count)], [], by="test")


def visible_errors(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)
            if label.property("role") == "error" and label.isVisibleTo(widget) and label.text()]


def open_editor(qtbot, window) -> CaseEditor:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    return window.editor


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll() if isinstance(widget, QLineEdit) else None
    qtbot.keyClicks(widget, text)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an item the way a keyboard user does: focus the box and press keys until it shows."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def start_run_with_flag(ws, case: int, checklist_id: str, prompt: str, value) -> int:
    run_id = ws.start_run(case, checklist_id)
    ws.open_run(run_id).record_answer(prompt, value)
    return run_id


# -- models ---------------------------------------------------------------------------------------------

def test_case_list_model_passes_qt_model_checks(qtmodeltester, ws):
    bulk_cases(ws, 30)
    model = CaseListModel(ws.store, page_size=10)
    qtmodeltester.check(model)
    model.set_search("bulk-0001")
    qtmodeltester.check(model)


def test_run_and_risk_models_pass_qt_model_checks(qtmodeltester, ws):
    case = case_id(ws, CASE_BORN)
    start_run_with_flag(ws, case, "non-mobile-bruising", "unwell", "yes")
    start_run_with_flag(ws, case, "family-history-cumulative-risk", "history_read", "no")
    runs = RunListModel(ws.store, ("case", "child", "checklist", "status", "flag", "changed", "note"),
                        {"practitioner": ws.profile["name"]}, page_size=1)
    qtmodeltester.check(runs)
    risk = RiskModel(ws.case_flags(case), lambda cid: cid)
    qtmodeltester.check(risk)


def test_case_list_fetches_pages_on_demand_not_every_case(qtbot, ws):
    bulk_cases(ws, 450)
    model = CaseListModel(ws.store, page_size=200)
    assert model.total == 452
    assert model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 452
    assert not model.canFetchMore()


def test_scrolling_to_the_bottom_of_the_table_loads_the_next_page(qtbot, ws):
    bulk_cases(ws, 450)
    view = CaseListView(ws, page_size=100)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    assert view.model.rowCount() == 100
    first = view.table.visualRect(view.model.index(0, 1)).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() > 100)
    assert view.count_label.text() == "452 cases"


# -- the case list --------------------------------------------------------------------------------------

def test_search_by_name_or_reference_any_case(qtbot, ws):
    view = CaseListView(ws)
    qtbot.addWidget(view)
    view.show()
    assert view.count_label.text() == "2 cases"
    qtbot.keyClicks(view.search_edit, "baby k")
    qtbot.waitUntil(lambda: view.model.total == 1)
    assert view.model.index(0, 1).data() == "Baby K"
    assert view.count_label.text() == "1 case matches “baby k”"
    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "hv-1002")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert view.model.total == 1
    assert view.model.index(0, 0).data() == CASE_UNBORN


def test_search_with_no_match_says_so_and_how_to_find_it(qtbot, ws):
    view = CaseListView(ws)
    qtbot.addWidget(view)
    view.show()
    qtbot.keyClicks(view.search_edit, "zzz")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert view.stack.currentWidget() is view.empty_label
    assert "No cases match “zzz”" in view.empty_label.text()


def test_clicking_a_heading_sorts_by_it(qtbot, ws):
    view = CaseListView(ws)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    header = view.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2))
    first = view.model.index(0, 0).data()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2))
    second = view.model.index(0, 0).data()
    assert {first, second} == {CASE_BORN, CASE_UNBORN}
    assert first != second


def test_down_arrow_from_search_then_enter_opens_the_case(qtbot, ws):
    view = CaseListView(ws)
    qtbot.addWidget(view)
    view.show()
    qtbot.keyClicks(view.search_edit, "1001")
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Down)
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [case_id(ws, CASE_BORN)]


def test_records_in_use_while_searching_is_explained_and_the_list_kept(qtbot, ws, monkeypatch):
    view = CaseListView(ws)
    qtbot.addWidget(view)
    view.show()

    def busy(*_args, **_kwargs):
        raise StoreBusy("The records file is being used by another copy of the app. Close other copies and "
                        "try again.")

    monkeypatch.setattr(ws.store, "count_cases", busy)
    qtbot.keyClicks(view.search_edit, "baby")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    box = view.findChild(QMessageBox, "ErrorBox")
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    assert box.windowTitle() == "The records are in use by another program"
    assert box.informativeText().startswith("The list of cases could not be read.")
    assert view.model.rowCount() == 2  # what was shown stays


def test_empty_list_tells_a_new_user_how_to_add_a_case(qtbot, blank_ws):
    blank_ws.save_profile("Sam Patel", "practitioner", "")
    view = CaseListView(blank_ws)
    qtbot.addWidget(view)
    view.show()
    assert view.stack.currentWidget() is view.empty_label
    assert "No cases yet" in view.empty_label.text()
    assert not view.open_button.isEnabled()


# -- the case editor ------------------------------------------------------------------------------------

def test_new_case_typed_in_is_saved_and_opened(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-2001")
    type_into(qtbot, editor.child_edit, "Baby R")
    type_into(qtbot, editor.date_edit, DOB_7_WEEKS)
    choose(qtbot, editor.mobility_combo, "Rolls over only")
    choose(qtbot, editor.plan_combo, "Child protection plan")
    qtbot.mouseClick(editor.add_person_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.people[0].name, "Leah R")
    choose(qtbot, editor.people[0].relationship, "Mother")
    qtbot.mouseClick(editor.add_person_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.people[1].name, "Craig T")
    choose(qtbot, editor.people[1].relationship, "Other male carer")
    type_into(qtbot, editor.people[1].dob, "3/7/1994")
    editor.people[1].lives.setFocus()
    qtbot.keyClick(editor.people[1].lives, Qt.Key.Key_Space)
    qtbot.mouseClick(editor.add_agency_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.agencies[0].name, "Children's social care")
    type_into(qtbot, editor.agencies[0].contact, "01902 555 0199")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    stored = ws.store.find_case("HV-2001")
    case = ws.store.get_case(stored["id"])
    assert case["child_name"] == "Baby R"
    assert case["date_of_birth"] == (TODAY - dt.timedelta(days=49)).isoformat()
    assert case["mobility"] == "rolls" and case["plan"] == "child_protection"
    assert [(m["name"], m["relationship"], m["lives_with_child"]) for m in case["household"]] == [
        ("Leah R", "mother", True), ("Craig T", "male_carer", False)]
    assert case["household"][1]["date_of_birth"] == "1994-07-03"
    assert case["agencies"] == [{"name": "Children's social care", "role": "", "contact": "01902 555 0199"}]
    qtbot.waitUntil(lambda: window.case_page is not None)
    assert window.case_page.title_label.text() == "HV-2001 · Baby R"
    assert window.saved_label.text().startswith("Case saved at")


def test_saving_with_nothing_filled_in_names_each_missing_field_and_saves_nothing(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    errors = visible_errors(editor)
    assert "Enter the case reference." in errors
    assert "Enter the child's name or initials." in errors
    assert any(e.startswith("Enter the date of birth") for e in errors)
    assert editor.summary_label.text() == "Correct the 3 problems shown above to save the case."
    assert editor.isVisible()
    assert ws.store.count_cases() == 2
    assert editor.focusWidget() is editor.reference_edit


@pytest.mark.parametrize(("typed", "message"), [
    ("31/02/2026", "“31/02/2026” is not a date"),
    ("next week", "“next week” is not a date"),
    ((TODAY + dt.timedelta(days=3)).strftime("%d/%m/%Y"), "The date of birth is in the future"),
    ("01/01/1990", "makes the child 18 or over"),
])
def test_a_wrong_date_of_birth_is_explained_beside_the_field(qtbot, window, ws, typed, message):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-3001")
    type_into(qtbot, editor.child_edit, "C.D.")
    type_into(qtbot, editor.date_edit, typed)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.date_error.isVisible()
    assert message in editor.date_error.text()
    assert editor.date_edit.property("invalid") == "true"
    assert editor.reference_edit.text() == "HV-3001"  # nothing typed is lost
    assert ws.store.find_case("HV-3001") is None
    qtbot.keyClicks(editor.date_edit, "x")
    assert not editor.date_error.isVisible()


def test_an_unborn_baby_needs_an_expected_delivery_date_and_no_mobility(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "MW-77")
    type_into(qtbot, editor.child_edit, "Unborn baby of T.S.")
    qtbot.mouseClick(editor.unborn_radio, Qt.MouseButton.LeftButton)
    assert editor.date_edit.accessibleName() == "Expected delivery date"
    assert not editor.mobility_combo.isEnabled()
    type_into(qtbot, editor.date_edit, (TODAY - dt.timedelta(days=60)).strftime("%d/%m/%Y"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "more than three weeks ago" in editor.date_error.text()
    editor.date_edit.clear()
    due = TODAY + dt.timedelta(days=100)
    type_into(qtbot, editor.date_edit, f"{due.day} {due.strftime('%B %Y')}")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    case = ws.store.find_case("MW-77")
    assert case["expected_delivery_date"] == due.isoformat()
    assert case["date_of_birth"] is None and case["mobility"] is None


def test_a_person_needs_a_name_and_a_relationship(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-4001")
    type_into(qtbot, editor.child_edit, "E.F.")
    type_into(qtbot, editor.date_edit, DOB_7_WEEKS)
    qtbot.mouseClick(editor.add_person_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.people[0].dob, "1/1/1995")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.people[0].error.isVisible()
    assert editor.people[0].error.text() == (
        "Person 1: enter a name (or “not known” and what is known about them); "
        "choose their relationship to the child.")
    assert ws.store.find_case("HV-4001") is None


def test_a_reference_already_used_is_explained_and_the_form_kept(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, CASE_BORN)
    type_into(qtbot, editor.child_edit, "G.H.")
    type_into(qtbot, editor.date_edit, DOB_7_WEEKS)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.reference_error.isVisible()
    assert "already used by another case" in editor.reference_error.text()
    assert "open the existing case" in editor.reference_error.text()
    assert editor.child_edit.text() == "G.H."
    assert ws.store.count_cases() == 2


def test_a_full_disk_while_saving_is_explained_and_nothing_typed_is_lost(qtbot, window, ws, monkeypatch):
    def full(_data):
        raise StoreFull("There is no room left to save to records.db: the disk is full. Nothing was saved "
                        "from this attempt. Free some space (or ask IT support) and try again.")

    monkeypatch.setattr(ws, "create_case", full)
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-5001")
    type_into(qtbot, editor.child_edit, "I.J.")
    type_into(qtbot, editor.date_edit, DOB_7_WEEKS)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    box = editor.findChild(QMessageBox, "ErrorBox")
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    assert box.windowTitle() == "The disk is full"
    assert "the disk is full" in box.informativeText()
    assert "What you typed is still here" in box.informativeText()
    box.close()
    assert editor.isVisible() and editor.reference_edit.text() == "HV-5001"


def test_ctrl_s_saves_the_case(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-6001")
    type_into(qtbot, editor.child_edit, "K.L.")
    type_into(qtbot, editor.date_edit, DOB_7_WEEKS)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(editor.date_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ws.store.find_case("HV-6001")["child_name"] == "K.L."


def test_escape_after_typing_asks_before_anything_is_thrown_away(qtbot, window, ws):
    editor = open_editor(qtbot, window)
    type_into(qtbot, editor.reference_edit, "HV-7001")
    qtbot.keyClick(editor.reference_edit, Qt.Key.Key_Escape)
    box = editor.discard_box
    assert box is not None and box.isVisible()
    assert box.text() == "You have typed details that are not saved. Close without saving them?"
    keep = next(b for b in box.buttons() if b.text() == "Keep editing")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.reference_edit.text() == "HV-7001"
    qtbot.keyClick(editor.reference_edit, Qt.Key.Key_Escape)
    discard = next(b for b in editor.discard_box.buttons() if b.text() == "Close without saving")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert ws.store.find_case("HV-7001") is None


def test_the_invisible_men_note_is_always_shown_and_the_gap_is_named(qtbot, window):
    editor = open_editor(qtbot, window)
    assert editor.men_note.isVisible()
    assert "fathers, mothers' partners and other men" in editor.men_note.text()
    assert editor.no_men_label.isVisible()
    qtbot.mouseClick(editor.add_person_button, Qt.MouseButton.LeftButton)
    choose(qtbot, editor.people[0].relationship, "Father")
    assert not editor.no_men_label.isVisible()
    qtbot.mouseClick(editor.people[0].remove, Qt.MouseButton.LeftButton)
    assert editor.no_men_label.isVisible()


def test_editing_keeps_household_ids_so_earlier_answers_still_point_at_the_same_person(qtbot, ws):
    case = case_id(ws, CASE_BORN)
    before = ws.store.get_case(case)["household"]
    editor = CaseEditor(ws, case)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.reference_edit.text() == CASE_BORN
    assert editor.date_edit.text() == DOB_7_WEEKS
    choose(qtbot, editor.plan_combo, "Child protection plan")
    qtbot.mouseClick(editor.add_person_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, editor.people[2].name, "Tom Lowe")
    choose(qtbot, editor.people[2].relationship, "Father")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    after = ws.store.get_case(case)
    assert after["plan"] == "child_protection"
    assert [m["id"] for m in after["household"][:2]] == [m["id"] for m in before]
    assert after["household"][2]["name"] == "Tom Lowe"


def test_every_input_in_the_editor_has_an_accessible_name(qtbot, ws):
    editor = CaseEditor(ws, case_id(ws, CASE_BORN))
    qtbot.addWidget(editor)
    editor.add_person()
    editor.add_agency()
    inputs = [w for cls in (QLineEdit, QComboBox, QCheckBox, QRadioButton) for w in editor.findChildren(cls)
              if not (isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox))]
    assert inputs
    assert [w for w in inputs if not w.accessibleName()] == []
    names = [w.accessibleName() for w in inputs]
    assert len(names) == len(set(names)), "two inputs share an accessible name"


def test_uk_dates_are_read_in_the_ways_people_type_them():
    assert parse_uk_date("05/03/2026") == dt.date(2026, 3, 5)
    assert parse_uk_date("5-3-2026") == dt.date(2026, 3, 5)
    assert parse_uk_date("5.3.26") == dt.date(2026, 3, 5)
    assert parse_uk_date("5 March 2026") == dt.date(2026, 3, 5)
    assert parse_uk_date("5th Mar 2026") == dt.date(2026, 3, 5)
    assert parse_uk_date("2026-03-05") == dt.date(2026, 3, 5)
    assert parse_uk_date("30/02/2026") is None
    assert parse_uk_date("soon") is None


# -- the case page --------------------------------------------------------------------------------------

def test_case_page_shows_the_child_household_and_agencies(qtbot, ws):
    page = CasePage(ws, case_id(ws, CASE_BORN))
    qtbot.addWidget(page)
    page.show()
    texts = " | ".join(label.text() for label in page.details.findChildren(QLabel))
    assert page.title_label.text() == "HV-1001 · Baby K"
    assert page.subtitle_label.text() == "7 weeks old · Child in need plan"
    assert "Kerry Lowe" in texts and "Mother's partner, does not live with the child" in texts
    assert "Dr Shah, Whitmore Surgery, 01902 555 0101" in texts
    assert page.runs_empty.isVisible()


def test_start_checklist_menu_offers_the_catalog_and_only_what_fits_the_case(qtbot, ws):
    born = CasePage(ws, case_id(ws, CASE_BORN))
    unborn = CasePage(ws, case_id(ws, CASE_UNBORN))
    for page in (born, unborn):
        qtbot.addWidget(page)
    assert set(born.start_actions) == set(ws.catalog.checklists)
    assert born.start_actions["non-mobile-bruising"].isEnabled()
    assert not born.start_actions["pre-birth-early-help"].isEnabled()
    assert unborn.start_actions["pre-birth-early-help"].isEnabled()
    assert not unborn.start_actions["non-mobile-bruising"].isEnabled()
    assert "after the birth" in unborn.start_actions["non-mobile-bruising"].text()


def test_starting_a_checklist_opens_it_and_closing_returns_to_the_case(qtbot, window, ws):
    case = case_id(ws, CASE_BORN)
    window.open_case(case)
    page = window.case_page
    with qtbot.waitSignal(page.open_run_requested) as requested:
        page.start_actions["fathers-and-male-carers"].trigger()
    run_id = requested.args[0]
    assert ws.store.get_run(run_id)["checklist_id"] == "fathers-and-male-carers"
    qtbot.waitUntil(lambda: window.walkthrough is not None)
    assert window.stack.currentWidget() is window.walkthrough
    window.walkthrough.closed.emit()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    assert page.runs_model.total == 1
    assert page.runs_model.index(0, 0).data() == "Fathers and male carers"
    assert page.runs_model.index(0, 1).data() == "In progress"
    assert page.tabs.tabText(0) == "Checklists (1)"


def test_open_checklist_by_keyboard_from_the_runs_table(qtbot, window, ws):
    case = case_id(ws, CASE_BORN)
    run_id = ws.start_run(case, "was-not-brought")
    window.open_case(case)
    page = window.case_page
    page.runs_table.setFocus()
    page.runs_table.selectRow(0)
    assert page.open_run_button.isEnabled()
    with qtbot.waitSignal(page.open_run_requested) as requested:
        qtbot.keyClick(page.runs_table, Qt.Key.Key_Return)
    assert requested.args == [run_id]


# -- cumulative risk ------------------------------------------------------------------------------------

def test_risk_view_shows_every_flag_across_runs_with_severity_words_and_colour(qtbot, ws):
    case = case_id(ws, CASE_BORN)
    bruising = start_run_with_flag(ws, case, "non-mobile-bruising", "unwell", "yes")
    ws.open_run(bruising).record_answer("unwell", "no")  # clears the urgent flag
    start_run_with_flag(ws, case, "family-history-cumulative-risk", "history_read", "no")
    view = RiskView(ws, case)
    qtbot.addWidget(view)
    view.show()
    model = view.model
    assert model.rowCount() == 2
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(2)]
    assert rows[0][1] == "Urgent" and rows[0][2] == "Bruising and injuries in babies and young children"
    assert rows[0][4].startswith("Cleared ")
    assert rows[1][1] == "Act" and rows[1][2] == "Family history and cumulative risk"
    assert rows[1][4] == "Current"
    assert "What was done:</b> No response recorded" in view.detail.text()
    assert "Recommended:" in view.detail.text()
    urgent_bg = model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole).color().name()
    act_bg = model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert urgent_bg != act_bg
    text = view.summary_label.text()
    assert text.startswith("2 flags raised since")
    assert "1 urgent, 1 act" in text and "1 still current" in text
    assert "2 different checklists" in text
    assert view.timeline.isVisible()


def test_risk_view_with_no_flags_says_where_they_will_appear(qtbot, ws):
    view = RiskView(ws, case_id(ws, CASE_UNBORN))
    qtbot.addWidget(view)
    view.show()
    assert "No flags have been raised" in view.summary_label.text()
    assert not view.table.isVisible() and not view.timeline.isVisible()


def test_case_page_tab_counts_current_flags(qtbot, ws):
    case = case_id(ws, CASE_BORN)
    start_run_with_flag(ws, case, "family-history-cumulative-risk", "history_read", "no")
    page = CasePage(ws, case)
    qtbot.addWidget(page)
    assert page.tabs.tabText(1) == "Risk over time (1 current)"


# -- my checklists --------------------------------------------------------------------------------------

def test_my_checklists_show_returned_runs_with_the_supervisors_reason(qtbot, ws):
    case = case_id(ws, CASE_BORN)
    draft = ws.start_run(case, "was-not-brought")
    returned = ws.start_run(case, "fathers-and-male-carers")
    ws.store.save_profile(dict(SUPERVISOR))
    ws.store.submit(returned, by=ws.profile["name"])
    ws.store.return_run(returned, SUPERVISOR["name"], "Record whether Dean Marsh was seen on his own.")
    view = MyChecklistsView(ws)
    qtbot.addWidget(view)
    view.show()
    assert view.returned_label.isVisible()
    assert view.returned_label.text().startswith("1 checklist has been returned to you")
    model = view.model
    by_id = {model.run_id(r): [model.index(r, c).data() for c in range(model.columnCount())]
             for r in range(model.rowCount())}
    assert by_id[returned][3] == "Returned to you"
    assert by_id[returned][6] == "Record whether Dean Marsh was seen on his own."
    assert by_id[draft][6] == ""
    choose(qtbot, view.show_combo, "Returned to me")
    assert [model.run_id(r) for r in range(model.rowCount())] == [returned]


def test_my_checklists_only_lists_my_own_runs(qtbot, ws):
    case = case_id(ws, CASE_BORN)
    ws.start_run(case, "was-not-brought")
    ws.save_profile("Alex Reid", "practitioner", "")
    view = MyChecklistsView(ws)
    qtbot.addWidget(view)
    view.show()
    assert view.model.total == 0
    assert view.empty_label.isVisible()
