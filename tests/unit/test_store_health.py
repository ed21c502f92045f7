"""Health: damaged files are reported and never changed; read-only folders and full disks give clear errors
with nothing half-written; backups rotate; the data folder is chosen as documented."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from app import paths
from app.store import StoreCorrupt, StoreError, StoreFull, StoreReadOnly, backups, open_store
from fixtures_store.store_helpers import OPEN_SNAPSHOT, case_and_run, new_store


def _filled_store(folder: Path, cases: int = 150) -> Path:
    store = new_store(folder, auto_backup=True)
    for i in range(cases):
        store.create_case({"reference": f"H-{i}", "child_name": f"Child {i}",
                           "household": [{"name": f"Parent {i}", "relationship": "mother", "notes": "x" * 200}]},
                          by="Jo")
    store.backup_now()
    store.close()
    return folder / "records.db"


@pytest.mark.parametrize("damage", ["random_bytes", "truncated", "empty", "scribbled_pages"])
def test_damaged_file_is_reported_with_the_latest_good_backup_and_left_untouched(tmp_path, damage):
    path = _filled_store(tmp_path)
    original = path.read_bytes()
    rng = random.Random(7)
    if damage == "random_bytes":
        path.write_bytes(rng.randbytes(len(original)))
    elif damage == "truncated":
        path.write_bytes(original[: len(original) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # valid header, garbage over the b-tree pages after the first
        path.write_bytes(original[:4096] + rng.randbytes(len(original) - 4096))
    damaged = path.read_bytes()
    with pytest.raises(StoreCorrupt) as caught:
        open_store(tmp_path)
    assert path.read_bytes() == damaged
    error = caught.value
    latest = backups.list_backups(path)[0]["path"]
    assert error.path == path and error.latest_backup == latest
    assert str(path) in error.user_message and str(latest) in error.user_message
    assert "has not been changed" in error.user_message


def test_damaged_file_without_backups_says_so(tmp_path):
    path = tmp_path / "records.db"
    path.write_bytes(b"this is a word-processor document, not a database" * 100)
    with pytest.raises(StoreCorrupt, match="No backup of it was found"):
        open_store(tmp_path)
    assert path.read_bytes() == b"this is a word-processor document, not a database" * 100


def _as_other_user(fn):
    """Run fn in a forked child as an unprivileged user (root ignores file permissions); returns its result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            result = fn()
        except BaseException as exc:  # report everything to the parent
            result = ["crashed", repr(exc)]
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 65536):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.fixture
def shared_folder():
    """A folder an unprivileged user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="spc-store-"))
    folder.chmod(0o755)
    yield folder
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(folder)


def _try_to_write(folder: Path):
    def attempt():
        try:
            store = open_store(folder, auto_backup=False)
            store.create_case({"reference": "NEW-1", "child_name": "New"}, by="Jo")
            store.close()
            return ["saved", ""]
        except StoreError as exc:
            return [type(exc).__name__, exc.user_message]
    return _as_other_user(attempt)


def test_read_only_folder_gives_store_read_only_and_writes_nothing(shared_folder):
    path = _filled_store(shared_folder, cases=3)
    before = path.read_bytes()
    for entry in [path, *shared_folder.rglob("*")]:
        entry.chmod(0o444 if entry.is_file() else 0o555)
    shared_folder.chmod(0o555)
    kind, message = _try_to_write(shared_folder)
    assert kind == "StoreReadOnly", message
    assert "read-only" in message and str(shared_folder) in message
    assert path.read_bytes() == before


def test_read_only_database_file_in_a_writable_folder(shared_folder):
    path = _filled_store(shared_folder, cases=3)
    path.chmod(0o444)
    if os.geteuid() == 0:
        os.chown(shared_folder, 65534, 65534)  # the folder is the other user's; the file is not theirs
    kind, message = _try_to_write(shared_folder)
    assert kind == "StoreReadOnly", message
    path.chmod(0o644)
    store = open_store(shared_folder, auto_backup=False)
    assert store.count_cases() == 3 and store.find_case("NEW-1") is None
    store.close()


def test_first_run_in_a_read_only_folder(shared_folder):
    shared_folder.chmod(0o555)
    kind, message = _try_to_write(shared_folder / "sub")
    assert kind == "StoreReadOnly", message
    assert not (shared_folder / "sub").exists()


def test_full_disk_gives_store_full_and_rolls_the_answer_back_whole(tmp_path):
    store = new_store(tmp_path)
    _, run_id = case_and_run(store, snapshot=OPEN_SNAPSHOT)
    pages = store._db.scalar("PRAGMA page_count")
    # SQLite's page limit produces the same SQLITE_FULL error as a full disk.
    store._db.conn.execute(f"PRAGMA max_page_count = {pages + 12}")
    saved = []
    with pytest.raises(StoreFull) as caught:
        for i in range(1000):
            store.save_answer(run_id, f"p{i}", "yes", note="Observed and discussed with mother. " * 40, by="Jo")
            saved.append(f"p{i}")
    assert "disk is full" in caught.value.user_message and "Nothing was saved" in caught.value.user_message
    failed = f"p{len(saved)}"
    answers = store.get_answers(run_id)
    assert failed not in answers and set(saved) <= answers.keys()
    assert not any(row["entity_id"].endswith(f"/{failed}") for row in store.audit_trail(run_id))
    assert store.verify_audit().ok
    store.close()


def test_backups_rotate_keeping_seven_and_one_automatic_per_day(tmp_path):
    store = new_store(tmp_path)
    case_and_run(store)
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    for day in range(10):
        backups.take(store._db.conn, store.path, now=start + dt.timedelta(days=day))
    kept = store.backups()
    assert len(kept) == 7
    assert kept[0]["taken_at"] == start + dt.timedelta(days=9) and kept[-1]["taken_at"] == start + dt.timedelta(days=3)
    copy = sqlite3.connect(kept[0]["path"])
    assert copy.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    store.close()
    # Opening twice today adds one automatic backup, not two.
    for _ in range(2):
        open_store(tmp_path).close()
    assert sum(b["taken_at"].date() == dt.date.today() for b in backups.list_backups(tmp_path / "records.db")) == 1


def test_training_workspace_is_a_separate_file_with_separate_backups(tmp_path):
    real = open_store(tmp_path)
    training = open_store(tmp_path, training=True)
    real.create_case({"reference": "REAL-1", "child_name": "A"}, by="Jo")
    assert training.count_cases() == 0
    assert training.path.name == "training.db" and real.path.name == "records.db"
    assert [b["path"].name.split("-")[0] for b in training.backups()] == ["training"]
    real.close()
    training.close()


def test_data_folder_precedence(tmp_path):
    assert paths.resolve_data_dir(tmp_path / "cli", env={paths.ENV_VAR: str(tmp_path / "env")}) == tmp_path / "cli"
    assert paths.resolve_data_dir(None, env={paths.ENV_VAR: str(tmp_path / "env")}) == tmp_path / "env"
    assert paths.resolve_data_dir(None, env={}) == paths.default_data_dir()
    assert paths.database_path(tmp_path, training=True) == tmp_path / "training.db"
    assert paths.backups_dir(tmp_path) == tmp_path / "backups"


def test_first_run_creates_the_folder_and_leaves_no_partial_files(tmp_path):
    folder = tmp_path / "a" / "b"
    store = open_store(folder)
    store.close()
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["backups", "records.db"]
    assert stat.S_ISREG((folder / "records.db").stat().st_mode)


# -- the integrity check deferred to a background thread (the desktop app's start-up) ------------------------

def _as_if_backed_up_yesterday(path: Path) -> list[Path]:
    """Rename the backups so none counts as today's (the next open is due to take one); returns the new names."""
    yesterday = (dt.datetime.now() - dt.timedelta(days=1)).strftime("%Y%m%d")
    renamed = []
    for backup in backups.list_backups(path):
        old = backup["path"]
        new = old.with_name(f"{path.stem}-{yesterday}-{old.stem.rsplit('-', 1)[1]}.db")
        old.rename(new)
        renamed.append(new)
    return renamed


def _damage_last_pages(path: Path, pages: int = 10) -> bytes:
    """Scribble over the last data pages, keeping the header, the schema and the migration table readable."""
    original = path.read_bytes()
    assert len(original) // 4096 > pages + 10
    damaged = original[: len(original) - pages * 4096] + random.Random(11).randbytes(pages * 4096)
    path.write_bytes(damaged)
    return damaged


def test_a_damaged_file_opened_with_the_check_deferred_refuses_the_first_write_and_is_never_changed(tmp_path):
    path = _filled_store(tmp_path)
    good = _as_if_backed_up_yesterday(path)
    damaged = _damage_last_pages(path)
    store = open_store(tmp_path, check_integrity="background")  # header and schema pass: the window can open
    try:
        assert store.schema_version() >= 1  # reads are allowed meanwhile
        with pytest.raises(StoreCorrupt) as caught:
            store.create_case({"reference": "NEW-1", "child_name": "New"}, by="Jo")
        error = caught.value
        assert error.path == path and error.latest_backup == good[0]
        assert str(good[0]) in error.user_message and "has not been changed" in error.user_message
        assert store.wait_for_check(10) is error and store.check_finished
        with pytest.raises(StoreCorrupt):
            store.save_profile({"name": "Jo", "role": "practitioner", "team": ""})
        with pytest.raises(StoreCorrupt):
            store.backup_now()  # a damaged file is never copied in among the good backups
    finally:
        store.close()
    assert path.read_bytes() == damaged
    assert [b["path"] for b in backups.list_backups(path)] == good  # no automatic backup of the damaged file
    with pytest.raises(StoreCorrupt):  # the command line and tests still check before opening
        open_store(tmp_path)


def test_a_healthy_file_opened_with_the_check_deferred_accepts_writes_and_takes_the_days_backup(tmp_path):
    path = _filled_store(tmp_path)
    _as_if_backed_up_yesterday(path)
    store = open_store(tmp_path, check_integrity="background")
    try:
        store.create_case({"reference": "NEW-1", "child_name": "New"}, by="Jo")
        assert store.wait_for_check(10) is None and store.check_finished
        assert store.count_cases() == 151
        assert backups.taken_today(path) and store.backup_problem is None
        assert store.integrity_check() == []
    finally:
        store.close()


def test_writes_wait_for_the_deferred_check_while_reads_go_ahead(tmp_path, monkeypatch):
    import threading

    import app.store.db as db_module

    path = _filled_store(tmp_path)
    release = threading.Event()
    real_check = db_module._quick_check

    def held_check(conn, where):
        release.wait(10)
        real_check(conn, where)

    monkeypatch.setattr(db_module, "_quick_check", held_check)
    store = open_store(tmp_path, check_integrity="background")
    try:
        assert not store.check_finished
        assert store.count_cases() == 150  # a read does not wait
        saved = []
        writer = threading.Thread(target=lambda: saved.append(store.create_case(
            {"reference": "NEW-1", "child_name": "New"}, by="Jo")))
        writer.start()
        writer.join(0.3)
        assert writer.is_alive() and saved == [] and store.count_cases() == 150
        release.set()
        writer.join(10)
        assert len(saved) == 1 and store.count_cases() == 151
    finally:
        release.set()
        store.close()


def _watched_check(monkeypatch):
    """Replace the quick check with one that records that it began and waits for `release`."""
    import threading

    import app.store.db as db_module

    began, release = threading.Event(), threading.Event()
    real_check = db_module._quick_check

    def watched(conn, where):
        began.set()
        release.wait(10)
        real_check(conn, where)

    monkeypatch.setattr(db_module, "_quick_check", watched)
    return began, release


def test_a_check_left_for_later_starts_only_when_asked_then_takes_the_days_backup(tmp_path, monkeypatch):
    path = _filled_store(tmp_path)
    _as_if_backed_up_yesterday(path)
    began, release = _watched_check(monkeypatch)
    store = open_store(tmp_path, check_integrity="when_started")
    try:
        assert store.count_cases() == 150 and not store.check_finished  # reads go ahead, the check waits
        assert not began.wait(0.3)  # nothing reads the whole file until the app is ready for it
        store.start_check()
        assert began.wait(10)
        store.start_check()  # a second call starts nothing more
        release.set()
        assert store.wait_for_check(10) is None and store.check_finished
        assert backups.taken_today(path) and store.backup_problem is None
    finally:
        release.set()
        store.close()


@pytest.mark.parametrize("first", ["write", "wait"])
def test_a_check_left_for_later_is_started_by_the_first_write_or_wait_so_nothing_waits_for_ever(
        tmp_path, monkeypatch, first):
    path = _filled_store(tmp_path)
    damaged = _damage_last_pages(path)
    began, release = _watched_check(monkeypatch)
    release.set()
    store = open_store(tmp_path, check_integrity="when_started", auto_backup=False)
    try:
        assert not began.is_set()
        if first == "write":
            with pytest.raises(StoreCorrupt):
                store.create_case({"reference": "NEW-1", "child_name": "New"}, by="Jo")
        else:
            assert isinstance(store.wait_for_check(10), StoreCorrupt)
        assert began.is_set()
        assert isinstance(store.wait_for_check(10), StoreCorrupt) and store.check_finished
    finally:
        store.close()
    assert path.read_bytes() == damaged


def test_a_check_left_for_later_and_never_started_closes_cleanly(tmp_path, monkeypatch):
    _filled_store(tmp_path)
    began, release = _watched_check(monkeypatch)
    release.set()
    store = open_store(tmp_path, check_integrity="when_started")
    store.close()
    store.start_check()  # after closing: refused quietly
    assert not began.is_set()


def test_an_unknown_check_mode_is_named_with_the_ones_allowed(tmp_path):
    with pytest.raises(ValueError, match="'now', 'background', 'when_started'"):
        open_store(tmp_path, check_integrity="later")


def test_a_file_not_yet_in_wal_mode_is_checked_in_full_before_opening_even_when_deferred(tmp_path):
    path = _filled_store(tmp_path)
    restored = backups.list_backups(path)[0]["path"]  # backups are plain (rollback-journal) files
    path.unlink()
    shutil.copy(restored, path)
    store = open_store(tmp_path, check_integrity="background", auto_backup=False)
    assert store.check_finished  # switching to WAL writes to the file, so it was checked first
    store.close()
    shutil.copy(restored, path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    damaged = _damage_last_pages(path)
    with pytest.raises(StoreCorrupt):
        open_store(tmp_path, check_integrity="background", auto_backup=False)
    assert path.read_bytes() == damaged


def test_assurance_counts_read_on_their_own_connection_so_the_window_is_not_kept_waiting(tmp_path, monkeypatch):
    import threading

    import app.store.assurance as assurance_module

    _filled_store(tmp_path)
    store = open_store(tmp_path)
    inside, release = threading.Event(), threading.Event()
    real_counts = assurance_module.run_counts

    def slow_counts(conn, *args):
        inside.set()
        release.wait(10)
        return real_counts(conn, *args)

    monkeypatch.setattr(assurance_module, "run_counts", slow_counts)
    counted: list = []
    worker = threading.Thread(target=lambda: counted.append(store.assurance_runs("2000-01-01", "2100-01-01")))
    try:
        worker.start()
        assert inside.wait(10)
        # While the count is under way, the window's own reads and saves go ahead.
        done: list = []
        reader = threading.Thread(target=lambda: done.append(
            (store.count_cases(), store.create_case({"reference": "NEW-1", "child_name": "New"}, by="Jo"))))
        reader.start()
        reader.join(5)
        assert not reader.is_alive() and done and done[0][0] == 150
    finally:
        release.set()
        worker.join(10)
        store.close()
    assert counted and counted[0] == []  # the filled store has cases but no checklist runs
