"""Choosing a training scenario: one card per scenario with its checklist, stages and summary."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app import training
from app.services import Workspace
from app.ui import theme
from app.ui.training import style

if TYPE_CHECKING:
    from app.catalog.scenarios import Scenario

INTRO = ("Fictional cases for group training. Choose a scenario and step through its stages with the group, "
         "entering the group's answers into the checklist as you go. The debrief then compares the flags their "
         "answers raised with the flags the scenario expects, and explains why each one matters.")
NOT_TRAINING = ("Scenarios run only in the training workspace, so fictional cases never mix with real records. "
                "Switch to the training workspace to start one.")
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


class ScenarioChooser(QWidget):
    """The list of scenarios. `start_requested(scenario_id)`; `switch_requested()` outside training."""

    start_requested = Signal(str)
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
