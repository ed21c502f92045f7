"""The use cases that join the engine and the store: what the desktop app relies on."""
import copy
import datetime as dt

import pytest

from app.domain.engine import AnswerError
from app.services import ServiceError, Workspace
from app.store import RunSignedOff, StoreError

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path, today=lambda: TODAY)
    workspace.save_profile("Amina Patel", "practitioner", "Health visiting North")
    yield workspace
    workspace.close()


def baby_case(ws, weeks_old=8, reference="WV-0001"):
    return ws.create_case({
        "reference": reference, "child_name": "Baby K",
        "date_of_birth": (TODAY - dt.timedelta(weeks=weeks_old)).isoformat(), "mobility": "not_rolling",
        "household": [{"id": "m1", "name": "Kasia Nowak", "relationship": "mother"},
                      {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}],
    })


def test_first_run_has_no_profile_and_remembers_the_one_given(tmp_path):
    first = Workspace.open(tmp_path / "fresh")
    assert first.profile is None
    with pytest.raises(ServiceError, match="Enter your name"):
        first.save_profile("  ", "practitioner", "")
    first.save_profile("Jo Bloggs", "supervisor", "Safeguarding team")
    first.close()
    again = Workspace.open(tmp_path / "fresh")
    assert again.profile["name"] == "Jo Bloggs" and again.profile["role"] == "supervisor"
    again.close()


def test_training_workspace_is_a_separate_file_and_knows_the_same_person(tmp_path):
    real = Workspace.open(tmp_path)
    real.save_profile("Jo Bloggs", "trainer", "Learning and development")
    baby_case(real)
    real.close()
    training = Workspace.open(tmp_path, training=True)
    assert training.training and training.profile["name"] == "Jo Bloggs"
    assert training.store.count_cases() == 0
    training.close()


def test_answers_raise_and_clear_flags_and_are_kept_across_reopening(ws, tmp_path):
    run_id = ws.start_run(baby_case(ws), "non-mobile-bruising")
    session = ws.open_run(run_id)
    session.record_answer("unwell", "no")
    session.record_answer("mobility", "not_rolling")
    session.record_answer("mark_kind", ["bruise"])
    evaluation = session.record_answer("documented_medical", "no", note="Checked the red book", how_known="seen")
    assert [f.id for f in evaluation.flags][:1] == ["nim_mark_same_day"]
    assert [f["flag_id"] for f in ws.store.list_flags(run_id)][:1] == ["nim_mark_same_day"]
    evaluation = session.record_answer("documented_medical", "yes")
    assert "nim_mark_same_day" not in [f.id for f in evaluation.flags]
    session.set_position(2)
    ws.close()

    reopened = Workspace.open(tmp_path, today=lambda: TODAY).open_run(run_id)
    assert reopened.run["position"] == 2
    assert reopened.answers["documented_medical"].value == "yes"
    assert reopened.answers["documented_medical"].note == "Checked the red book"  # kept when only the value changed
    assert str(reopened.answers["documented_medical"].how_known) == "seen"
    reopened.workspace.close()


def test_a_value_that_does_not_fit_is_refused_and_nothing_is_saved(ws):
    run_id = ws.start_run(baby_case(ws), "non-mobile-bruising")
    session = ws.open_run(run_id)
    with pytest.raises(AnswerError, match="Expected one of: yes, no, unknown"):
        session.record_answer("unwell", "maybe")
    with pytest.raises(AnswerError, match="no question 'nonsense'"):
        session.record_answer("nonsense", "yes")
    assert ws.store.get_answers(run_id) == {}


def test_submit_names_what_is_missing_then_locks_the_run_once_signed_off(ws):
    run_id = ws.start_run(baby_case(ws), "non-mobile-bruising")
    session = ws.open_run(run_id)
    session.record_answer("unwell", "no")
    session.record_answer("mobility", "not_rolling")
    session.record_answer("mark_kind", ["bruise"])
    session.record_answer("documented_medical", "no")
    with pytest.raises(ServiceError) as refused:
        session.submit()
    assert any(p.startswith("Required question not answered") for p in refused.value.problems)
    assert any(p.startswith("No response recorded for the flag") for p in refused.value.problems)

    with pytest.raises(ServiceError, match="who took"):
        session.record_flag_response("nim_mark_same_day", action_taken="Referred to the MASH")
    for prompt in session.evaluation.missing_required:
        value = prompt.option_values()[0] if prompt.option_values() else "Seen at the home visit on Monday."
        if prompt.type == "multi_choice":
            value = [value]
        session.record_answer(prompt.id, value)
    for flag in session.evaluation.flags:
        session.record_flag_response(flag.id, action_taken="Discussed with the MASH", by_whom="Amina Patel",
                                     by_when=TODAY.isoformat())
    session.submit()
    assert session.run["status"] == "submitted" and not session.editable
    with pytest.raises(ServiceError, match="submitted"):
        session.record_answer("unwell", "yes")

    ws.store.sign_off(run_id, "Sam Lee", "Agreed actions")
    with pytest.raises(RunSignedOff):
        ws.store.save_answer(run_id, "unwell", "yes", by="Someone")


def test_case_dates_are_checked_with_a_clear_message(ws):
    with pytest.raises(ServiceError, match="Date of birth must be a date"):
        ws.create_case({"reference": "X-1", "child_name": "A", "date_of_birth": "31/01/2026"})
    with pytest.raises(StoreError):
        ws.create_case({"reference": "", "child_name": "A"})


def test_importing_the_services_leaves_the_catalog_and_its_parsers_for_later():
    import subprocess
    import sys

    code = ("import sys, app.services; "
            "print(' '.join(m for m in ('app.catalog', 'pydantic', 'lark', 'ruamel.yaml') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_catalog_is_read_once_on_first_use_even_from_several_threads(tmp_path, monkeypatch):
    import threading
    import time

    import app.catalog

    real_load = app.catalog.load_catalog
    calls = []

    def slow_load(path):
        calls.append(path)
        time.sleep(0.2)  # long enough for every thread to arrive while the first load is under way
        return real_load(path)

    monkeypatch.setattr(app.catalog, "load_catalog", slow_load)
    workspace = Workspace.open(tmp_path)
    try:
        assert not workspace.catalog_loaded and calls == []
        seen = []
        threads = [threading.Thread(target=lambda: seen.append(workspace.catalog)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(calls) == 1 and workspace.catalog_loaded
        assert len(seen) == 4 and all(found is seen[0] for found in seen)
        assert "non-mobile-bruising" in seen[0].checklists
    finally:
        workspace.close()


def test_an_injected_catalog_is_used_as_given(tmp_path):
    from app.catalog import load_catalog
    from app.store import open_store

    from pathlib import Path

    catalog = load_catalog(Path(__file__).parent / "fixtures" / "catalog")
    workspace = Workspace(open_store(tmp_path), catalog, data_dir=tmp_path)
    try:
        assert workspace.catalog_loaded and workspace.catalog is catalog
    finally:
        workspace.close()


def test_a_note_before_the_answer_survives_closing_and_clearing_keeps_the_note(ws, tmp_path):
    run_id = ws.start_run(baby_case(ws), "non-mobile-bruising")
    session = ws.open_run(run_id)
    before = session.evaluation
    assert session.record_note("unwell", note="Grandmother says he was off his feeds", how_known="reported",
                               reported_by="grandmother") is None
    assert session.answers["unwell"].value is None
    assert session.evaluation.missing_required == before.missing_required  # still unanswered
    ws.close()  # as if the app were closed straight away

    ws2 = Workspace.open(tmp_path, today=lambda: TODAY)
    try:
        again = ws2.open_run(run_id)
        kept = again.answers["unwell"]
        assert (kept.value, kept.note, str(kept.how_known), kept.reported_by) == (
            None, "Grandmother says he was off his feeds", "reported", "grandmother")
        assert "unwell" in [p.id for p in again.evaluation.missing_required]
        again.record_answer("unwell", "no")
        assert again.answers["unwell"].note == "Grandmother says he was off his feeds"
        again.clear_answer("unwell")
        assert again.answers["unwell"].value is None
        assert again.answers["unwell"].note == "Grandmother says he was off his feeds"
        stored = ws2.store.get_answers(run_id)["unwell"]
        assert stored["value"] is None and stored["note"] == "Grandmother says he was off his feeds"
        assert ws2.open_run(run_id).answers["unwell"].note == "Grandmother says he was off his feeds"
        # Emptying the note on an unanswered question leaves nothing behind.
        again.record_note("unwell", note="", how_known="", reported_by="")
        assert "unwell" not in again.answers and "unwell" not in ws2.store.get_answers(run_id)
        # An answer with no note is removed whole, as before.
        again.record_answer("mobility", "not_rolling")
        again.clear_answer("mobility")
        assert "mobility" not in ws2.store.get_answers(run_id)
    finally:
        ws2.close()


def test_a_run_started_on_an_earlier_version_keeps_its_own_wording(ws):
    """Runs store the checklist as it was; a later wording change (here version 3 of the bruising checklist,
    which says a shared out-of-hours number once) does not rewrite a run started on version 2."""
    current = ws.checklist("non-mobile-bruising")
    assert current.version == 3
    earlier = copy.deepcopy(current.snapshot)
    earlier["version"] = 2
    old_action = ("You, today: refer to {settings.mash_name} on {settings.mash_phone} (out of hours "
                  "{settings.out_of_hours_phone}) and arrange a same-day paediatric assessment.")
    next(f for f in earlier["flags"] if f["id"] == "nim_mark_same_day")["action"] = old_action
    case_id = baby_case(ws)
    old_run = ws.store.start_run(case_id, "non-mobile-bruising", 2, earlier, practitioner=ws.user_name)
    new_run = ws.start_run(case_id, "non-mobile-bruising")

    def urgent_action(run_id):
        session = ws.open_run(run_id)
        session.record_answer("mobility", "not_rolling")
        session.record_answer("mark_kind", ["bruise"])
        flag = next(f for f in session.evaluation.flags if f.id == "nim_mark_same_day")
        stored = next(f for f in ws.store.list_flags(run_id) if f["flag_id"] == "nim_mark_same_day")
        assert stored["action"] == flag.action
        return session.checklist.version, flag.action

    assert urgent_action(old_run) == (2, "You, today: refer to the Sandwell safeguarding team (MASH) on 0121 569 3100 "
                                         "(out of hours 0121 569 3100) and arrange a same-day paediatric assessment.")
    version, action = urgent_action(new_run)
    assert version == 3 and action.startswith("You, today: refer to the Sandwell safeguarding team (MASH) on "
                                              "0121 569 3100 (also out of hours) and arrange a same-day")
    assert {r["id"]: r["checklist_version"] for r in ws.store.list_runs()} == {old_run: 2, new_run: 3}
