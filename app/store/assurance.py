"""Counts for the partnership assurance dashboard: aggregates only, never a name, reference or answer text.

Every query works on the same set of runs, "the period's runs": checklists *started* in [since, until)
by practitioners of `team` (all teams when None), counting only the latest version of each record (a run
that has been amended is replaced by its amendment, so nothing is counted twice). Results are counts
grouped by checklist, status, flag or the chosen (coded) answers of choice prompts; no row identifies a
child, a case or a person.

How the queries are shaped (100,000 runs: see bench/bench_assurance.py). There is no index on
`runs.created_at` (every index on `runs` slows saving an answer), so the period's runs are found by one
scan of the `runs` table, which is small (about 190 bytes a run). The scan is forced (`NOT INDEXED`):
left to itself SQLite walks an index on status or checklist and then looks up every run's row, which is
several times slower. "Not amended" is one lookup of the few amended ids (`NOT IN`), not a probe of the
amendments index per run. Flags and answers are then reached from each of the period's runs by their
primary key or the open-flags index, and each query makes one pass over them.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from app.store.clock import as_timestamp
from app.store.errors import InvalidRecord


def _window(since: Any, until: Any, team: str | None, where: Sequence[str] = (),
            where_params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
    """The common table expression `pr` (the period's runs: id, checklist_id, status) and its parameters.

    `where` narrows it further with conditions on the run `r` (e.g. one checklist), bound to `where_params`;
    they only ever remove runs the query would not count anyway."""
    try:
        start, end = as_timestamp(since), as_timestamp(until)
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(f"The period must be given as dates, got {since!r} to {until!r}.") from exc
    if end <= start:
        raise InvalidRecord("The end of the period must be after its start.")
    sql = ("WITH pr AS (SELECT r.id, r.checklist_id, r.status FROM runs r NOT INDEXED "
           "WHERE r.created_at >= ? AND r.created_at < ? "
           "AND r.id NOT IN (SELECT amends_run_id FROM runs WHERE amends_run_id IS NOT NULL)")
    params: list[Any] = [start, end]
    if team is not None:
        sql += " AND r.practitioner IN (SELECT name FROM profiles WHERE team = ?)"
        params.append(team)
    for condition in where:
        sql += f" AND {condition}"
    params.extend(where_params)
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
    cte, params = _window(since, until, team, ["r.checklist_id = ?"], [checklist_id])
    # a row with only a note (value NULL) is not an answer given: it counts as unanswered
    joins = " ".join(f"LEFT JOIN answers a{i} ON a{i}.run_id = pr.id AND a{i}.prompt_id = ? AND a{i}.value IS NOT NULL"
                     for i in range(len(prompt_ids)))
    columns = ", ".join(f"a{i}.value" for i in range(len(prompt_ids)))
    cursor = conn.execute(f"{cte}SELECT {columns}, COUNT(*) FROM pr {joins} GROUP BY {columns}",
                          [*params, *prompt_ids])
    result = []
    for row in cursor:  # one row per combination of answers (a few hundred at most), not per run
        answers = {p: (None if v is None else json.loads(v)) for p, v in zip(prompt_ids, row[:-1])}
        result.append({"answers": answers, "runs": row[-1]})
    return result


def flag_counts(conn: sqlite3.Connection, since: Any, until: Any, team: str | None) -> list[dict[str, Any]]:
    """Open flags on the period's runs, by checklist and flag: [{checklist_id, flag_id, severity, raised,
    responded, with_action, action_same_day, reason_only}], most raised first. `action_same_day` counts
    responses with an action recorded on the day (UTC) the flag was raised (the response's latest change is
    used); `reason_only` responses with no action (a reason for not acting instead)."""
    cte, params = _window(since, until, team)
    # CROSS JOIN keeps the period's runs as the outer loop (flags reached through flags_open by run id).
    cursor = conn.execute(
        f"{cte}SELECT pr.checklist_id, f.flag_id, f.severity, COUNT(*), COUNT(fr.flag_id), "
        "COUNT(NULLIF(fr.action_taken, '')), "
        "COUNT(CASE WHEN fr.action_taken != '' AND substr(fr.responded_at, 1, 10) = substr(f.raised_at, 1, 10) "
        "      THEN 1 END) "
        "FROM pr CROSS JOIN flags f ON f.run_id = pr.id AND f.cleared_at IS NULL "
        "LEFT JOIN flag_responses fr ON fr.run_id = f.run_id AND fr.flag_id = f.flag_id "
        "GROUP BY pr.checklist_id, f.flag_id, f.severity "
        "ORDER BY COUNT(*) DESC, pr.checklist_id, f.flag_id, f.severity", params)
    result = []
    for checklist_id, flag_id, severity, raised, responded, with_action, same_day in cursor:
        # action_taken is never NULL: a response has an action, or it does not (a reason instead)
        result.append({"checklist_id": checklist_id, "flag_id": flag_id, "severity": severity, "raised": raised,
                       "responded": responded, "with_action": with_action, "action_same_day": same_day,
                       "reason_only": responded - with_action})
    return result


def overdue_counts(conn: sqlite3.Connection, today: Any, no_response_before: Any, since: Any, until: Any,
                   team: str | None) -> dict[str, int]:
    """Actions overdue on the period's runs that are not signed off:
    `by_when_passed`: responses with an action whose 'by when' date is before `today`, to a flag still open;
    `no_response`: open flags raised before `no_response_before` with no response at all."""
    cte, params = _window(since, until, team, ["r.status != 'signed_off'"])
    day = str(today)[:10]
    cutoff = as_timestamp(no_response_before)
    # One statement, so the period's runs are found once. At most one open flag per run and flag id
    # (the flags_open unique index), so EXISTS counts each response once, as a join would.
    passed, silent = conn.execute(
        f"{cte}SELECT "
        "(SELECT COUNT(*) FROM pr CROSS JOIN flag_responses fr ON fr.run_id = pr.id "
        " WHERE fr.action_taken != '' AND fr.by_when != '' AND fr.by_when < ? "
        " AND EXISTS (SELECT 1 FROM flags f WHERE f.run_id = fr.run_id AND f.flag_id = fr.flag_id "
        "             AND f.cleared_at IS NULL)), "
        "(SELECT COUNT(*) FROM pr CROSS JOIN flags f ON f.run_id = pr.id AND f.cleared_at IS NULL "
        " WHERE f.raised_at < ? "
        " AND NOT EXISTS (SELECT 1 FROM flag_responses fr WHERE fr.run_id = f.run_id AND fr.flag_id = f.flag_id))",
        [*params, day, cutoff]).fetchone()
    return {"by_when_passed": int(passed), "no_response": int(silent)}
