"""Starting the desktop app: `run_app(argv) -> int`.

Takes the same `--data-dir` and `--training` flags as the command line, opens the workspace, asks
who is using the app on first run, and shows the main window. A records file that cannot be opened is
explained in plain words (with the latest good backup when the file is damaged) and the app exits
without changing anything. `SPC_SETTINGS_FILE`, when set, keeps window layout in that INI file instead
of the person's own settings (used by tests and benchmarks).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.store.errors import StoreError
from app.ui import theme
from app.ui.errors import describe, show_error
from app.ui.main_window import APPLICATION, ORGANISATION, MainWindow, default_settings, file_settings
from app.ui.profile_dialog import ProfileDialog

SETTINGS_ENV = "SPC_SETTINGS_FILE"
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py", description=f"{APPLICATION}: the desktop app.")
    parser.add_argument("--data-dir", help="folder for the local records (default: your user data folder)")
    parser.add_argument("--training", action="store_true", help="use the training workspace (fictional data)")
    return parser


def settings_for_run() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    return file_settings(path) if path else default_settings()


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with the app's names, style and icon."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication([sys.argv[0] if sys.argv else "spc", *(argv or [])])
    theme.apply(app)
    return app


def run_app(argv: list[str]) -> int:
    """Open the desktop app; returns the exit code."""
    args = build_parser().parse_args(argv)
    app = application()
    from app.services import Workspace  # after the window system is up, so a failure can be shown

    try:
        ws = Workspace.open(data_dir=args.data_dir, training=args.training)
    except StoreError as exc:
        info = describe(exc, "The app cannot open your records.")
        box = show_error(None, exc, "The app cannot open your records.")
        box.setWindowTitle(info.title)
        box.exec()
        return 1
    try:
        if not ws.profile:
            dialog = ProfileDialog(ws, first_run=True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        window = MainWindow(ws, settings_for_run())
        window.show()
        return app.exec()
    except StoreError as exc:
        box = show_error(None, exc)
        box.exec()
        return 1
    finally:
        try:
            ws.close()
        except StoreError as exc:
            log.error("Closing the records failed: %s", type(exc).__name__)
            QMessageBox.warning(None, "Closing the records", exc.user_message)


__all__ = ["run_app", "build_parser", "application"]
