"""Training scenario progress: where a trainer's group is in a scenario, kept with the scenario's run.

One row per run in `scenario_progress` (schema version 4): the scenario, the ids of its stages when the
session started, the stage reached, the flag ids raised at the end of each finished stage, and whether
the scenario was finished. The row is written whole, in one transaction, each time it changes.

Scenario progress belongs only in the training workspace (training.db); the facade refuses it in the
real records. Like the run's resume position it is navigation rather than the record itself, so it is not
audited. A signed-off run's progress is frozen by SQLite triggers like the rest of the run; a submitted run
still takes it, because its answers (which the raised flags come from) can no longer change.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from app.store import runs, validate
from app.store.errors import InvalidRecord, RunSignedOff, SIGNED_OFF_MESSAGE

MAX_STAGES = 100
_ID_LENGTH = 100
_COLUMNS = ("run_id", "scenario_id", "stage_ids", "stage_index", "raised_at_stage", "finished", "started_at",
            "updated_at")
LIST_COLUMNS = ("run_id", "case_id", "case_reference", "checklist_id", "status", "scenario_id", "stage_ids",
                "stage_index", "started_at", "updated_at")


def _identifier(what: str, value: Any) -> str:
    return validate.text(what, value, max_length=_ID_LENGTH)


def _whole(what: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRecord(f"{what} must be a whole number from {low} to {high}, got {value!r}.")
    return value


def check(progress: Mapping[str, Any]) -> dict[str, Any]:
    """The progress as stored: {scenario_id, stage_ids, stage_index, raised_at_stage, finished}; InvalidRecord
    naming the field that is wrong."""
    validate.known_keys("Scenario progress", progress,
                        ("scenario_id", "stage_ids", "stage_index", "raised_at_stage", "finished"))
    scenario_id = _identifier("Scenario id", progress.get("scenario_id"))
    stage_ids = progress.get("stage_ids")
    if isinstance(stage_ids, (str, bytes)) or not isinstance(stage_ids, (list, tuple)) \
            or not 1 <= len(stage_ids) <= MAX_STAGES:
        raise InvalidRecord(f"Scenario stages must be a list of 1 to {MAX_STAGES} stage ids.")
    stage_ids = [_identifier("Stage id", one) for one in stage_ids]
    if len(set(stage_ids)) != len(stage_ids):
        raise InvalidRecord("Scenario stage ids must all be different.")
    last = len(stage_ids) - 1
    stage_index = _whole("Stage reached", progress.get("stage_index"), 0, last)
    raised = progress.get("raised_at_stage") or {}
    if not isinstance(raised, Mapping):
        raise InvalidRecord("Flags raised at each stage must be given by stage number.")
    raised_at_stage: dict[int, list[str]] = {}
    for key, flag_ids in raised.items():
        index = _whole("Finished stage", key, 0, last)
        if isinstance(flag_ids, (str, bytes)) or not isinstance(flag_ids, (list, tuple)):
            raise InvalidRecord(f"The flags raised at stage {index + 1} must be a list of flag ids.")
        raised_at_stage[index] = [_identifier("Flag id", flag_id) for flag_id in flag_ids]
    finished = progress.get("finished", False)
    if not isinstance(finished, bool):
        raise InvalidRecord(f"Finished must be true or false, got {finished!r}.")
    return {"scenario_id": scenario_id, "stage_ids": stage_ids, "stage_index": stage_index,
            "raised_at_stage": dict(sorted(raised_at_stage.items())), "finished": finished}


def save(conn: sqlite3.Connection, run_id: int, progress: Mapping[str, Any], now: str) -> dict[str, Any]:
    """Replace the run's progress with `progress` (see `check`); returns it as stored."""
    clean = check(progress)
    status, _ = runs.status_of(conn, run_id)
    if status == "signed_off":
        raise RunSignedOff(SIGNED_OFF_MESSAGE + ", so this training session cannot move on. Start the scenario "
                           "afresh to run it again.")
    raised = json.dumps({str(k): v for k, v in clean["raised_at_stage"].items()}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO scenario_progress (run_id, scenario_id, stage_ids, stage_index, raised_at_stage, finished, "
        "started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET "
        "scenario_id = excluded.scenario_id, stage_ids = excluded.stage_ids, stage_index = excluded.stage_index, "
        "raised_at_stage = excluded.raised_at_stage, finished = excluded.finished, updated_at = excluded.updated_at",
        (run_id, clean["scenario_id"], json.dumps(clean["stage_ids"], ensure_ascii=False), clean["stage_index"],
         raised, int(clean["finished"]), now, now))
    return get(conn, run_id)


def _row(row: tuple) -> dict[str, Any]:
    found = dict(zip(_COLUMNS, row))
    found["stage_ids"] = json.loads(found["stage_ids"])
    found["stage_count"] = len(found["stage_ids"])
    found["raised_at_stage"] = {int(k): list(v) for k, v in json.loads(found["raised_at_stage"]).items()}
    found["finished"] = bool(found["finished"])
    return found


def get(conn: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    """The run's progress, or None when the run has none (NotFound when there is no such run)."""
    runs.status_of(conn, run_id)
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM scenario_progress WHERE run_id = ?", (run_id,)).fetchone()
    return None if row is None else _row(row)


def unfinished(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """Sessions not finished and not signed off, most recently used first. `updated_at` is the later of the
    last stage change and the last change to the run (an answer given), so it says when it was last used."""
    cursor = conn.execute(
        "SELECT p.run_id, r.case_id, c.reference, r.checklist_id, r.status, p.scenario_id, p.stage_ids, "
        "p.stage_index, p.started_at, MAX(p.updated_at, r.updated_at) AS last_used "
        "FROM scenario_progress p JOIN runs r ON r.id = p.run_id JOIN cases c ON c.id = r.case_id "
        "WHERE p.finished = 0 AND r.status != 'signed_off' ORDER BY last_used DESC, p.run_id DESC LIMIT ?",
        (limit,))
    found = []
    for row in cursor:
        item = dict(zip(LIST_COLUMNS, row))
        item["stage_ids"] = json.loads(item["stage_ids"])
        item["stage_count"] = len(item["stage_ids"])
        found.append(item)
    return found
