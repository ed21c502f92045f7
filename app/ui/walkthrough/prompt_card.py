"""One question on screen: the question, its answer, how it is known, a note and why it matters.

The card never saves by itself: it asks the view to save (`save_requested`) when an answer is
complete, and after a short pause while someone is still typing, so nothing typed is lost."""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSizePolicy, QToolButton,
    QVBoxLayout, QWidget,
)

from app.domain.case_facts import HouseholdMember
from app.domain.engine import Answer
from app.domain.language import Nudge
from app.domain.model import AnswerType, HowKnown, Prompt
from app.domain.sources import Source
from app.ui.walkthrough import style
from app.ui.walkthrough.answer_widgets import AnswerEditor, TextEditor, make_editor

SAVE_PAUSE_MS = 800


def nudge_words(nudges: Sequence[Nudge]) -> str:
    """Plain words for the vague phrases found in a text (one line each, no repeats)."""
    lines, seen = [], set()
    for nudge in nudges:
        key = nudge.phrase.lower()
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"‘{nudge.phrase}’ can make a concern sound smaller than it is. {nudge.ask_instead}")
    return "\n".join(lines)


class PromptCard(QFrame):
    """The card for one prompt. `meta()` gives the note and how-known fields, saved as they are given
    (with the answer, or on their own while the question is not answered yet)."""

    save_requested = Signal(object)      # the card
    clear_requested = Signal(object)     # the card

    def __init__(self, prompt: Prompt, household: Sequence[HouseholdMember], sources: Mapping[str, Source],
                 nudges: Callable[[str], list[Nudge]] | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.prompt = prompt
        self._sources = sources
        self._nudges = nudges
        self._read_only = False
        self._answered = False
        self.setObjectName("promptCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(prompt.ask)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_PAUSE_MS)
        self.timer.timeout.connect(self.request_save)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.question = QLabel(prompt.ask, self)
        self.question.setFont(style.font(self, 1.1, bold=True))
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.question, 1)
        self.required_tag = QLabel("Required" if prompt.required else "Optional", self)
        self.required_tag.setObjectName("requiredTag" if prompt.required else "optionalTag")
        self.required_tag.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.required_tag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.editor: AnswerEditor = make_editor(prompt, household, self)
        self.question.setBuddy(self.editor.focus_target())
        layout.addWidget(self.editor)
        self.editor.edited.connect(self._on_edited)
        self.editor.committed.connect(self.request_save)

        self.nudge = QLabel(self)
        self.nudge.setObjectName("nudge")
        self.nudge.setWordWrap(True)
        self.nudge.hide()
        layout.addWidget(self.nudge)

        self.error = QLabel(self)
        self.error.setObjectName("cardError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        # How do you know? (saved as it is given, answered or not)
        known_row = QHBoxLayout()
        known_row.setSpacing(14)
        known_label = QLabel("How do you know?", self)
        known_label.setObjectName("mutedText")
        known_row.addWidget(known_label)
        self.known_group = QButtonGroup(self)
        self.known_buttons: dict[str, QRadioButton] = {}
        for how in HowKnown:
            words = "Reported by someone" if how is HowKnown.REPORTED else how.label
            button = QRadioButton(words, self)
            button.setAccessibleName(f"How do you know: {words}")
            button.setAccessibleDescription(prompt.ask)
            button.setProperty("how_known", how.value)
            self.known_group.addButton(button)
            self.known_buttons[how.value] = button
            known_row.addWidget(button)
        known_row.addStretch(1)
        layout.addLayout(known_row)
        self.reported_by = QLineEdit(self)
        self.reported_by.setPlaceholderText("Reported by whom? For example: mother, GP, neighbour")
        self.reported_by.setAccessibleName(f"Reported by whom: {prompt.ask}")
        self.reported_by.hide()
        layout.addWidget(self.reported_by)
        self.known_group.buttonClicked.connect(self._on_known_clicked)
        self.reported_by.textEdited.connect(lambda _t: self._on_edited())
        self.reported_by.editingFinished.connect(self.request_save)

        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note (optional): anything that helps someone reading this later")
        self.note.setAccessibleName(f"Note: {prompt.ask}")
        self.note.textEdited.connect(lambda _t: self._on_edited())
        self.note.editingFinished.connect(self.request_save)
        layout.addWidget(self.note)

        bottom = QHBoxLayout()
        self.why_button = QToolButton(self)
        self.why_button.setText("▸ Why this matters")
        self.why_button.setCheckable(True)
        self.why_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.why_button.setAccessibleName(f"Why this matters: {prompt.ask}")
        self.why_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.why_button.toggled.connect(self._toggle_why)
        bottom.addWidget(self.why_button)
        bottom.addStretch(1)
        self.clear_button = QPushButton("Clear answer", self)
        self.clear_button.setAccessibleName(f"Clear the answer: {prompt.ask}")
        self.clear_button.clicked.connect(lambda: self.clear_requested.emit(self))
        self.clear_button.hide()
        bottom.addWidget(self.clear_button)
        layout.addLayout(bottom)
        self.why_box: QLabel | None = None
        self._why_layout = layout
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    # ------------------------------------------------------------------ state

    def show_answer(self, answer: Answer | None) -> None:
        """Show a stored answer (or none) without saving anything."""
        self.editor.set_value(None if answer is None else answer.value)
        how = None if answer is None or answer.how_known is None else str(answer.how_known)
        self.known_group.setExclusive(False)
        for value, button in self.known_buttons.items():
            button.setChecked(value == how)
        self.known_group.setExclusive(True)
        self.reported_by.setText("" if answer is None else answer.reported_by or "")
        self.reported_by.setVisible(how == HowKnown.REPORTED.value)
        self.note.setText("" if answer is None else answer.note or "")
        self.set_answered(answer is not None and answer.value is not None)
        self._update_nudge()

    def set_answered(self, answered: bool) -> None:
        self._answered = answered
        self.clear_button.setVisible(answered and not self._read_only)

    def meta(self) -> tuple[str, str | None, str]:
        """(note, how known, reported by) as typed."""
        button = self.known_group.checkedButton()
        how = None if button is None else button.property("how_known")
        reported = self.reported_by.text().strip() if how == HowKnown.REPORTED.value else ""
        return self.note.text().strip(), how, reported

    def pending(self) -> bool:
        """True while a change is waiting for its pause before saving."""
        return self.timer.isActive()

    def focus_target(self) -> QWidget:
        return self.editor.focus_target()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.editor.set_read_only(read_only)
        for button in self.known_buttons.values():
            button.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self.reported_by.setReadOnly(read_only)
        self.set_answered(self._answered)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(f"Not saved: {message}")
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()
        self.error.clear()

    def has_error(self) -> bool:
        return not self.error.isHidden()

    def set_marked(self, name: str, on: bool) -> None:
        """Set a styling property ('missing' or 'target') and repaint."""
        if bool(self.property(name)) == on:
            return
        self.setProperty(name, on)
        self.style().unpolish(self)
        self.style().polish(self)

    # ------------------------------------------------------------------ events

    def _on_edited(self) -> None:
        if self._read_only:
            return
        self.timer.start()
        if self.prompt.type is AnswerType.TEXT:
            self._update_nudge()

    def _on_known_clicked(self, button) -> None:
        reported = button.property("how_known") == HowKnown.REPORTED.value
        self.reported_by.setVisible(reported)
        self.request_save()

    def request_save(self) -> None:
        if self._read_only:
            return
        self.timer.stop()
        self.save_requested.emit(self)

    def _update_nudge(self) -> None:
        if not isinstance(self.editor, TextEditor) or self._nudges is None:
            return
        words = nudge_words(self._nudges(self.editor.text()))
        if words:
            self.nudge.setText(words)
            self.nudge.setAccessibleName(f"Suggestion: {words}")
        self.nudge.setVisible(bool(words) and not self._read_only)

    def _toggle_why(self, on: bool) -> None:
        self.why_button.setText(("▾ " if on else "▸ ") + "Why this matters")
        if self.why_box is None:
            self.why_box = QLabel(self)
            self.why_box.setObjectName("whyBox")
            self.why_box.setWordWrap(True)
            self.why_box.setTextFormat(Qt.TextFormat.RichText)
            self.why_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.why_box.setText(self._why_html())
            self.why_box.setAccessibleName(f"Why this matters: {self.prompt.why}")
            self._why_layout.addWidget(self.why_box)
        self.why_box.setVisible(on)

    def _why_html(self) -> str:
        parts = [f"<p>{html.escape(self.prompt.why.strip())}</p>"]
        titles = []
        for source_id in self.prompt.sources:
            source = self._sources.get(source_id)
            if source is None:
                titles.append(html.escape(source_id))
            else:
                titles.append(f"<b>{html.escape(source.title)}</b> — {html.escape(source.document)}")
        if titles:
            parts.append("<p>Sources:</p><ul>" + "".join(f"<li>{t}</li>" for t in titles) + "</ul>")
        return "".join(parts)
