"""Opening a database file safely, and running reads and durable write transactions on it.

Opening checks, in order, before anything could write to the file: the folder can be created, the
file starts with the SQLite header, and `PRAGMA quick_check` passes on a read-only connection. A new
database is built in a temporary file and renamed into place, so a crash during first run never
leaves a half-made `records.db`. Then the connection is set to WAL, synchronous=FULL, foreign keys on
and a busy timeout, and pending migrations run.

`Database.open(..., defer_check=True)` (the desktop app, so its window is not held up by reading the
whole file) keeps the header check and a cheap check synchronous (the schema can be read, the file is
already in WAL mode and needs no migration; otherwise the full check runs first as usual). The full
`quick_check` then runs on a background thread with its own read-only connection, started by
`start_check()` (or by the first write or `wait_for_check()`, whichever comes first, so nothing can wait
for a check that was never started). Reads are allowed meanwhile; every write (`write()`, and
`require_checked()` for other writers) waits for the check and raises its StoreCorrupt if it failed, so
a damaged file is never changed.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
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
WAL_VERSION_BYTES = b"\x02\x02"  # file format write/read versions (header bytes 18-19) of a WAL database
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


def _check_header(path: Path) -> bytes:
    """Refuse a file that does not start with the SQLite header; returns the first 100 bytes."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise corrupt_error(path, f"cannot be read ({exc.strerror or exc})") from exc
    if header[:len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise corrupt_error(path, "is not a records database (it may be damaged or truncated)")
    return header


def _read_only(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=DEFAULT_BUSY_TIMEOUT,
                               check_same_thread=check_same_thread)
    except sqlite3.Error as exc:
        raise _open_error(exc, path) from exc


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Run PRAGMA quick_check on `conn` (read-only); StoreCorrupt (or another StoreError) if it fails."""
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as exc:
        raise _open_error(exc, path) from exc
    if result != ["ok"]:
        raise corrupt_error(path, "failed its integrity check")


def _check_existing(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, without writing to it."""
    _check_header(path)
    conn = _read_only(path)
    try:
        _quick_check(conn, path)
    finally:
        conn.close()


def _cheap_check(path: Path) -> bool:
    """The synchronous part of a deferred check: the header, and the schema and migration version read on a
    read-only connection. True when opening will not write to the file (already WAL, nothing to migrate), so
    the full check may follow in the background; False when the full check must come first."""
    header = _check_header(path)
    conn = _read_only(path)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # reads and parses the whole schema
        version = migrations.current_version(conn)
    except sqlite3.Error as exc:
        raise _open_error(exc, path) from exc
    finally:
        conn.close()
    return header[18:20] == WAL_VERSION_BYTES and version == migrations.LATEST


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
        self._checked = threading.Event()  # set once writes may go ahead (at once unless the check is deferred)
        self._checked.set()
        self._background_done = threading.Event()  # the check and whatever followed it have finished
        self._background_done.set()
        self._check_error: StoreError | None = None
        self._check_conn: sqlite3.Connection | None = None
        self._check_thread: threading.Thread | None = None
        self._check_after: Callable[[sqlite3.Connection], None] | None = None
        self._start_lock = threading.Lock()  # the UI thread and a writer may both start the check
        self._closing = False
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
    def open(cls, path: Path | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
             defer_check: bool = False) -> "Database":
        """Open (creating on first run) and migrate the database at `path`; see the module docstring.

        With `defer_check`, `check_pending` may be True on return: the caller must then call `start_check()`
        (until it has finished, every write waits)."""
        path = Path(path).absolute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, path.parent) from exc
        deferred = False
        if path.exists():
            deferred = defer_check and _cheap_check(path)
            if not deferred:
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
            if deferred:
                db._checked.clear()
                db._background_done.clear()
                db._check_conn = _read_only(path, check_same_thread=False)
                if migrations.current_version(db.conn) != migrations.LATEST:  # changed since the cheap check
                    db._finish_check(lambda _conn: None, run_now=True)
            migrations.migrate(db.conn, path)
        except sqlite3.Error as exc:
            db.close()
            raise _open_error(exc, path) from exc
        except BaseException:
            db.close()
            raise
        return db

    # -- the deferred integrity check ---------------------------------------------------------------------
    @property
    def check_pending(self) -> bool:
        """True from a deferred open until `start_check()` has been called and has finished."""
        return not self._background_done.is_set()

    def start_check(self, after: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """Run the deferred quick_check on a background thread; then, if it passed, `after(read-only connection)`
        on the same thread (the day's backup; `after` may also be given earlier, to `set_after_check`). Does
        nothing if no check is pending, it has started, or the database is closing."""
        with self._start_lock:
            if after is not None:
                self._check_after = after
            if self._check_conn is None or self._check_thread is not None or self._closing:
                return
            self._check_thread = threading.Thread(target=self._finish_check, args=(self._check_after,),
                                                  daemon=True, name="records integrity check")
            self._check_thread.start()

    def set_after_check(self, after: Callable[[sqlite3.Connection], None] | None) -> None:
        """What the deferred check runs once it has passed (see `start_check`), for a check started later."""
        with self._start_lock:
            self._check_after = after

    def _finish_check(self, after: Callable[[sqlite3.Connection], None] | None, run_now: bool = False) -> None:
        conn = self._check_conn
        assert conn is not None
        try:
            _quick_check(conn, self.path)
        except StoreError as exc:
            if not self._closing:
                self._check_error = exc
        except Exception as exc:  # never leave writers waiting for ever
            self._check_error = StoreError(f"The records file {self.path} could not be checked ({type(exc).__name__}). "
                                           "Nothing will be saved to it. Close the app and open it again.")
        finally:
            self._checked.set()
        try:
            if self._check_error is None and after is not None and not self._closing:
                after(conn)
        finally:
            self._check_conn = None
            conn.close()
            self._background_done.set()
        if run_now and self._check_error is not None:
            raise self._check_error

    def wait_for_check(self, timeout: float | None = None) -> StoreError | None:
        """Wait for a deferred check and what followed it (starting it if need be); returns its error (None:
        healthy, or no check)."""
        if not self._background_done.is_set():
            self.start_check()
        self._background_done.wait(timeout)
        return self._check_error

    def require_checked(self) -> None:
        """Wait until the file has passed its check (starting it if need be); raise the check's error
        (StoreCorrupt ...) if it failed."""
        if not self._checked.is_set():
            self.start_check()
        self._checked.wait()
        if self._check_error is not None:
            raise self._check_error.with_traceback(None)

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite when the last connection closes).

        A deferred check still running is interrupted (the file is only read by it)."""
        with self._start_lock:  # no check starts from here on
            self._closing = True
        thread, conn = self._check_thread, self._check_conn
        if thread is not None and thread.is_alive():
            if conn is not None and not self._checked.is_set():
                try:
                    conn.interrupt()
                except sqlite3.ProgrammingError:  # the check finished meanwhile
                    pass
            thread.join(60)
        elif thread is None and conn is not None:  # opened deferred but never started
            self._check_conn = None
            conn.close()
            self._checked.set()
            self._background_done.set()
        with self.lock:
            self.conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE ... COMMIT, all or nothing; nested calls use savepoints.

        Any sqlite3 error rolls the whole transaction back and is raised as a StoreError subclass. While a
        deferred integrity check runs it waits for it, and raises its StoreCorrupt if the file failed.
        """
        self.require_checked()
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

    @contextmanager
    def read_apart(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection of its own, for long reads (the assurance counts) on a worker thread: they do
        not hold the lock, so the window's own reads and saves go ahead meanwhile (WAL lets readers and a
        writer work at once). Opened and closed here; sqlite3 errors come out as StoreError subclasses."""
        conn = _read_only(self.path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            yield conn
        except sqlite3.Error as exc:
            raise translate(exc, self.path, self.busy_timeout) from exc
        finally:
            conn.close()

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
