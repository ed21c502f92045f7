"""Choosing a training scenario: the unfinished sessions to continue, then one card per scenario with its
checklist, stages and summary."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app import training
from app.services import Workspace
from app.ui import theme
from app.ui.cases import words
from app.ui.training import style

if TYPE_CHECKING:
    from app.catalog.scenarios import Scenario

INTRO = ("Fictional cases for group training. Choose a scenario and step through its stages with the group, "
         "entering the group's answers into the checklist as you go. The debrief then compares the flags their "
         "answers raised with the flags the scenario expects, and explains why each one matters.")
NOT_TRAINING = ("Scenarios run only in the training workspace, so fictional cases never mix with real records. "
                "Switch to the training workspace to start one.")
CONTINUE_INTRO = ("These sessions were not finished. Continue one at the stage the group reached: the answers given "
                  "and the flags noted at each stage were kept, so the debrief covers the whole session.")
NO_SCENARIOS = ("No training scenarios are loaded. Scenario files live in checklists/scenarios; run "
                "`python main.py validate` to see any that have problems.")


class ScenarioCard(QFrame):
    """One scenario: title, checklist, stages, how often it has been run here, summary and a Start button."""

    start_requested = Signal(str)

    def __init__(self, workspace: Workspace, item: Scenario, enabled: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.scenario = item
        self.setObjectName("scenarioCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        self.title = style.label(item.title, "cardTitle", 1.2, bold=True)
        layout.addWidget(self.title)
        checklist = workspace.catalog.checklists.get(item.checklist)
        stages = f"{len(item.stages)} stages"
        runs = training.times_run(workspace, item) if workspace.training else 0
        used = f" · run {runs} time{'s' if runs != 1 else ''} in this workspace" if runs else ""
        self.meta = style.label(f"Checklist: {checklist.title if checklist else item.checklist} · {stages}{used}",
                                "muted")
        layout.addWidget(self.meta)
        self.summary = style.label(item.summary, "", 1.0)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addStretch(1)
        self.start_button = QPushButton("Start this scenario")
        self.start_button.setProperty("primary", "true")
        self.start_button.setIcon(theme.icon("training", "#ffffff"))
        self.start_button.setEnabled(enabled)
        self.start_button.setAccessibleName(f"Start the scenario: {item.title}")
        self.start_button.clicked.connect(lambda: self.start_requested.emit(item.id))
        row.addWidget(self.start_button)
        layout.addLayout(row)
        self.setAccessibleName(f"Scenario: {item.title}")


def last_used_words(stamp: str) -> str:
    """'25 Nov 14:05' in local time (with the year when it is not this year)."""
    local = words.local_time(stamp)
    if local is None:
        return "not known"
    year = "" if local.year == dt.date.today().year else f" {local.year}"
    return f"{local.day} {local.strftime('%b')}{year} {local.strftime('%H:%M')}"


class ContinueCard(QFrame):
    """One unfinished session: scenario, stage reached, case and when last used, with a Continue button
    (click, Space or Enter). When it can no longer be continued the reason is shown and the button is off."""

    resume_requested = Signal(int)

    def __init__(self, item: training.UnfinishedSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName("continueCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 10, 18, 10)
        row.setSpacing(12)
        text = QVBoxLayout()
        text.setSpacing(2)
        where = f"stage {item.stage_index + 1} of {item.stage_count}"
        self.title = style.label(f"Continue: {item.title} — {where}", "cardTitle", 1.05, bold=True)
        text.addWidget(self.title)
        self.meta = style.label(f"Case {item.reference} · last used {last_used_words(item.last_used)}", "muted")
        text.addWidget(self.meta)
        self.problem = style.label(item.problem or "", "errorText")
        self.problem.setVisible(bool(item.problem))
        text.addWidget(self.problem)
        row.addLayout(text, 1)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setProperty("primary", "true")
        self.continue_button.setIcon(theme.icon("training", "#ffffff"))
        self.continue_button.setAutoDefault(True)  # Enter continues, as well as Space and a click
        self.continue_button.setEnabled(item.problem is None)
        self.continue_button.setAccessibleName(f"Continue the scenario: {item.title}, {where}, case {item.reference}")
        self.continue_button.setAccessibleDescription(
            f"Last used {last_used_words(item.last_used)}." if item.problem is None else item.problem)
        self.continue_button.clicked.connect(lambda: self.resume_requested.emit(item.run_id))
        row.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(f"Unfinished session: {item.title}, {where}, case {item.reference}")


class ScenarioChooser(QWidget):
    """The unfinished sessions and the list of scenarios. `start_requested(scenario_id)`,
    `resume_requested(run_id)`; `switch_requested()` outside training."""

    start_requested = Signal(str)
    resume_requested = Signal(int)
    switch_requested = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.setObjectName("chooser")
        self.cards: dict[str, ScenarioCard] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("scrollBody")
        scroll.setWidget(body)
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(28, 22, 28, 22)
        self.layout_.setSpacing(12)
        self.layout_.addWidget(style.label("TRAINER MODE", "kicker", 0.9))
        self.layout_.addWidget(style.label("Training scenarios", "pageTitle", 1.6, bold=True))
        self.layout_.addWidget(style.label(INTRO, "muted", 1.05))

        self.not_training = QFrame()
        self.not_training.setObjectName("notTraining")
        row = QHBoxLayout(self.not_training)
        row.setContentsMargins(14, 10, 14, 10)
        icon = QLabel()
        icon.setPixmap(theme.icon("warning", theme.COLOURS["warning_border"]).pixmap(24, 24))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(style.label(NOT_TRAINING), 1)
        self.switch_button = QPushButton("Switch to training workspace")
        self.switch_button.setProperty("primary", "true")
        self.switch_button.clicked.connect(self.switch_requested)
        row.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.not_training.setVisible(not workspace.training)
        self.layout_.addWidget(self.not_training)

        self.message = style.label("", "errorText")
        self.message.hide()
        self.layout_.addWidget(self.message)

        self.continue_cards: dict[int, ContinueCard] = {}
        self.continue_heading: QLabel | None = None
        unfinished = training.unfinished(workspace) if workspace.training else []
        if unfinished:
            self.continue_heading = style.label("Unfinished sessions", "stageTitle", 1.2, bold=True)
            self.layout_.addWidget(self.continue_heading)
            self.layout_.addWidget(style.label(CONTINUE_INTRO, "muted", 1.0))
            for session in unfinished:
                card = ContinueCard(session)
                card.resume_requested.connect(self.resume_requested)
                self.continue_cards[session.run_id] = card
                self.layout_.addWidget(card)
            self.layout_.addSpacing(6)
            self.layout_.addWidget(style.label("Start a scenario", "stageTitle", 1.2, bold=True))

        items = training.scenarios(workspace)
        if not items:
            self.layout_.addWidget(style.label(NO_SCENARIOS, "muted", 1.05))
        for item in items:
            card = ScenarioCard(workspace, item, enabled=bool(workspace.training))
            card.start_requested.connect(self.start_requested)
            self.cards[item.id] = card
            self.layout_.addWidget(card)
        self.layout_.addStretch(1)

    def show_message(self, text: str) -> None:
        """Show a problem above the list (empty text hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
