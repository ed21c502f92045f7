"""Starting the desktop app: `run_app(argv) -> int`.

Takes the same `--data-dir` and `--training` flags as the command line. A window appears at once
(marked, saying the records are being opened) while the workspace is opened on a worker thread:
checking a large records file and reading every checklist file takes a few seconds, and a
practitioner mid-conversation should see the app respond. Then it asks who is using the app on first
run, and shows the main window in the same place. A records file that cannot be opened is explained in
plain words (with the latest good backup when the file is damaged) and the app exits without changing
anything. `SPC_SETTINGS_FILE`, when set, keeps window layout in that INI file instead of the person's
own settings (used by tests and benchmarks).

Only light modules are imported before the first window is shown; the services, the store and the
main window are imported while or after the records open.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEventLoop, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.ui import theme, workers
from app.ui.marking import MarkingBar

ORGANISATION = "SafeguardingPracticeChecklists"
APPLICATION = "Safeguarding Practice Checklists"
SETTINGS_ENV = "SPC_SETTINGS_FILE"
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description=f"{APPLICATION}: the desktop app.")
    parser.add_argument("--data-dir", help="folder for the local records (default: your user data folder)")
    parser.add_argument("--training", action="store_true", help="use the training workspace (fictional data)")
    return parser


def settings_for_run() -> QSettings:
    """The window-layout settings: the INI file named by SPC_SETTINGS_FILE, else the person's own."""
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def application() -> QApplication:
    """The QApplication (created once), with the app's names, style and icon."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(sys.argv[:1] or ["spc"])
    theme.apply(app)
    return app


class StartWindow(QMainWindow):
    """The first window: marked, saying the records are being opened. Replaced by the main window."""

    def __init__(self, training: bool, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("StartWindow")
        self.setWindowTitle(APPLICATION + (" — TRAINING" if training else ""))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(MarkingBar(training))
        layout.addStretch(2)
        icon = QLabel()
        icon.setPixmap(theme.icon("app").pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(icon)
        title = QLabel(APPLICATION)
        title.setProperty("role", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.message = QLabel("Opening your records and checklists…")
        self.message.setProperty("role", "muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName("Opening your records")
        layout.addWidget(self.message)
        layout.addStretch(3)
        self.setCentralWidget(central)
        self.resize(1280, 820)
        geometry = settings.value("main/geometry") if settings is not None else None
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)


def _open_workspace(data_dir: str | None, training: bool) -> Any:
    from app.services import Workspace  # the store and the engine: imported off the GUI thread

    # The full integrity check of the records file finishes in the background; writes wait for it, and the
    # main window explains and closes if it fails.
    return Workspace.open(data_dir=data_dir, training=training, check_integrity="background")


def open_workspace(data_dir: str | None, training: bool) -> tuple[Any, BaseException | None]:
    """Open the workspace on a worker thread while the GUI stays responsive: (workspace, None) or (None, error)."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def opened(ws: Any) -> None:
        outcome["ws"] = ws
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    workers.run_task(_open_workspace, data_dir, training, on_done=opened, on_error=failed)
    if not outcome:
        loop.exec()
    return outcome.get("ws"), outcome.get("error")


def run_app(argv: list[str]) -> int:
    """Open the desktop app; returns the exit code."""
    args = build_parser().parse_args(argv)
    app = application()
    settings = settings_for_run()
    start = StartWindow(args.training, settings)
    start.show()

    ws, error = open_workspace(args.data_dir, args.training)
    from app.store.errors import StoreError
    from app.ui.errors import show_error

    if ws is None:
        box = show_error(start, error or RuntimeError("no workspace"), "The app cannot open your records.")
        box.exec()
        start.close()
        return 1
    try:
        from app.ui.main_window import MainWindow
        from app.ui.profile_dialog import ProfileDialog

        if not ws.profile:
            start.message.setText("Before you start, tell us who you are.")
            dialog = ProfileDialog(ws, start, first_run=True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                start.close()
                return 0
        window = MainWindow(ws, settings)
        window.show()
        start.close()
        code = app.exec()
        return 1 if window.records_error is not None else code
    except StoreError as exc:
        box = show_error(None, exc)
        box.exec()
        return 1
    finally:
        start.close()
        try:
            ws.close()
        except StoreError as exc:
            log.error("Closing the records failed: %s", type(exc).__name__)


__all__ = ["run_app", "build_parser", "application", "StartWindow", "open_workspace", "settings_for_run"]
