"""The main window: the marking bar, navigation on the left, the page in the middle, the status bar.

Pages are added with `add_page(key, title, icon, widget)`, so later parts of the app (review queue,
training) add themselves without changing this file's layout; `widget` may be a function that builds
the page the first time it is shown. Only the case list is built (and only its modules imported) before
the window is shown. A case's page and a checklist walk-through open in the same central area; the
navigation stays where it was.

Background work waits until the window has been painted (or a moment after it was shown, whichever
comes first), so nothing competes with the first paint. Then `warm_up_catalog` reads the checklist files
on a worker thread and a banner names any file left out (`catalog_ready` is emitted); and when the records
were opened with the store's full integrity check deferred, the check is started and
`watch_integrity_check` waits for it on a worker thread; a damaged file makes the window read-only, is
explained, and the window closes (`integrity_checked` is emitted either way).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import ServiceError
from app.store.errors import StoreError
from app.ui import theme, workers
from app.ui.cases import words
from app.ui.cases.case_list_view import CaseListView
from app.ui.errors import ProblemsBanner, show_error
from app.ui.main import APPLICATION, ORGANISATION
from app.ui.marking import MarkingBar

if TYPE_CHECKING:  # imported when first used: only the case list is needed to show the window
    from PySide6.QtWidgets import QMessageBox

    from app.ui.cases.case_editor import CaseEditor
    from app.ui.cases.case_page import CasePage
    from app.ui.cases.my_checklists import MyChecklistsView
    from app.ui.profile_dialog import ProfileDialog

CASES, MY_CHECKLISTS = "cases", "my_checklists"
TRAINING = "training"
WARM_UP_AT_THE_LATEST_MS = 1000  # start the background work this long after showing, if no paint came first


def _short_path(path: Path) -> str:
    """A folder as people read it: inside their home folder, starting with ~."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def default_settings() -> QSettings:
    """The person's own settings (window size and layout) in the platform's usual place."""
    return QSettings(ORGANISATION, APPLICATION)


def file_settings(path: str | Path) -> QSettings:
    """Settings kept in an INI file (tests and benchmarks use one under their data folder)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """The application window for one workspace."""

    page_changed = Signal(str)
    catalog_ready = Signal()  # the checklists have been read (warmed up after the window was shown)
    integrity_checked = Signal(object)  # the background check of the records file ended: None, or its StoreError

    def __init__(self, ws: Any, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.settings = settings if settings is not None else default_settings()
        self.pages: dict[str, QWidget] = {}  # the pages built so far (see add_page)
        self._page_factories: dict[str, Callable[[], QWidget]] = {}
        self.nav_items: dict[str, QListWidgetItem] = {}
        self.case_page: CasePage | None = None
        self.walkthrough: QWidget | None = None
        self._return_to: QWidget | None = None
        self.editor: CaseEditor | None = None
        self.profile_dialog: ProfileDialog | None = None
        self.setObjectName("MainWindow")
        self.setWindowTitle(APPLICATION + (" — TRAINING" if ws.training else ""))
        self.setWindowIcon(theme.icon("app"))

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.marking = MarkingBar(bool(ws.training))
        outer.addWidget(self.marking)
        self._outer = outer
        self.problems_banner: ProblemsBanner | None = None
        self._catalog_task: workers.Task | None = None
        self._warm_up_scheduled = False
        self._integrity_task: workers.Task | None = None
        self.records_error: StoreError | None = None  # set when the background check found the file damaged
        self.records_error_box: QMessageBox | None = None
        if getattr(ws, "catalog_loaded", True):
            self._show_catalog_problems()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        outer.addWidget(self.splitter, 1)

        nav_panel = QWidget()
        nav_panel.setObjectName("NavProfile")
        nav_panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        nav_layout = QVBoxLayout(nav_panel)
        nav_layout.setContentsMargins(0, 0, 0, 0)
        nav_layout.setSpacing(0)
        brand = QWidget()
        brand_layout = QHBoxLayout(brand)
        brand_layout.setContentsMargins(14, 14, 12, 6)
        brand_icon = QLabel()
        brand_icon.setPixmap(theme.icon("app").pixmap(30, 30))
        brand_layout.addWidget(brand_icon, 0, Qt.AlignmentFlag.AlignTop)
        brand_name = QLabel("Safeguarding\nPractice Checklists")
        brand_name.setObjectName("AppName")
        brand_layout.addWidget(brand_name, 1)
        nav_layout.addWidget(brand)
        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setAccessibleName("Sections of the app")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(190)
        nav_layout.addWidget(self.nav, 1)
        profile_box = QWidget()
        profile_layout = QVBoxLayout(profile_box)
        profile_layout.setContentsMargins(16, 8, 12, 14)
        profile_layout.setSpacing(2)
        self.profile_name = QLabel()
        self.profile_name.setProperty("role", "subheading")
        self.profile_name.setWordWrap(True)
        self.profile_detail = QLabel()
        self.profile_detail.setProperty("role", "muted")
        self.profile_detail.setWordWrap(True)
        self.profile_button = QPushButton("Your details…")
        self.profile_button.setProperty("flat", "true")
        self.profile_button.setAccessibleName("Change your name, role or team")
        self.profile_button.clicked.connect(self.edit_profile)
        profile_layout.addWidget(self.profile_name)
        profile_layout.addWidget(self.profile_detail)
        profile_layout.addWidget(self.profile_button, 0, Qt.AlignmentFlag.AlignLeft)
        nav_layout.addWidget(profile_box)
        self.splitter.addWidget(nav_panel)

        self.stack = QStackedWidget()
        self.stack.setObjectName("CentralStack")
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1000])
        self.setCentralWidget(central)

        self.case_list = CaseListView(ws)
        self.case_list.open_requested.connect(self.open_case)
        self.case_list.new_requested.connect(self.new_case)
        self.add_page(CASES, "Cases", "cases", self.case_list)
        self.add_page(MY_CHECKLISTS, "My checklists", "checklist", self._build_my_checklists)
        if (ws.profile or {}).get("role") == "supervisor":  # review and partnership figures are for supervisors
            from app.ui.review import ReviewQueuePage  # imported only for supervisors

            self.review_queue = ReviewQueuePage(ws)
            self.review_queue.decided.connect(lambda _run_id: self._refresh_after_run())
            self.add_page("review_queue", "Review queue", "review", self.review_queue)
            from app.ui.assurance import AssurancePage  # imports the PDF layer: only for supervisors

            self.assurance_page = AssurancePage(ws)
            self.add_page("assurance", "Assurance", "info", self.assurance_page)
        self.owns_workspace = False  # a window opened by switch_workspace closes its workspace with it
        if ws.training or (ws.profile or {}).get("role") == "trainer":  # scenarios: trainers, and in training
            self.add_page(TRAINING, "Training", "training", self._build_training_page)
        self.nav.currentItemChanged.connect(self._nav_changed)

        self._build_status_bar()
        self._build_actions()
        self._show_profile()
        self.resize(1280, 820)
        self.restore_settings()
        self.nav.setCurrentItem(self.nav_items[CASES])
        self.case_list.search_edit.setFocus()

    # -- the checklists, read after the window is shown ----------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._warm_up_scheduled:
            # Reading the checklists is Python work that shares the interpreter lock with this thread, and the
            # integrity check reads the whole records file, so both start once the window has been painted
            # (or after a moment, whatever happens first).
            self._warm_up_scheduled = True
            self.marking.installEventFilter(self)
            QTimer.singleShot(WARM_UP_AT_THE_LATEST_MS, self.start_background_work)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.marking and event.type() == QEvent.Type.Paint:
            self.marking.removeEventFilter(self)
            QTimer.singleShot(0, self.start_background_work)
        return super().eventFilter(watched, event)

    def start_background_work(self) -> None:
        """Start the records' integrity check (if deferred) and the reading of the checklists; once only."""
        start_check = getattr(self.ws.store, "start_check", None)
        if start_check is not None:
            start_check()
        self.watch_integrity_check()
        self.warm_up_catalog()

    def warm_up_catalog(self) -> workers.Task | None:
        """Read the checklist files on a worker thread once the window is up, then name any left out.

        Anything that needs the checklists sooner (starting a checklist, opening a run) simply waits on
        `ws.catalog` for the load already under way. Returns the task, or None if there is nothing to do."""
        if self._catalog_task is not None or getattr(self.ws, "catalog_loaded", True):
            return None
        self._catalog_task = workers.run_task(lambda: self.ws.catalog, on_done=self._catalog_ready,
                                              on_error=self._catalog_failed)
        return self._catalog_task

    def _catalog_ready(self, _catalog: object) -> None:
        self._show_catalog_problems()
        self.catalog_ready.emit()

    def _catalog_failed(self, exc: BaseException) -> None:
        show_error(self, exc, "The checklist files could not be read, so no checklist can be started.")

    def _show_catalog_problems(self) -> None:
        """A banner under the marking bar naming checklist files left out because of mistakes in them."""
        if self.problems_banner is not None:
            return
        problems = list(getattr(self.ws.catalog, "problems", []) or [])
        if not problems:
            return
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(12, 8, 12, 0)
        self.problems_banner = ProblemsBanner(problems)
        self.problems_banner.dismissed.connect(holder.hide)
        holder_layout.addWidget(self.problems_banner)
        self._outer.insertWidget(1, holder)  # just under the marking bar
        holder.setVisible(True)  # added to a window that may already be shown

    # -- the records file's integrity check, finishing in the background ----------------------------
    def watch_integrity_check(self) -> workers.Task | None:
        """When the store was opened with its full check deferred, wait for it on a worker thread (at once if
        it has already finished, or was done before opening); if it found the file damaged, explain and close
        (see `records_unusable`). Returns the task, or None if already watched."""
        store = self.ws.store
        if self._integrity_task is not None or not hasattr(store, "wait_for_check"):
            return None
        self._integrity_task = workers.run_task(store.wait_for_check, on_done=self._integrity_checked,
                                                on_error=self._integrity_checked)
        return self._integrity_task

    def _integrity_checked(self, error: BaseException | None) -> None:
        if error is None:
            self._show_backup_problem()  # the day's backup is taken after the check
        else:
            self.records_unusable(error)
        self.integrity_checked.emit(error)

    def records_unusable(self, error: BaseException) -> QMessageBox:
        """The records file failed its check: nothing can be saved to it (the store refuses every write and
        leaves the file unchanged). Make the window read-only, explain (naming the latest good backup), and
        close the window once the explanation is dismissed."""
        from PySide6.QtWidgets import QMessageBox

        if isinstance(error, StoreError):
            self.records_error = error
        self.centralWidget().setEnabled(False)
        keep = {self.quit_action, self.shortcuts_action, self.about_action}
        for action in self.findChildren(QAction):
            if action not in keep and not action.menu():
                action.setEnabled(False)
        for earlier in self.findChildren(QMessageBox, "ErrorBox"):  # e.g. a list that met the damage first
            earlier.close()
        box = show_error(self, error, "The app cannot use your records and will close. Nothing has been changed.")
        box.finished.connect(self.close)
        self.records_error_box = box
        return box

    # -- pages --------------------------------------------------------------------------------------
    def add_page(self, key: str, title: str, icon_name: str,
                 widget: QWidget | Callable[[], QWidget]) -> QListWidgetItem:
        """Add a section to the navigation (with a Ctrl+<number> shortcut in the Go menu).

        `widget` may be a function that builds the page: it is then built the first time the page is shown
        (or `page(key)` is called), so pages not shown first cost nothing at start-up."""
        if isinstance(widget, QWidget):
            self._install_page(key, widget)
        else:
            self._page_factories[key] = widget
        item = QListWidgetItem(theme.icon(icon_name), title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.nav.addItem(item)
        self.nav_items[key] = item
        if hasattr(self, "go_menu"):
            self._add_go_action(key, title)
        return item

    def _install_page(self, key: str, widget: QWidget) -> None:
        self.pages[key] = widget
        self.stack.addWidget(widget)

    def page(self, key: str) -> QWidget:
        """The page for `key`, built now if it has not been shown yet."""
        if key not in self.pages:
            self._install_page(key, self._page_factories.pop(key)())
        return self.pages[key]

    def _build_my_checklists(self) -> QWidget:
        from app.ui.cases.my_checklists import MyChecklistsView

        view = MyChecklistsView(self.ws)
        view.open_run_requested.connect(self.open_run)
        return view

    @property
    def my_checklists(self) -> MyChecklistsView:
        """The My checklists page (built on first use)."""
        return self.page(MY_CHECKLISTS)  # type: ignore[return-value]

    def _refresh_my_checklists(self) -> None:
        if MY_CHECKLISTS in self.pages:  # a page not built yet reads fresh when it is
            self.my_checklists.refresh()

    # -- trainer mode: the Training page and the switch between workspaces ---------------------------
    def _build_training_page(self) -> QWidget:
        from app.ui.training import TrainingPage

        page = TrainingPage(self.ws)
        page.switch_requested.connect(self.switch_workspace)
        return page

    def switch_workspace(self) -> "MainWindow | None":
        """Open the other workspace (training, or the real records) in a new window and close this one.
        Nothing moves between them; the training window opens on the Training page."""
        from app.services import Workspace

        try:
            other = Workspace.open(self.ws.data_dir, training=not self.ws.training,
                                   checklists_dir=getattr(self.ws, "checklists_dir", None))
        except StoreError as exc:
            show_error(self, exc, "The other workspace could not be opened.")
            return None
        window = MainWindow(other, self.settings)
        window.owns_workspace = True
        if other.training:
            window.show_page(TRAINING)
        window.show()
        self.switched_to = window
        self.close()
        return window

    def show_page(self, key: str) -> None:
        """Show a section (closing any case page or walk-through in the central area)."""
        item = self.nav_items[key]
        if self.nav.currentItem() is item:
            self._nav_changed(item, None)
        else:
            self.nav.setCurrentItem(item)

    def current_page_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _nav_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        key = current.data(Qt.ItemDataRole.UserRole)
        self._close_walkthrough()
        self._close_case_page()
        built = key in self.pages
        page = self.page(key)
        if built and hasattr(page, "refresh") and key == MY_CHECKLISTS:
            page.refresh()
        self.stack.setCurrentWidget(page)
        self.page_changed.emit(key)

    # -- cases --------------------------------------------------------------------------------------
    def new_case(self) -> CaseEditor:
        """Open the New case dialog; once saved, the case's page opens."""
        from app.ui.cases.case_editor import CaseEditor

        self.editor = CaseEditor(self.ws, None, self)
        self.editor.saved.connect(self._case_created)
        self.editor.open()
        return self.editor

    def _case_created(self, case_id: int) -> None:
        self.mark_saved("Case saved")
        self.case_list.refresh(select_case_id=case_id)
        self.open_case(case_id)

    def open_case(self, case_id: int) -> CasePage | None:
        """Show a case's page in the central area."""
        from app.ui.cases.case_page import CasePage

        try:
            page = CasePage(self.ws, case_id)
        except StoreError as exc:
            show_error(self, exc, "The case could not be opened.")
            return None
        self._close_walkthrough()
        self._close_case_page()
        if self.nav.currentItem() is not self.nav_items[CASES]:
            self.nav.blockSignals(True)
            self.nav.setCurrentItem(self.nav_items[CASES])
            self.nav.blockSignals(False)
        self.case_page = page
        page.back_requested.connect(self.back_to_cases)
        page.open_run_requested.connect(self.open_run)
        page.case_changed.connect(self._case_changed)
        state = self.settings.value("case_page/splitter")
        if isinstance(state, QByteArray):
            page.splitter.restoreState(state)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.setFocus()
        self.edit_case_action.setEnabled(True)
        return page

    def back_to_cases(self) -> None:
        self.show_page(CASES)
        self.case_list.table.setFocus()

    def _case_changed(self, case_id: int) -> None:
        self.mark_saved("Case saved")
        self.case_list.refresh(select_case_id=case_id)

    def _close_case_page(self) -> None:
        page = self.case_page
        if page is None:
            return
        self.settings.setValue("case_page/splitter", page.splitter.saveState())
        self.case_page = None
        self.stack.removeWidget(page)
        page.deleteLater()
        self.edit_case_action.setEnabled(False)

    # -- checklist runs -----------------------------------------------------------------------------
    def open_run(self, run_id: int) -> QWidget | None:
        """Open a checklist run in the walk-through, in the central area."""
        try:
            session = self.ws.open_run(run_id)
        except (StoreError, ServiceError) as exc:
            show_error(self, exc, "The checklist could not be opened.")
            return None
        from app.ui.walkthrough import WalkthroughView  # imported on first use: keeps start-up quick

        self._close_walkthrough()
        self._return_to = self.stack.currentWidget()
        view = WalkthroughView(session, self)
        view.closed.connect(self._walkthrough_closed)
        view.submitted.connect(self._walkthrough_submitted)
        self.walkthrough = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        view.setFocus()
        return view

    def _close_walkthrough(self) -> None:
        view = self.walkthrough
        if view is None:
            return
        self.walkthrough = None
        self.stack.removeWidget(view)
        view.deleteLater()

    def _walkthrough_closed(self) -> None:
        back = self._return_to
        self._close_walkthrough()
        self._refresh_after_run()
        if back is not None and self.stack.indexOf(back) >= 0:
            self.stack.setCurrentWidget(back)
        else:
            self.show_page(CASES)

    def _walkthrough_submitted(self, run_id: int) -> None:
        self.mark_saved("Checklist submitted for review")
        self._walkthrough_closed()

    def _refresh_after_run(self) -> None:
        if self.case_page is not None:
            self.case_page.refresh()
        self._refresh_my_checklists()
        self.case_list.refresh()

    # -- profile ------------------------------------------------------------------------------------
    def _show_profile(self) -> None:
        profile = self.ws.profile or {}
        self.profile_name.setText(profile.get("name") or "No name set")
        detail = words.label(words.ROLE_LABELS, profile.get("role"), empty="")
        if profile.get("team"):
            detail = f"{detail}, {profile['team']}" if detail else profile["team"]
        self.profile_detail.setText(detail)
        self.profile_detail.setVisible(bool(detail))

    def edit_profile(self) -> ProfileDialog:
        from app.ui.profile_dialog import ProfileDialog

        self.profile_dialog = ProfileDialog(self.ws, self, first_run=False)
        self.profile_dialog.saved.connect(lambda _p: (self._show_profile(), self._refresh_my_checklists(),
                                                      self.mark_saved("Your details saved")))
        self.profile_dialog.open()
        return self.profile_dialog

    # -- status bar ---------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        store_path = Path(str(getattr(self.ws.store, "path", "") or ""))
        self.folder_label = QLabel()
        self.folder_label.setObjectName("FolderLabel")
        kind = "Training records (fictional)" if self.ws.training else "Records"
        self.folder_label.setText(f"{kind}: {_short_path(store_path.parent if store_path.name else store_path)}")
        self.folder_label.setToolTip(f"The records file: {store_path}")
        self.folder_label.setAccessibleName("Where the records are kept")
        bar.addWidget(self.folder_label, 1)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("BackupLabel")
        self._show_backup_problem()
        bar.addPermanentWidget(self.backup_label)
        self.saved_label = QLabel("All changes saved")
        self.saved_label.setObjectName("SavedLabel")
        self.saved_label.setAccessibleName("Save status")
        bar.addPermanentWidget(self.saved_label)

    def _show_backup_problem(self) -> None:
        problem = getattr(self.ws.store, "backup_problem", None)
        if problem:
            self.backup_label.setText(f"Today's backup was not made: {problem}")
            self.backup_label.setToolTip(problem)
        self.backup_label.setVisible(bool(problem))

    def mark_saved(self, what: str = "Saved") -> None:
        """Show in the status bar that a change was saved, and when."""
        self.saved_label.setProperty("state", "ok")
        self.saved_label.setText(f"{what} at {QTime.currentTime().toString('HH:mm')}")
        self.saved_label.style().unpolish(self.saved_label)
        self.saved_label.style().polish(self.saved_label)

    # -- menus and shortcuts ------------------------------------------------------------------------
    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Any, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        case_menu = menu.addMenu("&Case")
        self.new_case_action = self._action("&New case…", QKeySequence.StandardKey.New, self.new_case,
                                            "Add a case")
        self.find_case_action = self._action("&Find a case", QKeySequence.StandardKey.Find, self.find_case,
                                             "Search cases by reference or child's name")
        self.edit_case_action = self._action("&Edit this case…", "Ctrl+E", self._edit_current_case,
                                             "Edit the open case's details")
        self.edit_case_action.setEnabled(False)
        self.start_checklist_action = self._action("&Start a checklist…", "Ctrl+Shift+N", self._start_checklist,
                                                   "Choose a checklist to start on the open case")
        self.back_action = self._action("&Back to all cases", QKeySequence.StandardKey.Back, self.back_to_cases)
        self.refresh_action = self._action("&Refresh", QKeySequence.StandardKey.Refresh, self.refresh)
        self.profile_action = self._action("Your &details…", None, self.edit_profile)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.switch_action = self._action(
            "Switch to &real records" if self.ws.training else "Switch to &training workspace", None,
            self.switch_workspace, "Training keeps its own fictional cases; nothing moves between the two")
        for action in (self.new_case_action, self.find_case_action, self.edit_case_action,
                       self.start_checklist_action, self.back_action):
            case_menu.addAction(action)
        case_menu.addSeparator()
        case_menu.addAction(self.refresh_action)
        case_menu.addAction(self.profile_action)
        case_menu.addAction(self.switch_action)
        case_menu.addSeparator()
        case_menu.addAction(self.quit_action)
        self.go_menu = menu.addMenu("&Go")
        for key, item in self.nav_items.items():
            self._add_go_action(key, item.text())
        help_menu = menu.addMenu("&Help")
        self.shortcuts_action = self._action("&Keyboard shortcuts", "F1", self.show_shortcuts)
        self.about_action = self._action("&About", None, self.show_about)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _add_go_action(self, key: str, title: str) -> None:
        number = len(self.go_menu.actions()) + 1
        action = self._action(title, f"Ctrl+{number}" if number <= 9 else None, lambda: self.show_page(key))
        self.go_menu.addAction(action)

    def find_case(self) -> None:
        self.show_page(CASES)
        self.case_list.focus_search()

    def _edit_current_case(self) -> None:
        if self.case_page is not None and self.stack.currentWidget() is self.case_page:
            self.case_page.edit_case()

    def _start_checklist(self) -> None:
        if self.case_page is not None and self.stack.currentWidget() is self.case_page:
            button = self.case_page.start_button
            button.setFocus()
            button.showMenu()
        else:
            self.statusBar().showMessage("Open a case first, then start a checklist on it.", 6000)

    def refresh(self) -> None:
        """Read everything shown again (another copy of the app may have changed the records)."""
        try:
            self.case_list.refresh()
            self._refresh_my_checklists()
            if self.case_page is not None:
                self.case_page.refresh()
        except StoreError as exc:
            show_error(self, exc)

    def show_shortcuts(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        rows = [
            ("Ctrl+N", "New case"), ("Ctrl+F", "Find a case"), ("Ctrl+E", "Edit the open case"),
            ("Ctrl+Shift+N", "Start a checklist on the open case"), ("Alt+Left", "Back to all cases"),
            ("Ctrl+1, Ctrl+2 …", "Go to a section"), ("F5", "Refresh"), ("Enter", "Open the selected row"),
            ("Enter", "In a checklist: next step (a new line inside a text answer)"),
            ("Ctrl+PgDn, Ctrl+PgUp", "In a checklist: next or previous step"),
            ("Ctrl+P", "PDF of the open checklist or case: preview, save or print"),
        ]
        text = "<table cellpadding='4'>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) \
            + "</table>"
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", text, QMessageBox.StandardButton.Close, self)
        box.open()
        return box

    def show_about(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.NoIcon, "About", (
            f"<b>{APPLICATION}</b><p>Checklists that carry the learning from Child Safeguarding Practice "
            "Reviews into everyday case planning. They support, and never replace, professional judgement "
            "and your local safeguarding procedures.</p>"), QMessageBox.StandardButton.Close, self)
        box.setIconPixmap(theme.icon("app").pixmap(48, 48))
        box.open()
        return box

    # -- remembering the layout ---------------------------------------------------------------------
    def restore_settings(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = self.settings.value("cases/header")
        if isinstance(header, QByteArray):
            self.case_list.table.horizontalHeader().restoreState(header)

    def save_settings(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.setValue("cases/header", self.case_list.table.horizontalHeader().saveState())
        if self.case_page is not None:
            self.settings.setValue("case_page/splitter", self.case_page.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.save_settings()
        workers.wait_for_all(30000)  # never leave a PDF half-written
        super().closeEvent(event)
        if self.owns_workspace and event.isAccepted():
            self.ws.close()


__all__ = ["MainWindow", "default_settings", "file_settings", "ORGANISATION", "APPLICATION"]
