"""The answer editors on their own: the date editor's real 'not answered' state, the person list and the
choice widgets, driven by keyboard and mouse. (No shipped checklist asks for a date yet, so the date
editor is checked here rather than in a full walk-through.)"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt

from app.domain.case_facts import HouseholdMember
from app.domain.model import AnswerType, Option, Prompt
from app.ui.walkthrough.answer_widgets import (
    ChoiceButtons, ChoiceCombo, DateEditor, PersonEditor, make_editor,
)


def _prompt(kind: AnswerType, **extra) -> Prompt:
    return Prompt(id="q", ask="When was the baby last seen by the GP?", why="Timing.", type=kind,
                  sources=("baby-l-1.1",), **extra)


def test_date_starts_not_answered_rather_than_today(qtbot):
    editor = DateEditor(_prompt(AnswerType.DATE))
    qtbot.addWidget(editor)
    editor.show()
    assert editor.value() is None
    assert editor.edit.text() == "Not answered"
    assert editor.display_text() == ""


def test_date_typed_with_the_keyboard_and_cleared(qtbot):
    editor = DateEditor(_prompt(AnswerType.DATE))
    qtbot.addWidget(editor)
    editor.show()
    editor.edit.setFocus()
    with qtbot.waitSignal(editor.committed):
        qtbot.keyClicks(editor.edit, "03/02/2026")
        qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert editor.value() == "2026-02-03"
    assert editor.display_text() == "3 February 2026"
    with qtbot.waitSignal(editor.committed):
        qtbot.mouseClick(editor.clear, Qt.MouseButton.LeftButton)
    assert editor.value() is None
    assert editor.edit.text() == "Not answered"


def test_date_today_button_and_stored_value(qtbot):
    editor = DateEditor(_prompt(AnswerType.DATE))
    qtbot.addWidget(editor)
    editor.show()
    with qtbot.waitSignal(editor.committed):
        qtbot.mouseClick(editor.today, Qt.MouseButton.LeftButton)
    assert editor.value() == dt.date.today().isoformat()
    with qtbot.assertNotEmitted(editor.edited):
        editor.set_value("2025-12-24")
    assert editor.value() == "2025-12-24"


def test_date_calendar_opens_on_this_month_when_unanswered(qtbot):
    editor = DateEditor(_prompt(AnswerType.DATE))
    qtbot.addWidget(editor)
    editor.show()
    arrow = QPoint(editor.edit.width() - 6, editor.edit.height() // 2)
    qtbot.mouseClick(editor.edit, Qt.MouseButton.LeftButton, pos=arrow)   # the drop-down arrow
    calendar = editor.edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert editor.value() is None   # looking at the calendar does not answer the question


def test_person_list_offers_only_the_roles_asked_about_with_guidance(qtbot):
    household = (HouseholdMember("m1", "Jade Morris", "mother"), HouseholdMember("f1", "Ryan Cole", "father"),
                 HouseholdMember("p1", "Dean Hart", "partner"))
    editor = PersonEditor(_prompt(AnswerType.PERSON, roles=("father", "partner")), household)
    qtbot.addWidget(editor)
    items = [editor.combo.itemText(i) for i in range(editor.combo.count())]
    assert items == ["Choose a person…", "Ryan Cole (father)", "Dean Hart (partner)"]
    assert editor.guidance.text().startswith("Someone not yet recorded?")
    empty = PersonEditor(_prompt(AnswerType.PERSON, roles=("male_carer",)), household)
    qtbot.addWidget(empty)
    assert empty.combo.count() == 1
    assert empty.guidance.text().startswith("No male carer is recorded in this case's household yet.")


def test_choice_widget_depends_on_the_number_of_options(qtbot):
    few = make_editor(_prompt(AnswerType.SINGLE_CHOICE, options=tuple(Option(f"o{i}", f"Option {i}") for i in range(6))), ())
    many = make_editor(_prompt(AnswerType.SINGLE_CHOICE, options=tuple(Option(f"o{i}", f"Option {i}") for i in range(7))), ())
    yes_no = make_editor(_prompt(AnswerType.YES_NO_UNKNOWN), ())
    for widget in (few, many, yes_no):
        qtbot.addWidget(widget)
    assert isinstance(few, ChoiceButtons) and isinstance(many, ChoiceCombo)
    assert [b.text() for b in yes_no.buttons.values()] == ["Yes", "No", "Not known"]
    yes_no.show()
    with qtbot.waitSignal(yes_no.committed):
        qtbot.mouseClick(yes_no.buttons["unknown"], Qt.MouseButton.LeftButton)
    assert yes_no.value() == "unknown"
    yes_no.set_value(None)
    assert yes_no.value() is None
