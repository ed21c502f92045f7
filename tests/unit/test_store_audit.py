"""The audit chain: intact after normal use; an edited, deleted or reordered row is found, by number."""
from __future__ import annotations

import sqlite3

import pytest

from fixtures_store.store_helpers import case_and_run, new_store, signed_off_run


def _tamper(path, *statements):
    """Change audit rows the way an attacker with the file would: triggers dropped, raw SQL."""
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("DROP TRIGGER audit_no_delete")
    for sql, params in statements:
        raw.execute(sql, params)
    raw.commit()
    raw.close()


@pytest.fixture
def filled(tmp_path):
    store = new_store(tmp_path)
    _, run_id = signed_off_run(store)
    _, other_run = case_and_run(store, "SW-0003")
    store.save_answer(other_run, "mark_seen", "no", by="Jo")
    store.close()
    return tmp_path / "records.db", run_id, other_run


def _row_of(path, run_id, field):
    raw = sqlite3.connect(path)
    found = raw.execute("SELECT id FROM audit WHERE run_id = ? AND field = ? ORDER BY id", (run_id, field)).fetchone()
    raw.close()
    return found[0]


def test_untouched_chain_verifies_and_head_is_a_short_fingerprint(filled, tmp_path):
    path, run_id, other = filled
    store = new_store(tmp_path)
    assert store.verify_audit().ok
    assert store.verify_audit(run_id).ok and store.verify_audit(other).ok
    head = store.audit_head(run_id)
    assert len(head) == 16 and int(head, 16) >= 0
    assert head != store.audit_head(other)
    store.close()


def test_edited_value_is_found_at_that_row(filled, tmp_path):
    path, run_id, other = filled
    target = _row_of(path, run_id, "value")
    _tamper(path, ("UPDATE audit SET new_value = '\"no\"' WHERE id = ?", (target,)))
    store = new_store(tmp_path)
    whole, own = store.verify_audit(), store.verify_audit(run_id)
    assert (whole.ok, whole.first_broken_id) == (False, target)
    assert (own.ok, own.first_broken_id) == (False, target)
    assert "content was edited" in whole.user_message and str(target) in whole.user_message
    assert store.verify_audit(other).ok  # another run's own chain is unaffected
    store.close()


def test_edit_with_recomputed_own_hash_still_breaks_the_next_link(filled, tmp_path):
    from app.store.audit import row_hash

    path, run_id, _ = filled
    target = _row_of(path, run_id, "value")
    raw = sqlite3.connect(path)
    row = raw.execute("SELECT id, at, who, entity, entity_id, run_id, field, old_value, new_value, prev_hash, "
                      "run_prev_hash FROM audit WHERE id = ?", (target,)).fetchone()
    raw.close()
    forged = list(row)
    forged[2] = "Someone Else"
    _tamper(path, ("UPDATE audit SET who = ?, hash = ? WHERE id = ?", (forged[2], row_hash(*forged), target)))
    store = new_store(tmp_path)
    assert store.verify_audit().first_broken_id == target + 1
    store.close()


def test_deleted_row_is_found(filled, tmp_path):
    path, run_id, _ = filled
    target = _row_of(path, run_id, "note")
    _tamper(path, ("DELETE FROM audit WHERE id = ?", (target,)))
    store = new_store(tmp_path)
    check = store.verify_audit(run_id)
    assert (check.ok, check.first_broken_id) == (False, target + 1)
    assert "removed or inserted" in check.problem
    store.close()
