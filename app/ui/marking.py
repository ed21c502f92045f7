"""The protective marking bar shown across the top of every window.

Records in this app are OFFICIAL-SENSITIVE. In the training workspace the bar turns yellow and says
so, so nobody mistakes fictional practice cases for real ones (or types a real family into training).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

MARKING = "OFFICIAL-SENSITIVE"
TRAINING_TEXT = "TRAINING — fictional data"
TRAINING_HINT = "Practice only: do not enter details of real children or families here."


class MarkingBar(QWidget):
    """A full-width bar: the OFFICIAL-SENSITIVE marking, and the training warning when `training`."""

    def __init__(self, training: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MarkingBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("training", "true" if training else "false")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.training = training

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(12)
        self.marking_label = QLabel(MARKING)
        self.marking_label.setObjectName("MarkingLabel")
        layout.addWidget(self.marking_label)
        layout.addStretch(1)
        self.training_label = QLabel(TRAINING_TEXT)
        self.training_label.setObjectName("TrainingLabel")
        self.training_label.setToolTip(TRAINING_HINT)
        self.training_label.setVisible(training)
        layout.addWidget(self.training_label)
        layout.addStretch(1)
        self.right_marking = QLabel(MARKING)
        self.right_marking.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.right_marking)

        description = f"{MARKING}. {TRAINING_TEXT}. {TRAINING_HINT}" if training else f"Protective marking: {MARKING}"
        self.setAccessibleName("Protective marking")
        self.setAccessibleDescription(description)
        self.setToolTip(description)

    def text(self) -> str:
        """What the bar says, as a person reads it."""
        parts = [MARKING]
        if self.training:
            parts.append(TRAINING_TEXT)
        return " · ".join(parts)
