"""The flags panel: every flag the current answers raise, most urgent first, with its action shown in
full and a way to record the response at any time, without finishing the walk-through first."""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from app.domain.engine import RaisedFlag
from app.domain.model import Severity
from app.domain.sources import Source
from app.ui.walkthrough import style
from app.ui.walkthrough.answer_widgets import NO_DATE

# What the service accepts for a response, in the order the form asks for them.
RESPONSE_FIELDS = ("action_taken", "by_whom", "by_when", "reason_not_acting")


def response_words(response: Mapping[str, object]) -> str:
    """A recorded response in one short paragraph of plain words."""
    done = str(response.get("action_taken") or "").strip()
    who = str(response.get("by_whom") or "").strip()
    when = str(response.get("by_when") or "").strip()
    why_not = str(response.get("reason_not_acting") or "").strip()
    parts = []
    if done:
        parts.append(f"Done or arranged: {done}")
        if who:
            parts.append(f"By: {who}")
        if when:
            parts.append(f"By when: {_date_words(when)}")
    if why_not:
        parts.append(f"Not acting, because: {why_not}")
    return ". ".join(p.rstrip(".") for p in parts) + "." if parts else ""


def _date_words(iso: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


class _ResponseForm(QFrame):
    """What was done, by whom, by when — or why not."""

    def __init__(self, flag: RaisedFlag, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        short = flag.message
        self.action_taken = QPlainTextEdit(self)
        self.action_taken.setTabChangesFocus(True)
        self.action_taken.setFixedHeight(self.action_taken.fontMetrics().lineSpacing() * 3 + 14)
        self.action_taken.setAccessibleName(f"What was done or arranged: {short}")
        self.action_taken.setPlaceholderText("What was done or arranged")
        self.by_whom = QLineEdit(self)
        self.by_whom.setPlaceholderText("By whom (name and role)")
        self.by_whom.setAccessibleName(f"By whom: {short}")
        when_row = QHBoxLayout()
        when_label = QLabel("By when:", self)
        self.by_when = QDateEdit(self)
        self.by_when.setCalendarPopup(True)
        self.by_when.setDisplayFormat("dd/MM/yyyy")
        self.by_when.setMinimumDate(NO_DATE)
        self.by_when.setSpecialValueText("No date")
        self.by_when.setDate(NO_DATE)
        self.by_when.setAccessibleName(f"By when: {short}")
        when_label.setBuddy(self.by_when)
        self.when_today = QPushButton("Today", self)
        self.when_today.setAccessibleName(f"By when: today. {short}")
        self.when_today.clicked.connect(lambda: self.by_when.setDate(QDate.currentDate()))
        when_row.addWidget(when_label)
        when_row.addWidget(self.by_when)
        when_row.addWidget(self.when_today)
        when_row.addStretch(1)
        or_label = QLabel("Or, if you are not taking this action:", self)
        or_label.setObjectName("mutedText")
        self.reason_not_acting = QPlainTextEdit(self)
        self.reason_not_acting.setTabChangesFocus(True)
        self.reason_not_acting.setFixedHeight(self.reason_not_acting.fontMetrics().lineSpacing() * 2 + 14)
        self.reason_not_acting.setPlaceholderText("Why not, and who agreed")
        self.reason_not_acting.setAccessibleName(f"Why you are not taking this action: {short}")
        self.error = QLabel(self)
        self.error.setObjectName("cardError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        self.save = QPushButton("Save response", self)
        self.save.setAccessibleName(f"Save response: {short}")
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAccessibleName(f"Cancel recording a response: {short}")
        buttons.addWidget(self.save)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        layout.addWidget(self.action_taken)
        layout.addWidget(self.by_whom)
        layout.addLayout(when_row)
        for widget in (or_label, self.reason_not_acting, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def fill(self, response: Mapping[str, object] | None) -> None:
        response = response or {}
        self.action_taken.setPlainText(str(response.get("action_taken") or ""))
        self.by_whom.setText(str(response.get("by_whom") or ""))
        when = QDate.fromString(str(response.get("by_when") or ""), "yyyy-MM-dd")
        self.by_when.setDate(when if when.isValid() else NO_DATE)
        self.reason_not_acting.setPlainText(str(response.get("reason_not_acting") or ""))

    def values(self) -> dict[str, str]:
        return {
            "action_taken": self.action_taken.toPlainText().strip(),
            "by_whom": self.by_whom.text().strip(),
            "by_when": "" if self.by_when.date() == NO_DATE else self.by_when.date().toString("yyyy-MM-dd"),
            "reason_not_acting": self.reason_not_acting.toPlainText().strip(),
        }

    def problem(self) -> str:
        """What is missing before the response can be saved, or '' when it is complete."""
        values = self.values()
        if values["reason_not_acting"]:
            return ""
        if not values["action_taken"]:
            return "Write what was done or arranged, or why you are not taking this action."
        if not values["by_whom"]:
            return "Say who took, or will take, the action (name and role)."
        return ""


class FlagCard(QFrame):
    """One raised flag: the severity band, the message, the action in full, and its response."""

    respond = Signal(str, dict)   # flag id, response fields
    form_opened = Signal(object)  # the card

    def __init__(self, flag: RaisedFlag, sources: Mapping[str, Source], editable: bool,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.flag = flag
        self.editable = editable
        self.response: Mapping[str, object] | None = None
        background, ink, border, words = style.severity_style(flag.severity)
        self.setObjectName("flagCard")
        self.setStyleSheet(f"#flagCard {{ border: {3 if flag.severity is Severity.URGENT else 1}px solid {border}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(6)
        self.band = QLabel(words, self)
        self.band.setWordWrap(True)
        self.band.setFont(style.font(self, 1.05 if flag.severity is Severity.URGENT else 1.0, bold=True))
        self.band.setStyleSheet(f"background: {background}; color: {ink}; padding: 5px 8px;")
        layout.addWidget(self.band)
        inner = QVBoxLayout()
        inner.setContentsMargins(10, 0, 10, 0)
        inner.setSpacing(6)
        layout.addLayout(inner)
        self.message = QLabel(flag.message, self)
        self.message.setFont(style.font(self, bold=True))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.message)
        self.action = QLabel(f"<b>What to do:</b> {html.escape(flag.action)}", self)
        self.action.setTextFormat(Qt.TextFormat.RichText)
        self.action.setWordWrap(True)
        self.action.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action.setAccessibleName(f"What to do: {flag.action}")
        inner.addWidget(self.action)
        titles = [sources[s].title if s in sources else s for s in flag.sources]
        if titles:
            cited = QLabel("From: " + "; ".join(titles), self)
            cited.setObjectName("mutedText")
            cited.setWordWrap(True)
            inner.addWidget(cited)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.status)
        self.record = QPushButton("Record response", self)
        self.record.setAccessibleName(f"Record response: {flag.message}")
        self.record.clicked.connect(self.open_form)
        row = QHBoxLayout()
        row.addWidget(self.record)
        row.addStretch(1)
        inner.addLayout(row)
        self.form: _ResponseForm | None = None
        self._inner = inner
        self.setAccessibleName(f"{words}: {flag.message}")
        self.setAccessibleDescription(f"What to do: {flag.action}")
        self.set_response(None)

    def set_response(self, response: Mapping[str, object] | None) -> None:
        self.response = response
        if response:
            self.status.setObjectName("flagResponse")
            self.status.setText("Response recorded. " + response_words(response))
            self.record.setText("Change response")
        else:
            self.status.setObjectName("flagNeedsResponse")
            self.status.setText("No response recorded yet.")
            self.record.setText("Record response")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.record.setVisible(self.editable and (self.form is None or self.form.isHidden()))

    def open_form(self) -> None:
        if not self.editable:
            return
        if self.form is None:
            self.form = _ResponseForm(self.flag, self)
            self.form.save.clicked.connect(self._save)
            self.form.cancel.clicked.connect(self.close_form)
            self._inner.addWidget(self.form)
            self.form.fill(self.response)
        elif self.form.isHidden():
            self.form.fill(self.response)
        self.form.error.hide()
        self.form.show()
        self.record.hide()
        self.form.action_taken.setFocus(Qt.FocusReason.OtherFocusReason)
        self.form_opened.emit(self)

    def close_form(self) -> None:
        if self.form is not None:
            self.form.hide()
        self.record.setVisible(self.editable)
        self.record.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_form_error(self, message: str) -> None:
        if self.form is not None:
            self.form.error.setText(message)
            self.form.error.setAccessibleName(f"Not saved: {message}")
            self.form.error.show()

    def _save(self) -> None:
        assert self.form is not None
        problem = self.form.problem()
        if problem:
            self.show_form_error(problem)
            return
        self.respond.emit(self.flag.id, self.form.values())

    def set_fresh(self, fresh: bool) -> None:
        self.setProperty("fresh", fresh)
        self.style().unpolish(self)
        self.style().polish(self)


class FlagsPanel(QFrame):
    """The right-hand panel listing raised flags. `respond(flag_id, fields)` asks the view to save."""

    respond = Signal(str, dict)

    def __init__(self, sources: Mapping[str, Source], editable: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flagsPanel")
        self.sources = sources
        self.editable = editable
        self.cards: dict[str, FlagCard] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 8, 8)
        self.heading = QLabel("Flags", self)
        self.heading.setFont(style.font(self, 1.2, bold=True))
        layout.addWidget(self.heading)
        self.summary = QLabel(self)
        self.summary.setObjectName("mutedText")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder.setObjectName("flagsHolder")
        holder.setStyleSheet("#flagsHolder { background: transparent; }")
        holder.setMinimumWidth(0)
        self.list = QVBoxLayout(holder)
        self.list.setContentsMargins(0, 0, 4, 0)
        self.list.setSpacing(10)
        self.list.addStretch(1)
        self.scroll.setWidget(holder)
        layout.addWidget(self.scroll, 1)
        self.setAccessibleName("Flags")

    def set_flags(self, flags: Sequence[RaisedFlag], responses: Mapping[str, Mapping[str, object]]) -> list[RaisedFlag]:
        """Show exactly these flags, in this order; returns the flags that were not shown before."""
        wanted = {flag.id for flag in flags}
        for flag_id in [i for i in self.cards if i not in wanted]:
            card = self.cards.pop(flag_id)
            card.hide()
            card.deleteLater()
        new = []
        for position, flag in enumerate(flags):
            card = self.cards.get(flag.id)
            if card is None or card.flag != flag:
                if card is not None:
                    card.hide()
                    card.deleteLater()
                else:
                    new.append(flag)
                card = FlagCard(flag, self.sources, self.editable)
                card.respond.connect(self.respond)
                card.form_opened.connect(self._scroll_to_form)
                self.cards[flag.id] = card
            self.list.insertWidget(position, card)
            card.set_response(responses.get(flag.id))
            card.show()
        self.cards = {flag.id: self.cards[flag.id] for flag in flags}   # in the order shown
        for flag_id, card in self.cards.items():
            card.set_fresh(any(flag.id == flag_id for flag in new) and card.flag.severity is Severity.URGENT)
        self._update_summary(flags, responses)
        return new

    def _scroll_to_form(self, card: FlagCard) -> None:
        # After the layout has made room for the form, bring the whole form into view.
        QTimer.singleShot(0, card, lambda: self.scroll.ensureWidgetVisible(card.form or card, 0, 0))

    def _update_summary(self, flags: Sequence[RaisedFlag], responses: Mapping[str, Mapping[str, object]]) -> None:
        if not flags:
            self.summary.setText("No flags raised so far. Flags appear here as soon as your answers raise them.")
            return
        urgent = sum(flag.severity is Severity.URGENT for flag in flags)
        # Every raised flag needs a response before submitting (RunSession.submit checks the same).
        waiting = sum(not responses.get(flag.id) for flag in flags)
        words = [f"{len(flags)} flag{'s' if len(flags) != 1 else ''} raised"]
        if urgent:
            words.append(f"{urgent} urgent")
        if waiting:
            words.append(f"{waiting} still need{'s' if waiting == 1 else ''} a response")
        self.summary.setText(", ".join(words) + ".")

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for card in self.cards.values():
            card.editable = editable
            if not editable and card.form is not None:
                card.form.hide()
            card.set_response(card.response)
