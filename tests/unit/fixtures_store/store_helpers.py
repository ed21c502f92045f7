"""Shared builders for the store tests (fictional data only)."""
from __future__ import annotations

from pathlib import Path

from app.store import Store

SNAPSHOT = {
    "id": "non-mobile-bruising",
    "version": 1,
    "title": "Bruising and injuries in babies who are not independently mobile",
    "sections": [
        {"id": "mobility", "title": "Age and mobility",
         "prompts": [{"id": "mobility", "type": "single_choice"}, {"id": "mark_seen", "type": "yes_no_unknown"},
                     {"id": "explanation", "type": "text"}]},
    ],
    "flags": [{"id": "nim_mark_same_day", "severity": "urgent"}],
}
OPEN_SNAPSHOT = {"id": "open-ended", "version": 1, "title": "Any prompt", "sections": [], "flags": []}
URGENT = {"flag_id": "nim_mark_same_day", "severity": "urgent",
          "message": "A baby who is not independently mobile has a bruise or mark.",
          "action": "Refer to MASH today."}


def new_store(folder: Path, **kwargs) -> Store:
    """A fresh store in `folder` without the automatic backup (tests that want backups ask for them)."""
    kwargs.setdefault("auto_backup", False)
    return Store.open(Path(folder) / "records.db", **kwargs)


def case_and_run(store: Store, reference: str = "SW-0001", snapshot: dict | None = None) -> tuple[int, int]:
    """A case with a mother and partner, and a draft run on it."""
    case_id = store.create_case({
        "reference": reference, "child_name": "Zofia Wiśniewska", "date_of_birth": "2026-03-01",
        "mobility": "rolls", "plan": "child_in_need",
        "household": [{"name": "Agnieszka Wiśniewska", "relationship": "mother"},
                      {"name": "Łukasz Nowak", "relationship": "partner", "lives_with_child": False}],
        "agencies": [{"name": "Health visiting", "role": "HV", "contact": "0121 000 0000"}],
    }, by="Jo Practitioner")
    snap = snapshot or SNAPSHOT
    run_id = store.start_run(case_id, snap["id"], snap["version"], snap, "Jo Practitioner")
    return case_id, run_id


def signed_off_run(store: Store, reference: str = "SW-0002") -> tuple[int, int]:
    """A run with an answer, a flag and a response, submitted and signed off."""
    case_id, run_id = case_and_run(store, reference)
    store.save_answer(run_id, "mark_seen", "yes", note="Bruise on left cheek", how_known="seen", by="Jo Practitioner")
    store.sync_flags(run_id, [URGENT], by="Jo Practitioner")
    store.save_flag_response(run_id, "nim_mark_same_day", action_taken="Referred to MASH",
                             by_whom="Jo Practitioner", by_when="today", by="Jo Practitioner")
    store.submit(run_id, by="Jo Practitioner")
    store.sign_off(run_id, "Sam Supervisor", "Agreed")
    return case_id, run_id
