"""The presenter view: the current stage of a scenario in large text on the left, the scenario's checklist
run on the right, where the group's answers are entered live.

Text sizes are multiples of the system font (Larger text / Smaller text, Ctrl+= and Ctrl+-). Trainer notes
(the flags the stage expects and why) stay hidden until the trainer asks for them, so the group's answers
are their own."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget,
)

from app.services import ServiceError
from app.store.errors import StoreError
from app.training import ScenarioSession
from app.ui import theme
from app.ui.cases import words
from app.ui.training import style
from app.ui.walkthrough import WalkthroughView

CHECKLIST_SCALE = 1.0
MIN_STAGE_WIDTH_EM = 26   # the stage text never gets narrower than this when the checklist needs room
LAYOUTS = (("stage", "Stage only"), ("both", "Side by side"), ("checklist", "Checklist only"))


def _message(exc: BaseException) -> str:
    return getattr(exc, "user_message", None) or str(exc)


class PresenterView(QWidget):
    """Present one scenario session. Signals: `debrief_requested()` after the last stage is finished,
    `leave_requested()` to go back to the list of scenarios, `stage_changed(index)`."""

    debrief_requested = Signal()
    leave_requested = Signal()
    stage_changed = Signal(int)

    def __init__(self, session: ScenarioSession, parent: QWidget | None = None,
                 text_scale: float = style.PRESENTER_SCALE):
        super().__init__(parent)
        self.session = session
        self.scenario = session.scenario
        self.text_scale = text_scale
        self.walkthrough: WalkthroughView | None = None
        self._scaled: list[tuple[QLabel, float, bool]] = []
        self.setObjectName("presenter")
        self._build()
        self._show_stage()

    # ------------------------------------------------------------------ building
    def _scaled_label(self, text: str, name: str, factor: float, bold: bool = False, rich: bool = False) -> QLabel:
        widget = style.label(text, name, self.text_scale * factor, bold, rich=rich)
        self._scaled.append((widget, factor, bold))
        return widget

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QWidget()
        top = QHBoxLayout(header)
        top.setContentsMargins(20, 12, 20, 8)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.kicker = style.label("", "kicker", 0.9)
        titles.addWidget(self.kicker)
        self.title = style.label(self.scenario.title, "pageTitle", 1.45, bold=True)
        titles.addWidget(self.title)
        top.addLayout(titles, 1)
        self.smaller_button = QPushButton("Smaller text")
        self.smaller_button.setToolTip("Make the stage text smaller (Ctrl+-)")
        self.smaller_button.clicked.connect(lambda: self.set_text_scale(self.text_scale - style.SCALE_STEP))
        self.larger_button = QPushButton("Larger text")
        self.larger_button.setToolTip("Make the stage text larger (Ctrl+=)")
        self.larger_button.clicked.connect(lambda: self.set_text_scale(self.text_scale + style.SCALE_STEP))
        self.notes_button = QPushButton("Show trainer notes")
        self.notes_button.setCheckable(True)
        self.notes_button.setToolTip("The flags this stage should raise, and why: for the trainer, before or "
                                     "after the group has answered.")
        self.notes_button.toggled.connect(self._toggle_notes)
        self.leave_button = QPushButton("Leave scenario")
        self.leave_button.setIcon(theme.icon("back"))
        self.leave_button.setToolTip("Back to the list of scenarios. Everything entered so far is kept.")
        self.leave_button.clicked.connect(self.leave_requested)
        self.layout_buttons: dict[str, QPushButton] = {}
        self.layout_group = QButtonGroup(self)
        self.layout_group.setExclusive(True)
        for key, words_ in LAYOUTS:
            button = QPushButton(words_)
            button.setCheckable(True)
            button.setChecked(key == "both")
            button.setAccessibleName(f"Show {words_.lower()}")
            button.clicked.connect(lambda _checked=False, k=key: self.set_layout(k))
            self.layout_group.addButton(button)
            self.layout_buttons[key] = button
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(12)
        for button in (self.smaller_button, self.larger_button, self.notes_button, self.leave_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addWidget(header)

        chips = QWidget()
        chip_row = QHBoxLayout(chips)
        chip_row.setContentsMargins(20, 0, 20, 10)
        chip_row.setSpacing(6)
        self.chips: list[QLabel] = []
        for index, stage in enumerate(self.scenario.stages):
            chip = style.label(f"{index + 1}. {stage.title}", "stepChip", 0.9)
            chip.setWordWrap(False)
            chip.setToolTip(stage.title)
            self.chips.append(chip)
            chip_row.addWidget(chip)
        chip_row.addStretch(1)
        outer.addWidget(chips)

        self.error = style.label("", "errorText")
        self.error.hide()
        outer.addWidget(self.error)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        outer.addWidget(self.splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 0, 8, 16)
        left_layout.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.stage_scroll = scroll
        panel = QFrame()
        panel.setObjectName("stagePanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        scroll.setWidget(panel)
        body = QVBoxLayout(panel)
        body.setContentsMargins(18, 16, 18, 16)
        body.setSpacing(10)
        self.stage_kicker = self._scaled_label("", "kicker", 0.6, bold=True)
        body.addWidget(self.stage_kicker)
        self.stage_title = self._scaled_label("", "stageTitle", 1.2, bold=True)
        self.stage_title.setAccessibleName("Stage title")
        body.addWidget(self.stage_title)
        self.case_line = self._scaled_label("", "caseLine", 0.62)
        body.addWidget(self.case_line)
        body.addSpacing(4)
        self.revealed_heading = self._scaled_label("What the group learns", "stageTitle", 0.75, bold=True)
        body.addWidget(self.revealed_heading)
        self.revealed = self._scaled_label("", "", 0.8)
        self.revealed.setAccessibleName("What the group learns at this stage")
        self.revealed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(self.revealed)
        body.addSpacing(4)
        self.discussion_heading = self._scaled_label("Talk about", "stageTitle", 0.75, bold=True)
        body.addWidget(self.discussion_heading)
        self.discussion = self._scaled_label("", "", 0.8, rich=True)
        self.discussion.setAccessibleName("Points to discuss")
        body.addWidget(self.discussion)
        body.addSpacing(4)
        self.family_heading = self._scaled_label("The family", "stageTitle", 0.75, bold=True)
        body.addWidget(self.family_heading)
        self.family = self._scaled_label("", "muted", 0.62, rich=True)
        body.addWidget(self.family)

        self.notes = QFrame()
        self.notes.setObjectName("trainerNotes")
        self.notes.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        notes_layout = QVBoxLayout(self.notes)
        notes_layout.setContentsMargins(14, 10, 14, 10)
        notes_layout.addWidget(style.label("Trainer notes: what the checklist should flag by the end of this stage",
                                           "cardTitle", 1.0, bold=True))
        self.notes_text = style.label("", "", 1.0, rich=True)
        notes_layout.addWidget(self.notes_text)
        self.notes.hide()
        body.addWidget(self.notes)
        body.addStretch(1)
        left_layout.addWidget(scroll, 1)

        nav = QHBoxLayout()
        self.previous_button = QPushButton("Previous stage")
        self.previous_button.clicked.connect(self.previous_stage)
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        self.next_button = QPushButton("Next stage")
        self.next_button.setProperty("primary", "true")
        self.next_button.clicked.connect(self.next_stage)
        nav.addWidget(self.next_button)
        left_layout.addLayout(nav)
        self.splitter.addWidget(left)
        self.stage_side = left

        self.checklist_holder = QWidget()
        self.checklist_holder.setFont(style.font(CHECKLIST_SCALE))
        holder_layout = QVBoxLayout(self.checklist_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.checklist_holder)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 7)
        self.splitter.setSizes([520, 980])

        QShortcut(QKeySequence.StandardKey.ZoomIn, self,
                  activated=lambda: self.set_text_scale(self.text_scale + style.SCALE_STEP))
        QShortcut(QKeySequence("Ctrl+="), self,
                  activated=lambda: self.set_text_scale(self.text_scale + style.SCALE_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self,
                  activated=lambda: self.set_text_scale(self.text_scale - style.SCALE_STEP))

    # ------------------------------------------------------------------ showing a stage
    def _show_stage(self) -> None:
        session, stage = self.session, self.session.stage
        index, count = session.stage_index, session.stage_count
        self.kicker.setText(f"TRAINING SCENARIO · CASE {session.reference}")
        self.stage_kicker.setText(f"STAGE {index + 1} OF {count}")
        self.stage_title.setText(stage.title)
        moment = self.scenario.moment(index)
        parts = [self.scenario.child_name, moment.describe(), words.label(words.PLAN_LABELS, moment.plan)]
        if moment.mobility:
            parts.append(words.label(words.MOBILITY_LABELS, moment.mobility))
        self.case_line.setText(" · ".join(parts))
        self.revealed.setText(stage.revealed)
        self.discussion.setText("".join(f"<p style='margin:0 0 6px 0'>•&nbsp;{html.escape(point)}</p>"
                                        for point in stage.discussion))
        self.family.setText("<br>".join(self._person_line(p) for p in self.scenario.household))
        self.notes_text.setText(self._notes_html())
        for i, chip in enumerate(self.chips):
            chip.setProperty("current", "true" if i == index else "false")
            chip.setProperty("done", "true" if i < index else "false")
            chip.style().unpolish(chip)
            chip.style().polish(chip)
        self.previous_button.setEnabled(index > 0)
        last = session.is_last_stage
        self.next_button.setText("Finish and debrief" if last else "Next stage")
        self.next_button.setAccessibleName("Finish the scenario and show the debrief" if last
                                           else f"Go to stage {index + 2} of {count}")
        self.stage_scroll.verticalScrollBar().setValue(0)
        self._open_checklist()

    @staticmethod
    def _person_line(person) -> str:
        who = words.label(words.RELATIONSHIP_LABELS, person.relationship)
        age = f", {person.age_years}" if person.age_years is not None else ""
        away = "" if person.lives_with_child else " (does not live with the child)"
        notes = f" — {html.escape(person.notes)}" if person.notes else ""
        return f"<b>{html.escape(person.name)}</b>{age}: {html.escape(who)}{away}{notes}"

    def _notes_html(self) -> str:
        stage = self.session.stage
        rules = {rule.id: rule for rule in self.session.checklist.flags}
        settings = self.session.workspace.catalog.settings
        if not stage.expected_flags:
            lines = ["<p>Nothing should be flagged yet.</p>"]
        else:
            lines = []
            for flag_id in stage.expected_flags:
                rule = rules.get(flag_id)
                message = settings.format(rule.message) if rule else flag_id
                chip = style.severity_chip(rule.severity) + "&nbsp;" if rule else ""
                lines.append(f"<p style='margin:0 0 4px 0'>{chip}{html.escape(message)}</p>")
        lines.append(f"<p style='margin-top:8px'><b>Why this stage matters:</b> {html.escape(stage.why_it_matters)}</p>")
        return "".join(lines)

    def _open_checklist(self) -> None:
        """(Re)open the checklist run, so it reads the case as it is at this stage."""
        old = self.walkthrough
        try:
            run = self.session.open_run()
        except (StoreError, ServiceError) as exc:
            self.show_error(f"The checklist could not be opened: {_message(exc)}")
            return
        view = WalkthroughView(run, self.checklist_holder)
        view.closed.connect(self.leave_requested)
        view.submitted.connect(lambda _run_id: self._open_checklist())
        self.checklist_holder.layout().addWidget(view)
        self.walkthrough = view
        if old is not None:
            self.checklist_holder.layout().removeWidget(old)
            old.hide()
            old.deleteLater()
        QTimer.singleShot(0, self, self._fit_checklist)

    def _fit_checklist(self) -> None:
        """Widen the checklist side when its questions need more room than they have, keeping the stage
        text readable; the trainer can still drag the divider or show one side only."""
        view = self.walkthrough
        if view is None or not self.stage_side.isVisible() or not self.checklist_holder.isVisible():
            return
        shortfall = 0
        for area in view.findChildren(QScrollArea):
            content = area.widget()
            if content is not None and area.isVisible():
                shortfall = max(shortfall, content.minimumSizeHint().width() - area.viewport().width())
        if shortfall <= 0:
            return
        left, right = self.splitter.sizes()
        room = left - self.fontMetrics().horizontalAdvance("m") * MIN_STAGE_WIDTH_EM
        give = min(shortfall + 2, max(room, 0))
        if give > 0:
            self.splitter.setSizes([left - give, right + give])

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_checklist)

    def set_layout(self, key: str) -> None:
        """Show the stage and the checklist side by side, or one of them on its own."""
        self.stage_side.setVisible(key in ("stage", "both"))
        self.checklist_holder.setVisible(key in ("checklist", "both"))
        self.layout_buttons[key].setChecked(True)
        if key == "both":
            QTimer.singleShot(0, self, self._fit_checklist)

    # ------------------------------------------------------------------ actions
    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _move(self, action) -> bool:
        self.show_error("")
        before = self.session.stage_index
        try:
            if self.walkthrough is not None:
                self.walkthrough.flush()  # an answer still being typed counts for this stage
            action()
        except (StoreError, ServiceError) as exc:
            if self.session.stage_index != before:  # saved at the new stage, but the case could not move on
                self._show_stage()
                self.stage_changed.emit(self.session.stage_index)
            self.show_error(_message(exc))
            return False
        return True

    def next_stage(self) -> None:
        """Finish this stage; go to the next, or to the debrief after the last."""
        if self.session.is_last_stage:
            if self._move(self.session.finish):
                self.debrief_requested.emit()
            return
        if self._move(self.session.next_stage):
            self._show_stage()
            self.stage_changed.emit(self.session.stage_index)

    def previous_stage(self) -> None:
        if self.session.stage_index > 0 and self._move(self.session.previous_stage):
            self._show_stage()
            self.stage_changed.emit(self.session.stage_index)

    def go_to_stage(self, index: int) -> None:
        """Show a given stage (used when coming back from the debrief)."""
        if index != self.session.stage_index and self._move(lambda: self.session.go_to(index)):
            self._show_stage()
            self.stage_changed.emit(index)

    def _toggle_notes(self, shown: bool) -> None:
        self.notes.setVisible(shown)
        self.notes_button.setText("Hide trainer notes" if shown else "Show trainer notes")

    def set_text_scale(self, scale: float) -> None:
        """Stage text at `scale` times the system font (kept between the allowed limits)."""
        self.text_scale = max(style.MIN_SCALE, min(style.MAX_SCALE, round(scale, 2)))
        for widget, factor, bold in self._scaled:
            widget.setFont(style.font(self.text_scale * factor, bold))
        self.smaller_button.setEnabled(self.text_scale > style.MIN_SCALE)
        self.larger_button.setEnabled(self.text_scale < style.MAX_SCALE)
