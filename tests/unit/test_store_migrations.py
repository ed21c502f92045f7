"""Schema versions: a database at version 1 (built from the frozen v1 SQL) migrates forward with its data."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.store import Store, StoreTooNew, migrations

FROZEN_V1 = Path(__file__).parent / "fixtures_store" / "schema_v1.sql"
NOW = "2026-01-05T10:00:00.000000+00:00"


def _build_v1(path: Path) -> None:
    """A version-1 database made from the frozen SQL, as the first release would have left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(FROZEN_V1.read_text(encoding="utf-8"))
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial records schema', ?)", (NOW,))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO cases (id, reference, child_name, created_at, updated_at) VALUES (1, 'V1-1', 'Žemaitytė', ?, ?)", (NOW, NOW))
    conn.execute("INSERT INTO snapshots (id, hash, checklist_id, checklist_version, title, definition) "
                 "VALUES (1, 'h', 'c', 1, 'C', '{\"id\": \"c\", \"version\": 1}')")
    for run_id, status in ((1, "draft"), (2, "submitted")):
        conn.execute("INSERT INTO runs (id, case_id, checklist_id, checklist_version, snapshot_id, practitioner, "
                     "status, created_at, updated_at) VALUES (?, 1, 'c', 1, 1, 'Jo', ?, ?, ?)", (run_id, status, NOW, NOW))
    conn.execute("INSERT INTO flags (run_id, flag_id, severity, message, action, raised_at) VALUES "
                 "(1, 'a', 'consider', 'm', 'x', ?), (1, 'b', 'act', 'm', 'x', ?), (2, 'c', 'urgent', 'm', 'x', ?)",
                 (NOW, NOW, NOW))
    conn.execute("INSERT INTO answers (run_id, prompt_id, value, answered_at, answered_by) VALUES (1, 'p', '\"yes\"', ?, 'Jo')", (NOW,))
    conn.execute("UPDATE runs SET status = 'signed_off' WHERE id = 2")
    conn.close()


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(name, " ".join(sql.split())) for name, sql in
            conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'schema_migrations'")}


def test_migration_one_is_exactly_the_frozen_v1_schema(tmp_path):
    built = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    migrations.migrate(built, tmp_path / "a.db", target=1)
    frozen = sqlite3.connect(tmp_path / "b.db")
    frozen.executescript(FROZEN_V1.read_text(encoding="utf-8"))
    assert _schema(built) == _schema(frozen)


def test_v1_database_migrates_to_latest_keeping_data_and_the_signed_off_guard(tmp_path):
    path = tmp_path / "records.db"
    _build_v1(path)
    store = Store.open(path, auto_backup=False)
    try:
        assert store.schema_version() == migrations.LATEST
        assert store.get_case(1)["child_name"] == "Žemaitytė"
        assert store.get_answers(1)["p"]["value"] == "yes"
        ranks = {r["id"]: r["flag_rank"] for r in store.list_runs()}
        assert ranks == {1: 1, 2: 0}  # backfilled from open flags, including the signed-off run
        assert [r["id"] for r in store.list_runs(min_severity="urgent")] == [2]
    finally:
        store.close()
    raw = sqlite3.connect(path)
    versions = [row[0] for row in raw.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m[0] for m in migrations.MIGRATIONS]
    assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    with pytest.raises(sqlite3.IntegrityError, match="signed off"):
        raw.execute("UPDATE runs SET flag_rank = 3 WHERE id = 2")
    raw.close()


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "records.db"
    _build_v1(path)

    def broken(conn):
        conn.execute("ALTER TABLE runs ADD COLUMN flag_rank INTEGER")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], (2, "broken", broken)])
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError):
        migrations.migrate(conn, path)
    assert migrations.current_version(conn) == 1
    assert "flag_rank" not in [c[1] for c in conn.execute("PRAGMA table_info(runs)")]
    conn.close()


def test_database_from_a_newer_app_is_refused_clearly(tmp_path):
    path = tmp_path / "records.db"
    Store.open(path, auto_backup=False).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO schema_migrations VALUES (99, 'future', ?)", (NOW,))
    raw.commit()
    raw.close()
    with pytest.raises(StoreTooNew, match="newer version"):
        Store.open(path, auto_backup=False)


def test_v3_database_with_runs_migrates_to_v4_and_keeps_scenario_progress_apart(tmp_path):
    """Version 4 adds scenario progress. A training database left at version 3, already holding runs (one
    signed off) and a note saved before its answer, upgrades with its data intact, and the new table follows
    the signed-off guard."""
    path = tmp_path / "training.db"
    _build_v1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.migrate(conn, path, target=3) == [2, 3]
    conn.execute("INSERT INTO answers (run_id, prompt_id, value, note, answered_at, answered_by) "
                 "VALUES (1, 'q', NULL, 'Ask the GP', ?, 'Jo')", (NOW,))
    assert "scenario_progress" not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()

    store = Store.open(path, auto_backup=False)
    try:
        assert store.schema_version() == migrations.LATEST >= 4
        assert store.training
        answers = store.get_answers(1)
        assert answers["p"]["value"] == "yes" and answers["q"]["value"] is None and answers["q"]["note"] == "Ask the GP"
        assert {r["id"]: r["status"] for r in store.list_runs()} == {1: "draft", 2: "signed_off"}
        assert store.get_scenario_progress(1) is None and store.list_unfinished_scenarios() == []
        saved = store.save_scenario_progress(1, {"scenario_id": "s", "stage_ids": ["a", "b"], "stage_index": 1,
                                                 "raised_at_stage": {0: ["x"]}, "finished": False})
        assert [s["run_id"] for s in store.list_unfinished_scenarios()] == [1]
        assert store.get_scenario_progress(1) == saved
        assert store.integrity_check() == []
    finally:
        store.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT name FROM schema_migrations WHERE version = 4").fetchone() == (
            "training: scenario progress kept with the scenario's run",)
        assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        with pytest.raises(sqlite3.IntegrityError, match="signed off"):
            raw.execute("INSERT INTO scenario_progress (run_id, scenario_id, stage_ids, stage_index, started_at, "
                        "updated_at) VALUES (2, 's', '[\"a\"]', 0, ?, ?)", (NOW, NOW))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint"):
            raw.execute("UPDATE scenario_progress SET stage_index = 2 WHERE run_id = 1")  # past the last stage
    finally:
        raw.close()
