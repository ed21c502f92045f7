"""Reviewing one run: read it (flags first, then the signs of rushing, then the answers by section with
notes, how each is known and the sources), see its supervision history and audit trail, and decide.

Every decision goes through app.supervision (comment, sign off, return with reasons, amend); the view
redraws from the store afterwards and emits `decided(run_id)` so the queue can refresh."""
from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain.model import Severity
from app.domain.rushed import SHORT_TEXT
from app.domain.sources import Source
from app.supervision import STATUS_WORDS, AuditReport, RunReview, Supervision
from app.ui import theme
from app.ui.cases import words
from app.ui.errors import describe
from app.ui.review.audit_view import AuditView, AuditWords
from app.ui.review.rushed_panel import RushedPanel
from app.ui.review.style import severity_band
from app.ui.walkthrough.flags_panel import response_words
from app.ui.walkthrough.summary import answer_words, known_words

_DECISION_WORDS = {"comment": "commented", "returned": "returned it", "signed_off": "signed it off"}


def _label(text: str = "", role: str | None = None, rich: bool = False, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    if rich:
        label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _card(parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame(parent)
    card.setProperty("role", "card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    return card, layout


def sources_words(source_ids: tuple[str, ...], sources: Mapping[str, Source]) -> str:
    """'Sources: Baby L, learning 1.6.8; NICE CG89, child maltreatment' for a prompt's sources (titles only;
    the full reference is in the PDF and the walk-through)."""
    named = [sources[s].title if s in sources else s for s in source_ids]
    return "Sources: " + "; ".join(named) if named else ""


class ReviewView(QWidget):
    """One run for review. Call `load(run_id)`; signals say what the supervisor wants next."""

    back_requested = Signal()
    decided = Signal(int)
    edit_requested = Signal(int)

    def __init__(self, supervision: Supervision, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.supervision = supervision
        self.review: RunReview | None = None
        self.audit_report: AuditReport | None = None
        self.audit_view: AuditView | None = None
        self.rushed_panel: RushedPanel | None = None
        self.run_id: int | None = None
        self._confirming: str | None = None
        self.setObjectName("ReviewView")
        self._build()

    # ------------------------------------------------------------------ the frame
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 12)
        outer.setSpacing(10)

        top = QHBoxLayout()
        self.back_button = QPushButton(theme.icon("back"), "Back to the queue")
        self.back_button.setAccessibleName("Back to the review queue")
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        top.addSpacing(8)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.status_pill = QLabel()
        self.status_pill.setObjectName("StatusPill")
        top.addWidget(self.status_pill, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(8)
        self.pdf_button = QPushButton(theme.icon("document"), "PDF…")
        self.pdf_button.setObjectName("ReviewPdf")
        self.pdf_button.setAccessibleName("PDF of this checklist: preview, then save, print or open it")
        self.pdf_button.setToolTip("This checklist record as a PDF: preview it, then save, print or open it (Ctrl+P)")
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.show_pdf)
        top.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignVCenter)
        pdf_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        pdf_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pdf_shortcut.activated.connect(self.show_pdf)
        outer.addLayout(top)

        self.subtitle = _label(role="muted")
        outer.addWidget(self.subtitle)

        self.version_bar = QFrame()
        self.version_bar.setObjectName("VersionBar")
        self.version_layout = QHBoxLayout(self.version_bar)
        self.version_layout.setContentsMargins(10, 4, 10, 4)
        outer.addWidget(self.version_bar)

        self.tamper_banner = QFrame()
        self.tamper_banner.setObjectName("TamperBanner")
        tamper_layout = QHBoxLayout(self.tamper_banner)
        tamper_layout.setContentsMargins(12, 8, 12, 8)
        tamper_icon = QLabel()
        tamper_icon.setPixmap(theme.icon("warning", theme.COLOURS["error"]).pixmap(22, 22))
        tamper_layout.addWidget(tamper_icon)
        self.tamper_label = _label()
        self.tamper_label.setFont(theme.scaled_font(1.0, bold=True))
        tamper_layout.addWidget(self.tamper_label, 1)
        self.tamper_button = QPushButton("Show the audit trail")
        self.tamper_button.clicked.connect(self.show_audit)
        tamper_layout.addWidget(self.tamper_button)
        self.tamper_banner.hide()
        outer.addWidget(self.tamper_banner)

        body = QHBoxLayout()
        body.setSpacing(0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(self.scroll, "Checklist")
        self.audit_holder = QWidget()
        QVBoxLayout(self.audit_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.audit_holder, "Audit trail")
        body.addWidget(self.tabs, 1)
        body.addSpacing(12)
        body.addWidget(self._decision_panel())
        outer.addLayout(body, 1)

    def _decision_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("DecisionPanel")
        panel.setProperty("role", "card")
        em = self.fontMetrics().horizontalAdvance("m")
        panel.setFixedWidth(em * 24)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        heading = QLabel("Supervision")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.decision_banner = _label()
        self.decision_banner.setObjectName("DecisionBanner")
        layout.addWidget(self.decision_banner)

        history_heading = QLabel("History")
        history_heading.setProperty("role", "subheading")
        layout.addWidget(history_heading)
        self.history = _label(rich=True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history.setAccessibleName("Supervision history")
        history_scroll = QScrollArea()
        history_scroll.setWidgetResizable(True)
        history_scroll.setFrameShape(QFrame.Shape.NoFrame)
        history_scroll.setWidget(self.history)
        history_scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        history_scroll.setMinimumHeight(self.fontMetrics().height() * 5)
        layout.addWidget(history_scroll, 1)

        self.comment_label = QLabel("Your comment, or the reasons for returning it")
        self.comment_label.setProperty("role", "subheading")
        self.comment_label.setWordWrap(True)
        layout.addWidget(self.comment_label)
        self.comment_box = QPlainTextEdit()
        self.comment_box.setObjectName("CommentBox")
        self.comment_box.setTabChangesFocus(True)
        self.comment_box.setAccessibleName("Supervision comment or reasons for returning")
        self.comment_box.setPlaceholderText("For a return, say what the practitioner needs to do.")
        self.comment_box.setFixedHeight(self.fontMetrics().height() * 6)
        self.comment_label.setBuddy(self.comment_box)
        layout.addWidget(self.comment_box)

        self.comment_button = QPushButton("Add comment")
        self.comment_button.setAccessibleName("Add the comment to the supervision history")
        self.comment_button.clicked.connect(self.add_comment)
        self.return_button = QPushButton("Return to practitioner")
        self.return_button.setAccessibleName("Return the checklist to the practitioner with the reasons written above")
        self.return_button.clicked.connect(self.return_run)
        self.sign_off_button = QPushButton(theme.icon("saved", "#ffffff"), "Sign off")
        self.sign_off_button.setProperty("primary", "true")
        self.sign_off_button.setAccessibleName("Sign off the checklist")
        self.sign_off_button.clicked.connect(lambda: self._ask_confirm("sign_off"))
        self.amend_button = QPushButton(theme.icon("edit"), "Start an amendment")
        self.amend_button.setAccessibleName("Start an amendment: a new version of this signed-off checklist")
        self.amend_button.clicked.connect(lambda: self._ask_confirm("amend"))
        self.edit_button = QPushButton(theme.icon("edit"), "Edit this version")
        self.edit_button.setAccessibleName("Open this version to change its answers")
        self.edit_button.clicked.connect(lambda: self.run_id is not None and self.edit_requested.emit(self.run_id))
        layout.addWidget(self.comment_button)
        layout.addWidget(self.return_button)
        layout.addSpacing(4)
        layout.addWidget(self.sign_off_button)
        layout.addWidget(self.amend_button)
        layout.addWidget(self.edit_button)

        self.confirm_strip = QFrame()
        self.confirm_strip.setObjectName("ConfirmStrip")
        confirm_layout = QVBoxLayout(self.confirm_strip)
        confirm_layout.setContentsMargins(10, 8, 10, 8)
        self.confirm_label = _label()
        confirm_layout.addWidget(self.confirm_label)
        confirm_row = QHBoxLayout()
        self.confirm_button = QPushButton()
        self.confirm_button.setProperty("primary", "true")
        self.confirm_button.clicked.connect(self._confirmed)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel_confirm)
        confirm_row.addStretch(1)
        confirm_row.addWidget(self.cancel_button)
        confirm_row.addWidget(self.confirm_button)
        confirm_layout.addLayout(confirm_row)
        self.confirm_strip.hide()
        layout.addWidget(self.confirm_strip)

        self.feedback = _label()
        self.feedback.setAccessibleName("Result")
        self.feedback.hide()
        layout.addWidget(self.feedback)
        return panel

    # ------------------------------------------------------------------ loading a run
    def show_pdf(self) -> object | None:
        """Make the PDF of the run on screen off the screen's thread, then preview it (app.ui.report_preview)."""
        if self.run_id is None:
            return None
        from app.ui.report_preview import show_run_report  # imported on first use: keeps start-up quick

        return show_run_report(self, self.supervision.workspace, self.run_id)

    def load(self, run_id: int) -> None:
        """Read the run afresh from the store and redraw everything."""
        self.run_id = run_id
        self.pdf_button.setEnabled(True)
        self.review = self.supervision.open_review(run_id)
        self.audit_report = self.supervision.audit(run_id)
        review = self.review
        run = review.run
        self.title.setText(review.checklist.title)
        version = run.get("version") or 1
        parts = [f"Case {run['case_reference']}", run["child_name"], f"Completed by {run['practitioner']}"]
        if run.get("submitted_at"):
            parts.append(f"submitted {words.format_time(run['submitted_at'])}")
        if version > 1:
            parts.append(f"version {version}")
        self.subtitle.setText(" · ".join(parts))
        status = run["status"]
        self.status_pill.setText(STATUS_WORDS.get(status, status))
        self.status_pill.setProperty("status", status)
        self._repolish(self.status_pill)
        self._fill_versions(review.versions)
        self._fill_tamper()
        self._fill_record()
        self._fill_audit()
        self._fill_decisions()
        self._cancel_confirm()

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _fill_versions(self, versions: list[dict[str, Any]]) -> None:
        while self.version_layout.count():
            item = self.version_layout.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.version_buttons: dict[int, QPushButton] = {}
        if len(versions) < 2:
            self.version_bar.hide()
            return
        label = QLabel("Versions:")
        label.setProperty("role", "subheading")
        self.version_layout.addWidget(label)
        for version in versions:
            status = STATUS_WORDS.get(version["status"], version["status"])
            text = f"Version {version['version']}: {status.lower()}"
            if version["status"] == "signed_off" and version.get("signed_off_by"):
                text += f" by {version['signed_off_by']}"
            if version["id"] == self.run_id:
                shown = QLabel(f"<b>{html.escape(text)} (shown)</b>")
                self.version_layout.addWidget(shown)
                continue
            button = QPushButton(text)
            button.setProperty("flat", "true")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(f"Open {text}")
            button.clicked.connect(lambda _=False, rid=version["id"]: self.load(rid))
            self.version_layout.addWidget(button)
            self.version_buttons[version["id"]] = button
        self.version_layout.addStretch(1)
        self.version_bar.show()

    def _fill_tamper(self) -> None:
        report = self.audit_report
        if report is None or report.ok:
            self.tamper_banner.hide()
            return
        self.tamper_label.setText("The audit trail of this checklist does not verify: an entry was changed or "
                                  "removed outside the app. Do not rely on this record until it has been checked.")
        self.tamper_banner.show()

    def _fill_audit(self) -> None:
        layout = self.audit_holder.layout()
        if self.audit_view is not None:
            layout.removeWidget(self.audit_view)
            self.audit_view.hide()
            self.audit_view.deleteLater()
        assert self.review is not None and self.audit_report is not None
        describer = AuditWords(self.review.checklist, self.review.session.facts)
        self.audit_view = AuditView(self.audit_report, describer)
        layout.addWidget(self.audit_view)
        count = len(self.audit_report.rows)
        mark = "" if self.audit_report.ok else " — warning"
        self.tabs.setTabText(1, f"Audit trail ({count}){mark}")
        self.tabs.setTabIcon(1, theme.icon("warning", theme.COLOURS["error"]) if not self.audit_report.ok
                             else theme.icon("history"))

    def show_audit(self) -> None:
        self.tabs.setCurrentIndex(1)

    # ------------------------------------------------------------------ the record
    def _fill_record(self) -> None:
        assert self.review is not None
        review = self.review
        session = review.session
        holder = QWidget()
        holder.setObjectName("ReviewHolder")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 8, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(self._flags_card(review.flags))
        asks = {p.id: p.ask for p in review.checklist.prompts()}
        self.rushed_panel = RushedPanel(review.rushed, asks)
        layout.addWidget(self.rushed_panel)
        short = {pid for sign in review.rushed if sign.kind == SHORT_TEXT for pid in sign.prompt_ids}
        visible = {p.id for p in session.evaluation.visible_prompts}
        sources = session.sources or {}
        for state in session.evaluation.sections:
            layout.addWidget(self._section_card(state, visible, session.answers, session.facts, sources, short))
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.scroll.setWidget(holder)
        self.tabs.setCurrentIndex(0)

    def _flags_card(self, flags: list[dict[str, Any]]) -> QFrame:
        card, layout = _card()
        card.setObjectName("FlagsCard")
        heading = QLabel("Flags and what was done" if flags else "Flags")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        if not flags:
            layout.addWidget(_label("No flags were raised by the answers on this checklist.", role="muted"))
            return card
        for flag in flags:
            fg, bg = severity_band(flag["severity"])
            box = QFrame()
            box.setObjectName("FlagCard")
            box.setStyleSheet(f"#FlagCard {{ border-left-color: {fg}; }}")
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(10, 6, 10, 8)
            box_layout.setSpacing(3)
            band = QLabel(Severity(flag["severity"]).label)
            band.setStyleSheet(f"background: {bg}; color: {fg}; font-weight: bold; padding: 1px 6px; border-radius: 3px;")
            band_row = QHBoxLayout()
            band_row.addWidget(band)
            band_row.addStretch(1)
            box_layout.addLayout(band_row)
            box_layout.addWidget(_label(f"<b>{html.escape(flag['message'])}</b>", rich=True))
            box_layout.addWidget(_label(f"What to do: {flag['action']}"))
            response = flag.get("response")
            if response:
                said = response_words(response)
                when = words.format_time(response.get("responded_at"))
                text = (f"<span style='color:{theme.COLOURS['ok']}'><b>Response</b></span> "
                        f"({html.escape(response.get('responded_by') or '')}, {html.escape(when)}): "
                        f"{html.escape(said)}")
                box_layout.addWidget(_label(text, rich=True))
            else:
                box_layout.addWidget(_label("No response recorded for this flag.", role="error"))
            layout.addWidget(box)
        return card

    def _section_card(self, state: Any, visible: set[str], answers: Mapping[str, Any], facts: Any,
                      sources: Mapping[str, Source], short: set[str]) -> QFrame:
        card, layout = _card()
        card.setObjectName("SectionCard")
        title = QLabel(state.section.title)
        title.setProperty("role", "heading")
        title.setWordWrap(True)
        layout.addWidget(title)
        if not state.shown:
            layout.addWidget(_label(f"Not needed for this case: {state.skipped_because}.", role="muted"))
            return card
        muted = theme.COLOURS["muted"]
        for prompt in state.section.prompts:
            if prompt.id not in visible:
                continue
            answer = answers.get(prompt.id)
            said = answer_words(prompt, answer, facts)
            if said:
                shown = html.escape(said).replace("\n", "<br>")
            else:
                colour = theme.COLOURS["error"] if prompt.required else muted
                shown = f"<i style='color:{colour}'>Not answered{' (required)' if prompt.required else ''}</i>"
            parts = [f"<b>{html.escape(prompt.ask)}</b>", shown]
            extra = known_words(answer)
            if extra:
                parts.append(f"<span style='color:{muted}'>{html.escape(extra)}</span>")
            cited = sources_words(prompt.sources, sources)
            if cited:
                parts.append(f"<span style='color:{muted}; font-size:small'>{html.escape(cited)}</span>")
            label = _label("<br>".join(parts), rich=True)
            label.setObjectName(f"answer-{prompt.id}")
            layout.addWidget(label)
            if prompt.id in short:
                tag = QLabel("Very short for a required description: check it says what was seen or done")
                tag.setProperty("role", "tag")
                tag.setWordWrap(True)
                layout.addWidget(tag)
        return card

    # ------------------------------------------------------------------ decisions
    def _fill_decisions(self) -> None:
        assert self.review is not None
        review = self.review
        run = review.run
        status = run["status"]
        if status == "submitted" and not review.why_not:
            text, tone = ("Waiting for your review. Read the flags and answers, then sign off, or return it "
                          "to the practitioner with your reasons."), "info"
        elif status == "signed_off":
            when = words.format_time(run.get("signed_off_at"))
            text, tone = (f"Signed off by {run.get('signed_off_by')} on {when}. It can no longer be changed; "
                          "to correct it, start an amendment (a new version; this one is kept)."), "ok"
            if run.get("amended_by_run_id"):
                text = (f"Signed off by {run.get('signed_off_by')} on {when}. A newer version has been started; "
                        "see Versions above.")
        else:
            text, tone = review.why_not or STATUS_WORDS.get(status, status), "warning"
        self.decision_banner.setText(text)
        self.decision_banner.setProperty("tone", tone)
        self._repolish(self.decision_banner)

        lines = []
        for item in review.reviews:
            verb = _DECISION_WORDS.get(item["decision"], item["decision"])
            head = f"<b>{html.escape(item['supervisor'])}</b> {verb}, {html.escape(words.format_time(item['at']))}"
            body = html.escape(item["comment"]).replace("\n", "<br>") if item["comment"] else ""
            lines.append(f"<p style='margin:0 0 6px 0'>{head}{':<br>' + body if body else '.'}</p>")
        self.history.setText("".join(lines) or f"<i style='color:{theme.COLOURS['muted']}'>No supervision comments "
                                                "or decisions yet.</i>")

        supervisor = self.supervision.is_supervisor
        self.comment_box.setEnabled(supervisor)
        self.comment_button.setEnabled(supervisor)
        self.return_button.setVisible(status in ("submitted",))
        self.sign_off_button.setVisible(status in ("submitted",))
        self.return_button.setEnabled(review.can_return)
        self.sign_off_button.setEnabled(review.can_sign_off)
        for button in (self.return_button, self.sign_off_button):
            button.setToolTip("" if button.isEnabled() else review.why_not)
        self.amend_button.setVisible(status == "signed_off")
        self.amend_button.setEnabled(review.can_amend)
        self.amend_button.setToolTip("" if review.can_amend else
                                     "A newer version exists; amend the latest version."
                                     if run.get("amended_by_run_id") else "Only a supervisor, or the practitioner "
                                     "who completed it, can amend it.")
        self.edit_button.setVisible(status in ("draft", "returned") and run["practitioner"] == self.supervision.name)

    def say(self, text: str, ok: bool = True) -> None:
        self.feedback.setText(text)
        self.feedback.setProperty("role", "muted" if ok else "error")
        self.feedback.setStyleSheet(f"color: {theme.COLOURS['ok'] if ok else theme.COLOURS['error']};"
                                    " font-weight: bold;")
        self.feedback.show()

    def _act(self, doing: str, action: Any) -> bool:
        try:
            action()
        except Exception as exc:
            self.say(describe(exc, doing).message, ok=False)
            return False
        return True

    def add_comment(self) -> None:
        text = self.comment_box.toPlainText()
        if self.run_id is None or not self._act("The comment was not saved.",
                                                lambda: self.supervision.comment(self.run_id, text)):
            return
        self.comment_box.clear()
        self.load(self.run_id)
        self.say("Comment added to the supervision history.")
        self.decided.emit(self.run_id)

    def return_run(self) -> None:
        text = self.comment_box.toPlainText()
        if self.run_id is None or not self._act("The checklist was not returned.",
                                                lambda: self.supervision.return_run(self.run_id, text)):
            return
        self.comment_box.clear()
        self.load(self.run_id)
        self.say(f"Returned to {self.review.run['practitioner'] if self.review else 'the practitioner'} with your "
                  "reasons. They will see them in their list.")
        self.decided.emit(self.run_id)

    def _ask_confirm(self, what: str) -> None:
        if what == "sign_off":
            comment = self.comment_box.toPlainText().strip()
            self.confirm_label.setText(
                "Sign off this checklist under your name? It will be locked: nothing in it can be changed "
                "afterwards, only amended as a new version."
                + (" Your comment will be saved with the sign-off." if comment else ""))
            self.confirm_button.setText("Sign off now")
        else:
            self.confirm_label.setText("Start a new version of this checklist to correct it? The signed-off version "
                                       "stays exactly as it is, and both can be read.")
            self.confirm_button.setText("Start the amendment")
        self.confirm_button.setAccessibleName(self.confirm_button.text())
        self._confirming = what
        self.confirm_strip.show()
        self.confirm_button.setFocus()

    def _cancel_confirm(self) -> None:
        self._confirming = None
        self.confirm_strip.hide()

    def _confirmed(self) -> None:
        what, self._confirming = self._confirming, None
        self.confirm_strip.hide()
        if what == "sign_off":
            self.sign_off()
        elif what == "amend":
            self.amend()

    def sign_off(self) -> None:
        text = self.comment_box.toPlainText()
        if self.run_id is None or not self._act("The checklist was not signed off.",
                                                lambda: self.supervision.sign_off(self.run_id, text)):
            return
        self.comment_box.clear()
        self.load(self.run_id)
        self.say("Signed off. The checklist is now locked.")
        self.decided.emit(self.run_id)

    def amend(self) -> None:
        if self.run_id is None:
            return
        old_id = self.run_id
        result: dict[str, int] = {}
        if not self._act("The amendment was not started.",
                         lambda: result.setdefault("id", self.supervision.amend(old_id))):
            return
        self.load(result["id"])
        self.say(f"Version {self.review.run.get('version') if self.review else ''} started. The signed-off version "
                  "is kept unchanged; choose Edit this version to correct it.")
        self.decided.emit(old_id)
