"""The Training page: scenario chooser, presenter view and debrief, in one self-contained widget.

`TrainingPage(workspace)` works inside the main window (which shows the marking bar) or as a window of
its own, when it shows the marking bar itself, so the TRAINING banner is on every window either way.
Outside the training workspace it lists the scenarios but will not start one, and offers the switch.
In the training workspace the chooser also offers the sessions left unfinished (the app was closed or the
trainer left the scenario), to be continued at the stage reached.

The page builds its views the first time it is shown (or `build()` is called), so adding it to the main
window reads no checklist or scenario files at start-up."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.services import ServiceError, Workspace
from app.store.errors import StoreError
from app.training import ScenarioSession
from app.ui.marking import MarkingBar
from app.ui.training import style
from app.ui.training.chooser import ScenarioChooser

if TYPE_CHECKING:
    from app.ui.training.debrief_view import DebriefView
    from app.ui.training.presenter import PresenterView


class TrainingPage(QWidget):
    """Trainer mode. Signals: `switch_requested()` (asked to switch to the training workspace),
    `session_started(run_id)` whenever a scenario starts, restarts or is continued after the app was closed."""

    switch_requested = Signal()
    session_started = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.session: ScenarioSession | None = None
        self.presenter: PresenterView | None = None
        self.debrief_view: DebriefView | None = None
        self.setObjectName("trainingPage")
        self.setStyleSheet(style.STYLE_SHEET)
        self.setWindowTitle("Training scenarios — TRAINING" if workspace.training else "Training scenarios")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.marking = MarkingBar(bool(workspace.training))
        layout.addWidget(self.marking)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.chooser: ScenarioChooser | None = None
        self._sync_marking()

    def build(self) -> None:
        """Build the scenario chooser (reading the scenarios) if it is not built yet."""
        if self.chooser is None:
            self._new_chooser()

    # ------------------------------------------------------------------ the marking bar
    def _sync_marking(self) -> None:
        # the main window has its own bar; on its own, this page shows one
        self.marking.setVisible(self.isWindow())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._sync_marking()
        self.build()
        super().showEvent(event)

    # ------------------------------------------------------------------ moving between views
    def _replace(self, attribute: str, widget: QWidget | None) -> None:
        old = getattr(self, attribute)
        setattr(self, attribute, widget)
        if widget is not None:
            self.stack.addWidget(widget)
            self.stack.setCurrentWidget(widget)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def start(self, scenario_id: str) -> PresenterView | None:
        """Start a scenario on a fresh training case and present its first stage."""
        self.build()
        self.chooser.show_message("")
        try:
            session = ScenarioSession.start(self.workspace, scenario_id)
        except (StoreError, ServiceError) as exc:
            self.chooser.show_message(getattr(exc, "user_message", None) or str(exc))
            return None
        return self._present(session)

    def resume(self, run_id: int) -> PresenterView | None:
        """Continue an unfinished session at the stage the group reached, with every answer given so far."""
        self.build()
        self.chooser.show_message("")
        try:
            session = ScenarioSession.resume(self.workspace, run_id)
        except (StoreError, ServiceError) as exc:
            self.chooser.show_message(getattr(exc, "user_message", None) or str(exc))
            return None
        return self._present(session)

    def _present(self, session: ScenarioSession) -> PresenterView:
        from app.ui.training.presenter import PresenterView  # with the walk-through, only when presenting

        scale = self.presenter.text_scale if self.presenter is not None else style.PRESENTER_SCALE
        self.session = session
        self._replace("debrief_view", None)
        presenter = PresenterView(session, text_scale=scale)
        presenter.debrief_requested.connect(self.show_debrief)
        presenter.leave_requested.connect(self.choose_another)
        self._replace("presenter", presenter)
        self.session_started.emit(session.run_id)
        presenter.next_button.setFocus()
        return presenter

    def show_debrief(self) -> DebriefView | None:
        from app.ui.training.debrief_view import DebriefView

        if self.session is None:
            return None
        view = DebriefView(self.session, self.session.debrief())
        view.run_again.connect(self.run_again)
        view.choose_another.connect(self.choose_another)
        view.back_requested.connect(self.back_to_scenario)
        old, self.debrief_view = self.debrief_view, view  # the presenter stays, for "Back to the scenario"
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        view.again_button.setFocus()
        return view

    def back_to_scenario(self) -> None:
        if self.presenter is not None:
            self.stack.setCurrentWidget(self.presenter)
            self._replace("debrief_view", None)

    def run_again(self) -> PresenterView | None:
        """The same scenario from stage 1 on a new case; the finished run stays in the training records."""
        if self.session is None:
            return None
        try:
            session = self.session.reset()
        except (StoreError, ServiceError) as exc:
            if self.presenter is not None:
                self.presenter.show_error(getattr(exc, "user_message", None) or str(exc))
            return None
        return self._present(session)

    def choose_another(self) -> None:
        self.session = None
        self._replace("debrief_view", None)
        self._replace("presenter", None)
        self._new_chooser()  # fresh, so the run counts are current

    def _new_chooser(self) -> None:
        chooser = ScenarioChooser(self.workspace)
        chooser.start_requested.connect(self.start)
        chooser.resume_requested.connect(self.resume)
        chooser.switch_requested.connect(self.switch_requested)
        old, self.chooser = self.chooser, chooser
        self.stack.addWidget(chooser)
        self.stack.setCurrentWidget(chooser)
        first = next((card.continue_button for card in chooser.continue_cards.values()
                      if card.continue_button.isEnabled()), None)
        if first is not None:  # after a restart, Enter continues the most recent session
            first.setFocus()
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
