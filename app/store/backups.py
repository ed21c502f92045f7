"""Rotating backups of a database into `<data folder>/backups/`.

Each backup is a complete, self-contained copy made with sqlite3's online backup API (safe while the
app is writing), written under a temporary name and renamed when finished, so a backup file is never
half-written. Names are `<database stem>-YYYYMMDD-HHMMSS.db`; the newest `KEEP` of each database are
kept. An automatic backup is taken when a database is opened and none has been taken today.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

KEEP = 7
FOLDER = "backups"
_STAMP = "%Y%m%d-%H%M%S"


def folder_for(db_path: Path) -> Path:
    """The backups folder beside a database file."""
    return Path(db_path).parent / FOLDER


def _taken_at(db_path: Path, backup: Path) -> dt.datetime | None:
    prefix = Path(db_path).stem + "-"
    if not backup.name.startswith(prefix) or backup.suffix != ".db":
        return None
    try:
        return dt.datetime.strptime(backup.stem[len(prefix):], _STAMP)
    except ValueError:
        return None


def list_backups(db_path: Path) -> list[dict]:
    """This database's backups, newest first: {path, taken_at (local time), size}."""
    folder = folder_for(db_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        taken = _taken_at(db_path, entry)
        if taken is not None and entry.is_file():
            found.append({"path": entry, "taken_at": taken, "size": entry.stat().st_size})
    found.sort(key=lambda b: b["taken_at"], reverse=True)
    return found


def is_good(backup: Path) -> bool:
    """Whether a backup file opens and passes quick_check (opened read-only; never changed)."""
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("PRAGMA quick_check(1)")] == ["ok"]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def latest_good_backup(db_path: Path) -> Path | None:
    """The newest backup of `db_path` that passes its integrity check, or None."""
    for backup in list_backups(db_path):
        if is_good(backup["path"]):
            return backup["path"]
    return None


def take(conn: sqlite3.Connection, db_path: Path, now: dt.datetime | None = None, keep: int = KEEP) -> Path:
    """Copy the database behind `conn` into a new backup file and prune old ones; returns its path.

    Raises sqlite3.Error or OSError; the caller turns them into StoreError messages.
    """
    now = now or dt.datetime.now()
    folder = folder_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{Path(db_path).stem}-{now.strftime(_STAMP)}.db"
    while target.exists():  # more than one backup in the same second
        now += dt.timedelta(seconds=1)
        target = folder / f"{Path(db_path).stem}-{now.strftime(_STAMP)}.db"
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.backup(dest)
        # A backup should be one self-contained file, not a WAL database that needs its -wal file.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.replace(partial, target)
    prune(db_path, keep)
    return target


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups of `db_path` (and abandoned partial files); returns those removed."""
    removed = []
    for old in list_backups(db_path)[keep:]:
        old["path"].unlink(missing_ok=True)
        removed.append(old["path"])
    folder = folder_for(db_path)
    if folder.is_dir():
        cutoff = dt.datetime.now().timestamp() - 3600  # a younger one may still be being written
        for stale in folder.glob(f"{Path(db_path).stem}-*.db.partial"):
            if stale.stat().st_mtime < cutoff:
                stale.unlink(missing_ok=True)
    return removed


def taken_today(db_path: Path, today: dt.date | None = None) -> bool:
    """Whether this database already has a backup taken today (local date)."""
    today = today or dt.date.today()
    return any(b["taken_at"].date() == today for b in list_backups(db_path))
