"""Fixtures and a 'practitioner' driver for the walk-through tests.

The driver only does what a person does: clicks, types and presses keys on the widgets they can see,
then the tests assert on what is on screen and on what the real Workspace stored."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.services import Workspace
from app.ui.walkthrough import WalkthroughView
from app.ui.walkthrough.answer_widgets import (
    ChoiceButtons, ChoiceCombo, DateEditor, MultiChoice, NumberEditor, PersonEditor, TextEditor,
)

TODAY = dt.date.today()


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def days_ahead(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


HOUSEHOLD = [
    {"id": "m1", "name": "Jade Morris", "relationship": "mother"},
    {"id": "f1", "name": "Ryan Cole", "relationship": "father"},
    {"id": "p1", "name": "Dean Hart", "relationship": "partner"},
    {"id": "s1", "name": "Kai Morris", "relationship": "sibling"},
]


def open_workspace(data_dir: Path) -> Workspace:
    ws = Workspace.open(data_dir=data_dir)
    if ws.profile is None:
        ws.save_profile("Priya Shah", "practitioner", "Health visiting, Wolverhampton North")
    return ws


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def workspace(data_dir: Path):
    ws = open_workspace(data_dir)
    yield ws
    ws.close()


def start(ws: Workspace, checklist_id: str, reference: str = "WT-1", **case) -> int:
    """Create a case (an unborn baby unless a date of birth is given) and start a run on it."""
    data = {"reference": reference, "child_name": "Baby Morris", "household": HOUSEHOLD, "plan": "none"}
    if "date_of_birth" not in case:
        data["expected_delivery_date"] = days_ahead(120)
    data.update(case)
    case_id = ws.create_case(data)
    return ws.start_run(case_id, checklist_id)


class Practitioner:
    """Drives a WalkthroughView with the mouse and keyboard."""

    def __init__(self, qtbot, view: WalkthroughView):
        self.qtbot = qtbot
        self.view = view

    # -- what is on screen
    def card(self, prompt_id: str):
        return self.view.cards[prompt_id]

    def visible(self, prompt_id: str) -> bool:
        card = self.view.cards.get(prompt_id)
        return card is not None and card.isVisible()

    def visible_prompts(self) -> list[str]:
        """Prompt ids shown on the current step, in order."""
        section = self.view.sections[self.view.current]
        return [p.id for p in section.prompts if self.visible(p.id)]

    def unanswered_on_step(self, plan: dict[str, object]):
        """Yield, one at a time, the next question on this step that is in `plan` and not yet answered here;
        questions revealed by an answer are picked up as they appear."""
        done: set[str] = set()
        while True:
            todo = [p for p in self.visible_prompts() if p in plan and p not in done]
            if not todo:
                return
            done.add(todo[0])
            yield todo[0]

    def flag_ids(self) -> list[str]:
        return [card.flag.id for card in self.view.flags.cards.values() if card.isVisible()]

    # -- doing things
    def scroll_to(self, widget: QWidget) -> None:
        """Scroll every scroll area holding `widget` so it is on screen, as a person would."""
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()
        self.qtbot.waitUntil(lambda: not widget.visibleRegion().isEmpty())

    def click(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), f"cannot click {widget!r}: not visible or not enabled"
        self.scroll_to(widget)
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def key(self, key, widget: QWidget | None = None, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        target = widget or QApplication.focusWidget() or self.view
        self.qtbot.keyClick(target, key, modifier)

    def type_into(self, widget: QWidget, text: str, leave: bool = True) -> None:
        """Click into a field, type, and (by default) Tab out of it as a person would."""
        self.click(widget)
        self.qtbot.waitUntil(widget.hasFocus)
        self.qtbot.keyClicks(widget, text)
        if leave:
            self.key(Qt.Key.Key_Tab, widget)

    def answer(self, prompt_id: str, value) -> None:
        """Answer one visible question the way a person would for its kind of answer."""
        card = self.card(prompt_id)
        assert card.isVisible(), f"question {prompt_id} is not on screen"
        editor = card.editor
        if isinstance(editor, ChoiceButtons):
            self.click(editor.buttons[value])
        elif isinstance(editor, MultiChoice):
            for option in value:
                box = editor.boxes[option]
                # Keyboard for some, mouse for others: both must work.
                box.setFocus()
                self.key(Qt.Key.Key_Space, box)
        elif isinstance(editor, (ChoiceCombo, PersonEditor)):
            combo = editor.combo
            target = combo.findData(value)
            assert target > 0, f"{value!r} is not offered for {prompt_id}"
            combo.setFocus()
            self.qtbot.waitUntil(combo.hasFocus)
            while combo.currentIndex() != target:
                self.key(Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up, combo)
        elif isinstance(editor, NumberEditor):
            self.click(editor.edit)
            self.key(Qt.Key.Key_A, editor.edit, Qt.KeyboardModifier.ControlModifier)
            self.key(Qt.Key.Key_Backspace, editor.edit)
            self.qtbot.keyClicks(editor.edit, str(value))
            self.key(Qt.Key.Key_Tab, editor.edit)
        elif isinstance(editor, TextEditor):
            self.type_into(editor.edit, value)
        elif isinstance(editor, DateEditor):
            editor.edit.setFocus()
            self.key(Qt.Key.Key_A, editor.edit, Qt.KeyboardModifier.ControlModifier)
            self.qtbot.keyClicks(editor.edit, value)
            self.key(Qt.Key.Key_Tab, editor.edit)
        else:  # pragma: no cover - every editor is listed above
            raise AssertionError(f"no way to answer {editor!r}")

    def how_known(self, prompt_id: str, how: str, by: str = "") -> None:
        card = self.card(prompt_id)
        self.click(card.known_buttons[how])
        if by:
            self.type_into(card.reported_by, by)

    def note(self, prompt_id: str, text: str) -> None:
        self.type_into(self.card(prompt_id).note, text)

    def next_by_enter(self) -> None:
        """Press Enter with focus on the first answer of the step (Enter means Next outside text boxes)."""
        before = self.view.current
        self.view.next_button.setFocus()
        self.key(Qt.Key.Key_Return, self.view.next_button)
        self.qtbot.waitUntil(lambda: self.view.current != before)

    def next(self) -> None:
        before = self.view.current
        self.click(self.view.next_button)
        self.qtbot.waitUntil(lambda: self.view.current != before)

    def respond_to_flag(self, flag_id: str, done: str = "", by_whom: str = "", why_not: str = "",
                        today: bool = False) -> None:
        card = self.view.flags.cards[flag_id]
        self.click(card.record)
        form = card.form
        self.qtbot.waitUntil(lambda: form.action_taken.hasFocus())
        if done:
            self.qtbot.keyClicks(form.action_taken, done)
        if by_whom:
            self.type_into(form.by_whom, by_whom, leave=False)
        if today:
            self.click(form.when_today)
        if why_not:
            self.type_into(form.reason_not_acting, why_not, leave=False)
        self.click(form.save)

    def walk(self, plan: dict[str, object]) -> None:
        """Answer every visible question in `plan` on each step, in order, pressing Next until the summary."""
        while self.view.current < self.view.summary_index:
            for prompt_id in self.unanswered_on_step(plan):
                self.answer(prompt_id, plan[prompt_id])
            self.next_by_enter()


def show_view(qtbot, session, width: int = 1400, height: int = 900) -> WalkthroughView:
    view = WalkthroughView(session)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view
