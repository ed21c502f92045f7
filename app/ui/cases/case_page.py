"""One case: who the child is, the household and agencies, its checklists, and the risk picture over time."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.case_facts import MALE_CARERS
from app.services import ServiceError
from app.store.errors import StoreError
from app.ui import theme
from app.ui.cases import words
from app.ui.cases.case_editor import CaseEditor
from app.ui.cases.risk_view import RiskView
from app.ui.cases.run_list_model import RunListModel
from app.ui.errors import show_error

RUN_COLUMNS = ("checklist", "status", "practitioner", "flag", "changed")


def _label(text: str = "", role: str | None = None, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CasePage(QWidget):
    """The page for one case. Asks the main window to open a run (`open_run_requested`) or go back."""

    back_requested = Signal()
    open_run_requested = Signal(int)
    case_changed = Signal(int)

    def __init__(self, ws: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case_id = case_id
        self.case: dict[str, Any] = ws.store.get_case(case_id)
        self.editor: CaseEditor | None = None
        self.setObjectName("Page")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 16)
        layout.setSpacing(10)

        nav = QHBoxLayout()
        self.back_button = QPushButton(theme.icon("back"), "All cases")
        self.back_button.setProperty("flat", "true")
        self.back_button.setAccessibleName("Back to all cases")
        self.back_button.setToolTip("Back to the list of cases (Alt+Left)")
        self.back_button.clicked.connect(self.back_requested)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        layout.addLayout(nav)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title_label = _label(role="title", wrap=False)
        self.title_label.setObjectName("CaseTitle")
        self.subtitle_label = _label(role="muted")
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        header.addLayout(titles, 1)
        self.edit_button = QPushButton(theme.icon("edit"), "Edit details…")
        self.edit_button.setAccessibleName("Edit the case's details, household and agencies")
        self.edit_button.setToolTip("Edit the case (Ctrl+E)")
        self.edit_button.clicked.connect(self.edit_case)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.pdf_button = QPushButton(theme.icon("document"), "PDF…")
        self.pdf_button.setObjectName("CasePdf")
        self.pdf_button.setAccessibleName("Whole-case PDF: preview, then save, print or open it")
        self.pdf_button.setToolTip("Every checklist and flag on this case as one PDF: preview it, then save, "
                                   "print or open it (Ctrl+P)")
        self.pdf_button.clicked.connect(self.show_pdf)
        header.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        pdf_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        pdf_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pdf_shortcut.activated.connect(self.show_pdf)
        self.start_button = QToolButton()
        self.start_button.setText("Start checklist")
        self.start_button.setIcon(theme.icon("checklist", "#ffffff"))
        self.start_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.start_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.start_button.setProperty("primary", "true")
        self.start_button.setObjectName("StartChecklist")
        self.start_button.setAccessibleName("Start a checklist for this case")
        self.start_button.setToolTip("Choose a checklist to start (Ctrl+Shift+N)")
        self.start_menu = QMenu(self.start_button)
        self.start_menu.setObjectName("StartChecklistMenu")
        self.start_button.setMenu(self.start_menu)
        header.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("CaseSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.details = QWidget()
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        details_scroll.setMinimumWidth(260)
        self.details_layout = QVBoxLayout(self.details)
        self.details_layout.setContentsMargins(0, 0, 8, 0)
        self.details_layout.setSpacing(10)
        self.splitter.addWidget(details_scroll)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("CaseTabs")
        self.tabs.addTab(self._runs_tab(), theme.icon("checklist"), "Checklists")
        self.risk_view = RiskView(ws, case_id)
        self.tabs.addTab(self.risk_view, theme.icon("history"), "Risk over time")
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([330, 820])
        layout.addWidget(self.splitter, 1)

        self._build_start_menu()
        self._show_case()
        self._update_tab_titles()
        if self.runs_model.total:
            self.runs_table.selectRow(0)
            self.setFocusProxy(self.runs_table)
        else:
            self.setFocusProxy(self.start_button)

    # -- building -----------------------------------------------------------------------------------
    def _runs_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        self.runs_model = RunListModel(self.ws.store, RUN_COLUMNS, {"case_id": self.case_id}, parent=self)
        self.runs_table = QTableView()
        self.runs_table.setObjectName("RunTable")
        self.runs_table.setAccessibleName("Checklists on this case")
        self.runs_table.setModel(self.runs_model)
        self.runs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs_table.setAlternatingRowColors(True)
        self.runs_table.setShowGrid(False)
        self.runs_table.verticalHeader().hide()
        self.runs_table.setTabKeyNavigation(False)
        column, order = self.runs_model.sort_state()
        self.runs_table.horizontalHeader().setSortIndicator(column, order)
        self.runs_table.setSortingEnabled(True)
        header = self.runs_table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a case has a few runs
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.runs_table.setWordWrap(True)
        self.runs_table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.runs_table.installEventFilter(self)
        self.runs_empty = _label("No checklists on this case yet. Choose Start checklist to begin one.", "empty")
        self.runs_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.runs_table, 1)
        layout.addWidget(self.runs_empty, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_run_button = QPushButton(theme.icon("open"), "Open checklist")
        self.open_run_button.setAccessibleName("Open the selected checklist")
        self.open_run_button.setEnabled(False)
        self.open_run_button.clicked.connect(self.open_selected_run)
        buttons.addWidget(self.open_run_button)
        layout.addLayout(buttons)
        self.runs_table.selectionModel().selectionChanged.connect(self._run_selection_changed)
        self.runs_model.modelReset.connect(self._run_selection_changed)
        self.runs_model.totalChanged.connect(self._update_runs_empty)
        self.runs_model.loadFailed.connect(
            lambda exc: show_error(self, exc, "The checklists on this case could not be read."))
        self._update_runs_empty()
        self.runs_model.report_failure()
        return tab

    def _build_start_menu(self) -> None:
        self.start_menu.clear()
        self.start_actions: dict[str, QAction] = {}
        unborn = not self.case.get("date_of_birth") and bool(self.case.get("expected_delivery_date"))
        checklists = sorted(self.ws.catalog.checklists.values(), key=lambda c: c.title.casefold())
        if not checklists:
            action = self.start_menu.addAction("No checklists are available. Ask whoever looks after them.")
            action.setEnabled(False)
            return
        for checklist in checklists:
            action = self.start_menu.addAction(checklist.title)
            action.setToolTip(checklist.purpose.strip())
            action.setStatusTip(checklist.purpose.strip())
            fits = checklist.subject == "either" or (checklist.subject == "unborn") == unborn
            if not fits:
                action.setEnabled(False)
                action.setText(f"{checklist.title} ({'after the birth' if unborn else 'before the birth only'})")
            action.triggered.connect(lambda _checked=False, cid=checklist.id: self.start_checklist(cid))
            self.start_actions[checklist.id] = action

    def _clear_details(self) -> None:
        while self.details_layout.count():
            item = self.details_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _card(self, heading: str) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame()
        card.setProperty("role", "card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 12, 14, 14)
        layout.setSpacing(6)
        layout.addWidget(_label(heading, "heading"))
        self.details_layout.addWidget(card)
        return card, layout

    def _show_case(self) -> None:
        case = self.case
        today = self.ws.today()
        self.title_label.setText(f"{case['reference']} · {case['child_name']}")
        self.title_label.setAccessibleName(f"Case {case['reference']}, {case['child_name']}")
        plan = words.label(words.PLAN_LABELS, case.get("plan"), empty="No plan")
        self.subtitle_label.setText(
            f"{words.age_text(case.get('date_of_birth'), case.get('expected_delivery_date'), today)} · {plan}")
        self._clear_details()

        _card, child = self._card("The child")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        rows = []
        if case.get("date_of_birth"):
            rows.append(("Date of birth", words.format_date(case["date_of_birth"])))
            rows.append(("Mobility", words.label(words.MOBILITY_LABELS, case.get("mobility"))))
        else:
            rows.append(("Expected delivery", words.format_date(case.get("expected_delivery_date"), "Not recorded")))
        rows.append(("Plan", plan))
        rows.append(("Case opened", words.format_date(case.get("created_at"))))
        for index, (caption, value) in enumerate(rows):
            grid.addWidget(_label(caption, "fieldlabel", wrap=False), index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_label(value), index, 1)
        grid.setColumnStretch(1, 1)
        child.addLayout(grid)

        _card, household = self._card("Household and family")
        members = case.get("household") or []
        if not members:
            household.addWidget(_label("No one recorded.", "muted"))
        for member in members:
            relation = words.label(words.RELATIONSHIP_LABELS, member.get("relationship"))
            facts = [relation]
            if member.get("date_of_birth"):
                facts.append(f"born {words.format_date(member['date_of_birth'])}")
            facts.append("lives with the child" if member.get("lives_with_child") else "does not live with the child")
            household.addWidget(_label(f"<b>{_escape(member.get('name', ''))}</b><br>{_escape(', '.join(facts))}"))
        if not any(m.get("relationship") in MALE_CARERS for m in members):
            note = _label("No father, partner or male carer is recorded. Reviews keep finding men in a baby's "
                          "life who were never seen: ask, and record him.", "note")
            note.setObjectName("CaseNoMenNote")
            household.addWidget(note)

        _card, agencies = self._card("Agencies involved")
        if not case.get("agencies"):
            agencies.addWidget(_label("None recorded.", "muted"))
        for agency in case.get("agencies") or []:
            lines = [f"<b>{_escape(agency.get('name', ''))}</b>"]
            detail = ", ".join(p for p in (agency.get("role"), agency.get("contact")) if p)
            if detail:
                lines.append(_escape(detail))
            agencies.addWidget(_label("<br>".join(lines)))
        self.details_layout.addStretch(1)

    def _update_tab_titles(self) -> None:
        runs = self.runs_model.total
        self.tabs.setTabText(0, f"Checklists ({runs})")
        flags = self.risk_view.model.all_flags()
        current = sum(1 for f in flags if not f.get("cleared_at"))
        self.tabs.setTabText(1, f"Risk over time ({current} current)" if flags else "Risk over time")

    # -- actions ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the case, its runs and its flags again (after an edit, or on returning from a checklist)."""
        try:
            self.case = self.ws.store.get_case(self.case_id)
        except StoreError as exc:
            show_error(self, exc)
            return
        self._show_case()
        self._build_start_menu()
        self.runs_model.refresh()
        self.risk_view.refresh()
        self._update_tab_titles()

    def edit_case(self) -> CaseEditor:
        self.editor = CaseEditor(self.ws, self.case_id, self)
        self.editor.saved.connect(self._edited)
        self.editor.open()
        return self.editor

    def show_pdf(self) -> object:
        """Make the whole-case PDF off the screen's thread, then preview it (app.ui.report_preview)."""
        from app.ui.report_preview import show_case_report  # imported on first use: keeps start-up quick

        return show_case_report(self, self.ws, self.case["reference"])

    def _edited(self, case_id: int) -> None:
        self.refresh()
        self.case_changed.emit(case_id)

    def start_checklist(self, checklist_id: str) -> int | None:
        """Start a run of `checklist_id` on this case and ask for it to be opened."""
        try:
            run_id = self.ws.start_run(self.case_id, checklist_id)
        except (StoreError, ServiceError) as exc:
            show_error(self, exc, "The checklist was not started.")
            return None
        self.runs_model.refresh()
        self._update_tab_titles()
        self.case_changed.emit(self.case_id)
        self.open_run_requested.emit(run_id)
        return run_id

    def selected_run_id(self) -> int | None:
        rows = self.runs_table.selectionModel().selectedRows()
        return self.runs_model.run_id(rows[0].row()) if rows else None

    def open_selected_run(self) -> None:
        run_id = self.selected_run_id()
        if run_id is not None:
            self.open_run_requested.emit(run_id)

    def _open_row(self, row: int) -> None:
        run_id = self.runs_model.run_id(row)
        if run_id is not None:
            self.open_run_requested.emit(run_id)

    def _run_selection_changed(self, *_args: object) -> None:
        self.open_run_button.setEnabled(self.selected_run_id() is not None)

    def _update_runs_empty(self, *_args: object) -> None:
        has_runs = self.runs_model.total > 0
        self.runs_table.setVisible(has_runs)
        self.runs_empty.setVisible(not has_runs)
        self.open_run_button.setVisible(has_runs)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.runs_table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected_run()
            return True
        return super().eventFilter(watched, event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
