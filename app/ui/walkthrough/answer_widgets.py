"""One editor per answer type.

Every editor offers the same small interface to the prompt card:
- `value()` the raw answer to save, or None when the question is unanswered;
- `set_value(stored)` shows a stored value without emitting anything;
- `edited` fires while the person is still changing the answer (the card saves after a pause);
- `committed` fires when the answer is complete (a click, leaving the field), so the card saves now;
- `focus_target()` the widget that takes focus when someone jumps to the question.

Editors never save anything themselves; the card and the view do that through the RunSession."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton, QButtonGroup, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from app.domain.case_facts import HouseholdMember
from app.domain.model import AnswerType, Prompt

MAX_RADIO_OPTIONS = 6
NO_DATE = QDate(1900, 1, 1)
RELATIONSHIP_WORDS = {
    "mother": "mother", "father": "father", "partner": "partner", "male_carer": "male carer",
    "sibling": "brother or sister", "other_child": "other child", "grandparent": "grandparent",
    "other_adult": "other adult",
}


def _strip_layout(layout) -> None:
    layout.setContentsMargins(0, 0, 0, 0)


class AnswerEditor(QWidget):
    """Base class: the shared signals and defaults."""

    edited = Signal()
    committed = Signal()

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(parent)
        self.prompt = prompt

    def value(self) -> object | None:
        raise NotImplementedError

    def set_value(self, stored: object | None) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def display_text(self) -> str:
        """The current answer in words, for summaries and screen readers."""
        value = self.value()
        return "" if value is None else str(value)


class ChoiceButtons(AnswerEditor):
    """Yes / No / Not known, or up to six options, as radio buttons in one exclusive group.

    Arrow keys move between the buttons and choose; Space chooses the focused button."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        horizontal = prompt.type is AnswerType.YES_NO_UNKNOWN
        layout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        _strip_layout(layout)
        layout.setSpacing(18 if horizontal else 4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        for value in prompt.option_values():
            label = prompt.option_label(value)
            button = QRadioButton(label, self)
            button.setAccessibleName(f"{label}")
            button.setAccessibleDescription(prompt.ask)
            button.setProperty("answer_value", value)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        self.group.buttonClicked.connect(lambda _button: self.committed.emit())

    def value(self) -> str | None:
        button = self.group.checkedButton()
        return None if button is None else button.property("answer_value")

    def set_value(self, stored: object | None) -> None:
        if stored is None or stored not in self.buttons:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[stored].setChecked(True)

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked if checked is not None else next(iter(self.buttons.values()))

    def display_text(self) -> str:
        value = self.value()
        return "" if value is None else self.prompt.option_label(value)


class ChoiceCombo(AnswerEditor):
    """A single choice from more than six options: a drop-down list with a 'not answered' first entry."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QHBoxLayout(self)
        _strip_layout(layout)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(prompt.ask)
        self.combo.addItem("Choose one…", None)
        for option in prompt.options:
            self.combo.addItem(option.label, option.value)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)
        layout.addWidget(self.combo, 1)
        self.combo.activated.connect(lambda _index: self.committed.emit())

    def value(self) -> str | None:
        return self.combo.currentData()

    def set_value(self, stored: object | None) -> None:
        index = self.combo.findData(stored) if stored is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo

    def display_text(self) -> str:
        return "" if self.value() is None else self.combo.currentText()


class MultiChoice(AnswerEditor):
    """Any number of options, as check boxes."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QVBoxLayout(self)
        _strip_layout(layout)
        layout.setSpacing(4)
        self.boxes: dict[str, QCheckBox] = {}
        for option in prompt.options:
            box = QCheckBox(option.label, self)
            box.setAccessibleName(option.label)
            box.setAccessibleDescription(prompt.ask)
            box.clicked.connect(lambda _checked: self.committed.emit())
            self.boxes[option.value] = box
            layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)

    def value(self) -> list[str] | None:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        return chosen or None

    def set_value(self, stored: object | None) -> None:
        chosen = set(stored) if isinstance(stored, (list, tuple)) else set()
        for value, box in self.boxes.items():
            box.setChecked(value in chosen)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()))

    def display_text(self) -> str:
        value = self.value() or []
        return "; ".join(self.prompt.option_label(v) for v in value)


class _DateFieldHelper(QObject):
    """Typing into an unanswered date, and a calendar that opens on this month rather than 1900.

    The calendar is only created when the date field is first used, so opening a run stays quick."""

    def __init__(self, edit: QDateEdit):
        super().__init__(edit)
        self.edit = edit
        self.calendar = None
        self._section_before_digit = None
        edit.installEventFilter(self)

    def _typed(self, event) -> bool:
        text = event.text()
        if text.isdigit():
            if self.edit.date() == NO_DATE:
                # Typing into 'Not answered': start from today's date in the field and let the digits
                # overwrite the day, month and year in turn.
                self.edit.setDate(QDate.currentDate())
                self.edit.setSelectedSection(QDateEdit.Section.DaySection)
            self._section_before_digit = self.edit.currentSection()
            return False
        advanced = (self._section_before_digit is not None
                    and self.edit.currentSection() != self._section_before_digit)
        self._section_before_digit = None
        # A two-digit day or month already moved on to the next part: the '/' typed after it is
        # swallowed, so '03/02/2026' means 3 February 2026 as a person expects.
        return advanced and text in ("/", ".", "-")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and self.calendar is None and event.type() in (
                QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self.calendar = self.edit.calendarWidget()
            self.calendar.installEventFilter(self)
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and not self.edit.isReadOnly():
            return self._typed(event)
        if watched is self.calendar and event.type() == QEvent.Type.Show and self.edit.date() == NO_DATE:
            today = QDate.currentDate()
            self.calendar.setCurrentPage(today.year(), today.month())
        return False


class DateEditor(AnswerEditor):
    """A date, typed as day/month/year or picked from a calendar pop-up, with a real 'Not answered' state.

    An unanswered date shows 'Not answered' rather than silently defaulting to today."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QHBoxLayout(self)
        _strip_layout(layout)
        self.edit = QDateEdit(self)
        self.edit.setAccessibleName(prompt.ask)
        self.edit.setAccessibleDescription("A date: type day/month/year, or use the Today button. Not answered until you do.")
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setMinimumDate(NO_DATE)
        self.edit.setSpecialValueText("Not answered")
        self.edit.setDate(NO_DATE)
        self._calendar_page = _DateFieldHelper(self.edit)
        self.today = QPushButton("Today", self)
        self.today.setAccessibleName(f"Set today's date: {prompt.ask}")
        self.clear = QPushButton("Clear date", self)
        self.clear.setAccessibleName(f"Clear the date: {prompt.ask}")
        layout.addWidget(self.edit)
        layout.addWidget(self.today)
        layout.addWidget(self.clear)
        layout.addStretch(1)
        self.edit.dateChanged.connect(lambda _date: self.edited.emit())
        self.edit.editingFinished.connect(self.committed.emit)
        self.today.clicked.connect(self._set_today)
        self.clear.clicked.connect(self._clear)

    def _set_today(self) -> None:
        self.edit.setDate(QDate.currentDate())
        self.committed.emit()

    def _clear(self) -> None:
        self.edit.setDate(NO_DATE)
        self.committed.emit()

    def value(self) -> str | None:
        date = self.edit.date()
        if date == NO_DATE:
            return None
        return dt.date(date.year(), date.month(), date.day()).isoformat()

    def set_value(self, stored: object | None) -> None:
        self.edit.blockSignals(True)
        if isinstance(stored, str):
            parsed = QDate.fromString(stored, "yyyy-MM-dd")
            self.edit.setDate(parsed if parsed.isValid() else NO_DATE)
        else:
            self.edit.setDate(NO_DATE)
        self.edit.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.edit

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setCalendarPopup(not read_only)
        self.today.setVisible(not read_only)
        self.clear.setVisible(not read_only)

    def display_text(self) -> str:
        return "" if self.value() is None else self.edit.date().toString("d MMMM yyyy")


class NumberEditor(AnswerEditor):
    """A number typed into a line edit, so it can be left blank; the range and unit are shown beside it.

    The typed text is kept exactly as typed when it is not a valid answer; the card shows why."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QHBoxLayout(self)
        _strip_layout(layout)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(prompt.ask)
        self.edit.setMaxLength(32)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0") * 14)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        layout.addWidget(self.edit)
        if prompt.unit:
            unit = QLabel(prompt.unit, self)
            layout.addWidget(unit)
        hint = self._range_words()
        if hint:
            self.hint = QLabel(hint, self)
            self.hint.setObjectName("hint")
            self.edit.setAccessibleDescription(hint)
            layout.addWidget(self.hint)
        layout.addStretch(1)
        self.edit.textEdited.connect(lambda _text: self.edited.emit())
        self.edit.editingFinished.connect(self.committed.emit)

    def _range_words(self) -> str:
        low, high, unit = self.prompt.min, self.prompt.max, f" {self.prompt.unit}" if self.prompt.unit else ""
        if low is not None and high is not None:
            return f"From {low:g} to {high:g}{unit}."
        if low is not None:
            return f"At least {low:g}{unit}."
        if high is not None:
            return f"At most {high:g}{unit}."
        return ""

    def value(self) -> str | None:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, stored: object | None) -> None:
        if stored is None:
            self.edit.setText("")
        elif isinstance(stored, float) and stored.is_integer():
            self.edit.setText(str(int(stored)))
        else:
            self.edit.setText(str(stored))

    def focus_target(self) -> QWidget:
        return self.edit

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def display_text(self) -> str:
        value = self.value()
        if value is None:
            return ""
        return f"{value} {self.prompt.unit}" if self.prompt.unit else value


class _PlainText(QPlainTextEdit):
    """A plain-text box that reports when focus leaves it, so the answer is saved then."""

    focus_left = Signal()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()


class TextEditor(AnswerEditor):
    """Free text over several lines. Tab moves on (it never types a tab); Enter starts a new line."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QVBoxLayout(self)
        _strip_layout(layout)
        self.edit = _PlainText(self)
        self.edit.setAccessibleName(prompt.ask)
        self.edit.setAccessibleDescription("Free text. Saved as you type. Tab moves to the next field.")
        self.edit.setTabChangesFocus(True)
        lines = 4
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 16)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self.edited.emit)
        self.edit.focus_left.connect(self.committed.emit)

    def text(self) -> str:
        return self.edit.toPlainText()

    def value(self) -> str | None:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, stored: object | None) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(stored if isinstance(stored, str) else "")
        self.edit.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.edit

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def display_text(self) -> str:
        return (self.value() or "").strip()


class PersonEditor(AnswerEditor):
    """A member of the case's household, limited to the relationships the prompt asks about."""

    def __init__(self, prompt: Prompt, household: Sequence[HouseholdMember], parent: QWidget | None = None):
        super().__init__(prompt, parent)
        layout = QVBoxLayout(self)
        _strip_layout(layout)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(prompt.ask)
        self.combo.addItem("Choose a person…", None)
        roles = set(prompt.roles)
        self.members = [m for m in household if not roles or m.relationship in roles]
        for member in self.members:
            words = RELATIONSHIP_WORDS.get(member.relationship, member.relationship)
            self.combo.addItem(f"{member.name} ({words})", member.id)
        layout.addWidget(self.combo)
        wanted = " or ".join(RELATIONSHIP_WORDS.get(r, r) for r in prompt.roles) or "person"
        if self.members:
            guidance = (f"Someone not yet recorded? Add the {wanted} to the household in the case details, "
                        "then come back: your answers here are kept.")
        else:
            guidance = (f"No {wanted} is recorded in this case's household yet. Add them in the case details, "
                        "then come back: your answers here are kept. You can use the note to say who it is "
                        "in the meantime.")
        self.guidance = QLabel(guidance, self)
        self.guidance.setObjectName("hint")
        self.guidance.setWordWrap(True)
        self.combo.setAccessibleDescription(guidance)
        layout.addWidget(self.guidance)
        self.combo.activated.connect(lambda _index: self.committed.emit())

    def value(self) -> str | None:
        return self.combo.currentData()

    def set_value(self, stored: object | None) -> None:
        index = self.combo.findData(stored) if stored is not None else 0
        if index < 0 and isinstance(stored, str):
            # Recorded earlier but no longer in the household list shown here: keep it visible.
            self.combo.addItem(f"Someone no longer listed in the household ({stored})", stored)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo

    def display_text(self) -> str:
        return "" if self.value() is None else self.combo.currentText()


def make_editor(prompt: Prompt, household: Sequence[HouseholdMember], parent: QWidget | None = None) -> AnswerEditor:
    """The editor for this prompt's answer type."""
    match prompt.type:
        case AnswerType.YES_NO_UNKNOWN:
            return ChoiceButtons(prompt, parent)
        case AnswerType.SINGLE_CHOICE:
            if len(prompt.options) > MAX_RADIO_OPTIONS:
                return ChoiceCombo(prompt, parent)
            return ChoiceButtons(prompt, parent)
        case AnswerType.MULTI_CHOICE:
            return MultiChoice(prompt, parent)
        case AnswerType.DATE:
            return DateEditor(prompt, parent)
        case AnswerType.NUMBER:
            return NumberEditor(prompt, parent)
        case AnswerType.TEXT:
            return TextEditor(prompt, parent)
        case AnswerType.PERSON:
            return PersonEditor(prompt, household, parent)
    raise ValueError(f"Prompt '{prompt.id}' has an answer type the walk-through cannot show: {prompt.type}.")


def is_push_button(widget: QWidget | None) -> bool:
    """True for buttons that Enter should press (not radio buttons or check boxes)."""
    return isinstance(widget, QAbstractButton) and not isinstance(widget, (QRadioButton, QCheckBox))
