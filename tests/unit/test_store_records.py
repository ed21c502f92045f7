"""Store behaviour through the facade: cases, profiles, runs, answers, flags, review and amendment."""
from __future__ import annotations

import pytest

from app.store import DuplicateCase, InvalidRecord, NotFound, RunNotEditable, RunSignedOff
from fixtures_store.store_helpers import OPEN_SNAPSHOT, SNAPSHOT, URGENT, case_and_run, new_store, signed_off_run


@pytest.fixture
def store(tmp_path):
    s = new_store(tmp_path)
    yield s
    s.close()


def test_case_round_trip_keeps_household_agencies_and_scripts(store):
    case_id = store.create_case({
        "reference": "WM-17", "child_name": "عائشہ (Ayesha) Khan", "expected_delivery_date": "2026-12-01",
        "plan": "early_help",
        "household": [{"name": "ਹਰਪ੍ਰੀਤ Kaur", "relationship": "mother", "date_of_birth": "1998-02-03"},
                      {"id": "dad", "name": "Ștefan Ștefănescu", "relationship": "father", "notes": "works nights"}],
        "agencies": [{"name": "Midwifery", "role": "community midwife", "contact": "ext 2211"}],
    }, by="Jo")
    case = store.get_case(case_id)
    assert case["child_name"] == "عائشہ (Ayesha) Khan"
    assert [m["id"] for m in case["household"]] == ["m1", "dad"]
    assert case["household"][0]["name"] == "ਹਰਪ੍ਰੀਤ Kaur"
    assert case["household"][1]["lives_with_child"] is True
    assert case["agencies"] == [{"name": "Midwifery", "role": "community midwife", "contact": "ext 2211"}]
    assert store.find_case("WM-17")["id"] == case_id


def test_duplicate_reference_and_bad_fields_are_refused_with_specific_messages(store):
    store.create_case({"reference": "A-1", "child_name": "AB"}, by="Jo")
    with pytest.raises(DuplicateCase, match="A-1"):
        store.create_case({"reference": "A-1", "child_name": "CD"}, by="Jo")
    with pytest.raises(InvalidRecord, match="Plan 'urgent' is not one of"):
        store.create_case({"reference": "A-2", "child_name": "CD", "plan": "urgent"}, by="Jo")
    with pytest.raises(InvalidRecord, match="Date of birth must be a date written as YYYY-MM-DD"):
        store.create_case({"reference": "A-3", "child_name": "CD", "date_of_birth": "31/01/2026"}, by="Jo")
    with pytest.raises(InvalidRecord, match="unknown field.*chid_name"):
        store.create_case({"reference": "A-4", "chid_name": "CD"}, by="Jo")
    with pytest.raises(InvalidRecord, match="Household person 1 relationship 'uncle'"):
        store.create_case({"reference": "A-5", "child_name": "CD",
                           "household": [{"name": "X", "relationship": "uncle"}]}, by="Jo")
    assert store.count_cases() == 1


def test_update_case_audits_only_what_changed(store):
    case_id = store.create_case({"reference": "B-1", "child_name": "EF", "plan": "none"}, by="Jo")
    assert store.update_case(case_id, {"plan": "child_protection"}, by="Jo") is True
    assert store.update_case(case_id, {"plan": "child_protection"}, by="Jo") is False
    trail = store.audit_trail(entity="case", entity_id=case_id)
    assert [(r["field"], r["old_value"], r["new_value"]) for r in trail[1:]] == [("plan", "none", "child_protection")]


def test_search_folds_letter_case_in_any_script(store):
    store.create_case({"reference": "P-1", "child_name": "Łukasz Wiśniewski"}, by="Jo")
    store.create_case({"reference": "G-1", "child_name": "Νίκος Παπαδόπουλος"}, by="Jo")
    store.create_case({"reference": "100%", "child_name": "Percent"}, by="Jo")
    assert [c["reference"] for c in store.list_cases(search="łUKASZ")] == ["P-1"]
    assert [c["reference"] for c in store.list_cases(search="ΝΊΚΟΣ")] == ["G-1"]
    assert [c["reference"] for c in store.list_cases(search="0%")] == ["100%"]
    assert store.count_cases(search="zzz") == 0
    with pytest.raises(InvalidRecord, match="Cannot sort by"):
        store.list_cases(order_by="name; drop table cases")


def test_profiles(store):
    saved = store.save_profile({"name": "Sam Supervisor", "role": "supervisor", "team": "Sandwell North"})
    assert store.get_profile("Sam Supervisor")["id"] == saved["id"]
    store.save_profile({"id": saved["id"], "name": "Sam Supervisor", "role": "supervisor", "team": "Sandwell South"})
    assert store.get_profile(saved["id"])["team"] == "Sandwell South"
    with pytest.raises(InvalidRecord, match="Role 'boss'"):
        store.save_profile({"name": "X", "role": "boss"})
    with pytest.raises(InvalidRecord, match="already a profile"):
        store.save_profile({"name": "Sam Supervisor", "role": "trainer"})


def test_answers_are_saved_changed_cleared_and_audited(store):
    _, run_id = case_and_run(store)
    store.save_answer(run_id, "mobility", "rolls", how_known="reported", reported_by="mother", by="Jo")
    store.save_answer(run_id, "mobility", "crawls", how_known="reported", reported_by="mother", by="Jo")
    store.save_answer(run_id, "mark_seen", "no", by="Jo")
    answers = store.get_answers(run_id)
    assert answers["mobility"]["value"] == "crawls" and answers["mobility"]["reported_by"] == "mother"
    assert store.clear_answer(run_id, "mark_seen", by="Jo") is True
    assert "mark_seen" not in store.get_answers(run_id)
    fields = [(r["entity_id"], r["field"], r["old_value"], r["new_value"]) for r in store.audit_trail(run_id)]
    assert (f"{run_id}/mobility", "value", "rolls", "crawls") in fields
    assert (f"{run_id}/mark_seen", "value", "no", None) in fields


def test_answer_input_is_checked(store):
    _, run_id = case_and_run(store)
    with pytest.raises(InvalidRecord, match="has no prompt 'no_such_prompt'"):
        store.save_answer(run_id, "no_such_prompt", "yes", by="Jo")
    with pytest.raises(InvalidRecord, match="How it is known 'heard'"):
        store.save_answer(run_id, "mark_seen", "yes", how_known="heard", by="Jo")
    with pytest.raises(InvalidRecord, match="must be text, a number"):
        store.save_answer(run_id, "mark_seen", {"a": 1}, by="Jo")
    with pytest.raises(NotFound, match="no checklist run with id 999"):
        store.save_answer(999, "mark_seen", "yes", by="Jo")
    assert store.get_answers(run_id) == {}


def test_flags_raise_clear_and_reraise_keep_history(store):
    case_id, run_id = case_and_run(store)
    assert store.sync_flags(run_id, [URGENT], by="Jo")["raised"] == ["nim_mark_same_day"]
    assert store.list_runs(min_severity="urgent")[0]["id"] == run_id
    assert store.sync_flags(run_id, [], by="Jo")["cleared"] == ["nim_mark_same_day"]
    assert store.list_flags(run_id) == [] and store.count_runs(min_severity="info") == 0
    store.sync_flags(run_id, [URGENT], by="Jo")
    history = store.list_flags(run_id, include_cleared=True)
    assert [f["cleared_at"] is None for f in history] == [False, True]
    assert len(store.case_flags(case_id)) == 2


def test_flag_response_needs_action_with_who_or_a_reason(store):
    _, run_id = case_and_run(store)
    store.sync_flags(run_id, [URGENT], by="Jo")
    with pytest.raises(InvalidRecord, match="Say who took, or will take, the action"):
        store.save_flag_response(run_id, "nim_mark_same_day", action_taken="Refer", by="Jo")
    with pytest.raises(InvalidRecord, match="or the reason for not acting"):
        store.save_flag_response(run_id, "nim_mark_same_day", by="Jo")
    with pytest.raises(InvalidRecord, match="has not been raised"):
        store.save_flag_response(run_id, "other", reason_not_acting="n/a", by="Jo")
    store.save_flag_response(run_id, "nim_mark_same_day", action_taken="Refer to MASH", by_whom="Jo",
                             by_when="today 3pm", by="Jo")
    assert store.list_flags(run_id)[0]["response"]["by_when"] == "today 3pm"


def test_review_workflow_and_amendment(store):
    case_id, run_id = case_and_run(store)
    store.save_answer(run_id, "mark_seen", "yes", by="Jo")
    store.submit(run_id, by="Jo")
    with pytest.raises(RunNotEditable, match="submitted for review"):
        store.save_answer(run_id, "mark_seen", "no", by="Jo")
    store.return_run(run_id, "Sam", "Please describe the mark")
    store.save_answer(run_id, "explanation", "Mother says the baby rolled into the cot bars", by="Jo")
    store.submit(run_id, by="Jo")
    store.sign_off(run_id, "Sam", "Agreed")
    assert [r["decision"] for r in store.list_reviews(run_id)] == ["returned", "signed_off"]
    assert store.get_run(run_id)["case_snapshot"]["reference"] == "SW-0001"
    with pytest.raises(RunSignedOff, match="signed off and cannot be changed"):
        store.save_answer(run_id, "mark_seen", "no", by="Jo")
    assert store.set_position(run_id, 2) is False
    store.add_review_comment(run_id, "Sam", "Seen again at review")

    new_id = store.amend(run_id, by="Jo")
    new = store.get_run(new_id)
    assert (new["version"], new["amends_run_id"], new["status"]) == (2, run_id, "draft")
    assert store.get_run(run_id)["amended_by_run_id"] == new_id
    assert store.get_answers(new_id).keys() == store.get_answers(run_id).keys()
    with pytest.raises(RunNotEditable, match="already been amended"):
        store.amend(run_id, by="Jo")
    store.save_answer(new_id, "mark_seen", "no", by="Jo")
    assert store.get_answers(run_id)["mark_seen"]["value"] == "yes"


def test_list_runs_filters_and_orders_by_last_change(store):
    store.save_profile({"name": "Jo Practitioner", "role": "practitioner", "team": "Oldbury"})
    _, first = case_and_run(store, "R-1")
    _, second = case_and_run(store, "R-2", OPEN_SNAPSHOT)
    store.save_answer(first, "mark_seen", "no", by="Jo Practitioner")  # first is now the latest change
    listed = store.list_runs()
    assert [r["id"] for r in listed] == [first, second]
    assert listed[0]["checklist_title"] == SNAPSHOT["title"] and listed[0]["child_name"] == "Zofia Wiśniewska"
    assert [r["id"] for r in store.list_runs(checklist_id="open-ended")] == [second]
    assert store.count_runs(team="Oldbury") == 2 and store.count_runs(team="Tipton") == 0
    assert store.count_runs(status=["draft", "submitted"]) == 2
    assert store.list_runs(status="draft", limit=1, offset=1)[0]["id"] == second
    assert store.count_runs(since="2000-01-01", until="2999-01-01") == 2
    with pytest.raises(InvalidRecord, match="Status 'open'"):
        store.list_runs(status="open")
    with pytest.raises(InvalidRecord, match="'since' must be a date"):
        store.list_runs(since="last week")


def test_start_run_checks_the_snapshot(store):
    case_id, _ = case_and_run(store)
    with pytest.raises(InvalidRecord, match="snapshot is of checklist 'non-mobile-bruising'"):
        store.start_run(case_id, "other", 1, SNAPSHOT, "Jo")
    with pytest.raises(NotFound, match="no case with id 42"):
        store.start_run(42, SNAPSHOT["id"], 1, SNAPSHOT, "Jo")
    # Identical definitions are stored once however many runs use them.
    for _ in range(3):
        store.start_run(case_id, SNAPSHOT["id"], 1, SNAPSHOT, "Jo")
    assert store._db.scalar("SELECT COUNT(*) FROM snapshots") == 1
    assert store.get_run(1)["snapshot"] == SNAPSHOT


def test_signed_off_run_is_frozen_for_every_facade_write(store):
    _, run_id = signed_off_run(store)
    for attempt in (
        lambda: store.clear_answer(run_id, "mark_seen", by="Jo"),
        lambda: store.sync_flags(run_id, [], by="Jo"),
        lambda: store.save_flag_response(run_id, "nim_mark_same_day", reason_not_acting="x", by="Jo"),
        lambda: store.sign_off(run_id, "Sam"),
        lambda: store.submit(run_id, by="Jo"),
    ):
        with pytest.raises(RunSignedOff):
            attempt()
    assert store.verify_audit().ok


def test_a_note_before_the_answer_is_saved_with_no_value_and_audited(store):
    _, run_id = case_and_run(store)
    saved = store.save_answer(run_id, "explanation", None, note="Mother was upset; ask again", by="Jo")
    assert saved["value"] is None and saved["note"] == "Mother was upset; ask again"
    store.save_answer(run_id, "mark_seen", None, how_known="reported", reported_by="grandmother", by="Jo")
    answers = store.get_answers(run_id)
    assert answers["explanation"]["value"] is None and answers["explanation"]["note"] == "Mother was upset; ask again"
    assert answers["mark_seen"]["value"] is None and answers["mark_seen"]["reported_by"] == "grandmother"
    fields = [(r["entity_id"], r["field"], r["old_value"], r["new_value"]) for r in store.audit_trail(run_id)]
    assert (f"{run_id}/explanation", "note", "", "Mother was upset; ask again") in fields
    assert (f"{run_id}/mark_seen", "how_known", None, "reported") in fields
    assert not [f for f in fields if f[0] == f"{run_id}/explanation" and f[1] == "value"]  # nothing answered yet
    # Answering keeps the note; clearing removes the value and keeps the note too.
    store.save_answer(run_id, "explanation", "Fell against the cot", note="Mother was upset; ask again", by="Jo")
    assert store.clear_answer(run_id, "explanation", by="Jo") is True
    assert store.get_answers(run_id)["explanation"]["value"] is None
    assert store.get_answers(run_id)["explanation"]["note"] == "Mother was upset; ask again"
    assert store.clear_answer(run_id, "explanation", by="Jo") is False  # no value left to clear
    # A row with nothing at all is not kept, and a brand-new empty one is refused.
    store.save_answer(run_id, "explanation", None, note="", by="Jo")
    assert "explanation" not in store.get_answers(run_id)
    with pytest.raises(InvalidRecord, match="needs a value, a note or how it is known"):
        store.save_answer(run_id, "mobility", None, by="Jo")
    assert store.verify_audit(run_id).ok


def test_a_signed_off_run_refuses_a_note_on_an_unanswered_question(store):
    _, run_id = signed_off_run(store)
    with pytest.raises(RunSignedOff):
        store.save_answer(run_id, "explanation", None, note="Afterthought", by="Jo")
    assert "explanation" not in store.get_answers(run_id)
