"""Opening a database file safely, and running reads and durable write transactions on it.

Opening checks, in order, before anything could write to the file: the folder can be created, the
file starts with the SQLite header, and `PRAGMA quick_check` passes on a read-only connection. A new
database is built in a temporary file and renamed into place, so a crash during first run never
leaves a half-made `records.db`. Then the connection is set to WAL, synchronous=FULL, foreign keys on
and a busy timeout, and pending migrations run.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.store import backups, migrations
from app.store.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
    read_only_message,
    translate,
)

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 5.0


def apply_pragmas(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """The pragmas every store connection uses (the benchmark's bare baseline uses the same)."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _os_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreFull(
            f"There is no room left on the disk to create {path}. Free some space (or ask IT support) "
            "and try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnly(read_only_message(path))
    return StoreError(f"The data folder {path} could not be used: {exc.strerror or exc}.")


def corrupt_error(path: Path, detail: str) -> StoreCorrupt:
    """A StoreCorrupt naming the file and the latest backup that passes its own integrity check."""
    latest = backups.latest_good_backup(path)
    if latest is not None:
        where = f"The latest good backup is {latest}. Ask IT support to restore it (copy it over the damaged file)."
    else:
        where = "No backup of it was found. Ask IT support for help before doing anything else with it."
    return StoreCorrupt(
        f"The records file {path} {detail}, so it cannot be opened. It has not been changed. {where}",
        path,
        latest,
    )


def _check_existing(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, without writing to it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise corrupt_error(path, f"cannot be read ({exc.strerror or exc})") from exc
    if header != SQLITE_HEADER:
        raise corrupt_error(path, "is not a records database (it may be damaged or truncated)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise _open_error(exc, path) from exc
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as exc:
        raise _open_error(exc, path) from exc
    finally:
        conn.close()
    if result != ["ok"]:
        raise corrupt_error(path, "failed its integrity check")


def _open_error(exc: sqlite3.Error, path: Path) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc):
        return corrupt_error(path, "is damaged")
    if name.startswith("SQLITE_CANTOPEN") and not os.access(path.parent, os.W_OK):
        return StoreReadOnly(read_only_message(path.parent))
    return translate(exc, path, DEFAULT_BUSY_TIMEOUT)


def _create_new(path: Path, busy_timeout: float) -> None:
    """Build a fresh database beside `path` and rename it into place once complete."""
    partial = path.with_name(path.name + ".new")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(partial, isolation_level=None, timeout=busy_timeout)
    try:
        apply_pragmas(conn, busy_timeout)
        migrations.migrate(conn, path)
    finally:
        conn.close()
    os.replace(partial, path)


def _fold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


class Database:
    """One open connection with a lock, so worker threads can share it one call at a time."""

    def __init__(self, path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.lock = threading.RLock()
        self._depth = 0
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False
            )
            apply_pragmas(self.conn, busy_timeout)
            # Case-insensitive search that also folds non-English letters (Ł, Ș, Ž, Σ ...).
            self.conn.create_function("spc_fold", 1, _fold, deterministic=True)
        except sqlite3.Error as exc:
            raise _open_error(exc, self.path) from exc

    @classmethod
    def open(cls, path: Path | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> "Database":
        """Open (creating on first run) and migrate the database at `path`; see the module docstring."""
        path = Path(path).absolute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, path.parent) from exc
        if path.exists():
            _check_existing(path)
        else:
            if not os.access(path.parent, os.W_OK):
                raise StoreReadOnly(read_only_message(path.parent))
            try:
                _create_new(path, busy_timeout)
            except OSError as exc:
                raise _os_error(exc, path) from exc
            except sqlite3.Error as exc:
                raise _open_error(exc, path) from exc
        db = cls(path, busy_timeout)
        try:
            migrations.migrate(db.conn, path)
        except sqlite3.Error as exc:
            db.close()
            raise _open_error(exc, path) from exc
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite when the last connection closes)."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE ... COMMIT, all or nothing; nested calls use savepoints.

        Any sqlite3 error rolls the whole transaction back and is raised as a StoreError subclass.
        """
        with self.lock:
            conn = self.conn
            outer = self._depth == 0
            savepoint = f"sp{self._depth}"
            try:
                conn.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT {savepoint}")
            except sqlite3.Error as exc:
                raise translate(exc, self.path, self.busy_timeout) from exc
            self._depth += 1
            try:
                yield conn
                if outer:
                    conn.execute("COMMIT")
                else:
                    conn.execute(f"RELEASE {savepoint}")
            except BaseException as exc:
                if conn.in_transaction:
                    if outer:
                        conn.execute("ROLLBACK")
                    else:
                        conn.execute(f"ROLLBACK TO {savepoint}")
                        conn.execute(f"RELEASE {savepoint}")
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc, self.path, self.busy_timeout) from exc
                raise
            finally:
                self._depth -= 1

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Run reads under the lock; sqlite3 errors come out as StoreError subclasses."""
        with self.lock:
            try:
                yield self.conn
            except sqlite3.Error as exc:
                raise translate(exc, self.path, self.busy_timeout) from exc

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Every row of a query, as dicts."""
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def row(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict, or None."""
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            found = cursor.fetchone()
            if found is None:
                return None
            return dict(zip([d[0] for d in cursor.description], found))

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """The first column of the first row, or None."""
        with self.read() as conn:
            found = conn.execute(sql, params).fetchone()
            return None if found is None else found[0]
