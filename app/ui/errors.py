"""Problems explained in plain words: store errors, refused actions, and checklist files left out.

`describe(exc)` turns any exception into a title and a message a practitioner can act on. Store errors
already carry `.user_message` (written for practitioners, never containing answer text), and service and
answer errors carry a specific message; anything unexpected is described without its internal text,
which could hold something typed about a family.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.services import ServiceError
from app.store.errors import (
    DuplicateCase,
    InvalidRecord,
    NotFound,
    RunNotEditable,
    RunSignedOff,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreTooNew,
)
from app.ui import theme

if TYPE_CHECKING:  # imported when a message is first shown: PySide builds these types (2 ms) on import
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger(__name__)

_STORE_TITLES: tuple[tuple[type[StoreError], str], ...] = (
    (StoreCorrupt, "The records file is damaged"),
    (StoreBusy, "The records are in use by another program"),
    (StoreReadOnly, "The records cannot be saved here"),
    (StoreFull, "The disk is full"),
    (StoreTooNew, "These records need a newer version of the app"),
    (DuplicateCase, "That case reference is already used"),
    (InvalidRecord, "Please check the details"),
    (NotFound, "That record could not be found"),
    (RunSignedOff, "This checklist has been signed off"),
    (RunNotEditable, "This checklist cannot be changed now"),
)


@dataclass(frozen=True)
class Explanation:
    """What to tell the person: a short title, the message, and a backup to offer if there is one."""

    title: str
    message: str
    backup: Path | None = None
    severe: bool = False


def describe(exc: BaseException, doing: str | None = None) -> Explanation:
    """Plain words for `exc`. `doing` says what was being attempted ("The case was not saved.")."""
    lead = f"{doing}\n\n" if doing else ""
    if isinstance(exc, StoreError):
        title = next((t for cls, t in _STORE_TITLES if isinstance(exc, cls)), "The records could not be used")
        backup = exc.latest_backup if isinstance(exc, StoreCorrupt) else None
        severe = isinstance(exc, (StoreCorrupt, StoreFull, StoreReadOnly, StoreTooNew, StoreBusy))
        return Explanation(title, lead + exc.user_message, backup, severe)
    if isinstance(exc, ServiceError):
        return Explanation("This cannot be done yet", lead + str(exc))
    from app.domain.case_facts import CaseFactsError  # here, not at import: the window needs neither to open
    from app.domain.engine import AnswerError

    if isinstance(exc, (AnswerError, CaseFactsError)):
        return Explanation("Please check the answer", lead + str(exc))
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        reason = exc.strerror or "the file could not be used"
        return Explanation(
            "A file could not be used",
            f"{lead}The file{where} could not be used: {reason}. Check the drive or folder is available and try again.",
            severe=True,
        )
    log.error("Unexpected %s", type(exc).__name__, exc_info=(type(exc), exc, exc.__traceback__))
    return Explanation(
        "Something went wrong",
        f"{lead}The app met a problem it did not expect ({type(exc).__name__}). Anything already saved is "
        "safe. If it happens again, tell IT support what you were doing when it happened.",
        severe=True,
    )


def _open_folder(folder: Path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_error(parent: QWidget | None, exc: BaseException, doing: str | None = None) -> QMessageBox:
    """Show `exc` in a message box (window-modal, not blocking) and return the box.

    A damaged records file with a good backup offers to show the backup and to copy its location, so
    IT support can restore it.
    """
    info = describe(exc, doing)
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setObjectName("ErrorBox")
    box.setIcon(QMessageBox.Icon.Critical if info.severe else QMessageBox.Icon.Warning)
    box.setWindowTitle(info.title)
    box.setText(f"<b>{_escape(info.title)}</b>")
    box.setInformativeText(_escape(info.message).replace("\n", "<br>"))
    box.setAccessibleName(info.title)
    box.setAccessibleDescription(info.message)
    if info.backup is not None:
        backup = info.backup
        show = box.addButton("Show the backup", QMessageBox.ButtonRole.ActionRole)
        show.clicked.disconnect()
        show.clicked.connect(lambda: _open_folder(backup.parent))
        copy = box.addButton("Copy the backup's location", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(backup)))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- checklist files left out at start-up ----


def _problem_file(problem: object) -> str:
    return Path(str(getattr(problem, "file", "") or "checklists")).name


def left_out_files(problems: Iterable[object]) -> list[str]:
    """The names of the files with problems, in order, each once."""
    return list(dict.fromkeys(_problem_file(p) for p in problems))


def problems_summary(problems: Sequence[object]) -> str:
    """One or two sentences for the start-up banner naming the files left out."""
    files = left_out_files(problems)
    if not files:
        return ""
    if len(files) == 1:
        named = f"The checklist file {files[0]} was left out because of mistakes in the file."
    else:
        named = ("The checklist files " + ", ".join(files[:-1]) + f" and {files[-1]} were left out because of "
                 "mistakes in the files.")
    return f"{named} The other checklists can be used as normal. Tell whoever looks after your checklists."


def problems_details(problems: Sequence[object]) -> str:
    """Each problem on its own line: file, line and what is wrong (for the people who maintain the files)."""
    lines = []
    for p in problems:
        line = getattr(p, "line", None)
        where = f"{_problem_file(p)}, line {line}" if line else _problem_file(p)
        lines.append(f"{where}: {getattr(p, 'message', p)}")
    lines.append("")
    lines.append("Run `python main.py validate` to check the files after correcting them.")
    return "\n".join(lines)


class ProblemsBanner(QWidget):
    """A dismissible notice at the top of the main window naming checklist files that were left out."""

    dismissed = Signal()

    def __init__(self, problems: Sequence[object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.problems = list(problems)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        icon = QLabel()
        icon.setPixmap(theme.icon("warning", "#8a5a00").pixmap(22, 22))
        layout.addWidget(icon)
        self.label = QLabel(problems_summary(self.problems))
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Checklist files left out")
        layout.addWidget(self.label, 1)
        self.details_button = QPushButton("Details…")
        self.details_button.setAccessibleName("Show which mistakes were found in the checklist files")
        self.details_button.clicked.connect(self.show_details)
        layout.addWidget(self.details_button)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss the notice about checklist files")
        self.dismiss_button.clicked.connect(self._dismiss)
        layout.addWidget(self.dismiss_button)
        self.details_box: QMessageBox | None = None

    def show_details(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Checklist files left out")
        box.setText(problems_summary(self.problems))
        box.setInformativeText(problems_details(self.problems))
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        self.details_box = box
        return box

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
