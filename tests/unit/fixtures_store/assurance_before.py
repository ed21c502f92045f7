"""The assurance queries as they were first written (app/store/assurance.py at commit e84dd7a), kept only as
the reference the reshaped, faster queries must agree with (tests/unit/test_assurance_counts.py). Plain and
obviously right, but slow on a large store: each query works out the period's runs again through an index
that needs a lookup per run, and the flags are joined three times over. Not used by the app.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.store.clock import as_timestamp
from app.store.errors import InvalidRecord


def _window(since: Any, until: Any, team: str | None) -> tuple[str, list[Any]]:
    """The common table expression `pr` (the period's runs) and its parameters."""
    try:
        start, end = as_timestamp(since), as_timestamp(until)
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(f"The period must be given as dates, got {since!r} to {until!r}.") from exc
    if end <= start:
        raise InvalidRecord("The end of the period must be after its start.")
    sql = ("WITH pr AS (SELECT r.id, r.checklist_id, r.status FROM runs r "
           "WHERE r.created_at >= ? AND r.created_at < ? "
           "AND NOT EXISTS (SELECT 1 FROM runs n WHERE n.amends_run_id = r.id)")
    params: list[Any] = [start, end]
    if team is not None:
        sql += " AND r.practitioner IN (SELECT name FROM profiles WHERE team = ?)"
        params.append(team)
    return sql + ") ", params


def teams(conn: sqlite3.Connection) -> list[str]:
    """Every team named on a profile, in alphabetical order."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT team FROM profiles WHERE team != '' ORDER BY team COLLATE NOCASE")]


def run_counts(conn: sqlite3.Connection, since: Any, until: Any, team: str | None) -> list[dict[str, Any]]:
    """[{checklist_id, status, runs}] for the period's runs."""
    cte, params = _window(since, until, team)
    cursor = conn.execute(f"{cte}SELECT checklist_id, status, COUNT(*) FROM pr GROUP BY checklist_id, status "
                          "ORDER BY checklist_id, status", params)
    return [{"checklist_id": c, "status": s, "runs": n} for c, s, n in cursor]


def answer_counts(conn: sqlite3.Connection, checklist_id: str, prompt_ids: list[str], since: Any, until: Any,
                  team: str | None) -> list[dict[str, Any]]:
    """How many of the period's runs of `checklist_id` gave each combination of answers to `prompt_ids`:
    [{"answers": {prompt_id: value or None when unanswered}, "runs": n}]. Meant for choice prompts, whose
    values are codes; the caller must not ask for free-text prompts."""
    if not prompt_ids:
        raise InvalidRecord("Name at least one prompt to count answers for.")
    cte, params = _window(since, until, team)
    # a row with only a note (value NULL) is not an answer given: it counts as unanswered
    joins = " ".join(f"LEFT JOIN answers a{i} ON a{i}.run_id = pr.id AND a{i}.prompt_id = ? AND a{i}.value IS NOT NULL"
                     for i in range(len(prompt_ids)))
    columns = ", ".join(f"a{i}.value" for i in range(len(prompt_ids)))
    cursor = conn.execute(f"{cte}SELECT {columns}, COUNT(*) FROM pr {joins} WHERE pr.checklist_id = ? "
                          f"GROUP BY {columns}", [*params, *prompt_ids, checklist_id])
    result = []
    for row in cursor:
        answers = {p: (None if v is None else json.loads(v)) for p, v in zip(prompt_ids, row[:-1])}
        result.append({"answers": answers, "runs": row[-1]})
    return result


def flag_counts(conn: sqlite3.Connection, since: Any, until: Any, team: str | None) -> list[dict[str, Any]]:
    """Open flags on the period's runs, by checklist and flag: [{checklist_id, flag_id, severity, raised,
    responded, with_action, action_same_day, reason_only}]. `action_same_day` counts responses with an
    action recorded on the day (UTC) the flag was raised (the response's latest change is used)."""
    cte, params = _window(since, until, team)
    cursor = conn.execute(
        f"{cte}SELECT pr.checklist_id, f.flag_id, f.severity, COUNT(*), "
        "COUNT(fr.flag_id), "
        "SUM(CASE WHEN fr.action_taken != '' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN fr.action_taken != '' AND substr(fr.responded_at, 1, 10) = substr(f.raised_at, 1, 10) "
        "    THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN fr.flag_id IS NOT NULL AND fr.action_taken = '' THEN 1 ELSE 0 END) "
        "FROM pr JOIN flags f ON f.run_id = pr.id AND f.cleared_at IS NULL "
        "LEFT JOIN flag_responses fr ON fr.run_id = f.run_id AND fr.flag_id = f.flag_id "
        "GROUP BY pr.checklist_id, f.flag_id, f.severity ORDER BY COUNT(*) DESC, pr.checklist_id, f.flag_id",
        params)
    names = ("checklist_id", "flag_id", "severity", "raised", "responded", "with_action", "action_same_day",
             "reason_only")
    return [dict(zip(names, row)) for row in cursor]


def overdue_counts(conn: sqlite3.Connection, today: Any, no_response_before: Any, since: Any, until: Any,
                   team: str | None) -> dict[str, int]:
    """Actions overdue on the period's runs that are not signed off:
    `by_when_passed`: responses with an action whose 'by when' date is before `today`;
    `no_response`: open flags raised before `no_response_before` with no response at all."""
    cte, params = _window(since, until, team)
    day = str(today)[:10]
    cutoff = as_timestamp(no_response_before)
    passed = conn.execute(
        f"{cte}SELECT COUNT(*) FROM pr JOIN flag_responses fr ON fr.run_id = pr.id "
        "JOIN flags f ON f.run_id = fr.run_id AND f.flag_id = fr.flag_id AND f.cleared_at IS NULL "
        "WHERE pr.status != 'signed_off' AND fr.action_taken != '' AND fr.by_when != '' AND fr.by_when < ?",
        [*params, day]).fetchone()[0]
    silent = conn.execute(
        f"{cte}SELECT COUNT(*) FROM pr JOIN flags f ON f.run_id = pr.id AND f.cleared_at IS NULL "
        "LEFT JOIN flag_responses fr ON fr.run_id = f.run_id AND fr.flag_id = f.flag_id "
        "WHERE pr.status != 'signed_off' AND fr.flag_id IS NULL AND f.raised_at < ?",
        [*params, cutoff]).fetchone()[0]
    return {"by_when_passed": int(passed), "no_response": int(silent)}
