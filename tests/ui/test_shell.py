"""The application shell: start-up, marking, first-run profile, navigation, shortcuts, remembered layout,
errors in plain words, workers and the theme."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QRadioButton

from app.services import CHECKLISTS_DIR, ServiceError, Workspace
from app.store.errors import StoreBusy, StoreCorrupt, StoreReadOnly
from app.ui import theme, workers
from app.ui.errors import ProblemsBanner, describe, problems_summary, show_error
from app.ui.main import run_app
from app.ui.main_window import MainWindow
from app.ui.marking import MarkingBar
from app.ui.profile_dialog import ProfileDialog
from conftest import CASE_BORN, PROFILE, case_id


# -- marking ---------------------------------------------------------------------------------------------

def test_every_window_is_marked_official_sensitive(qtbot, window):
    bar = window.findChild(MarkingBar)
    assert bar.isVisible()
    assert bar.marking_label.text() == "OFFICIAL-SENSITIVE"
    assert not bar.training_label.isVisible()
    editor = window.new_case()
    assert editor.findChild(MarkingBar).text() == "OFFICIAL-SENSITIVE"


def test_training_workspace_is_unmistakable(qtbot, training_ws, ui_settings):
    win = MainWindow(training_ws, ui_settings)
    qtbot.addWidget(win)
    win.show()
    bar = win.findChild(MarkingBar)
    assert bar.training_label.isVisible()
    assert bar.training_label.text() == "TRAINING — fictional data"
    assert bar.property("training") == "true"
    assert "TRAINING" in win.windowTitle()
    assert win.folder_label.text().startswith("Training records (fictional):")
    assert theme.COLOURS["training"] in theme.stylesheet()


# -- first run -------------------------------------------------------------------------------------------

def test_first_run_asks_who_you_are_and_remembers_it(qtbot, blank_ws):
    assert blank_ws.profile is None
    dialog = ProfileDialog(blank_ws)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Welcome"
    assert dialog.save_button.text() == "Save and continue"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "Enter your name, as it should appear on records and reviews."
    assert blank_ws.profile is None
    qtbot.keyClicks(dialog.name_edit, "Jo Okafor")
    assert not dialog.name_error.isVisible()
    supervisor = dialog.role_buttons["supervisor"]
    qtbot.mouseClick(supervisor, Qt.MouseButton.LeftButton, pos=QPoint(8, supervisor.height() // 2))
    assert supervisor.isChecked()
    qtbot.keyClicks(dialog.team_edit, "Health Visiting West")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.team_edit, Qt.Key.Key_Return)
    assert blank_ws.profile["name"] == "Jo Okafor"
    assert blank_ws.profile["role"] == "supervisor"
    assert blank_ws.profile["team"] == "Health Visiting West"


def test_profile_dialog_inputs_have_accessible_names(qtbot, ws):
    dialog = ProfileDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == PROFILE["name"]
    assert dialog.role_buttons["practitioner"].isChecked()
    for widget in dialog.findChildren(QLineEdit) + dialog.findChildren(QRadioButton):
        assert widget.accessibleName(), widget


def test_changing_your_details_updates_the_navigation(qtbot, window, ws):
    dialog = window.edit_profile()
    dialog.team_edit.clear()
    qtbot.keyClicks(dialog.team_edit, "Family Nurse Partnership")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.profile_detail.text() == "Practitioner, Family Nurse Partnership"
    assert window.saved_label.text().startswith("Your details saved at")


# -- start-up --------------------------------------------------------------------------------------------

def test_run_app_opens_the_window_on_the_data_folder_and_closes_cleanly(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    ws = Workspace.open(data_dir=data)
    ws.save_profile(**PROFILE)
    ws.close()
    monkeypatch.setenv("SPC_SETTINGS_FILE", str(tmp_path / "settings.ini"))
    seen: dict[str, str] = {}

    def close_window() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        if not shown:
            return
        poll.stop()
        seen["windows"] = [type(w).__name__ for w in shown]  # the main window, with no start window before it
        window = shown[0]
        seen["folder"] = window.folder_label.text()
        seen["title"] = window.windowTitle()
        window.close()

    poll = QTimer()
    poll.timeout.connect(close_window)
    poll.start(10)
    assert run_app(["--data-dir", str(data)]) == 0
    assert seen["windows"] == ["MainWindow"]
    assert seen["folder"] == f"Records: {data}"
    assert seen["title"] == "Safeguarding Practice Checklists"
    assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value("main/geometry") is not None


def test_run_app_explains_a_damaged_records_file_and_offers_the_backup(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    ws = Workspace.open(data_dir=data)
    ws.save_profile(**PROFILE)
    backup = ws.store.backup_now()
    ws.close()
    (data / "records.db").write_bytes(b"this is not a database" * 100)
    seen: dict[str, object] = {}

    def read_box() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()),
                   None)
        if box is None:
            return
        poll.stop()
        seen["title"] = box.windowTitle()
        seen["text"] = box.informativeText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.close()

    poll = QTimer()
    poll.timeout.connect(read_box)
    poll.start(10)
    assert run_app(["--data-dir", str(data)]) == 1
    assert seen["title"] == "The records file is damaged"
    assert "The app cannot open your records." in seen["text"]
    assert str(backup) in seen["text"]
    assert "Show the backup" in seen["buttons"]


def _records_damaged_past_the_schema(data: Path) -> bytes:
    """A records folder with a profile, many cases and a backup, then the last pages of the file scribbled
    over: the header and schema still read, so only the full (background) check finds the damage."""
    import random

    ws = Workspace.open(data_dir=data)
    ws.save_profile(**PROFILE)
    for i in range(150):
        ws.store.create_case({"reference": f"D-{i}", "child_name": f"Child {i}", "household": [
            {"name": f"Parent {i}", "relationship": "mother", "notes": "x" * 200}]}, by="Sam Patel")
    ws.store.backup_now()
    ws.close()
    path = data / "records.db"
    original = path.read_bytes()
    damaged = original[: len(original) - 10 * 4096] + random.Random(3).randbytes(10 * 4096)
    path.write_bytes(damaged)
    return damaged


def test_a_damage_found_by_the_background_check_makes_the_window_read_only_explains_and_closes(
        qtbot, tmp_path, ui_settings):
    data = tmp_path / "data"
    damaged = _records_damaged_past_the_schema(data)
    ws = Workspace.open(data_dir=data, check_integrity="when_started")  # as the app opens its records
    try:
        win = MainWindow(ws, ui_settings)
        qtbot.addWidget(win)
        qtbot.wait(300)
        assert not ws.store.check_finished  # the check waits until the window is on screen
        with qtbot.waitSignal(win.integrity_checked, timeout=10000) as checked:
            win.show()
        assert isinstance(checked.args[0], StoreCorrupt) and win.records_error is checked.args[0]
        box = win.records_error_box
        assert box.isVisible() and box.windowTitle() == "The records file is damaged"
        assert "will close" in box.informativeText() and "backups" in box.informativeText()
        assert not win.centralWidget().isEnabled() and not win.new_case_action.isEnabled()
        assert win.quit_action.isEnabled()
        with pytest.raises(StoreCorrupt):
            ws.create_case({"reference": "NEW-1", "child_name": "New"})
        box.done(0)
        qtbot.waitUntil(lambda: not win.isVisible())
    finally:
        ws.close()
    assert (data / "records.db").read_bytes() == damaged


def test_a_healthy_file_checked_in_the_background_leaves_the_window_usable(qtbot, tmp_path, ui_settings):
    data = tmp_path / "data"
    Workspace.open(data_dir=data).close()
    ws = Workspace.open(data_dir=data, check_integrity="background")
    try:
        ws.save_profile(**PROFILE)  # a write: waits for the check, then goes ahead
        win = MainWindow(ws, ui_settings)
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.integrity_checked, timeout=10000) as checked:
            win.show()
        assert checked.args == [None]
        assert win.records_error is None and win.centralWidget().isEnabled() and win.new_case_action.isEnabled()
    finally:
        ws.close()


def test_run_app_opens_at_once_then_closes_without_changing_a_file_the_background_check_finds_damaged(
        qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data"
    damaged = _records_damaged_past_the_schema(data)
    monkeypatch.setenv("SPC_SETTINGS_FILE", str(tmp_path / "settings.ini"))
    seen: dict[str, object] = {}

    def read_box() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
                      None)
        box = window.records_error_box if window is not None else None
        if box is None or not box.isVisible():
            return
        seen["other boxes"] = [b.windowTitle() for b in QApplication.topLevelWidgets()
                               if isinstance(b, QMessageBox) and b.isVisible() and b is not box]
        poll.stop()
        seen["title"] = box.windowTitle()
        seen["text"] = box.informativeText()
        box.done(0)

    poll = QTimer()
    poll.timeout.connect(read_box)
    poll.start(10)
    assert run_app(["--data-dir", str(data)]) == 1
    assert seen["title"] == "The records file is damaged"
    assert "will close" in seen["text"] and "has not been changed" in seen["text"]
    assert seen["other boxes"] == []
    assert (data / "records.db").read_bytes() == damaged


def test_checklist_files_left_out_are_named_and_the_app_still_starts(qtbot, tmp_path, ui_settings):
    folder = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS_DIR, folder)
    broken = folder / "was-not-brought.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sections:", "sectoins:", 1), encoding="utf-8")
    ws = Workspace.open(data_dir=tmp_path / "data", checklists_dir=folder)
    try:
        ws.save_profile(**PROFILE)
        assert "was-not-brought" not in ws.catalog.checklists and ws.catalog.checklists
        win = MainWindow(ws, ui_settings)
        qtbot.addWidget(win)
        win.show()
        banner = win.findChild(ProblemsBanner)
        assert banner.isVisible()
        assert "was-not-brought.yaml" in banner.label.text()
        assert "left out because of mistakes in the file" in banner.label.text()
        assert "The other checklists can be used as normal." in banner.label.text()
        box = banner.show_details()
        assert "was-not-brought.yaml" in box.informativeText()
        assert "python main.py validate" in box.informativeText()
        box.close()
        qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
        assert not banner.isVisible()
    finally:
        ws.close()


def test_the_window_shows_before_the_checklists_are_read_and_names_files_left_out_once_they_are(
        qtbot, tmp_path, ui_settings):
    folder = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS_DIR, folder)
    broken = folder / "was-not-brought.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sections:", "sectoins:", 1), encoding="utf-8")
    ws = Workspace.open(data_dir=tmp_path / "data", checklists_dir=folder)
    try:
        ws.save_profile(**PROFILE)
        win = MainWindow(ws, ui_settings)
        qtbot.addWidget(win)
        assert not ws.catalog_loaded and win.findChild(ProblemsBanner) is None
        with qtbot.waitSignal(win.catalog_ready, timeout=10000):
            win.show()
        assert ws.catalog_loaded
        banner = win.findChild(ProblemsBanner)
        assert banner is not None and banner.isVisible()
        assert "was-not-brought.yaml" in banner.label.text()
        assert win.warm_up_catalog() is None  # read once only
    finally:
        ws.close()


def test_problems_summary_names_several_files_in_plain_words():
    class P:
        def __init__(self, file: str, line: int, message: str):
            self.file, self.line, self.message = file, line, message

    text = problems_summary([P("checklists/a.yaml", 3, "x"), P("checklists/b.yaml", 9, "y"), P("checklists/a.yaml", 5, "z")])
    assert text.startswith("The checklist files a.yaml and b.yaml were left out because of mistakes in the files.")


# -- navigation and keyboard ----------------------------------------------------------------------------

def test_start_up_imports_only_what_the_first_window_needs():
    import subprocess
    import sys

    later = ("app.catalog", "app.domain", "app.ui.review", "app.ui.assurance", "app.ui.training",
             "app.ui.walkthrough", "app.ui.cases.case_editor", "app.ui.cases.case_page",
             "app.ui.cases.my_checklists", "app.store.exchange", "pydantic", "lark", "ruamel", "reportlab")
    code = ("import sys, app.ui.main, app.services, app.ui.main_window; "
            f"print(' '.join(sorted(m for m in sys.modules if m.startswith({later!r}))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_a_page_not_shown_first_is_built_when_it_is_first_shown(qtbot, window):
    assert "my_checklists" not in window.pages
    window.show_page("my_checklists")
    assert window.stack.currentWidget() is window.pages["my_checklists"] is window.my_checklists


def test_navigation_lists_the_sections_and_switches_pages(qtbot, window):
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Cases", "My checklists"]
    assert window.stack.currentWidget() is window.case_list
    rect = window.nav.visualItemRect(window.nav_items["my_checklists"])
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.my_checklists


def test_later_sections_can_be_added_with_a_shortcut(qtbot, window):
    from PySide6.QtWidgets import QLabel

    page = QLabel("Review queue")
    window.add_page("review", "Review queue", "review", page)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is page
    assert window.current_page_key() == "review"


def test_keyboard_shortcuts_for_search_new_case_and_sections(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.my_checklists
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.case_list
    assert window.focusWidget() is window.case_list.search_edit
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    window.editor.reject()


def test_opening_a_case_then_going_back_by_keyboard(qtbot, window, ws):
    window.open_case(case_id(ws, CASE_BORN))
    assert window.stack.currentWidget() is window.case_page
    assert window.nav.currentItem() is window.nav_items["cases"]
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.case_page.editor is not None and window.case_page.editor.isVisible())
    window.case_page.editor.reject()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.case_list
    assert window.case_page is None


def test_tab_order_on_the_case_list_goes_search_table_open_new(qtbot, window):
    view = window.case_list
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.search_edit.setFocus()
    view.table.selectRow(0)  # so Open is enabled and takes part in the order
    seen = []
    for _ in range(3):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
    assert seen == [view.table, view.open_button, view.new_button]


# -- the walk-through in the central area ---------------------------------------------------------------

def test_submitting_a_checklist_returns_and_says_so(qtbot, window, ws):
    case = case_id(ws, CASE_BORN)
    run_id = ws.start_run(case, "was-not-brought")
    window.open_case(case)
    view = window.open_run(run_id)
    assert window.stack.currentWidget() is view
    view.submitted.emit(run_id)
    qtbot.waitUntil(lambda: window.walkthrough is None)
    assert window.stack.currentWidget() is window.case_page
    assert window.saved_label.text().startswith("Checklist submitted for review at")


# -- remembered layout ----------------------------------------------------------------------------------

def test_window_size_and_splitters_are_remembered(qtbot, ws, ui_settings):
    first = MainWindow(ws, ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 700)  # within the 800 x 800 offscreen screen
    first.splitter.setSizes([260, 500])
    first.open_case(case_id(ws, CASE_BORN))
    first.case_page.splitter.setSizes([500, 500])
    details_width = first.case_page.splitter.sizes()[0]
    first.close()
    second = MainWindow(ws, ui_settings)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 700)
    assert second.splitter.sizes()[0] == 260
    second.open_case(case_id(ws, CASE_BORN))
    assert second.case_page.splitter.sizes()[0] == details_width


# -- errors ---------------------------------------------------------------------------------------------

def test_store_errors_are_explained_with_their_own_words(tmp_path):
    busy = describe(StoreBusy("The records file x is being used by another copy of the app."))
    assert busy.title == "The records are in use by another program"
    assert busy.message.startswith("The records file x is being used")
    read_only = describe(StoreReadOnly("The records in x cannot be changed because the folder is read-only."),
                         "The case has not been saved.")
    assert read_only.message.startswith("The case has not been saved.\n\nThe records in x")
    corrupt = describe(StoreCorrupt("The records file is damaged.", tmp_path / "records.db",
                                    tmp_path / "backups" / "records-1.db"))
    assert corrupt.backup == tmp_path / "backups" / "records-1.db" and corrupt.severe
    refused = describe(ServiceError("Say who took, or will take, the action."))
    assert refused.title == "This cannot be done yet" and refused.message == "Say who took, or will take, the action."


def test_an_unexpected_error_never_shows_its_internal_text(qtbot):
    typed = "Mum says partner hit her"  # could be anything typed about a family
    info = describe(RuntimeError(typed))
    assert typed not in info.message
    assert "RuntimeError" in info.message and "Anything already saved is safe" in info.message


def test_show_error_offers_the_backup_of_a_damaged_file(qtbot, tmp_path):
    backup = tmp_path / "backups" / "records-20260101-090000.db"
    box = show_error(None, StoreCorrupt(f"The records file is damaged. The latest good backup is {backup}.",
                                        tmp_path / "records.db", backup))
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert "Show the backup" in texts and "Copy the backup's location" in texts
    copy = next(b for b in box.buttons() if b.text() == "Copy the backup's location")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(backup)


# -- workers --------------------------------------------------------------------------------------------

def test_work_runs_off_the_gui_thread_and_reports_back_on_it(qtbot):
    from PySide6.QtCore import QThread

    gui_thread = QApplication.instance().thread()
    seen: dict[str, object] = {}

    def slow(a: int, b: int, progress) -> int:
        seen["worker_is_gui"] = QThread.currentThread() is gui_thread
        progress(1, 1)
        return a + b

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_is_gui"] = QThread.currentThread() is gui_thread

    workers.run_task(slow, 2, 3, with_progress=True, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen == {"worker_is_gui": False, "result": 5, "done_is_gui": True}
    qtbot.waitUntil(lambda: workers.running() == 0)


def test_a_failing_task_hands_its_exception_to_the_gui(qtbot):
    def fails() -> None:
        raise StoreBusy("The records file is in use.")

    errors: list[BaseException] = []
    results: list[object] = []
    workers.run_task(fails, on_done=results.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], StoreBusy) and results == []
    qtbot.waitUntil(lambda: workers.running() == 0)


def test_garbage_is_never_collected_on_a_pool_thread_while_tasks_run(qtbot):
    import gc
    import threading

    release = threading.Event()
    seen: dict[str, bool] = {}

    def wait_then_report() -> bool:
        seen["gc_on_in_worker"] = gc.isenabled()
        release.wait(5)
        return True

    assert gc.isenabled()
    workers.run_task(wait_then_report, on_done=lambda _r: seen.setdefault("done", True))
    qtbot.waitUntil(lambda: "gc_on_in_worker" in seen)
    assert not gc.isenabled()
    release.set()
    qtbot.waitUntil(lambda: workers.running() == 0)
    assert seen == {"gc_on_in_worker": False, "done": True}
    assert gc.isenabled()


# -- theme ----------------------------------------------------------------------------------------------

def test_style_sheet_never_fixes_font_sizes_in_pixels_and_follows_the_system_font():
    text = (theme.STYLES / "app.qss").read_text(encoding="utf-8")
    assert not re.search(r"font-size:\s*\d+(\.\d+)?px", text)
    small = QFont()
    small.setPointSizeF(9)
    large = QFont()
    large.setPointSizeF(18)
    assert "font-size: 14.4pt" in theme.stylesheet(small)  # the title, 1.6 times the system font
    assert "font-size: 28.8pt" in theme.stylesheet(large)
    assert "{" + "pt:" not in theme.stylesheet(small)


@pytest.mark.parametrize("name", sorted(p.stem for p in theme.ICONS.glob("*.svg")))
def test_every_icon_draws(qtbot, name):
    assert not theme.icon(name).pixmap(24, 24).isNull()


def test_status_bar_names_the_data_folder(qtbot, window, ws):
    assert window.folder_label.text() == f"Records: {Path(ws.store.path).parent}"
    assert window.saved_label.text() == "All changes saved"


def test_f1_lists_the_keyboard_shortcuts_including_the_pdf(qtbot, window):
    box = window.show_shortcuts()
    qtbot.waitUntil(box.isVisible)
    assert "Ctrl+P" in box.text() and "PDF of the open checklist or case" in box.text()
    assert "Ctrl+PgDn" in box.text()
    box.close()
