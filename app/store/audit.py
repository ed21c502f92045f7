"""The audit trail: an append-only list of every change, chained by SHA-256 hashes.

Each row's `hash` covers its own content, `prev_hash` (the previous row's hash in the whole database)
and `run_prev_hash` (the previous row of the same run), so editing, deleting or reordering rows breaks
the chain at the first row touched. Triggers refuse UPDATE and DELETE on the table. `head(run_id)` is a
short fingerprint of a run's latest row: printed on a report, it also shows whether rows were later
removed from the end.

Old and new values are stored as JSON text (NULL when there was no value).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FINGERPRINT_LENGTH = 16
_COLUMNS = "id, at, who, entity, entity_id, run_id, field, old_value, new_value, prev_hash, run_prev_hash, hash"


@dataclass(frozen=True)
class Change:
    """One audited change before it is written."""

    who: str
    entity: str
    entity_id: str
    field: str
    old: Any = None
    new: Any = None
    run_id: int | None = None


@dataclass(frozen=True)
class AuditCheck:
    """Result of verify(): ok, how many rows were checked, and the first broken row if any."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""

    @property
    def user_message(self) -> str:
        """Plain words for a practitioner or IT support."""
        if self.ok:
            return f"The audit trail is intact ({self.checked} entries checked)."
        return (
            f"The audit trail has been altered outside the app: entry {self.first_broken_id} {self.problem}. "
            "Keep the file as it is and tell your information governance lead."
        )


def encode(value: Any) -> str | None:
    """A value as the JSON text stored in old_value/new_value (None stays NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def row_hash(
    id: int, at: str, who: str, entity: str, entity_id: str, run_id: int | None, field: str,
    old_value: str | None, new_value: str | None, prev_hash: str, run_prev_hash: str | None,
) -> str:
    """The SHA-256 hex digest of one audit row's content and its links."""
    content = json.dumps(
        [id, at, who, entity, entity_id, run_id, field, old_value, new_value, prev_hash, run_prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    import hashlib  # here, not at import: OpenSSL's start-up is not needed until the first write

    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, at: str, changes: Iterable[Change]) -> int:
    """Write audit rows for `changes` (inside the caller's transaction); returns how many were written."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    last_id, prev = (last[0], last[1]) if last else (0, GENESIS)
    run_heads: dict[int, str] = {}
    rows = []
    for change in changes:
        run_prev = None
        if change.run_id is not None:
            if change.run_id not in run_heads:
                found = conn.execute(
                    "SELECT hash FROM audit WHERE run_id = ? ORDER BY id DESC LIMIT 1", (change.run_id,)
                ).fetchone()
                run_heads[change.run_id] = found[0] if found else GENESIS
            run_prev = run_heads[change.run_id]
        last_id += 1
        old_value, new_value = encode(change.old), encode(change.new)
        digest = row_hash(
            last_id, at, change.who, change.entity, change.entity_id, change.run_id, change.field,
            old_value, new_value, prev, run_prev,
        )
        rows.append((last_id, at, change.who, change.entity, change.entity_id, change.run_id, change.field,
                     old_value, new_value, prev, run_prev, digest))
        prev = digest
        if change.run_id is not None:
            run_heads[change.run_id] = digest
    conn.executemany(f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def trail(conn: sqlite3.Connection, run_id: int | None = None, entity: str | None = None,
          entity_id: str | None = None) -> list[dict]:
    """Audit rows oldest first, for a run, or for one entity (e.g. 'case', '12'); values decoded."""
    if run_id is not None:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit WHERE run_id = ? ORDER BY id", (run_id,))
    else:
        cursor = conn.execute(
            f"SELECT {_COLUMNS} FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id", (entity, entity_id)
        )
    names = _COLUMNS.split(", ")
    result = []
    for row in cursor:
        record = dict(zip(names, row))
        record["old_value"] = _decode(record["old_value"])
        record["new_value"] = _decode(record["new_value"])
        result.append(record)
    return result


def verify(conn: sqlite3.Connection, run_id: int | None = None) -> AuditCheck:
    """Recompute every hash (of the database, or of one run's chain) and report the first broken row."""
    if run_id is None:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id")
    else:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit WHERE run_id = ? ORDER BY id", (run_id,))
    expected_prev = GENESIS
    checked = 0
    for (id_, at, who, entity, entity_id, row_run, field, old_value, new_value,
         prev_hash, run_prev_hash, stored) in cursor:
        link = run_prev_hash if run_id is not None else prev_hash
        if link != expected_prev:
            return AuditCheck(False, checked, id_, "does not follow on from the entry before it "
                              "(an entry was removed or inserted)")
        digest = row_hash(id_, at, who, entity, entity_id, row_run, field, old_value, new_value,
                          prev_hash, run_prev_hash)
        if digest != stored:
            return AuditCheck(False, checked, id_, "does not match its fingerprint (its content was edited)")
        expected_prev = stored
        checked += 1
    return AuditCheck(True, checked)


def head(conn: sqlite3.Connection, run_id: int) -> str | None:
    """A short fingerprint (hex) of the run's latest audit row, or None if the run has none."""
    found = conn.execute("SELECT hash FROM audit WHERE run_id = ? ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()
    return found[0][:FINGERPRINT_LENGTH] if found else None
