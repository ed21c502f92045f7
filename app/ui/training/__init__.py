"""Trainer mode screens: choose a scenario, present it stage by stage with the checklist beside it, and
debrief the flags the group's answers raised against the flags the scenario expected."""
from app.ui.training.chooser import ScenarioChooser
from app.ui.training.debrief_view import DebriefView
from app.ui.training.page import TrainingPage
from app.ui.training.presenter import PresenterView

__all__ = ["TrainingPage", "ScenarioChooser", "PresenterView", "DebriefView"]
