"""Durability: answers survive SIGKILL, two writers keep each other's answers, a held lock gives StoreBusy,
and the database itself (triggers) refuses changes to signed-off runs and to the audit trail."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.store import StoreBusy
from fixtures_store.store_helpers import OPEN_SNAPSHOT, case_and_run, new_store, signed_off_run

WRITER = Path(__file__).parent / "fixtures_store" / "writer.py"
ROOT = Path(__file__).resolve().parents[2]


def _writer(db: Path, run_id: int, prefix: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(db), str(run_id), prefix, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


@pytest.mark.slow
def test_answers_reported_saved_survive_sigkill(tmp_path):
    store = new_store(tmp_path)
    _, run_id = case_and_run(store, snapshot=OPEN_SNAPSHOT)
    db = store.path
    store.close()
    rng = random.Random(20261125)
    reported: list[str] = []
    for round_number in range(6):
        child = _writer(db, run_id, f"r{round_number}_", 100000)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        # A last line without its newline may have been cut by the kill: only whole lines count as reported.
        reported += [line for line in out.split("\n")[:-1] if line]
    assert len(reported) > 50
    store = new_store(tmp_path)
    try:
        saved = store.get_answers(run_id)
        missing = [prompt for prompt in reported if prompt not in saved]
        assert missing == []
        assert store.integrity_check() == []
        assert store.verify_audit().ok and store.verify_audit(run_id).ok
    finally:
        store.close()


@pytest.mark.slow
def test_two_processes_writing_at_once_keep_every_answer_and_one_valid_chain(tmp_path):
    store = new_store(tmp_path)
    _, run_id = case_and_run(store, snapshot=OPEN_SNAPSHOT)
    db = store.path
    writers = [_writer(db, run_id, prefix, 150) for prefix in ("a", "b")]
    # This process writes too, through its own connection, while the children run.
    for i in range(50):
        store.save_answer(run_id, f"c{i}", i, by="parent")
    outputs = [w.communicate(timeout=60) for w in writers]
    for writer, (out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
    answers = store.get_answers(run_id)
    expected = {f"{p}{i}" for p in ("a", "b") for i in range(150)} | {f"c{i}" for i in range(50)}
    assert expected <= answers.keys()
    check = store.verify_audit()
    assert check.ok, check.user_message
    # created + (value, note, how_known) per child answer + value per parent answer
    assert store.verify_audit(run_id).checked == 1 + 300 * 3 + 50
    store.close()


def test_lock_held_too_long_gives_store_busy_and_nothing_saved(tmp_path):
    store = new_store(tmp_path, busy_timeout=0.2)
    _, run_id = case_and_run(store)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught:
            store.save_answer(run_id, "mark_seen", "yes", by="Jo")
        assert time.monotonic() - started < 3
        assert str(store.path) in caught.value.user_message
        assert "another copy of the app" in caught.value.user_message
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.get_answers(run_id) == {}
    store.save_answer(run_id, "mark_seen", "yes", by="Jo")
    assert store.get_answers(run_id)["mark_seen"]["value"] == "yes"
    store.close()


SIGNED_OFF_SQL = [
    "UPDATE runs SET status = 'draft' WHERE id = :run",
    "UPDATE runs SET practitioner = 'someone else' WHERE id = :run",
    "DELETE FROM runs WHERE id = :run",
    "UPDATE answers SET value = '\"no\"' WHERE run_id = :run",
    "DELETE FROM answers WHERE run_id = :run",
    "INSERT INTO answers (run_id, prompt_id, value, answered_at, answered_by) VALUES (:run, 'mobility', '\"walks\"', 'x', 'y')",
    "INSERT INTO answers (run_id, prompt_id, value, note, answered_at, answered_by) VALUES (:run, 'explanation', NULL, 'n', 'x', 'y')",
    "UPDATE answers SET value = NULL WHERE run_id = :run",
    "UPDATE flags SET cleared_at = 'now' WHERE run_id = :run",
    "DELETE FROM flags WHERE run_id = :run",
    "INSERT INTO flags (run_id, flag_id, severity, message, action, raised_at) VALUES (:run, 'f', 'info', 'm', 'a', 'x')",
    "UPDATE flag_responses SET action_taken = 'nothing' WHERE run_id = :run",
    "DELETE FROM flag_responses WHERE run_id = :run",
    "INSERT INTO flag_responses (run_id, flag_id, responded_at, responded_by) VALUES (:run, 'g', 'x', 'y')",
    "INSERT INTO scenario_progress (run_id, scenario_id, stage_ids, stage_index, started_at, updated_at) "
    "VALUES (:run, 's', '[\"a\"]', 0, 'x', 'y')",
]


@pytest.mark.parametrize("sql", SIGNED_OFF_SQL)
def test_signed_off_run_refuses_changes_at_the_sql_level(tmp_path, sql):
    store = new_store(tmp_path)
    _, run_id = signed_off_run(store)
    store.close()
    raw = sqlite3.connect(tmp_path / "records.db")
    before = raw.execute("SELECT * FROM runs").fetchall(), raw.execute("SELECT * FROM answers").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="This checklist has been signed off and cannot be changed"):
        raw.execute(sql, {"run": run_id})
    raw.rollback()
    assert (raw.execute("SELECT * FROM runs").fetchall(), raw.execute("SELECT * FROM answers").fetchall()) == before
    raw.close()


@pytest.mark.parametrize("sql", ["UPDATE audit SET who = 'nobody'", "DELETE FROM audit WHERE id = 1"])
def test_audit_rows_are_append_only_at_the_sql_level(tmp_path, sql):
    store = new_store(tmp_path)
    signed_off_run(store)
    store.close()
    raw = sqlite3.connect(tmp_path / "records.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(sql)
    raw.close()


def test_a_draft_run_is_not_frozen(tmp_path):
    store = new_store(tmp_path)
    _, run_id = case_and_run(store)
    store.close()
    raw = sqlite3.connect(tmp_path / "records.db")
    raw.execute("UPDATE runs SET position = 3 WHERE id = ?", (run_id,))
    raw.commit()
    assert raw.execute("SELECT position FROM runs WHERE id = ?", (run_id,)).fetchone() == (3,)
    raw.close()
