"""Checklist runs: starting, reading, listing, resume position and the review workflow.

Status moves draft -> submitted -> (returned -> submitted ...) -> signed_off. A signed-off run is
never changed (SQLite triggers refuse it); correcting it means `amend`, which starts a new run
(version + 1, amends_run_id = the old run) with the old answers, flags and responses copied.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.store import audit, cases, snapshots, validate
from app.store.clock import as_timestamp
from app.store.errors import InvalidRecord, NotFound, RunNotEditable, RunSignedOff, SIGNED_OFF_MESSAGE

EDITABLE = ("draft", "returned")
_RUN_COLUMNS = (
    "id", "case_id", "checklist_id", "checklist_version", "snapshot_id", "practitioner", "status", "position",
    "version", "amends_run_id", "case_snapshot", "created_at", "updated_at", "submitted_at", "signed_off_at",
    "signed_off_by", "flag_rank",
)
LIST_COLUMNS = (
    "id", "case_id", "case_reference", "child_name", "checklist_id", "checklist_version", "checklist_title",
    "status", "practitioner", "version", "amends_run_id", "flag_rank", "created_at", "updated_at",
)
_LIST_SELECT = (
    "SELECT r.id, r.case_id, c.reference, c.child_name, r.checklist_id, r.checklist_version, s.title, r.status, "
    "r.practitioner, r.version, r.amends_run_id, r.flag_rank, r.created_at, r.updated_at "
    "FROM runs r JOIN cases c ON c.id = r.case_id JOIN snapshots s ON s.id = r.snapshot_id"
)
ORDERABLE = {"updated_at", "created_at", "status", "checklist_id", "practitioner", "id", "flag_rank"}


def status_of(conn: sqlite3.Connection, run_id: int) -> tuple[str, int]:
    """(status, snapshot_id) of a run; NotFound if there is none."""
    row = conn.execute("SELECT status, snapshot_id FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no checklist run with id {run_id}.")
    return row[0], row[1]


def require_editable(conn: sqlite3.Connection, run_id: int) -> int:
    """Check a run can take answers, flags and responses (draft or returned); returns its snapshot id."""
    status, snapshot_id = status_of(conn, run_id)
    if status == "signed_off":
        raise RunSignedOff(SIGNED_OFF_MESSAGE + ". To correct it, start an amendment.")
    if status not in EDITABLE:
        raise RunNotEditable(
            "This checklist has been submitted for review and cannot be changed until the supervisor returns it.")
    return snapshot_id


def start(conn: sqlite3.Connection, case_id: int, checklist_id: str, version: int, snapshot: dict[str, Any],
          practitioner: str, now: str) -> int:
    """Create a draft run with the checklist snapshot; returns the run id."""
    checklist_id = validate.text("Checklist id", checklist_id, max_length=100)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidRecord(f"Checklist version must be a whole number from 1, got {version!r}.")
    practitioner = validate.text("Practitioner", practitioner, max_length=200)
    snapshots.check(snapshot, checklist_id, version)
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
        raise NotFound(f"There is no case with id {case_id}.")
    snapshot_id = snapshots.store(conn, snapshot, checklist_id, version)
    cursor = conn.execute(
        "INSERT INTO runs (case_id, checklist_id, checklist_version, snapshot_id, practitioner, status, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
        (case_id, checklist_id, version, snapshot_id, practitioner, now, now),
    )
    run_id = int(cursor.lastrowid)
    audit.append(conn, now, [audit.Change(practitioner, "run", str(run_id), "created", None, {
        "case_id": case_id, "checklist_id": checklist_id, "checklist_version": version,
        "practitioner": practitioner, "status": "draft"}, run_id)])
    return run_id


def get(conn: sqlite3.Connection, run_id: int, cache: snapshots.Cache) -> dict[str, Any]:
    """A run with its `snapshot` dict, case reference and name, and `amended_by_run_id` if amended."""
    row = conn.execute(f"SELECT {', '.join(_RUN_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no checklist run with id {run_id}.")
    run = dict(zip(_RUN_COLUMNS, row))
    run["snapshot"] = cache.load(conn, run["snapshot_id"])
    run["case_snapshot"] = json.loads(run["case_snapshot"]) if run["case_snapshot"] else None
    run["case_reference"], run["child_name"] = conn.execute(
        "SELECT reference, child_name FROM cases WHERE id = ?", (run["case_id"],)).fetchone()
    newer = conn.execute("SELECT id FROM runs WHERE amends_run_id = ? ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()
    run["amended_by_run_id"] = newer[0] if newer else None
    run["top_severity"] = None if run["flag_rank"] is None else validate.SEVERITIES[run["flag_rank"]]
    return run


def _filters(status: str | list[str] | None, practitioner: str | None, team: str | None,
             checklist_id: str | None, min_severity: str | None, since: Any, until: Any,
             case_id: int | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        for one in wanted:
            validate.choice("Status", one, validate.STATUSES)
        clauses.append(f"r.status IN ({', '.join('?' * len(wanted))})" if len(wanted) != 1 else "r.status = ?")
        params += wanted
    if practitioner is not None:
        clauses.append("r.practitioner = ?")
        params.append(practitioner)
    if team is not None:
        clauses.append("r.practitioner IN (SELECT name FROM profiles WHERE team = ?)")
        params.append(team)
    if checklist_id is not None:
        clauses.append("r.checklist_id = ?")
        params.append(checklist_id)
    if min_severity is not None:
        clauses.append("r.flag_rank <= ?")
        params.append(validate.SEVERITY_RANK[validate.choice("Severity", min_severity, validate.SEVERITIES)])
    for name, value, op in (("since", since, ">="), ("until", until, "<")):
        if value is not None:
            try:
                stamp = as_timestamp(value)
            except (TypeError, ValueError) as exc:
                raise InvalidRecord(f"'{name}' must be a date or date and time, got {value!r}.") from exc
            clauses.append(f"r.updated_at {op} ?")
            params.append(stamp)
    if case_id is not None:
        clauses.append("r.case_id = ?")
        params.append(case_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def list_runs(conn: sqlite3.Connection, filters: dict[str, Any], order_by: str, limit: int, offset: int) -> list[dict]:
    """A page of runs for lists: id, case reference, child's name, checklist, status, practitioner, last change."""
    where, params = _filters(**filters)
    order = cases.order_clause(order_by, ORDERABLE, prefix="r.")
    cursor = conn.execute(f"{_LIST_SELECT}{where} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
    return [dict(zip(LIST_COLUMNS, row)) for row in cursor]


def count_runs(conn: sqlite3.Connection, filters: dict[str, Any]) -> int:
    """How many runs match the same filters as list_runs."""
    where, params = _filters(**filters)
    return int(conn.execute(f"SELECT COUNT(*) FROM runs r{where}", params).fetchone()[0])


def set_position(conn: sqlite3.Connection, run_id: int, position: int) -> bool:
    """Remember the section the practitioner is on; False (nothing stored) for a signed-off run.

    The resume position is navigation, not part of the record, so it is not audited and does not count
    as a change for 'last change' ordering.
    """
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise InvalidRecord(f"Section position must be a whole number from 0, got {position!r}.")
    status, _ = status_of(conn, run_id)
    if status == "signed_off":
        return False
    conn.execute("UPDATE runs SET position = ? WHERE id = ? AND position != ?", (position, run_id, position))
    return True


def touch(conn: sqlite3.Connection, run_id: int, now: str) -> None:
    """Record that the run changed now (for 'last change' ordering)."""
    conn.execute("UPDATE runs SET updated_at = ? WHERE id = ?", (now, run_id))


def _case_snapshot(conn: sqlite3.Connection, case_id: int) -> str:
    return json.dumps(cases.get(conn, case_id), ensure_ascii=False, sort_keys=True)


def submit(conn: sqlite3.Connection, run_id: int, by: str, now: str) -> None:
    """Draft or returned -> submitted, keeping a copy of the case as it was."""
    by = validate.text("Submitted by", by, max_length=200)
    require_editable(conn, run_id)
    case_id = conn.execute("SELECT case_id FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    old = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    conn.execute("UPDATE runs SET status = 'submitted', submitted_at = ?, updated_at = ?, case_snapshot = ? "
                 "WHERE id = ?", (now, now, _case_snapshot(conn, case_id), run_id))
    audit.append(conn, now, [audit.Change(by, "run", str(run_id), "status", old, "submitted", run_id)])


def _require_submitted(conn: sqlite3.Connection, run_id: int, doing: str) -> None:
    status, _ = status_of(conn, run_id)
    if status == "signed_off":
        raise RunSignedOff(SIGNED_OFF_MESSAGE + ".")
    if status != "submitted":
        raise RunNotEditable(f"Only a submitted checklist can be {doing}; this one is {status.replace('_', ' ')}.")


def add_review(conn: sqlite3.Connection, run_id: int, supervisor: str, decision: str, comment: str, now: str) -> int:
    """Insert a review row (and its audit row); returns the review id."""
    cursor = conn.execute("INSERT INTO reviews (run_id, supervisor, decision, comment, at) VALUES (?, ?, ?, ?, ?)",
                          (run_id, supervisor, decision, comment, now))
    review_id = int(cursor.lastrowid)
    audit.append(conn, now, [audit.Change(supervisor, "review", str(review_id), decision, None, comment, run_id)])
    return review_id


def return_run(conn: sqlite3.Connection, run_id: int, supervisor: str, reason: str, now: str) -> None:
    """Submitted -> returned to the practitioner, with the supervisor's reason."""
    supervisor = validate.text("Supervisor", supervisor, max_length=200)
    reason = validate.text("Reason for returning", reason)
    _require_submitted(conn, run_id, "returned")
    conn.execute("UPDATE runs SET status = 'returned', updated_at = ? WHERE id = ?", (now, run_id))
    audit.append(conn, now, [audit.Change(supervisor, "run", str(run_id), "status", "submitted", "returned", run_id)])
    add_review(conn, run_id, supervisor, "returned", reason, now)


def sign_off(conn: sqlite3.Connection, run_id: int, supervisor: str, comment: str, now: str) -> None:
    """Submitted -> signed_off. After this the database refuses any change to the run."""
    supervisor = validate.text("Supervisor", supervisor, max_length=200)
    comment = validate.text("Comment", comment, required=False)
    _require_submitted(conn, run_id, "signed off")
    add_review(conn, run_id, supervisor, "signed_off", comment, now)
    audit.append(conn, now, [audit.Change(supervisor, "run", str(run_id), "status", "submitted", "signed_off", run_id)])
    # Last statement: once status is signed_off, the triggers refuse every further change to the run.
    case_id = conn.execute("SELECT case_id FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    conn.execute("UPDATE runs SET status = 'signed_off', signed_off_at = ?, signed_off_by = ?, updated_at = ?, "
                 "case_snapshot = ? WHERE id = ?", (now, supervisor, now, _case_snapshot(conn, case_id), run_id))


def amend(conn: sqlite3.Connection, run_id: int, by: str, now: str) -> int:
    """Start a new draft run (version + 1) amending a signed-off run, copying its answers, open flags and
    responses; the old run is left exactly as it was. Returns the new run id."""
    by = validate.text("Amended by", by, max_length=200)
    status, _ = status_of(conn, run_id)
    if status != "signed_off":
        raise RunNotEditable("Only a signed-off checklist is amended; this one can still be changed directly.")
    newer = conn.execute("SELECT id FROM runs WHERE amends_run_id = ?", (run_id,)).fetchone()
    if newer:
        raise RunNotEditable(f"This checklist has already been amended (run {newer[0]}); amend the latest version.")
    cursor = conn.execute(
        "INSERT INTO runs (case_id, checklist_id, checklist_version, snapshot_id, practitioner, status, position, "
        "version, amends_run_id, created_at, updated_at, flag_rank) "
        "SELECT case_id, checklist_id, checklist_version, snapshot_id, ?, 'draft', 0, version + 1, id, ?, ?, flag_rank "
        "FROM runs WHERE id = ?", (by, now, now, run_id))
    new_id = int(cursor.lastrowid)
    conn.execute("INSERT INTO answers (run_id, prompt_id, value, note, how_known, reported_by, answered_at, answered_by) "
                 "SELECT ?, prompt_id, value, note, how_known, reported_by, answered_at, answered_by "
                 "FROM answers WHERE run_id = ?", (new_id, run_id))
    conn.execute("INSERT INTO flags (run_id, flag_id, severity, message, action, raised_at) "
                 "SELECT ?, flag_id, severity, message, action, raised_at FROM flags "
                 "WHERE run_id = ? AND cleared_at IS NULL", (new_id, run_id))
    conn.execute("INSERT INTO flag_responses (run_id, flag_id, action_taken, by_whom, by_when, reason_not_acting, "
                 "responded_at, responded_by) SELECT ?, flag_id, action_taken, by_whom, by_when, reason_not_acting, "
                 "responded_at, responded_by FROM flag_responses WHERE run_id = ?", (new_id, run_id))
    copied = conn.execute("SELECT prompt_id, value FROM answers WHERE run_id = ? AND value IS NOT NULL "
                          "ORDER BY prompt_id", (new_id,)).fetchall()
    changes = [audit.Change(by, "run", str(new_id), "created", None, {"amends_run_id": run_id, "status": "draft"}, new_id)]
    changes += [audit.Change(by, "answer", f"{new_id}/{prompt}", "value", None, json.loads(value), new_id)
                for prompt, value in copied]
    audit.append(conn, now, changes)
    return new_id


def reviews(conn: sqlite3.Connection, run_id: int) -> list[dict[str, Any]]:
    """Supervisor decisions and comments on a run, oldest first."""
    status_of(conn, run_id)
    cursor = conn.execute("SELECT id, run_id, supervisor, decision, comment, at FROM reviews WHERE run_id = ? "
                          "ORDER BY at, id", (run_id,))
    return [dict(zip(("id", "run_id", "supervisor", "decision", "comment", "at"), row)) for row in cursor]
