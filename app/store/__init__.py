"""The local record store: the only code that talks SQL.

Open one with::

    from app.store import open_store, Store, StoreError
    store = open_store(data_dir=None, training=False)   # <data>/records.db or <data>/training.db
    store = Store.open("/path/to/records.db")            # any file
    store = open_store(data_dir, check_integrity="background")  # the desktop app: see below
    ...
    store.close()

Everything goes in and out as plain dicts, str, int and lists, so nothing above this layer needs SQL.
Every error is a `StoreError` subclass with `.user_message` (plain words, safe to show; never contains
answer text or notes): `StoreCorrupt` (.path, .latest_backup), `StoreBusy`, `StoreReadOnly`, `StoreFull`,
`StoreTooNew`, `NotFound`, `InvalidRecord` (also a ValueError; `DuplicateCase`), `RunSignedOff`,
`RunNotEditable`. A failed write is rolled back whole: there is never a half-written record.

Profiles
    save_profile({"name", "role": practitioner|supervisor|trainer, "team", "id"?}, by=None) -> dict
    get_profile(id_or_name) -> dict | None;  list_profiles(team=None) -> list[dict]
Cases
    create_case(data, by) -> case_id      data: reference (unique), child_name, date_of_birth,
                                           expected_delivery_date, mobility, plan, household, agencies
    update_case(case_id, data, by) -> bool;  get_case(case_id) -> dict (with household and agencies)
    find_case(reference) -> dict | None
    list_cases(search=None, order_by="updated_at desc", limit=50, offset=0);  count_cases(search=None)
Runs
    start_run(case_id, checklist_id, version, snapshot: dict, practitioner) -> run_id
    get_run(run_id) -> dict (snapshot, status, position, version, amends_run_id, amended_by_run_id, ...)
    list_runs(status=None, practitioner=None, team=None, checklist_id=None, min_severity=None, since=None,
              until=None, case_id=None, order_by="updated_at desc", limit=50, offset=0) -> list[dict]
    count_runs(...same filters) -> int;  set_position(run_id, section_index) -> bool
Answers (each committed durably with its audit rows before the call returns)
    save_answer(run_id, prompt_id, value, note="", how_known=None, reported_by="", *, by) -> dict
    clear_answer(run_id, prompt_id, *, by) -> bool;  get_answers(run_id) -> {prompt_id: dict}
    `value` None is "not answered yet": allowed on a row that carries a note, how_known or reported_by, so a
    note given before the answer is saved at once (get_answers returns value None for it; a row left with
    nothing at all is removed). clear_answer removes the value and keeps the note, if there is one.
Flags
    sync_flags(run_id, raised=[{flag_id, severity, message, action}], by) -> {"raised", "cleared", "changed"}
    list_flags(run_id, include_cleared=False);  case_flags(case_id)
    save_flag_response(run_id, flag_id, action_taken="", by_whom="", by_when="", reason_not_acting="", *, by)
    flag_responses(run_id) -> {flag_id: dict}
Review (draft/returned -> submitted -> returned | signed_off; signed-off runs are frozen by SQLite triggers)
    submit(run_id, by);  return_run(run_id, supervisor, reason);  sign_off(run_id, supervisor, comment="")
    add_review_comment(run_id, supervisor, comment) -> id;  list_reviews(run_id)
    amend(run_id, by) -> new_run_id      (version + 1, amends_run_id = old; the old run is unchanged)
Audit (SHA-256 chained; append-only)
    audit_trail(run_id=None, entity=None, entity_id=None) -> list[dict]
    verify_audit(run_id=None) -> AuditCheck(ok, checked, first_broken_id, problem, user_message)
    audit_head(run_id) -> str | None     (16 hex characters)
Assurance (aggregate counts for the partnership dashboard; never names, references or answer text. The
period's runs are those started in [since, until), latest version only; `team` is the practitioner's team.
The four counts read on a read-only connection of their own, so a count on a worker thread never keeps the
window's reads and saves waiting)
    assurance_teams() -> list[str];  assurance_runs(since, until, team=None) -> [{checklist_id, status, runs}]
    assurance_answers(checklist_id, prompt_ids, since, until, team=None) -> [{answers: {prompt: value}, runs}]
    assurance_flags(since, until, team=None) -> [{checklist_id, flag_id, severity, raised, responded,
                                                  with_action, action_same_day, reason_only}]
    assurance_overdue(today, no_response_before, since, until, team=None) -> {by_when_passed, no_response}
Training scenario progress (training.db only: saving it in the real records is refused with InvalidRecord,
and reading there finds none. Written whole in one transaction; not audited, like the resume position; a
signed-off run's progress is frozen by the same triggers as its answers, a submitted run's still moves on)
    training -> bool  (the file is training.db)
    save_scenario_progress(run_id, {scenario_id, stage_ids: [...], stage_index, raised_at_stage: {index: [flag
                           ids]}, finished}) -> dict (the same, with stage_count, started_at, updated_at)
    get_scenario_progress(run_id) -> dict | None
    list_unfinished_scenarios(limit=50) -> [{run_id, case_id, case_reference, checklist_id, status, scenario_id,
                           stage_ids, stage_count, stage_index, started_at, updated_at}]  (most recently used
                           first; runs not signed off; updated_at: the later of the last stage change and answer)
Exchange between computers (app.store.exchange documents the bundle and the audit-chain design)
    export_bundle(run_ids, path, workspace: "real"|"training", by) -> {path, runs, sha256}
    import_bundle(path, workspace, by) -> ImportResult(added, updated, unchanged, kept_local, notes, summary)
    Both raise BundleRefused (a StoreError) with the reason: export from training, a damaged, altered or
    cut-short bundle, a bundle from the other kind of workspace, an audit chain that does not verify.
Health
    backup_now() -> Path;  backups() -> [{path, taken_at, size}];  integrity_check() -> list[str]
    schema_version() -> int;  backup_problem: str | None (why today's automatic backup failed)
    Opening checks the whole file (PRAGMA quick_check) before returning. With
    open_store(check_integrity="background") / Store.open(defer_check=True) only the header and the schema
    are checked before returning; the full check, then the day's backup, run on a background thread with
    their own read-only connection. Reads work meanwhile; every write waits for the check and raises its
    StoreCorrupt (naming the latest good backup; the file is left unchanged) if it failed. With
    check_integrity="when_started" that thread starts at start_check() (the desktop app: once its window
    is on screen), or at the first write or wait_for_check(), whichever comes first.
    check_finished -> bool;  start_check();  wait_for_check(timeout=None) -> StoreError | None
Bulk
    seed(cases, runs, by) -> (cases, runs): fast bulk load used by `python main.py seed-demo`

Durability: WAL journal, synchronous=FULL, busy_timeout (default 5 s, then StoreBusy); every change is one
BEGIN IMMEDIATE transaction, so two copies of the app on the same folder never lose each other's answers.
"""
from app.store.audit import AuditCheck
from app.store.errors import (
    DuplicateCase,
    InvalidRecord,
    NotFound,
    RunNotEditable,
    RunSignedOff,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreTooNew,
)
from app.store.store import Store, open_store


def __getattr__(name: str) -> object:
    # The exchange module (bundles between computers) is imported on first use, not with the store.
    if name in ("BundleRefused", "ImportResult"):
        from app.store import exchange

        return getattr(exchange, name)
    raise AttributeError(f"module 'app.store' has no attribute {name!r}")

__all__ = [
    "AuditCheck", "BundleRefused", "DuplicateCase", "ImportResult", "InvalidRecord", "NotFound", "RunNotEditable", "RunSignedOff", "Store",
    "StoreBusy", "StoreCorrupt", "StoreError", "StoreFull", "StoreReadOnly", "StoreTooNew", "open_store",
]
