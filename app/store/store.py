"""The Store facade: the one door to a records database. See app/store/__init__.py for the API."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.store import (
    answers, assurance, audit, backups, bulk, cases, flags, migrations, profiles, runs, scenarios, snapshots, validate,
)
from app.store.clock import utc_now
from app.store.db import DEFAULT_BUSY_TIMEOUT, Database
from app.store.errors import InvalidRecord, StoreError, translate

if TYPE_CHECKING:  # app.store.exchange is imported by the two methods that use it
    from app.store import exchange


def _limit(limit: int, offset: int) -> tuple[int, int]:
    for name, value in (("limit", limit), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidRecord(f"{name} must be a whole number from 0, got {value!r}.")
    return limit, offset


class Store:
    """An open records database. Every write is one durable transaction with its audit rows."""

    def __init__(self, db: Database, now: Callable[[], str] = utc_now) -> None:
        self._db = db
        self._now = now
        self._snapshots = snapshots.Cache()
        self.backup_problem: str | None = None

    # -- opening and health -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
             auto_backup: bool = True, now: Callable[[], str] = utc_now, defer_check: bool = False,
             start_check: bool = True) -> "Store":
        """Open the database at `path`, creating it on first run, checking and migrating it, and taking
        the day's automatic backup. Raises StoreCorrupt, StoreReadOnly, StoreFull, StoreBusy, StoreTooNew.

        With `defer_check=True` only the header and a cheap check run here; the full integrity check (then
        the day's backup) runs on a background thread. Reads work meanwhile; every write waits for the check
        and raises StoreCorrupt, leaving the file unchanged, if it failed. See `wait_for_check`. With
        `start_check=False` as well, the background check waits for `start_check()` (the desktop app calls it
        once its window is on screen), or for the first write or `wait_for_check`, whichever comes first."""
        db = Database.open(Path(path), busy_timeout, defer_check=defer_check)
        store = cls(db, now)
        if db.check_pending:
            db.set_after_check(store._backup_after_check if auto_backup else None)
            if start_check:
                db.start_check()
        elif auto_backup:
            store._daily_backup()
        return store

    @property
    def path(self) -> Path:
        """The database file."""
        return self._db.path

    @property
    def training(self) -> bool:
        """Whether this is a training workspace's database (the file is named training.db, as open_store names
        it), where fictional scenario sessions keep their progress."""
        return self._db.path.name == paths.TRAINING_FILE

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def check_finished(self) -> bool:
        """False while a deferred integrity check (and the backup after it) is still running."""
        return not self._db.check_pending

    def start_check(self) -> None:
        """Start a deferred integrity check that is waiting to be started (see `open`); otherwise nothing."""
        self._db.start_check()

    def wait_for_check(self, timeout: float | None = None) -> StoreError | None:
        """Wait for a deferred integrity check (and the day's backup after it), starting it if need be; returns
        the StoreCorrupt (or other StoreError) that refuses every write, or None when the file is healthy or
        was checked at open."""
        return self._db.wait_for_check(timeout)

    def _daily_backup(self) -> None:
        try:
            if not backups.taken_today(self.path):
                self.backup_now()
        except StoreError as exc:
            # A failed backup must not stop a practitioner recording; `check` and the GUI report it.
            self.backup_problem = exc.user_message

    def _backup_after_check(self, conn: sqlite3.Connection) -> None:
        """The day's backup, on the background check's thread and read-only connection (deferred opening)."""
        try:
            if not backups.taken_today(self.path):
                self._take_backup(conn)
                self.backup_problem = None
        except StoreError as exc:
            self.backup_problem = exc.user_message

    def _take_backup(self, conn: sqlite3.Connection) -> Path:
        try:
            return backups.take(conn, self.path)
        except sqlite3.Error as exc:
            raise translate(exc, backups.folder_for(self.path), self._db.busy_timeout) from exc
        except OSError as exc:
            raise StoreError(
                f"A backup could not be written to {backups.folder_for(self.path)} ({exc.strerror or exc}). "
                "Your records are unchanged. Check there is space on the disk and the folder can be written to."
            ) from exc

    def backup_now(self) -> Path:
        """Take a backup now into <data folder>/backups/ (keeping the newest 7); returns its path. Waits for a
        deferred integrity check first (a damaged file is never copied over a good backup)."""
        self._db.require_checked()
        with self._db.lock:
            taken = self._take_backup(self._db.conn)
        self.backup_problem = None
        return taken

    def backups(self) -> list[dict[str, Any]]:
        """This database's backups, newest first: {path, taken_at, size}."""
        return backups.list_backups(self.path)

    def integrity_check(self) -> list[str]:
        """Problems found by PRAGMA quick_check and foreign_key_check; an empty list means healthy."""
        with self._db.read() as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(20)") if row[0] != "ok"]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} refers to a missing {parent} record")
        return problems

    def schema_version(self) -> int:
        """The applied schema version."""
        with self._db.read() as conn:
            return migrations.current_version(conn)

    # -- profiles -----------------------------------------------------------------------------------------

    def save_profile(self, data: dict[str, Any], by: str | None = None) -> dict[str, Any]:
        """Create (no `id`) or update a profile {name, role, team}; returns it with its id."""
        with self._db.write() as conn:
            return profiles.save(conn, data, by or str(data.get("name") or "unknown"), self._now())

    def get_profile(self, key: int | str) -> dict[str, Any] | None:
        """A profile by id or name, or None."""
        with self._db.read() as conn:
            return profiles.get(conn, key)

    def list_profiles(self, team: str | None = None) -> list[dict[str, Any]]:
        """All profiles (optionally of one team), by name."""
        with self._db.read() as conn:
            return profiles.list_all(conn, team)

    # -- cases --------------------------------------------------------------------------------------------

    def create_case(self, data: dict[str, Any], by: str) -> int:
        """Create a case (reference, child_name, date_of_birth, expected_delivery_date, mobility, plan,
        household: [{id?, name, relationship, date_of_birth, lives_with_child, notes}],
        agencies: [{name, role, contact}]); returns its id."""
        by = validate.text("Created by", by, max_length=200)
        with self._db.write() as conn:
            return cases.create(conn, data, by, self._now())

    def update_case(self, case_id: int, data: dict[str, Any], by: str) -> bool:
        """Change the given case fields (household/agencies replaced whole); True if anything changed."""
        by = validate.text("Changed by", by, max_length=200)
        with self._db.write() as conn:
            return cases.update(conn, case_id, data, by, self._now())

    def get_case(self, case_id: int) -> dict[str, Any]:
        """A case with household and agencies; NotFound if missing."""
        with self._db.read() as conn:
            return cases.get(conn, case_id)

    def find_case(self, reference: str) -> dict[str, Any] | None:
        """A case by its exact reference, or None."""
        with self._db.read() as conn:
            found = conn.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
            return cases.get(conn, found[0]) if found else None

    def list_cases(self, search: str | None = None, order_by: str = "updated_at desc", limit: int = 50,
                   offset: int = 0) -> list[dict[str, Any]]:
        """A page of cases matching `search` (reference or name, any letter case)."""
        limit, offset = _limit(limit, offset)
        with self._db.read() as conn:
            return cases.list_cases(conn, search, order_by, limit, offset)

    def count_cases(self, search: str | None = None) -> int:
        """How many cases match `search`."""
        with self._db.read() as conn:
            return cases.count_cases(conn, search)

    # -- runs ---------------------------------------------------------------------------------------------

    def start_run(self, case_id: int, checklist_id: str, version: int, snapshot: dict[str, Any],
                  practitioner: str) -> int:
        """Start a draft run of a checklist on a case, keeping `snapshot` (the definition as a plain dict)."""
        with self._db.write() as conn:
            return runs.start(conn, case_id, checklist_id, version, snapshot, practitioner, self._now())

    def get_run(self, run_id: int) -> dict[str, Any]:
        """A run: id, case_id, case_reference, child_name, checklist_id, checklist_version, snapshot, practitioner,
        status, position, version, amends_run_id, amended_by_run_id, case_snapshot, flag_rank, top_severity and
        timestamps (created_at, updated_at, submitted_at, signed_off_at, signed_off_by)."""
        with self._db.read() as conn:
            return runs.get(conn, run_id, self._snapshots)

    def list_runs(self, status: str | list[str] | None = None, practitioner: str | None = None,
                  team: str | None = None, checklist_id: str | None = None, min_severity: str | None = None,
                  since: Any = None, until: Any = None, case_id: int | None = None,
                  order_by: str = "updated_at desc", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """A page of runs (see runs.LIST_COLUMNS). `min_severity` keeps runs with an open flag at least that
        severe; `since`/`until` filter on last change."""
        limit, offset = _limit(limit, offset)
        filters = dict(status=status, practitioner=practitioner, team=team, checklist_id=checklist_id,
                       min_severity=min_severity, since=since, until=until, case_id=case_id)
        with self._db.read() as conn:
            return runs.list_runs(conn, filters, order_by, limit, offset)

    def count_runs(self, status: str | list[str] | None = None, practitioner: str | None = None,
                   team: str | None = None, checklist_id: str | None = None, min_severity: str | None = None,
                   since: Any = None, until: Any = None, case_id: int | None = None) -> int:
        """How many runs match the filters of list_runs."""
        filters = dict(status=status, practitioner=practitioner, team=team, checklist_id=checklist_id,
                       min_severity=min_severity, since=since, until=until, case_id=case_id)
        with self._db.read() as conn:
            return runs.count_runs(conn, filters)

    def set_position(self, run_id: int, section_index: int) -> bool:
        """Remember the section to resume at (not audited); False for a signed-off run."""
        with self._db.write() as conn:
            return runs.set_position(conn, run_id, section_index)

    # -- answers ------------------------------------------------------------------------------------------

    def save_answer(self, run_id: int, prompt_id: str, value: Any, note: str = "", how_known: str | None = None,
                    reported_by: str = "", *, by: str) -> dict[str, Any]:
        """Save one answer durably (committed, with its audit rows, before this returns); returns
        {value, note, how_known, reported_by, answered_at, answered_by}. `value` None saves a note, how it is
        known or who reported it on a question not answered yet (removing the row if all are empty)."""
        with self._db.write() as conn:
            return answers.save(conn, self._snapshots, run_id, prompt_id, value, note, how_known, reported_by,
                                by, self._now())

    def clear_answer(self, run_id: int, prompt_id: str, *, by: str) -> bool:
        """Remove an answer's value (audited), keeping its note or how it is known if there is one; False if
        there was no value."""
        with self._db.write() as conn:
            return answers.clear(conn, run_id, prompt_id, by, self._now())

    def get_answers(self, run_id: int) -> dict[str, dict[str, Any]]:
        """Every answer of a run by prompt id (value None: not answered yet, only a note or how it is known)."""
        with self._db.read() as conn:
            return answers.get_all(conn, run_id)

    # -- flags --------------------------------------------------------------------------------------------

    def sync_flags(self, run_id: int, raised: list[dict[str, Any]], by: str) -> dict[str, list[str]]:
        """Make the run's open flags equal `raised` ([{flag_id, severity, message, action}]); returns the flag ids
        {"raised", "cleared", "changed"}."""
        with self._db.write() as conn:
            return flags.sync(conn, run_id, raised, by, self._now())

    def list_flags(self, run_id: int, include_cleared: bool = False) -> list[dict[str, Any]]:
        """The run's flags, most severe first, each with its `response` (or None)."""
        with self._db.read() as conn:
            return flags.list_for_run(conn, run_id, include_cleared)

    def case_flags(self, case_id: int) -> list[dict[str, Any]]:
        """Every flag raised on any run of the case, oldest first (the cumulative risk view)."""
        with self._db.read() as conn:
            cases.get(conn, case_id)
            return flags.for_case(conn, case_id)

    def save_flag_response(self, run_id: int, flag_id: str, action_taken: str = "", by_whom: str = "",
                           by_when: str = "", reason_not_acting: str = "", *, by: str) -> dict[str, Any]:
        """Record the action taken on a flag (with by whom and by when) or the reason for not acting."""
        with self._db.write() as conn:
            return flags.save_response(conn, run_id, flag_id, action_taken, by_whom, by_when, reason_not_acting,
                                       by, self._now())

    def flag_responses(self, run_id: int) -> dict[str, dict[str, Any]]:
        """The run's flag responses by flag id."""
        with self._db.read() as conn:
            return flags.responses(conn, run_id)

    # -- review -------------------------------------------------------------------------------------------

    def submit(self, run_id: int, by: str) -> None:
        """Submit a draft or returned run for review."""
        with self._db.write() as conn:
            runs.submit(conn, run_id, by, self._now())

    def return_run(self, run_id: int, supervisor: str, reason: str) -> None:
        """Return a submitted run to the practitioner with a reason."""
        with self._db.write() as conn:
            runs.return_run(conn, run_id, supervisor, reason, self._now())

    def sign_off(self, run_id: int, supervisor: str, comment: str = "") -> None:
        """Sign off a submitted run; from then on the database refuses any change to it."""
        with self._db.write() as conn:
            runs.sign_off(conn, run_id, supervisor, comment, self._now())

    def add_review_comment(self, run_id: int, supervisor: str, comment: str) -> int:
        """Add a supervisor comment to a run in any status; returns the review id."""
        supervisor = validate.text("Supervisor", supervisor, max_length=200)
        comment = validate.text("Comment", comment)
        with self._db.write() as conn:
            runs.status_of(conn, run_id)
            return runs.add_review(conn, run_id, supervisor, "comment", comment, self._now())

    def list_reviews(self, run_id: int) -> list[dict[str, Any]]:
        """Supervisor decisions and comments, oldest first."""
        with self._db.read() as conn:
            return runs.reviews(conn, run_id)

    def amend(self, run_id: int, by: str) -> int:
        """Start an amendment of a signed-off run (a new draft run, version + 1); returns its id."""
        with self._db.write() as conn:
            return runs.amend(conn, run_id, by, self._now())

    # -- training scenario progress (see app.store.scenarios) ---------------------------------------------

    def _require_training(self) -> None:
        if not self.training:
            raise InvalidRecord(
                f"Training scenario progress is kept only in the training workspace ({paths.TRAINING_FILE}), never "
                f"in the real records ({self.path.name}). Nothing was saved. Open the training workspace to run "
                "a scenario.")

    def save_scenario_progress(self, run_id: int, progress: dict[str, Any]) -> dict[str, Any]:
        """Replace a scenario run's progress, whole, in one transaction: {scenario_id, stage_ids, stage_index,
        raised_at_stage: {stage index: [flag ids]}, finished}. Returns it as stored, with stage_count, started_at and
        updated_at. Refused (InvalidRecord) outside training.db; RunSignedOff for a signed-off run."""
        self._require_training()
        with self._db.write() as conn:
            return scenarios.save(conn, run_id, progress, self._now())

    def get_scenario_progress(self, run_id: int) -> dict[str, Any] | None:
        """A run's scenario progress (as `save_scenario_progress` returns it), or None; None in the real records."""
        if not self.training:
            return None
        with self._db.read() as conn:
            return scenarios.get(conn, run_id)

    def list_unfinished_scenarios(self, limit: int = 50) -> list[dict[str, Any]]:
        """Scenario sessions not finished (runs not signed off), most recently used first: run_id, case_id,
        case_reference, checklist_id, status, scenario_id, stage_ids, stage_count, stage_index, started_at,
        updated_at (the later of the last stage change and the run's last change). Always empty in the real
        records."""
        limit, _ = _limit(limit, 0)
        if not self.training:
            return []
        with self._db.read() as conn:
            return scenarios.unfinished(conn, limit)

    # -- bulk ---------------------------------------------------------------------------------------------

    def seed(self, cases_data: Iterable[dict[str, Any]], runs_data: Iterable[dict[str, Any]], by: str,
             batch: int = 5000) -> tuple[int, int]:
        """Bulk-load cases then runs (see app.store.bulk for the run dict), in batches of one transaction
        each with their audit rows; returns (cases, runs) loaded. For demo and training data."""
        by = validate.text("Loaded by", by, max_length=200)
        self._db.require_checked()
        with self._db.lock:
            # Bulk loading syncs at checkpoints rather than every batch: in WAL mode this cannot corrupt the
            # file, and at worst a power cut loses the last batches of demo data. Answers stay FULL.
            self._db.conn.execute("PRAGMA synchronous = NORMAL")
            try:
                ids = bulk.load_cases(self._db.write, cases_data, by, self._now(), batch)
                loaded = bulk.load_runs(self._db.write, runs_data, by, self._now(), batch)
            finally:
                self._db.conn.execute("PRAGMA synchronous = FULL")
        return len(ids), loaded

    # -- assurance (aggregate counts only: see app.store.assurance) ----------------------------------------
    # The counts can take a second over a large file, so each reads on a connection of its own
    # (Database.read_apart): the window's reads and saves do not wait for them.

    def assurance_teams(self) -> list[str]:
        """Every team named on a profile, alphabetically."""
        with self._db.read() as conn:
            return assurance.teams(conn)

    def assurance_runs(self, since: Any, until: Any, team: str | None = None) -> list[dict[str, Any]]:
        """[{checklist_id, status, runs}] for runs started in [since, until) (latest versions only)."""
        with self._db.read_apart() as conn:
            return assurance.run_counts(conn, since, until, team)

    def assurance_answers(self, checklist_id: str, prompt_ids: list[str], since: Any, until: Any,
                          team: str | None = None) -> list[dict[str, Any]]:
        """[{answers: {prompt_id: value | None}, runs}]: how many runs gave each combination of coded answers."""
        with self._db.read_apart() as conn:
            return assurance.answer_counts(conn, checklist_id, list(prompt_ids), since, until, team)

    def assurance_flags(self, since: Any, until: Any, team: str | None = None) -> list[dict[str, Any]]:
        """Open flags by checklist and flag id, with how many were responded to, with an action, the same day."""
        with self._db.read_apart() as conn:
            return assurance.flag_counts(conn, since, until, team)

    def assurance_overdue(self, today: Any, no_response_before: Any, since: Any, until: Any,
                          team: str | None = None) -> dict[str, int]:
        """{by_when_passed, no_response}: overdue actions on runs not signed off."""
        with self._db.read_apart() as conn:
            return assurance.overdue_counts(conn, today, no_response_before, since, until, team)

    # -- exchange between computers (see app.store.exchange) ----------------------------------------------

    def export_bundle(self, run_ids: Iterable[int], path: str | os.PathLike[str], workspace: str,
                      by: str) -> dict[str, Any]:
        """Write the runs (with case, records and audit trail) to one bundle file, whole or not at all;
        returns {path, runs, sha256}. Refused (BundleRefused) from the training workspace."""
        from app.store import exchange

        by = validate.text("Exported by", by, max_length=200)
        target = Path(path)
        with self._db.write() as conn:
            payload = exchange.build_payload(conn, list(run_ids), workspace, by, self._now(),
                                             migrations.current_version(conn))
            data, digest = exchange.seal(payload)
            exchange.write_atomic(target, data)
            exchange.record_export(conn, payload, digest, target, by, self._now())
        return {"path": target, "runs": len(payload["runs"]), "sha256": digest}

    def import_bundle(self, path: str | os.PathLike[str], workspace: str, by: str) -> exchange.ImportResult:
        """Check a bundle (fingerprint, workspace, every run's audit chain) and import it in one transaction;
        BundleRefused with a plain reason if it is damaged, altered or from the other kind of workspace."""
        from app.store import exchange

        by = validate.text("Imported by", by, max_length=200)
        payload, digest = exchange.unseal(exchange.read_file(Path(path)), Path(path).name)
        exchange.check_payload(payload, workspace)
        with self._db.write() as conn:
            return exchange.import_payload(conn, payload, digest, by, self._now())

    # -- audit --------------------------------------------------------------------------------------------

    def audit_trail(self, run_id: int | None = None, entity: str | None = None,
                    entity_id: str | int | None = None) -> list[dict[str, Any]]:
        """Audit rows oldest first: of a run (`run_id`), or of one entity (e.g. entity='case', entity_id=3)."""
        if run_id is None and (entity is None or entity_id is None):
            raise InvalidRecord("Give a run id, or an entity and its id, to read the audit trail.")
        with self._db.read() as conn:
            return audit.trail(conn, run_id, entity, None if entity_id is None else str(entity_id))

    def verify_audit(self, run_id: int | None = None) -> audit.AuditCheck:
        """Recompute the hash chain (whole database, or one run's chain); the result names the first broken row."""
        with self._db.read() as conn:
            return audit.verify(conn, run_id)

    def audit_head(self, run_id: int) -> str | None:
        """A short hex fingerprint of the run's latest audit row (for reports), or None."""
        with self._db.read() as conn:
            return audit.head(conn, run_id)


CHECK_NOW, CHECK_IN_BACKGROUND, CHECK_WHEN_STARTED = "now", "background", "when_started"
CHECK_MODES = (CHECK_NOW, CHECK_IN_BACKGROUND, CHECK_WHEN_STARTED)


def open_store(data_dir: str | os.PathLike[str] | None = None, training: bool = False,
               busy_timeout: float = DEFAULT_BUSY_TIMEOUT, auto_backup: bool = True,
               check_integrity: str = CHECK_NOW) -> Store:
    """Open records.db (or training.db) in the data folder chosen by app.paths.resolve_data_dir.

    `check_integrity="now"` (the default: the command line, tests) runs the full integrity check before
    returning; "background" defers it to a background thread started at once, see
    `Store.open(defer_check=True)`; "when_started" (the desktop app) also defers starting that thread until
    `store.start_check()`, the first write or `wait_for_check()`, so it does not compete with the first window."""
    if check_integrity not in CHECK_MODES:
        raise ValueError(f"check_integrity must be one of {', '.join(map(repr, CHECK_MODES))}, not {check_integrity!r}")
    folder = paths.resolve_data_dir(data_dir)
    return Store.open(paths.database_path(folder, training), busy_timeout=busy_timeout, auto_backup=auto_backup,
                      defer_check=check_integrity != CHECK_NOW, start_check=check_integrity != CHECK_WHEN_STARTED)
