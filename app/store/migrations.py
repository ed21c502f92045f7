"""Forward-only schema migrations.

`MIGRATIONS` is an ordered list of (version, name, function). Each function runs inside its own
transaction; the version is recorded in `schema_migrations` (and `PRAGMA user_version`) in the same
transaction, so a crash part-way leaves the database at the previous version, never half-migrated.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.store.clock import utc_now
from app.store.errors import StoreTooNew

SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")

SEVERITY_RANK = {"urgent": 0, "act": 1, "consider": 2, "info": 3}

_SIGNED_OFF_RUNS_TRIGGER = """
CREATE TRIGGER runs_signed_off_update BEFORE UPDATE ON runs WHEN OLD.status = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END
"""


def _v1_initial(conn: sqlite3.Connection) -> None:
    for statement in _split_sql(SCHEMA_V1.read_text(encoding="utf-8")):
        conn.execute(statement)


def _v2_run_list(conn: sqlite3.Connection) -> None:
    """Run lists: the most severe open flag on each run, and indexes for the filtered, ordered lists."""
    conn.execute("ALTER TABLE runs ADD COLUMN flag_rank INTEGER")
    # Backfilling a derived column is not a change to a signed-off record, so the guard is lifted for
    # this one statement inside the migration's transaction and put back before it commits.
    conn.execute("DROP TRIGGER runs_signed_off_update")
    conn.execute(
        """UPDATE runs SET flag_rank = (
               SELECT MIN(CASE severity WHEN 'urgent' THEN 0 WHEN 'act' THEN 1 WHEN 'consider' THEN 2 ELSE 3 END)
               FROM flags WHERE flags.run_id = runs.id AND flags.cleared_at IS NULL)"""
    )
    conn.execute(_SIGNED_OFF_RUNS_TRIGGER)
    conn.execute("CREATE INDEX runs_status_checklist_updated ON runs(status, checklist_id, updated_at)")
    conn.execute("CREATE INDEX runs_status_updated ON runs(status, updated_at)")
    conn.execute("CREATE INDEX runs_checklist_updated ON runs(checklist_id, updated_at)")
    conn.execute("CREATE INDEX runs_practitioner_updated ON runs(practitioner, updated_at)")
    conn.execute("CREATE INDEX runs_updated ON runs(updated_at)")
    conn.execute("CREATE INDEX cases_updated ON cases(updated_at)")
    conn.execute("CREATE INDEX cases_child_name ON cases(child_name)")


_ANSWERS_V3 = """
CREATE TABLE answers_v3 (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    prompt_id TEXT NOT NULL,
    value TEXT,
    note TEXT NOT NULL DEFAULT '',
    how_known TEXT CHECK (how_known IS NULL OR how_known IN ('seen', 'reported', 'judgement')),
    reported_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    PRIMARY KEY (run_id, prompt_id),
    CHECK (value IS NOT NULL OR note != '' OR how_known IS NOT NULL OR reported_by != '')
) WITHOUT ROWID
"""

_ANSWERS_SIGNED_OFF_TRIGGERS = (
    """CREATE TRIGGER answers_signed_off_insert BEFORE INSERT ON answers
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
    """CREATE TRIGGER answers_signed_off_update BEFORE UPDATE ON answers
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
    """CREATE TRIGGER answers_signed_off_delete BEFORE DELETE ON answers
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
)


def _v3_note_before_answer(conn: sqlite3.Connection) -> None:
    """An answer row may have no value yet ("not answered yet") when it carries a note, how it is known or
    who reported it, so a note typed before the answer is saved the moment it is given.

    SQLite cannot drop a NOT NULL constraint, so the table is rebuilt with the same rows; dropping the old
    table drops its signed-off triggers (without firing them), and they are created again unchanged."""
    conn.execute(_ANSWERS_V3)
    conn.execute("INSERT INTO answers_v3 (run_id, prompt_id, value, note, how_known, reported_by, answered_at, "
                 "answered_by) SELECT run_id, prompt_id, value, note, how_known, reported_by, answered_at, "
                 "answered_by FROM answers")
    conn.execute("DROP TABLE answers")
    conn.execute("ALTER TABLE answers_v3 RENAME TO answers")
    for trigger in _ANSWERS_SIGNED_OFF_TRIGGERS:
        conn.execute(trigger)


_SCENARIO_PROGRESS_V4 = """
CREATE TABLE scenario_progress (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    scenario_id TEXT NOT NULL,
    stage_ids TEXT NOT NULL CHECK (json_valid(stage_ids) AND json_type(stage_ids) = 'array'
                                   AND json_array_length(stage_ids) >= 1),
    stage_index INTEGER NOT NULL CHECK (stage_index >= 0 AND stage_index < json_array_length(stage_ids)),
    raised_at_stage TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(raised_at_stage)
                                                      AND json_type(raised_at_stage) = 'object'),
    finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID
"""

_SCENARIO_PROGRESS_SIGNED_OFF_TRIGGERS = (
    """CREATE TRIGGER scenario_progress_signed_off_insert BEFORE INSERT ON scenario_progress
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
    """CREATE TRIGGER scenario_progress_signed_off_update BEFORE UPDATE ON scenario_progress
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
    """CREATE TRIGGER scenario_progress_signed_off_delete BEFORE DELETE ON scenario_progress
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END""",
)


def _v4_scenario_progress(conn: sqlite3.Connection) -> None:
    """Training: where a group is in a scenario (stage reached, flags raised at each finished stage, finished),
    one row per scenario run, so a session survives the app closing. Only the training workspace writes rows
    (app.store.scenarios); a signed-off run's row is frozen by the same triggers as its answers."""
    conn.execute(_SCENARIO_PROGRESS_V4)
    conn.execute("CREATE INDEX scenario_progress_unfinished ON scenario_progress(finished, updated_at)")
    for trigger in _SCENARIO_PROGRESS_SIGNED_OFF_TRIGGERS:
        conn.execute(trigger)


Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]

MIGRATIONS: list[Migration] = [
    (1, "initial records schema", _v1_initial),
    (2, "run list: flag rank and list indexes", _v2_run_list),
    (3, "answers: a note or how it is known saved before the answer", _v3_note_before_answer),
    (4, "training: scenario progress kept with the scenario's run", _v4_scenario_progress),
]

LATEST = MIGRATIONS[-1][0]


def _split_sql(script: str) -> list[str]:
    """Split a schema script into statements (triggers contain ';' so use sqlite3.complete_statement)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"Incomplete SQL statement at the end of the schema: {buffer.strip()[:60]!r}")
    return statements


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration version (0 for a new, empty database)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def applied(conn: sqlite3.Connection) -> list[dict]:
    """Every applied migration: version, name and when it ran."""
    if current_version(conn) == 0:
        return []
    cursor = conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
    return [{"version": v, "name": n, "applied_at": a} for v, n, a in cursor]


def migrate(conn: sqlite3.Connection, path: Path | str, target: int | None = None) -> list[int]:
    """Apply every migration above the current version (up to `target`); returns the versions applied.

    `conn` must be in autocommit mode (isolation_level=None). Raises StoreTooNew when the database is
    newer than this app knows.
    """
    target = LATEST if target is None else target
    version = current_version(conn)
    if version > LATEST:
        raise StoreTooNew(
            f"The records file {path} was saved by a newer version of Safeguarding Practice Checklists "
            f"(schema {version}; this version knows up to {LATEST}). Install the newer version to open it."
        )
    done: list[int] = []
    for number, name, step in MIGRATIONS:
        if number <= version or number > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another copy of the app may have migrated while this one waited for the lock.
            if current_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            step(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (number, name, utc_now()),
            )
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        done.append(number)
    return done
