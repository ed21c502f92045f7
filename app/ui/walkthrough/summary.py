"""The last step: what still needs doing before submitting, then everything recorded, by section."""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain.case_facts import CaseFacts
from app.domain.engine import Answer, Evaluation, RaisedFlag
from app.domain.model import AnswerType, HowKnown, Prompt
from app.ui.walkthrough import style
from app.ui.walkthrough.answer_widgets import RELATIONSHIP_WORDS
from app.ui.walkthrough.flags_panel import response_words


def answer_words(prompt: Prompt, answer: Answer | None, facts: CaseFacts) -> str:
    """A stored answer in plain words ('' when unanswered)."""
    if answer is None or answer.value is None:
        return ""
    value = answer.value
    match prompt.type:
        case AnswerType.YES_NO_UNKNOWN | AnswerType.SINGLE_CHOICE:
            return prompt.option_label(str(value))
        case AnswerType.MULTI_CHOICE:
            return "; ".join(prompt.option_label(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
        case AnswerType.DATE:
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                return str(value)
            return f"{day.day} {day:%B %Y}"
        case AnswerType.NUMBER:
            number = f"{value:g}" if isinstance(value, float) else str(value)
            return f"{number} {prompt.unit}" if prompt.unit else number
        case AnswerType.PERSON:
            member = facts.member(str(value))
            if member is None:
                return f"Someone no longer listed in the household ({value})"
            return f"{member.name} ({RELATIONSHIP_WORDS.get(member.relationship, member.relationship)})"
    return str(value)


def known_words(answer: Answer | None) -> str:
    """How the answer is known, and the note, in plain words."""
    if answer is None:
        return ""
    parts = []
    if answer.how_known is not None:
        how = HowKnown(answer.how_known)
        if how is HowKnown.REPORTED and answer.reported_by:
            parts.append(f"Reported by {answer.reported_by}")
        else:
            parts.append(how.label)
    if answer.note:
        parts.append(f"Note: {answer.note}")
    return ". ".join(parts)


class SummaryPage(QScrollArea):
    """Check and submit. `jump_to_prompt(id)` and `jump_to_flag(id)` ask the view to go there."""

    jump_to_prompt = Signal(str)
    jump_to_flag = Signal(str)
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holder: QWidget | None = None
        self.submit: QPushButton | None = None
        self.error: QLabel | None = None
        self.problem_buttons: list[QPushButton] = []

    def refresh(self, checklist, evaluation: Evaluation, answers: Mapping[str, Answer],
                responses: Mapping[str, Mapping[str, object]], facts: CaseFacts, editable: bool,
                error: str = "") -> None:
        """Rebuild the page from the current answers."""
        if self.holder is not None:
            self.holder.deleteLater()
        holder = QWidget()
        holder.setObjectName("summaryHolder")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 4, 12, 12)
        layout.setSpacing(12)
        self.problem_buttons = []
        missing = list(evaluation.missing_required)
        unanswered_flags = [f for f in evaluation.flags if not responses.get(f.id)]

        if editable and (missing or unanswered_flags):
            box = QFrame(holder)
            box.setObjectName("problemsBox")
            box_layout = QVBoxLayout(box)
            heading = QLabel("Before you can submit", box)
            heading.setFont(style.font(box, 1.15, bold=True))
            box_layout.addWidget(heading)
            if missing:
                self._problem_links(
                    box, f"{len(missing)} required question{'s are' if len(missing) != 1 else ' is'} "
                         "not answered yet. Choose one to go to it:",
                    [(f"Answer: {prompt.ask}", prompt.id) for prompt in missing], self.jump_to_prompt)
            if unanswered_flags:
                self._problem_links(
                    box, f"{len(unanswered_flags)} flag{'s have' if len(unanswered_flags) != 1 else ' has'} "
                         "no recorded response (what was done, by whom and by when, or why not):",
                    [(f"Respond: {flag.message}", flag.id) for flag in unanswered_flags], self.jump_to_flag)
            layout.addWidget(box)
        elif editable:
            box = QFrame(holder)
            box.setObjectName("readyBox")
            box_layout = QVBoxLayout(box)
            ready = QLabel("Every required question is answered and every flag has a response. Check the "
                           "answers below, then submit the checklist for review.", box)
            ready.setWordWrap(True)
            box_layout.addWidget(ready)
            layout.addWidget(box)

        self.error = QLabel(error, holder)
        self.error.setObjectName("cardError")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(error))
        layout.addWidget(self.error)

        visible = {p.id for p in evaluation.visible_prompts}
        for state in evaluation.sections:
            layout.addWidget(self._section_box(holder, state, visible, answers, facts))
        layout.addWidget(self._flags_box(holder, evaluation.flags, responses))

        if editable:
            row = QHBoxLayout()
            self.submit = QPushButton("Submit for review", holder)
            self.submit.setFont(style.font(holder, 1.05, bold=True))
            self.submit.setEnabled(not missing and not unanswered_flags)
            self.submit.setAccessibleName("Submit for review")
            self.submit.setAccessibleDescription(
                "Sends the checklist to your supervisor. It cannot be changed afterwards unless it is returned."
                if self.submit.isEnabled() else "Not available yet: see 'Before you can submit' at the top.")
            self.submit.clicked.connect(self.submit_requested)
            row.addStretch(1)
            row.addWidget(self.submit)
            layout.addLayout(row)
        else:
            self.submit = None
        layout.addStretch(1)
        self.setWidget(holder)
        self.holder = holder

    def _problem_links(self, box: QFrame, intro_text: str, links: list[tuple[str, str]],
                       jump: SignalInstance) -> None:
        """An introduction, then one link per problem that emits `jump(id)` when chosen."""
        box_layout = box.layout()
        intro = QLabel(intro_text, box)
        intro.setWordWrap(True)
        box_layout.addWidget(intro)
        for text, target in links:
            button = self._link(box, text)
            button.clicked.connect(lambda _=False, t=target: jump.emit(t))
            box_layout.addWidget(button)

    def _link(self, parent: QWidget, text: str) -> QPushButton:
        button = QPushButton(text, parent)
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet(f"QPushButton {{ text-align: left; color: {style.FOCUS}; text-decoration: underline;"
                             " padding: 2px 4px; }")
        button.setAccessibleName(text)
        self.problem_buttons.append(button)
        return button

    def _section_box(self, parent: QWidget, state, visible: set[str], answers: Mapping[str, Answer],
                     facts: CaseFacts) -> QFrame:
        box = QFrame(parent)
        box.setObjectName("summarySection")
        layout = QVBoxLayout(box)
        title = QLabel(state.section.title, box)
        title.setFont(style.font(box, 1.1, bold=True))
        title.setWordWrap(True)
        layout.addWidget(title)
        if not state.shown:
            skipped = QLabel(f"Not needed for this case: {state.skipped_because}.", box)
            skipped.setObjectName("mutedText")
            skipped.setWordWrap(True)
            layout.addWidget(skipped)
            return box
        rows = []
        for prompt in state.section.prompts:
            if prompt.id not in visible:
                continue
            answer = answers.get(prompt.id)
            words = answer_words(prompt, answer, facts)
            shown = html.escape(words).replace("\n", "<br>") if words else "<i>Not answered</i>"
            extra = known_words(answer)
            rows.append(f"<p><b>{html.escape(prompt.ask)}</b><br>{shown}"
                        + (f"<br><span style='color:{style.MUTED}'>{html.escape(extra)}</span>" if extra else "")
                        + "</p>")
        body = QLabel("".join(rows), box)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)
        return box

    def _flags_box(self, parent: QWidget, flags: list[RaisedFlag], responses) -> QFrame:
        box = QFrame(parent)
        box.setObjectName("summarySection")
        layout = QVBoxLayout(box)
        title = QLabel("Flags and actions", box)
        title.setFont(style.font(box, 1.1, bold=True))
        layout.addWidget(title)
        if not flags:
            none = QLabel("No flags were raised by these answers.", box)
            layout.addWidget(none)
            return box
        rows = []
        for flag in flags:
            band = style.severity_style(flag.severity)[3]
            response = responses.get(flag.id)
            said = response_words(response) if response else "No response recorded."
            rows.append(f"<p><b>{html.escape(band)}:</b> {html.escape(flag.message)}<br>"
                        f"What to do: {html.escape(flag.action)}<br><i>Response:</i> {html.escape(said)}</p>")
        body = QLabel("".join(rows), box)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)
        return box
