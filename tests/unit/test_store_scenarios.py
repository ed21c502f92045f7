"""Training scenario progress in the store: written whole in training.db, refused in the real records, listed
most recently used first while unfinished, and frozen with a signed-off run like the rest of it."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app import paths
from app.store import InvalidRecord, NotFound, RunSignedOff, Store
from fixtures_store.store_helpers import case_and_run

STAGES = ["home_visit", "paediatric_assessment", "strategy"]


def progress(stage_index: int = 0, raised: dict | None = None, finished: bool = False, **changes) -> dict:
    return {"scenario_id": "bruise-anxious-parents", "stage_ids": list(STAGES), "stage_index": stage_index,
            "raised_at_stage": raised or {}, "finished": finished, **changes}


class Clock:
    """Timestamps one minute apart, so 'most recently used' is decided by the order of the writes."""

    def __init__(self) -> None:
        self.minute = 0

    def __call__(self) -> str:
        self.minute += 1
        return f"2026-11-25T14:{self.minute:02d}:00.000000+00:00"


@pytest.fixture
def training(tmp_path: Path):
    store = Store.open(paths.database_path(tmp_path, training=True), auto_backup=False, now=Clock())
    yield store
    store.close()


@pytest.fixture
def real(tmp_path: Path):
    store = Store.open(paths.database_path(tmp_path, training=False), auto_backup=False, now=Clock())
    yield store
    store.close()


def rows(store: Store) -> list[tuple]:
    raw = sqlite3.connect(store.path)
    try:
        return raw.execute("SELECT * FROM scenario_progress").fetchall()
    finally:
        raw.close()


def test_the_store_knows_which_file_is_the_training_one(training, real):
    assert training.training and not real.training


def test_progress_is_saved_whole_and_read_back(training):
    _, run_id = case_and_run(training, "TRN-BRUISE-01")
    assert training.get_scenario_progress(run_id) is None
    first = training.save_scenario_progress(run_id, progress())
    assert (first["stage_index"], first["stage_count"], first["raised_at_stage"], first["finished"]) == (0, 3, {}, False)
    assert first["stage_ids"] == STAGES and first["started_at"] == first["updated_at"]

    second = training.save_scenario_progress(run_id, progress(1, {0: ("nim_mark_same_day", "ten4_positive")}))
    assert second["raised_at_stage"] == {0: ["nim_mark_same_day", "ten4_positive"]}
    assert second["started_at"] == first["started_at"] and second["updated_at"] > first["updated_at"]
    # written whole: what is not in the new progress is gone, not merged
    third = training.save_scenario_progress(run_id, progress(1, {1: []}))
    assert third["raised_at_stage"] == {1: []}
    assert training.get_scenario_progress(run_id) == third
    assert len(rows(training)) == 1


def test_progress_that_does_not_fit_is_refused_and_the_saved_progress_kept(training):
    _, run_id = case_and_run(training, "TRN-BRUISE-01")
    kept = training.save_scenario_progress(run_id, progress(1, {0: ["nim_mark_same_day"]}))
    for wrong, message in (
        (progress(3), "Stage reached must be a whole number from 0 to 2"),
        (progress(-1), "Stage reached must be a whole number from 0 to 2"),
        (progress(0, {5: []}), "Finished stage must be a whole number from 0 to 2"),
        (progress(0, {0: "nim_mark_same_day"}), "flags raised at stage 1 must be a list"),
        (progress(0, stage_ids=[]), "list of 1 to 100 stage ids"),
        (progress(0, stage_ids=["a", "a"]), "must all be different"),
        (progress(0, finished="yes"), "Finished must be true or false"),
        (progress(0, scenario_id=""), "Scenario id is needed"),
        ({**progress(0), "stage": 2}, "unknown field"),
    ):
        with pytest.raises(InvalidRecord, match=message):
            training.save_scenario_progress(run_id, wrong)
    assert training.get_scenario_progress(run_id) == kept
    with pytest.raises(NotFound, match="no checklist run with id 99"):
        training.save_scenario_progress(99, progress())


def test_the_real_records_refuse_progress_and_never_show_any(real):
    _, run_id = case_and_run(real, "HV-0001")
    with pytest.raises(InvalidRecord, match="only in the training workspace") as caught:
        real.save_scenario_progress(run_id, progress())
    assert "Nothing was saved" in caught.value.user_message
    assert rows(real) == []
    assert real.get_scenario_progress(run_id) is None
    assert real.list_unfinished_scenarios() == []


def test_unfinished_sessions_are_listed_most_recently_used_first(training):
    _, older = case_and_run(training, "TRN-BRUISE-01")
    _, newer = case_and_run(training, "TRN-BRUISE-02")
    _, done = case_and_run(training, "TRN-BRUISE-03")
    training.save_scenario_progress(older, progress(1, {0: []}))
    training.save_scenario_progress(newer, progress(2, {0: [], 1: []}))
    training.save_scenario_progress(done, progress(2, {0: [], 1: [], 2: []}, finished=True))
    listed = training.list_unfinished_scenarios()
    assert [(s["run_id"], s["case_reference"], s["stage_index"], s["stage_count"]) for s in listed] == [
        (newer, "TRN-BRUISE-02", 2, 3), (older, "TRN-BRUISE-01", 1, 3)]
    assert listed[0]["scenario_id"] == "bruise-anxious-parents" and listed[0]["stage_ids"] == STAGES
    assert listed[0]["checklist_id"] == "non-mobile-bruising" and listed[0]["status"] == "draft"

    # an answer given in the older session makes it the most recently used
    training.save_answer(older, "mark_seen", "yes", by="Alex Trainer")
    listed = training.list_unfinished_scenarios()
    assert [s["run_id"] for s in listed] == [older, newer]
    assert listed[0]["updated_at"] == training.get_run(older)["updated_at"]
    assert [s["run_id"] for s in training.list_unfinished_scenarios(limit=1)] == [older]
    with pytest.raises(InvalidRecord, match="limit"):
        training.list_unfinished_scenarios(limit=-1)


def test_a_submitted_run_moves_on_and_a_signed_off_run_is_frozen(training):
    _, run_id = case_and_run(training, "TRN-BRUISE-01")
    training.save_scenario_progress(run_id, progress())
    training.save_answer(run_id, "mark_seen", "yes", by="Alex Trainer")
    training.submit(run_id, by="Alex Trainer")
    # the answers can no longer change, so noting the flags they raise and moving on is still allowed
    moved = training.save_scenario_progress(run_id, progress(1, {0: ["nim_mark_same_day"]}))
    assert moved["stage_index"] == 1
    training.sign_off(run_id, "Sam Supervisor")
    with pytest.raises(RunSignedOff, match="signed off"):
        training.save_scenario_progress(run_id, progress(2, {0: ["nim_mark_same_day"], 1: []}))
    assert training.get_scenario_progress(run_id) == moved
    assert training.list_unfinished_scenarios() == []  # it cannot be continued, so it is not offered

    raw = sqlite3.connect(training.path)
    try:
        for sql in ("UPDATE scenario_progress SET stage_index = 2 WHERE run_id = :run",
                    "UPDATE scenario_progress SET finished = 1 WHERE run_id = :run",
                    "DELETE FROM scenario_progress WHERE run_id = :run"):
            with pytest.raises(sqlite3.IntegrityError, match="signed off and cannot be changed"):
                raw.execute(sql, {"run": run_id})
            raw.rollback()
    finally:
        raw.close()
    assert training.get_scenario_progress(run_id) == moved


def test_a_signed_off_run_cannot_be_given_progress_by_any_program(training):
    _, run_id = case_and_run(training, "TRN-BRUISE-01")
    training.submit(run_id, by="Alex Trainer")
    training.sign_off(run_id, "Sam Supervisor")
    raw = sqlite3.connect(training.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="signed off and cannot be changed"):
            raw.execute("INSERT INTO scenario_progress (run_id, scenario_id, stage_ids, stage_index, started_at, "
                        "updated_at) VALUES (?, 's', '[\"a\"]', 0, 'x', 'x')", (run_id,))
    finally:
        raw.close()
    assert rows(training) == []
