"""Trainer mode screens: choose a scenario, present it stage by stage with the checklist beside it, and
debrief the flags the group's answers raised against the flags the scenario expected.

Only `TrainingPage` is imported here, and it builds its views when first shown, so adding the page to the
main window costs nothing at start-up: the chooser, presenter and debrief live in their own modules."""
from app.ui.training.page import TrainingPage

__all__ = ["TrainingPage"]
