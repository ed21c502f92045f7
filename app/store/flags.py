"""Flags raised on a run (with when they were raised and cleared) and the practitioner's response to each."""
from __future__ import annotations

import sqlite3
from typing import Any

from app.store import audit, runs, validate
from app.store.errors import InvalidRecord

_FLAG_COLUMNS = ("id", "run_id", "flag_id", "severity", "message", "action", "raised_at", "cleared_at")
_RESPONSE_FIELDS = ("action_taken", "by_whom", "by_when", "reason_not_acting")
_RESPONSE_COLUMNS = ("flag_id",) + _RESPONSE_FIELDS + ("responded_at", "responded_by")
_SEVERITY_ORDER = "CASE f.severity WHEN 'urgent' THEN 0 WHEN 'act' THEN 1 WHEN 'consider' THEN 2 ELSE 3 END"


def _raised(items: Any) -> dict[str, dict[str, str]]:
    if not isinstance(items, (list, tuple)):
        raise InvalidRecord("Raised flags must be a list.")
    result: dict[str, dict[str, str]] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InvalidRecord(f"Raised flag {number} must be a set of fields, not {type(item).__name__}.")
        validate.known_keys(f"Raised flag {number}", item, ("flag_id", "severity", "message", "action"))
        flag_id = validate.text(f"Raised flag {number} id", item.get("flag_id"), max_length=100)
        if flag_id in result:
            raise InvalidRecord(f"Flag {flag_id!r} is listed twice.")
        result[flag_id] = {
            "severity": validate.choice(f"Flag {flag_id!r} severity", item.get("severity"), validate.SEVERITIES),
            "message": validate.text(f"Flag {flag_id!r} message", item.get("message")),
            "action": validate.text(f"Flag {flag_id!r} action", item.get("action", ""), required=False),
        }
    return result


def sync(conn: sqlite3.Connection, run_id: int, raised: list[dict[str, Any]], by: str, now: str) -> dict[str, list[str]]:
    """Make the run's open flags equal `raised`: insert new ones, clear those no longer raised, update
    changed wording. Returns {"raised": [...], "cleared": [...], "changed": [...]} flag ids."""
    by = validate.text("Changed by", by, max_length=200)
    wanted = _raised(raised)
    runs.require_editable(conn, run_id)
    open_now = {row[0]: {"id": row[1], "severity": row[2], "message": row[3], "action": row[4]}
                for row in conn.execute("SELECT flag_id, id, severity, message, action FROM flags "
                                        "WHERE run_id = ? AND cleared_at IS NULL", (run_id,))}
    result: dict[str, list[str]] = {"raised": [], "cleared": [], "changed": []}
    changes: list[audit.Change] = []
    for flag_id, flag in wanted.items():
        current = open_now.get(flag_id)
        if current is None:
            conn.execute("INSERT INTO flags (run_id, flag_id, severity, message, action, raised_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (run_id, flag_id, flag["severity"], flag["message"],
                                                       flag["action"], now))
            changes.append(audit.Change(by, "flag", f"{run_id}/{flag_id}", "raised", None, flag, run_id))
            result["raised"].append(flag_id)
            continue
        differs = {k: v for k, v in flag.items() if current[k] != v}
        if differs:
            conn.execute("UPDATE flags SET severity = ?, message = ?, action = ? WHERE id = ?",
                         (flag["severity"], flag["message"], flag["action"], current["id"]))
            changes += [audit.Change(by, "flag", f"{run_id}/{flag_id}", k, current[k], v, run_id)
                        for k, v in differs.items()]
            result["changed"].append(flag_id)
    for flag_id, current in open_now.items():
        if flag_id not in wanted:
            conn.execute("UPDATE flags SET cleared_at = ? WHERE id = ?", (now, current["id"]))
            changes.append(audit.Change(by, "flag", f"{run_id}/{flag_id}", "cleared_at", None, now, run_id))
            result["cleared"].append(flag_id)
    if changes:
        rank = min((validate.SEVERITY_RANK[f["severity"]] for f in wanted.values()), default=None)
        conn.execute("UPDATE runs SET flag_rank = ?, updated_at = ? WHERE id = ?", (rank, now, run_id))
        audit.append(conn, now, changes)
    return result


def _responses(conn: sqlite3.Connection, run_id: int) -> dict[str, dict[str, Any]]:
    cursor = conn.execute(f"SELECT {', '.join(_RESPONSE_COLUMNS)} FROM flag_responses WHERE run_id = ?", (run_id,))
    return {row[0]: dict(zip(_RESPONSE_COLUMNS[1:], row[1:])) for row in cursor}


def list_for_run(conn: sqlite3.Connection, run_id: int, include_cleared: bool) -> list[dict[str, Any]]:
    """The run's flags, most severe first, each with `response` (dict or None)."""
    runs.status_of(conn, run_id)
    where = "" if include_cleared else " AND f.cleared_at IS NULL"
    cursor = conn.execute(f"SELECT {', '.join('f.' + c for c in _FLAG_COLUMNS)} FROM flags f WHERE f.run_id = ?{where} "
                          f"ORDER BY {_SEVERITY_ORDER}, f.raised_at, f.id", (run_id,))
    responses = _responses(conn, run_id)
    result = []
    for row in cursor:
        flag = dict(zip(_FLAG_COLUMNS, row))
        flag["response"] = responses.get(flag["flag_id"])
        result.append(flag)
    return result


def for_case(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
    """Every flag ever raised on the case's runs, oldest first, with the run's checklist, status and
    practitioner and the response: the cumulative picture across visits."""
    cursor = conn.execute(
        f"SELECT {', '.join('f.' + c for c in _FLAG_COLUMNS)}, r.checklist_id, r.status, r.practitioner, r.version, "
        "fr.action_taken, fr.by_whom, fr.by_when, fr.reason_not_acting, fr.responded_at, fr.responded_by "
        "FROM flags f JOIN runs r ON r.id = f.run_id "
        "LEFT JOIN flag_responses fr ON fr.run_id = f.run_id AND fr.flag_id = f.flag_id "
        "WHERE r.case_id = ? ORDER BY f.raised_at, f.id", (case_id,))
    names = _FLAG_COLUMNS + ("checklist_id", "run_status", "practitioner", "run_version")
    result = []
    for row in cursor:
        flag = dict(zip(names, row[:len(names)]))
        response = row[len(names):]
        flag["response"] = (dict(zip(_RESPONSE_COLUMNS[1:], response)) if response[-1] is not None else None)
        result.append(flag)
    return result


def save_response(conn: sqlite3.Connection, run_id: int, flag_id: str, action_taken: str, by_whom: str,
                  by_when: str, reason_not_acting: str, by: str, now: str) -> dict[str, Any]:
    """Record what was done about a flag (action and who, optionally by when) or why not; returns the response."""
    by = validate.text("Recorded by", by, max_length=200)
    fields = {
        "action_taken": validate.text("Action taken", action_taken, required=False),
        "by_whom": validate.text("By whom", by_whom, required=False, max_length=500),
        "by_when": validate.text("By when", by_when, required=False, max_length=200),
        "reason_not_acting": validate.text("Reason for not acting", reason_not_acting, required=False),
    }
    if fields["action_taken"] and not fields["by_whom"]:
        raise InvalidRecord("Say who took, or will take, the action on this flag.")
    if not fields["action_taken"] and not fields["reason_not_acting"]:
        raise InvalidRecord("Record the action taken on this flag, or the reason for not acting.")
    runs.require_editable(conn, run_id)
    if conn.execute("SELECT 1 FROM flags WHERE run_id = ? AND flag_id = ?", (run_id, flag_id)).fetchone() is None:
        raise InvalidRecord(f"The flag {flag_id!r} has not been raised on this checklist.")
    old = _responses(conn, run_id).get(flag_id)
    before = old or {k: "" for k in _RESPONSE_FIELDS}
    changes = [audit.Change(by, "flag_response", f"{run_id}/{flag_id}", k, before[k] if old else None, v, run_id)
               for k, v in fields.items() if before[k] != v or (old is None and v)]
    if changes:
        conn.execute(
            "INSERT INTO flag_responses (run_id, flag_id, action_taken, by_whom, by_when, reason_not_acting, "
            "responded_at, responded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, flag_id) DO UPDATE SET "
            "action_taken = excluded.action_taken, by_whom = excluded.by_whom, by_when = excluded.by_when, "
            "reason_not_acting = excluded.reason_not_acting, responded_at = excluded.responded_at, "
            "responded_by = excluded.responded_by", (run_id, flag_id, *fields.values(), now, by))
        runs.touch(conn, run_id, now)
        audit.append(conn, now, changes)
    return _responses(conn, run_id)[flag_id]


def responses(conn: sqlite3.Connection, run_id: int) -> dict[str, dict[str, Any]]:
    """The run's flag responses by flag id."""
    runs.status_of(conn, run_id)
    return _responses(conn, run_id)
