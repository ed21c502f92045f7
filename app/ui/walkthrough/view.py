"""The walk-through: a checklist run, one section per step, with the flags panel always beside it.

Every change goes through the RunSession (record_answer, clear_answer, record_flag_response,
set_position, submit); the view redraws from the Evaluation each call returns. Section pages are built
the first time they are visited, so opening a long run stays quick."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from app.domain.engine import Answer, AnswerError, Evaluation, coerce_answer
from app.domain.model import Severity
from app.domain.sources import Source
from app.services import RunSession, ServiceError
from app.store.errors import StoreError
from app.ui import theme
from app.ui.walkthrough import style
from app.ui.walkthrough.answer_widgets import is_push_button
from app.ui.walkthrough.flags_panel import FlagCard, FlagsPanel
from app.ui.walkthrough.prompt_card import PromptCard
from app.ui.walkthrough.summary import SummaryPage

TICK = "✓"


def _message(exc: BaseException) -> str:
    """The practitioner-facing words of a store, service or answer error."""
    return getattr(exc, "user_message", None) or str(exc)


class WalkthroughView(QWidget):
    """Walk through one checklist run. Read-only when `session.editable` is False.

    Signals: `closed()` when the practitioner closes it (everything is already saved), and
    `submitted(run_id)` once the run has been submitted for review."""

    closed = Signal()
    submitted = Signal(int)

    def __init__(self, session: RunSession, parent: QWidget | None = None, sources: Mapping[str, Source] | None = None):
        super().__init__(parent)
        self.session = session
        self.checklist = session.checklist
        self.sections = list(self.checklist.sections)
        self.summary_index = len(self.sections)
        self.sources: Mapping[str, Source] = getattr(session, "sources", None) or sources or {}
        self.editable = bool(session.editable)
        self.evaluation: Evaluation = session.evaluation
        self.cards: dict[str, PromptCard] = {}
        self._pages: dict[int, QScrollArea] = {}
        self._saved: dict[str, tuple] = {}
        self._marked_missing = False
        self._summary_error = ""
        self.current = -1
        self.setObjectName("walkthrough")
        self.setStyleSheet(style.STYLE_SHEET)
        self.setAccessibleName(f"Checklist: {self.checklist.title}")
        self._build()
        self._apply(self.evaluation, announce=False)
        self.go_to_step(self._resume_index(), store=False, focus=False)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        top = QFrame(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(14, 8, 14, 8)
        self.title = QLabel(self.checklist.title, top)
        self.title.setFont(style.font(top, 1.25, bold=True))
        self.title.setWordWrap(True)
        top_layout.addWidget(self.title, 1)
        self.pdf_button = QPushButton(theme.icon("document"), "PDF…", top)
        self.pdf_button.setObjectName("RunPdf")
        self.pdf_button.setAccessibleName("PDF of this checklist: preview, then save, print or open it")
        self.pdf_button.setToolTip("This checklist record as a PDF: preview it, then save, print or open it (Ctrl+P)")
        self.pdf_button.clicked.connect(self.show_pdf)
        self.pdf_button.setVisible(False)
        top_layout.addWidget(self.pdf_button)
        self.close_button = QPushButton("Close", top)
        self.close_button.setAccessibleName("Close the checklist")
        self.close_button.setAccessibleDescription("Your answers are saved as you go.")
        self.close_button.clicked.connect(self.close_walkthrough)
        top_layout.addWidget(self.close_button)
        outer.addWidget(top)

        self.urgent_banner = QFrame(self)
        self.urgent_banner.setObjectName("urgentBanner")
        banner_layout = QHBoxLayout(self.urgent_banner)
        banner_layout.setContentsMargins(14, 6, 14, 6)
        self.urgent_text = QLabel(self.urgent_banner)
        self.urgent_text.setWordWrap(True)
        self.urgent_text.setFont(style.font(self, 1.05, bold=True))
        banner_layout.addWidget(self.urgent_text, 1)
        self.urgent_go = QPushButton("Record response", self.urgent_banner)
        self.urgent_go.setAccessibleName("Record a response to the urgent flag")
        self.urgent_go.clicked.connect(self._respond_to_first_urgent)
        banner_layout.addWidget(self.urgent_go)
        self.urgent_banner.hide()
        outer.addWidget(self.urgent_banner)

        self.read_only_banner = QLabel(self)
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setText(self._read_only_words())
        self.read_only_banner.setVisible(not self.editable)
        outer.addWidget(self.read_only_banner)

        body = QHBoxLayout()
        body.setSpacing(0)
        outer.addLayout(body, 1)

        em = self.fontMetrics().horizontalAdvance("m")
        self.step_list = QListWidget(self)
        self.step_list.setObjectName("stepList")
        self.step_list.setAccessibleName("Steps")
        self.step_list.setWordWrap(True)
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.step_list.setSpacing(3)
        self.step_list.setFixedWidth(em * 20)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for section in self.sections:
            QListWidgetItem(section.title, self.step_list)
        QListWidgetItem("Check and submit" if self.editable else "Summary", self.step_list)
        self.step_list.currentRowChanged.connect(self._on_step_clicked)
        body.addWidget(self.step_list)

        centre = QVBoxLayout()
        centre.setContentsMargins(18, 12, 18, 10)
        centre.setSpacing(6)
        self.step_label = QLabel(self)
        self.step_label.setObjectName("mutedText")
        centre.addWidget(self.step_label)
        self.section_title = QLabel(self)
        self.section_title.setFont(style.font(self, 1.35, bold=True))
        self.section_title.setWordWrap(True)
        centre.addWidget(self.section_title)
        self.section_intro = QLabel(self)
        self.section_intro.setObjectName("stepIntro")
        self.section_intro.setWordWrap(True)
        centre.addWidget(self.section_intro)
        self.stack = QStackedWidget(self)
        centre.addWidget(self.stack, 1)
        self.summary = SummaryPage(self)
        self.summary.jump_to_prompt.connect(self.jump_to_prompt)
        self.summary.jump_to_flag.connect(self.jump_to_flag)
        self.summary.submit_requested.connect(self.submit)
        self.stack.addWidget(self.summary)

        footer = QHBoxLayout()
        self.back_button = QPushButton("Back", self)
        self.back_button.setAccessibleName("Back to the previous step")
        self.back_button.clicked.connect(self.previous_step)
        footer.addWidget(self.back_button)
        self.status = QLabel(self)
        self.status.setObjectName("statusSaved")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setText("" if self.editable else "Read only")
        footer.addWidget(self.status, 1)
        self.next_button = QPushButton("Next", self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_step)
        footer.addWidget(self.next_button)
        centre.addLayout(footer)
        body.addLayout(centre, 1)

        self.flags = FlagsPanel(self.sources, self.editable, self)
        self.flags.setFixedWidth(em * 26)
        self.flags.respond.connect(self.record_flag_response)
        body.addWidget(self.flags)

        for keys, slot in (("Ctrl+PgDown", self.next_step), ("Alt+Right", self.next_step),
                           ("Ctrl+PgUp", self.previous_step), ("Alt+Left", self.previous_step)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        pdf_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        pdf_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pdf_shortcut.activated.connect(self.show_pdf)

    def _read_only_words(self) -> str:
        status = str(self.session.run.get("status") or "").replace("_", " ")
        return (f"This checklist is {status} and is shown read only. Nothing here can be changed."
                if status else "This checklist is shown read only. Nothing here can be changed.")

    def _build_page(self, index: int) -> QScrollArea:
        page = self._pages.get(index)
        if page is not None:
            return page
        section = self.sections[index]
        page = QScrollArea(self.stack)
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder.setObjectName("pageHolder")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 4, 8, 8)
        layout.setSpacing(12)
        visible = {p.id for p in self.evaluation.visible_prompts}
        missing = {p.id for p in self.evaluation.missing_required}
        household = self.session.facts.household
        nudges = self.session.nudges if self.editable else None
        for prompt in section.prompts:
            card = PromptCard(prompt, household, self.sources, nudges, holder)
            answer = self.session.answers.get(prompt.id)
            card.show_answer(answer)
            card.set_read_only(not self.editable)
            card.setVisible(prompt.id in visible)
            card.set_marked("missing", self._marked_missing and prompt.id in missing)
            card.save_requested.connect(self._save_card)
            card.clear_requested.connect(self._clear_card)
            self.cards[prompt.id] = card
            self._saved[prompt.id] = self._stored_state(answer)
            layout.addWidget(card)
        layout.addStretch(1)
        page.setWidget(holder)
        self._pages[index] = page
        self.stack.addWidget(page)
        return page

    # ------------------------------------------------------------------ navigation

    def _resume_index(self) -> int:
        position = self.session.run.get("position")
        index = position if isinstance(position, int) and 0 <= position <= self.summary_index else 0
        return self._shown_from(index, +1)

    def _shown(self, index: int) -> bool:
        return index == self.summary_index or (0 <= index < len(self.sections)
                                               and self.evaluation.sections[index].shown)

    def _shown_from(self, index: int, step: int) -> int:
        """The first shown step at or after (step=+1) / before (step=-1) `index`."""
        while 0 <= index <= self.summary_index and not self._shown(index):
            index += step
        if index < 0:
            return self._shown_from(0, +1)
        return min(index, self.summary_index)

    def shown_steps(self) -> list[int]:
        """Indexes of the sections shown for this case (the summary is not counted)."""
        return [i for i in range(len(self.sections)) if self._shown(i)]

    def go_to_step(self, index: int, store: bool = True, focus: bool = True) -> None:
        """Show step `index` (a section index, or `summary_index` for the last page)."""
        index = self._shown_from(index, +1)
        self.flush()
        changed = index != self.current
        self.current = index
        if index == self.summary_index:
            self._refresh_summary()
            self.stack.setCurrentWidget(self.summary)
        else:
            self.stack.setCurrentWidget(self._build_page(index))
        self._refresh_header()
        self.step_list.blockSignals(True)
        self.step_list.setCurrentRow(index)
        self.step_list.blockSignals(False)
        for row in range(self.step_list.count()):
            item = self.step_list.item(row)
            item.setFont(style.font(self.step_list, bold=row == index))
        if store and changed and self.editable and index < self.summary_index:
            try:
                self.session.set_position(index)
            except StoreError as exc:
                self._show_status_error(_message(exc))
        if focus:
            self._focus_first()

    def next_step(self) -> None:
        if self.current < self.summary_index:
            self.go_to_step(self._shown_from(self.current + 1, +1))

    def previous_step(self) -> None:
        if self.current > 0:
            target = self._shown_from(self.current - 1, -1)
            if target < self.current:
                self.go_to_step(target)

    def _on_step_clicked(self, row: int) -> None:
        if row >= 0 and self._shown(row):
            self.go_to_step(row, focus=False)
        else:
            self.step_list.blockSignals(True)
            self.step_list.setCurrentRow(self.current)
            self.step_list.blockSignals(False)

    def _focus_first(self) -> None:
        if self.current == self.summary_index:
            target = (self.summary.problem_buttons[0] if self.summary.problem_buttons
                      else self.summary.submit if self.summary.submit is not None and self.summary.submit.isEnabled()
                      else self.back_button)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for prompt in self.sections[self.current].prompts:
            card = self.cards.get(prompt.id)
            if card is not None and not card.isHidden():
                card.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def jump_to_prompt(self, prompt_id: str) -> None:
        """Go to a question's step, scroll it into view and put the cursor in its answer."""
        index = next((i for i, s in enumerate(self.sections) if any(p.id == prompt_id for p in s.prompts)), None)
        if index is None:
            return
        self.go_to_step(index, focus=False)
        card = self.cards[prompt_id]
        self._pages[index].ensureWidgetVisible(card)
        card.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def jump_to_flag(self, flag_id: str) -> None:
        """Open the response form of a flag in the flags panel."""
        card: FlagCard | None = self.flags.cards.get(flag_id)
        if card is None:
            return
        self.flags.scroll.ensureWidgetVisible(card)
        card.open_form()

    def _respond_to_first_urgent(self) -> None:
        flag = next((f for f in self.evaluation.flags if f.severity is Severity.URGENT
                     and not self.session.flag_responses.get(f.id)), None)
        if flag is not None:
            self.jump_to_flag(flag.id)

    # ------------------------------------------------------------------ saving

    def _stored_state(self, answer: Answer | None) -> tuple:
        """(value, note, how known, reported by) as saved; value None: not answered yet."""
        if answer is None:
            return (None, "", None, "")
        how = None if answer.how_known is None else str(answer.how_known)
        return (answer.value, answer.note or "", how, answer.reported_by or "")

    def _card_state(self, card: PromptCard) -> tuple:
        """(value, note, how known, reported by) as on screen."""
        raw = card.editor.value()
        value = None
        if raw is not None:
            try:
                value = coerce_answer(card.prompt, raw, self.session.facts)
            except AnswerError:
                value = ("not valid", raw)
        note, how, reported = card.meta()
        return (value, note, how, reported)

    def _answered(self, prompt_id: str) -> bool:
        answer = self.session.answers.get(prompt_id)
        return answer is not None and answer.value is not None

    def _save_card(self, card: PromptCard) -> bool:
        """Save one card's answer if it changed; True when what is on screen is saved."""
        if not self.editable:
            return True
        prompt_id = card.prompt.id
        card.timer.stop()
        state = self._card_state(card)
        if state == self._saved.get(prompt_id) and not card.has_error():
            card.set_answered(state[0] is not None)
            return True
        raw = card.editor.value()
        note, how, reported = card.meta()
        try:
            if raw is None:
                # Not answered (or the answer cleared): the note and how it is known are saved all the same,
                # so nothing typed waits for the answer.
                evaluation = self.session.evaluation
                if self._answered(prompt_id):
                    evaluation = self.session.clear_answer(prompt_id)
                self.session.record_note(prompt_id, note=note, how_known=how or "", reported_by=reported)
            else:
                evaluation = self.session.record_answer(prompt_id, raw, note=note, how_known=how or "",
                                                        reported_by=reported)
        except AnswerError as exc:
            card.show_error(str(exc))
            try:  # the note and how it is known are saved even while the answer needs checking
                self.session.record_note(prompt_id, note=note, how_known=how or "", reported_by=reported)
            except (AnswerError, StoreError, ServiceError):
                pass  # the card's error already says the answer is not saved
            self._show_status_error("Not saved: one answer needs checking (marked in red). What you typed is kept.")
            return False
        except StoreError as exc:
            card.show_error(_message(exc) + " What you typed is still here.")
            self._show_status_error(_message(exc))
            return False
        except ServiceError as exc:   # the run cannot be changed now
            card.show_error(_message(exc))
            self._show_status_error(_message(exc))
            return False
        card.clear_error()
        self._saved[prompt_id] = self._stored_state(self.session.answers.get(prompt_id))
        card.set_answered(self._answered(prompt_id))
        self._show_saved()
        self._apply(evaluation)
        return True

    def _clear_card(self, card: PromptCard) -> None:
        card.editor.set_value(None)
        if self._save_card(card):
            card.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def flush(self) -> bool:
        """Save every answer still waiting for its pause; True when everything on screen is saved."""
        ok = True
        for card in self.cards.values():
            if card.pending() or card.has_error():
                ok = self._save_card(card) and ok
        return ok

    def record_flag_response(self, flag_id: str, fields: dict) -> None:
        card = self.flags.cards.get(flag_id)
        try:
            self.session.record_flag_response(flag_id, **fields)
        except StoreError as exc:
            if card is not None:
                card.show_form_error(_message(exc) + " What you typed is still here.")
            self._show_status_error(_message(exc))
            return
        except ServiceError as exc:
            if card is not None:
                card.show_form_error(_message(exc))
            return
        self._show_saved()
        if card is not None:
            card.close_form()
        self._apply(self.evaluation, announce=False)

    def submit(self) -> None:
        """Submit for review; on success the view turns read only and `submitted(run_id)` is emitted."""
        if not self.flush():
            self._summary_error = "Some answers are not saved yet (marked in red). Fix them, then submit."
            self._refresh_summary()
            return
        try:
            self.session.submit()
        except StoreError as exc:
            self._summary_error = _message(exc)
            self._refresh_summary()
            return
        except ServiceError as exc:
            self._summary_error = _message(exc)
            self._marked_missing = True
            self._refresh_summary()
            return
        self._summary_error = ""
        self.set_editable(False)
        self.status.setObjectName("statusSaved")
        self.status.setText("Submitted for review")
        self.submitted.emit(int(self.session.run_id))

    def pdf_available(self) -> bool:
        """The PDF is offered on a read-only run and on the check-and-submit page."""
        return getattr(self.session, "workspace", None) is not None and (
            not self.editable or self.current == self.summary_index)

    def show_pdf(self) -> object | None:
        """Save anything pending, then make this run's PDF off the screen's thread and preview it."""
        if not self.pdf_available():
            if getattr(self.session, "workspace", None) is not None:
                self._show_status("The PDF of this checklist is made from the Check and submit page.")
            return None
        if not self.flush():
            self._show_status_error("The PDF was not made: an answer marked in red is not saved yet. Fix it or "
                                    "clear it, then try again.")
            return None
        from app.ui.report_preview import show_run_report  # imported on first use: keeps opening a run quick

        return show_run_report(self, self.session.workspace, int(self.session.run_id))

    def close_walkthrough(self) -> bool:
        """Save anything pending and emit `closed()`; refuses (and says why) if something is not saved."""
        if not self.flush():
            self._show_status_error("Not closed: an answer marked in red is not saved yet. Fix it or clear it; "
                                    "nothing you typed has been lost.")
            return False
        self.closed.emit()
        return True

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for card in self.cards.values():
            card.set_read_only(not editable)
        self.flags.set_editable(editable)
        self.read_only_banner.setText(self._read_only_words())
        self.read_only_banner.setVisible(not editable)
        self.step_list.item(self.summary_index).setText("Check and submit" if editable else "Summary")
        self._apply(self.evaluation, announce=False)

    # ------------------------------------------------------------------ redrawing

    def _apply(self, evaluation: Evaluation, announce: bool = True) -> None:
        self.evaluation = evaluation
        visible = {p.id for p in evaluation.visible_prompts}
        missing = {p.id for p in evaluation.missing_required}
        focused = QApplication.focusWidget()
        for prompt_id, card in self.cards.items():
            show = prompt_id in visible
            card.set_marked("missing", self._marked_missing and prompt_id in missing)
            if show == (not card.isHidden()):
                continue
            if not show and focused is not None and card.isAncestorOf(focused):
                self._move_focus_from(card)
            card.setVisible(show)
        responses = self.session.flag_responses
        new = self.flags.set_flags(evaluation.flags, responses)
        self._refresh_urgent(responses, [f for f in new if f.severity is Severity.URGENT] if announce else [])
        self._refresh_steps()
        self._refresh_header()
        if self.current == self.summary_index:
            self._refresh_summary()

    def _move_focus_from(self, hiding: PromptCard) -> None:
        """Keep focus sensible when the question holding it disappears: the next shown question, else
        the previous one, else Next."""
        section = next(s for s in self.sections if any(p.id == hiding.prompt.id for p in s.prompts))
        ids = [p.id for p in section.prompts]
        at = ids.index(hiding.prompt.id)
        visible = {p.id for p in self.evaluation.visible_prompts}
        for prompt_id in ids[at + 1:] + ids[:at][::-1]:
            card = self.cards.get(prompt_id)
            if card is not None and prompt_id in visible:
                card.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_urgent(self, responses: Mapping[str, object], new_urgent: list) -> None:
        waiting = [f for f in self.evaluation.flags if f.severity is Severity.URGENT and not responses.get(f.id)]
        if waiting:
            names = " ".join(f.message for f in waiting)
            text = f"URGENT — act today. {names} The action to take is in the flags panel on the right."
            self.urgent_text.setText(text)
            self.urgent_banner.setAccessibleName("Urgent flag")
            self.urgent_banner.setAccessibleDescription(text)
            self.urgent_go.setVisible(self.editable)
        self.urgent_banner.setVisible(bool(waiting))
        if new_urgent:
            words = " ".join(f"Urgent flag raised: {f.message} What to do: {f.action}" for f in new_urgent)
            self.flags.setAccessibleDescription(words)
            card = self.flags.cards.get(new_urgent[0].id)
            if card is not None:
                QTimer.singleShot(0, card, lambda c=card: self.flags.scroll.ensureWidgetVisible(c))
            event = QAccessibleAnnouncementEvent(self.flags, words)
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
            QAccessible.updateAccessibility(event)

    def _refresh_steps(self) -> None:
        visible = {p.id for p in self.evaluation.visible_prompts}
        answers = self.session.answers
        missing = {p.id for p in self.evaluation.missing_required}
        for index, state in enumerate(self.evaluation.sections):
            item = self.step_list.item(index)
            title = state.section.title
            if not state.shown:
                item.setText(f"{title}\nNot needed: {state.skipped_because}")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}. Not needed: {state.skipped_because}")
                continue
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
            shown = [p.id for p in state.section.prompts if p.id in visible]
            answered = sum(1 for p in shown if p in answers and answers[p].value is not None)
            complete = bool(shown) and not any(p in missing for p in shown) and answered > 0
            counts = f"{answered} of {len(shown)} answered"
            item.setText(f"{title}\n{TICK + ' Complete, ' if complete else ''}{counts}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{title}. {'Complete. ' if complete else ''}{counts}.")
        last = self.step_list.item(self.summary_index)
        last.setData(Qt.ItemDataRole.AccessibleTextRole, last.text())

    def _refresh_header(self) -> None:
        shown = self.shown_steps()
        if self.current == self.summary_index:
            self.step_label.setText(f"Final check, after {len(shown)} steps" if self.editable else f"{len(shown)} steps")
            self.section_title.setText("Check and submit" if self.editable else "Summary")
            self.section_intro.setText("Everything recorded so far, by step. Questions not shown for this case are "
                                       "left out." if self.editable else "Everything recorded, by step.")
            self.next_button.setEnabled(False)
            self.next_button.setText("Next")
        elif self.current >= 0:
            section = self.sections[self.current]
            number = shown.index(self.current) + 1 if self.current in shown else 1
            self.step_label.setText(f"Step {number} of {len(shown)}")
            self.section_title.setText(section.title)
            self.section_intro.setText(section.intro or "")
            self.section_intro.setVisible(bool(section.intro))
            later = any(i > self.current for i in shown)
            self.next_button.setEnabled(True)
            self.next_button.setText("Next" if later else ("Check and submit" if self.editable else "Summary"))
        self.next_button.setAccessibleName(self.next_button.text())
        self.pdf_button.setVisible(self.pdf_available())
        self.back_button.setEnabled(self.current > min(shown, default=0))
        if self.current == self.summary_index:
            self.section_intro.setVisible(True)

    def _refresh_summary(self) -> None:
        self.summary.refresh(self.checklist, self.evaluation, self.session.answers, self.session.flag_responses,
                             self.session.facts, self.editable, self._summary_error)

    def _show_saved(self) -> None:
        self.status.setObjectName("statusSaved")
        self.status.setText(f"Saved {dt.datetime.now():%H:%M}")
        self.status.setAccessibleName(self.status.text())
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _show_status(self, message: str) -> None:
        self.status.setObjectName("statusSaved")
        self.status.setText(message)
        self.status.setAccessibleName(message)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _show_status_error(self, message: str) -> None:
        self.status.setObjectName("statusError")
        self.status.setText(message)
        self.status.setAccessibleName(message)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # ------------------------------------------------------------------ keys and closing

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            focused = QApplication.focusWidget()
            if isinstance(focused, QPlainTextEdit):
                return super().keyPressEvent(event)
            if is_push_button(focused):
                focused.click()
                return event.accept()
            flag_card = self._flag_card_of(focused)
            if flag_card is not None:
                if flag_card.form is not None and flag_card.form.isVisible():
                    flag_card.form.save.click()
                return event.accept()
            if focused is self.step_list:
                self.go_to_step(self.step_list.currentRow())
                return event.accept()
            if self.current < self.summary_index:
                self.next_step()
                return event.accept()
        super().keyPressEvent(event)

    def _flag_card_of(self, widget: QWidget | None) -> FlagCard | None:
        while widget is not None:
            if isinstance(widget, FlagCard):
                return widget
            if widget is self:
                return None
            widget = widget.parentWidget()
        return None

    def closeEvent(self, event) -> None:
        self.flush()
        super().closeEvent(event)
