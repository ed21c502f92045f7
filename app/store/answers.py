"""Answers: one row per (run, prompt), saved durably with its audit row in one transaction.

A row's value may be NULL ("not answered yet") while it carries a note, how it is known or who reported
it: a note typed before the answer is saved the moment it is given, and clearing an answer keeps its note.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.store import audit, runs, snapshots, validate
from app.store.errors import InvalidRecord

_FIELDS = ("value", "note", "how_known", "reported_by")


def _check_prompt(conn: sqlite3.Connection, cache: snapshots.Cache, snapshot_id: int, prompt_id: Any) -> str:
    prompt_id = validate.text("Prompt id", prompt_id, max_length=100)
    known = cache.prompts(conn, snapshot_id)
    if known and prompt_id not in known:
        raise InvalidRecord(f"The checklist this run uses has no prompt {prompt_id!r}.")
    return prompt_id


def save(conn: sqlite3.Connection, cache: snapshots.Cache, run_id: int, prompt_id: str, value: Any, note: str,
         how_known: str | None, reported_by: str, by: str, now: str) -> dict[str, Any]:
    """Insert or change one answer (audit rows for each changed field); returns the stored answer.

    `value` None keeps the row as "not answered yet" when it carries a note, how it is known or who
    reported it; with none of those either, an existing row is removed (audited) and a missing one refused."""
    by = validate.text("Answered by", by, max_length=200)
    value_json = None if value is None else validate.json_value(f"Answer to {prompt_id!r}", value)
    note = validate.text("Note", note, required=False)
    how_known = validate.choice("How it is known", how_known or None, validate.HOW_KNOWN, optional=True)
    reported_by = validate.text("Reported by", reported_by, required=False, max_length=500)
    snapshot_id = runs.require_editable(conn, run_id)
    prompt_id = _check_prompt(conn, cache, snapshot_id, prompt_id)
    old = conn.execute("SELECT value, note, how_known, reported_by, answered_at, answered_by FROM answers "
                       "WHERE run_id = ? AND prompt_id = ?", (run_id, prompt_id)).fetchone()
    new = (value_json, note, how_known, reported_by)
    empty = value_json is None and not note and how_known is None and not reported_by
    if empty and old is None:
        raise InvalidRecord(f"Answer to {prompt_id!r}: an answer needs a value, a note or how it is known; "
                            "use clear_answer to remove one.")
    if old is not None and tuple(old[:4]) == new:
        return _as_answer(old)
    previous = old[:4] if old is not None else (None, "", None, "")
    changes = []
    for field, before, after in zip(_FIELDS, previous, new):
        if before != after:
            if field == "value":
                before = None if before is None else json.loads(before)
                after = value
            changes.append(audit.Change(by, "answer", f"{run_id}/{prompt_id}", field, before, after, run_id))
    if empty:  # nothing left to keep: the row goes, as clear_answer would remove it
        conn.execute("DELETE FROM answers WHERE run_id = ? AND prompt_id = ?", (run_id, prompt_id))
        runs.touch(conn, run_id, now)
        audit.append(conn, now, changes)
        return _as_answer((*new, now, by))
    conn.execute(
        "INSERT INTO answers (run_id, prompt_id, value, note, how_known, reported_by, answered_at, answered_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, prompt_id) DO UPDATE SET value = excluded.value, "
        "note = excluded.note, how_known = excluded.how_known, reported_by = excluded.reported_by, "
        "answered_at = excluded.answered_at, answered_by = excluded.answered_by",
        (run_id, prompt_id, *new, now, by),
    )
    runs.touch(conn, run_id, now)
    audit.append(conn, now, changes)
    return _as_answer((*new, now, by))


def clear(conn: sqlite3.Connection, run_id: int, prompt_id: str, by: str, now: str) -> bool:
    """Remove an answer's value (audited). A note, how it is known or who reported it stays, on a row
    whose value is NULL; a row with none of those is deleted. False if there was no value to remove."""
    by = validate.text("Cleared by", by, max_length=200)
    runs.require_editable(conn, run_id)
    old = conn.execute("SELECT value, note, how_known, reported_by FROM answers WHERE run_id = ? AND prompt_id = ?",
                       (run_id, prompt_id)).fetchone()
    if old is None or old[0] is None:
        return False
    _, note, how_known, reported_by = old
    if note or how_known is not None or reported_by:
        conn.execute("UPDATE answers SET value = NULL, answered_at = ?, answered_by = ? "
                     "WHERE run_id = ? AND prompt_id = ?", (now, by, run_id, prompt_id))
    else:
        conn.execute("DELETE FROM answers WHERE run_id = ? AND prompt_id = ?", (run_id, prompt_id))
    runs.touch(conn, run_id, now)
    audit.append(conn, now, [audit.Change(by, "answer", f"{run_id}/{prompt_id}", "value", json.loads(old[0]), None,
                                          run_id)])
    return True


def _as_answer(row: tuple) -> dict[str, Any]:
    value, note, how_known, reported_by, answered_at, answered_by = row
    return {"value": None if value is None else json.loads(value), "note": note, "how_known": how_known, "reported_by": reported_by,
            "answered_at": answered_at, "answered_by": answered_by}


def get_all(conn: sqlite3.Connection, run_id: int) -> dict[str, dict[str, Any]]:
    """Every answer of a run by prompt id: value, note, how_known, reported_by, answered_at, answered_by.
    `value` is None on a row that so far only carries a note or how it is known (not answered yet)."""
    runs.status_of(conn, run_id)
    cursor = conn.execute("SELECT prompt_id, value, note, how_known, reported_by, answered_at, answered_by "
                          "FROM answers WHERE run_id = ?", (run_id,))
    return {row[0]: _as_answer(row[1:]) for row in cursor}
