"""Signs of a rushed checklist, shown to the supervisor beside the answers.

They come from app.domain.rushed (when and how the answers were recorded). The panel says plainly that
a sign is something to talk through in supervision, not proof that the work was not done."""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.rushed import RushedSign
from app.ui import theme

LISTED = 5
TITLES = {
    "quick": "Answered seconds apart",
    "same": "The same answer throughout",
    "short_text": "Very short required descriptions",
}
NONE_FOUND = ("No signs of a rushed checklist: the answers were not given seconds apart, the yes/no answers "
              "vary, and the required descriptions are more than a few characters long.")
INTRO = ("These patterns come from when and how the answers were recorded. They are not proof that the work "
         "was not done: talk them through with the practitioner before signing off.")


def prompts_words(prompt_ids: Sequence[str], asks: Mapping[str, str]) -> list[str]:
    """The questions a sign concerns, up to five, then how many more."""
    named = [asks.get(p, p) for p in prompt_ids]
    more = len(named) - LISTED
    return named[:LISTED] + ([f"and {more} more question{'s' if more != 1 else ''}"] if more > 0 else [])


class RushedPanel(QFrame):
    """The signs found (or a line saying none were). `asks` maps prompt ids to the questions' words."""

    def __init__(self, signs: Sequence[RushedSign], asks: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.signs = list(signs)
        self.setObjectName("RushedPanel")
        self.setProperty("found", "true" if self.signs else "false")
        self.setAccessibleName("Signs of a rushed checklist")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)

        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.icon("warning" if self.signs else "info",
                                  "#8a5a00" if self.signs else theme.COLOURS["muted"]).pixmap(20, 20))
        head.addWidget(icon)
        self.heading = QLabel("Signs of a rushed checklist" if self.signs else "Pace and depth of the answers")
        self.heading.setProperty("role", "subheading")
        head.addWidget(self.heading, 1)
        layout.addLayout(head)

        self.sign_labels: list[QLabel] = []
        if not self.signs:
            none = QLabel(NONE_FOUND)
            none.setWordWrap(True)
            none.setProperty("role", "muted")
            layout.addWidget(none)
            self.sign_labels.append(none)
            return
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.sign_labels.append(intro)
        for sign in self.signs:
            listed = "".join(f"<li>{html.escape(ask)}</li>" for ask in prompts_words(sign.prompt_ids, asks))
            text = (f"<b>{html.escape(TITLES.get(sign.kind, sign.kind))}.</b> {html.escape(sign.message)}"
                    f"<ul style='margin-top:2px; margin-bottom:0; color:{theme.COLOURS['muted']}'>{listed}</ul>")
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"{TITLES.get(sign.kind, sign.kind)}: {sign.message}")
            layout.addWidget(label)
            self.sign_labels.append(label)

    def text(self) -> str:
        """What the panel says, as a person reads it."""
        return " ".join([self.heading.text()] + [label.text() for label in self.sign_labels])
