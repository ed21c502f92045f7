"""Errors raised by the record store.

Every error derives from `StoreError` and carries `.user_message`: plain words a practitioner can act
on, which the desktop app shows as it is. `str(error)` is the same text. None of them ever contains
answer text or notes.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

SIGNED_OFF_MESSAGE = "This checklist has been signed off and cannot be changed"
AUDIT_APPEND_ONLY_MESSAGE = "The audit trail is append-only and cannot be changed"


class StoreError(Exception):
    """Base class for every store problem; `.user_message` is safe to show to a practitioner."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class StoreCorrupt(StoreError):
    """The database file is damaged or unreadable. The file is never changed by the store."""

    def __init__(self, user_message: str, path: Path, latest_backup: Path | None) -> None:
        super().__init__(user_message)
        self.path = path
        self.latest_backup = latest_backup


class StoreBusy(StoreError):
    """Another program held the database lock for longer than the busy timeout."""


class StoreReadOnly(StoreError):
    """The data folder or database file cannot be written to."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full."""


class StoreTooNew(StoreError):
    """The database was written by a newer version of the app than this one."""


class NotFound(StoreError):
    """A case, run or profile id that does not exist."""


class InvalidRecord(StoreError, ValueError):
    """Input that cannot be stored, with a message naming the field and the reason."""


class RunSignedOff(StoreError):
    """A change to a signed-off run (refused by the database's own triggers)."""


class RunNotEditable(StoreError):
    """A change the run's current status does not allow (for example answering a submitted run)."""


class DuplicateCase(InvalidRecord):
    """A case reference that is already used by another case."""


def _code(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def translate(exc: sqlite3.Error, path: Path | str, busy_timeout: float) -> StoreError:
    """Turn a sqlite3 error into the matching StoreError with a practitioner-readable message."""
    name = _code(exc)
    text = str(exc)
    if SIGNED_OFF_MESSAGE in text:
        return RunSignedOff(SIGNED_OFF_MESSAGE + ". To correct it, start an amendment.")
    if AUDIT_APPEND_ONLY_MESSAGE in text:
        return StoreError(AUDIT_APPEND_ONLY_MESSAGE + ".")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StoreBusy(
            f"The records file {path} is being used by another copy of the app (or another program) and "
            f"was not released within {busy_timeout:g} seconds. Nothing was saved from this attempt. "
            "Close other copies of Safeguarding Practice Checklists and try again."
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StoreReadOnly(read_only_message(path))
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return StoreFull(
            f"There is no room left to save to {path}: the disk is full. Nothing was saved from this "
            "attempt. Free some space (or ask IT support) and try again."
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return StoreCorrupt(
            f"The records file {path} is damaged. It has not been changed. Ask IT support to restore "
            "it from the latest backup.",
            Path(path),
            None,
        )
    if name.startswith("SQLITE_IOERR") or name.startswith("SQLITE_CANTOPEN"):
        return StoreError(
            f"The records file {path} could not be read or written ({text}). Nothing was saved from "
            "this attempt. Check the drive is connected and try again."
        )
    return StoreError(f"The records file {path} reported a problem: {text}. Nothing was saved from this attempt.")


def read_only_message(path: Path | str) -> str:
    """The message for a data folder or database file that cannot be written to."""
    return (
        f"The records in {path} cannot be changed because the file or its folder is read-only. "
        "Nothing was saved from this attempt. Ask IT support to make the folder writable, or choose "
        "another data folder."
    )
