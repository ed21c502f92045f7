"""Starting the desktop app: `run_app(argv) -> int`.

Takes the same `--data-dir` and `--training` flags as the command line. The main window is the first
and only window: opening the records is quick because the store checks only the file's header and
schema before returning; its full integrity check runs on a background thread started once the window
is on screen (writes wait for it; a damaged file is explained by the main window, which then closes
without changing anything), and the checklist files are read on a worker thread then too. On first run
it asks who is using the app before the window appears. A records file that cannot be opened at all is explained in
plain words (with the latest good backup when the file is damaged) and the app exits without changing
anything. `SPC_SETTINGS_FILE`, when set, keeps window layout in that INI file instead of the person's
own settings (used by tests and benchmarks).

Only what the first window needs is imported before it is shown: the catalog, the walk-through and the
pages not shown first are imported when they are first used.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

# The records layer is imported before Qt on purpose: once PySide6 is loaded, every later import passes
# through its import hook (it reads each new module's source to look for PySide6), which made importing
# the records layer about 8 ms slower at start-up. isort: off
from app.services import Workspace
# isort: on
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QDialog

from app.ui import theme

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
        app = QApplication(theme.application_arguments((sys.argv[:1] or ["spc"])[0]))
        theme.apply(app, set_style=False)  # the style came with the arguments
    else:
        theme.apply(app)
    return app


def open_workspace(data_dir: str | None, training: bool) -> Any:
    """The workspace for the app, its full integrity check left for the main window to start in the
    background once it is on screen (see the module docstring). Raises a StoreError subclass when the
    records cannot be opened at all."""
    return Workspace.open(data_dir=data_dir, training=training, check_integrity="when_started")


def run_app(argv: list[str]) -> int:
    """Open the desktop app; returns the exit code."""
    args = build_parser().parse_args(argv)
    app = application()
    settings = settings_for_run()
    from app.store.errors import StoreError
    from app.ui.errors import show_error

    try:
        ws = open_workspace(args.data_dir, args.training)
    except Exception as exc:  # a StoreError, or anything unexpected: explained without its internal text
        box = show_error(None, exc, "The app cannot open your records.")
        box.exec()
        return 1
    try:
        from app.ui.main_window import MainWindow

        if not ws.profile:
            from app.ui.profile_dialog import ProfileDialog

            dialog = ProfileDialog(ws, None, first_run=True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        window = MainWindow(ws, settings)
        window.show()
        code = app.exec()
        return 1 if window.records_error is not None else code
    except StoreError as exc:
        box = show_error(None, exc)
        box.exec()
        return 1
    finally:
        try:
            ws.close()
        except StoreError as exc:
            log.error("Closing the records failed: %s", type(exc).__name__)


__all__ = ["run_app", "build_parser", "application", "open_workspace", "settings_for_run"]
