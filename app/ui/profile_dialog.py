"""Who is using the app: asked on first run, changeable later from the main window.

The name is recorded against every answer, checklist and review, so it is required. Saving goes through
`ws.save_profile`, which remembers it in the records.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services import ServiceError
from app.store.errors import StoreError
from app.ui.errors import describe
from app.ui.marking import MarkingBar

ROLES: tuple[tuple[str, str, str], ...] = (
    ("practitioner", "Practitioner", "I complete checklists with families (health visitor, midwife, social worker)."),
    ("supervisor", "Supervisor", "I review and sign off checklists completed by my team."),
    ("trainer", "Trainer", "I run training sessions with fictional cases."),
)


class ProfileDialog(QDialog):
    """Name, role and team. `saved(dict)` is emitted with the stored profile when it is saved."""

    saved = Signal(dict)

    def __init__(self, ws: Any, parent: QWidget | None = None, first_run: bool | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        profile = ws.profile or {}
        self.first_run = not profile if first_run is None else first_run
        self.profile: dict | None = None
        self.setObjectName("ProfileDialog")
        self.setWindowTitle("Welcome" if self.first_run else "Your details")
        self.setModal(True)
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(MarkingBar(bool(getattr(ws, "training", False))))
        body = QWidget()
        outer.addWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)

        title = QLabel("Before you start" if self.first_run else "Your details")
        title.setProperty("role", "title")
        layout.addWidget(title)
        intro = QLabel(
            "Your name is recorded against every checklist you complete and every review you make, so "
            "supervisors and auditors can see who recorded what. You can change these details later."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        layout.addWidget(intro)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setVerticalSpacing(10)
        self.name_edit = QLineEdit(profile.get("name", ""))
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("As it should appear on records, e.g. Sam Patel")
        self.name_edit.setMaxLength(200)
        form.addRow("Your name", self.name_edit)
        self.name_error = QLabel()
        self.name_error.setProperty("role", "error")
        self.name_error.setWordWrap(True)
        self.name_error.hide()
        form.addRow("", self.name_error)

        role_box = QWidget()
        role_layout = QVBoxLayout(role_box)
        role_layout.setContentsMargins(0, 0, 0, 0)
        role_layout.setSpacing(2)
        self.role_group = QButtonGroup(self)
        self.role_buttons: dict[str, QRadioButton] = {}
        current_role = profile.get("role", "practitioner")
        for value, text, help_text in ROLES:
            button = QRadioButton(text)
            button.setAccessibleName(f"Role: {text}")
            button.setAccessibleDescription(help_text)
            button.setChecked(value == current_role)
            self.role_group.addButton(button)
            self.role_buttons[value] = button
            role_layout.addWidget(button)
            hint = QLabel(help_text)
            hint.setProperty("role", "muted")
            hint.setWordWrap(True)
            hint.setContentsMargins(26, 0, 0, 6)
            role_layout.addWidget(hint)
        form.addRow("Your role", role_box)

        self.team_edit = QLineEdit(profile.get("team", ""))
        self.team_edit.setAccessibleName("Your team")
        self.team_edit.setPlaceholderText("Optional, e.g. Health Visiting West")
        self.team_edit.setMaxLength(200)
        form.addRow("Team", self.team_edit)
        layout.addLayout(form)

        self.error_label = QLabel()
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem saving your details")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Save and continue" if self.first_run else "Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", "true")
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(
            "Quit" if self.first_run else "Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

        self.name_edit.textEdited.connect(self._clear_name_error)
        self.setTabOrder(self.name_edit, self.role_buttons["practitioner"])
        self.setTabOrder(self.role_buttons["practitioner"], self.team_edit)
        self.setTabOrder(self.team_edit, self.save_button)
        self.setTabOrder(self.save_button, self.cancel_button)
        self.name_edit.setFocus()

    def role(self) -> str:
        return next((value for value, button in self.role_buttons.items() if button.isChecked()), "")

    def _clear_name_error(self) -> None:
        if self.name_error.isVisible() and self.name_edit.text().strip():
            self.name_error.hide()
            self.name_edit.setProperty("invalid", "false")
            self._restyle(self.name_edit)

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def save(self) -> None:
        """Check the name, save through the workspace, and close; problems are shown in the dialog."""
        self.error_label.hide()
        name = self.name_edit.text().strip()
        if not name:
            self.name_error.setText("Enter your name, as it should appear on records and reviews.")
            self.name_error.show()
            self.name_edit.setProperty("invalid", "true")
            self._restyle(self.name_edit)
            self.name_edit.setFocus()
            return
        try:
            self.profile = self.ws.save_profile(name, self.role(), self.team_edit.text().strip())
        except (StoreError, ServiceError) as exc:
            self._show_problem(describe(exc).message)
            return
        self.saved.emit(self.profile)
        self.accept()

    def _show_problem(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

