"""Supervisor use cases: the queue filters, sign-off, return with reasons, amendment, audit and rushed signs."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from app.catalog import load_catalog
from app.domain.rushed import QUICK, SAME, SHORT_TEXT
from app.services import CHECKLISTS_DIR, ServiceError, Workspace
from app.store import RunSignedOff, Store
from app.supervision import QueueFilter, Supervision, answer_timings, latest_return

TODAY = dt.date(2026, 11, 25)
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
HOUSEHOLD = [{"id": "m1", "name": "Kasia Nowak", "relationship": "mother"},
             {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}]


class Clock:
    """The store's clock: each write is `step` seconds after the one before."""

    def __init__(self, step: float = 60.0):
        self.at = START
        self.step = step

    def __call__(self) -> str:
        self.at += dt.timedelta(seconds=self.step)
        return self.at.isoformat(timespec="microseconds")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CHECKLISTS_DIR)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ws(tmp_path, catalog, clock):
    store = Store.open(tmp_path / "records.db", auto_backup=False, now=clock)
    workspace = Workspace(store, catalog, data_dir=tmp_path, today=lambda: TODAY)
    workspace.save_profile("Sam Okafor", "supervisor", "Health visiting North")
    workspace.save_profile("Beata Kowalska", "practitioner", "Health visiting South")
    workspace.save_profile("Amina Patel", "practitioner", "Health visiting North")
    yield workspace
    workspace.close()


def act_as(ws, name):
    profile = ws.store.get_profile(name)
    ws.save_profile(profile["name"], profile["role"], profile["team"])


def complete(session, description="Bruise 1cm on the left shin, yellow-brown, seen at the home visit."):
    """Answer every required question (first option; `description` for free text) and respond to every flag."""
    for _ in range(10):
        missing = session.evaluation.missing_required
        if not missing:
            break
        for prompt in missing:
            values = prompt.option_values()
            if prompt.type == "multi_choice":
                value = [values[0]]
            elif prompt.type == "text":
                value = description
            elif prompt.type == "yes_no_unknown":
                value = "no"
            elif prompt.type == "date":
                value = TODAY.isoformat()
            elif prompt.type == "number":
                value = int(prompt.min or 1)
            elif prompt.type == "person":
                value = "m1"
            else:
                value = values[0]
            session.record_answer(prompt.id, value)
    for flag in session.evaluation.flags:
        session.record_flag_response(flag.id, action_taken="Discussed with the MASH", by_whom="Amina Patel",
                                     by_when=TODAY.isoformat())


def submitted_run(ws, practitioner="Amina Patel", reference="WV-0001", checklist="non-mobile-bruising", **kwargs):
    act_as(ws, practitioner)
    case_id = ws.create_case({"reference": reference, "child_name": "Baby K", "date_of_birth": "2025-06-01",
                              "mobility": "walks", "household": HOUSEHOLD})
    session = ws.open_run(ws.start_run(case_id, checklist))
    complete(session, **kwargs)
    session.submit()
    return session.run_id


def test_the_queue_shows_submitted_runs_and_filters_by_practitioner_team_checklist_severity_and_date(ws, clock):
    first = submitted_run(ws, "Amina Patel", "WV-0001")
    second = submitted_run(ws, "Beata Kowalska", "WV-0002")
    third = submitted_run(ws, "Amina Patel", "WV-0003", checklist="was-not-brought")
    draft_case = ws.create_case({"reference": "WV-0004", "child_name": "Baby M", "date_of_birth": "2025-06-01"})
    ws.start_run(draft_case, "non-mobile-bruising")
    act_as(ws, "Sam Okafor")
    sv = Supervision(ws)

    def ids(**changes):
        queue = QueueFilter().with_changes(**changes)
        listed = [r["id"] for r in sv.list_queue(queue, "updated_at asc")]
        assert sv.count_queue(queue) == len(listed)
        return listed

    assert ids() == [first, second, third]
    assert ids(practitioner="Beata Kowalska") == [second]
    assert ids(team="Health visiting North") == [first, third]
    assert ids(checklist_id="was-not-brought") == [third]
    assert ids(practitioner="  ") == [first, second, third]  # a blank box is no filter
    assert len(ids(status=None)) == 4
    ranks = {r["id"]: r["flag_rank"] for r in sv.list_queue(QueueFilter(status=None), "updated_at asc")}
    assert len({ranks[first], ranks[third]}) == 2, "the fixtures should differ in their highest flag"
    for severity in ("urgent", "act", "consider", "info"):
        cut = ["urgent", "act", "consider", "info"].index(severity)
        expected = [i for i in (first, second, third) if ranks[i] is not None and ranks[i] <= cut]
        assert ids(min_severity=severity) == expected
    assert ids(since=TODAY, until=TODAY) == [first, second, third]
    assert ids(until=TODAY - dt.timedelta(days=1)) == []
    with pytest.raises(ServiceError, match="'to' date is before the 'from' date"):
        ids(since=TODAY, until=TODAY - dt.timedelta(days=1))


def test_filter_choices_come_from_profiles_and_the_loaded_checklists(ws):
    sv = Supervision(ws)
    choices = sv.filter_choices()
    assert choices.practitioners == ["Amina Patel", "Beata Kowalska", "Sam Okafor"]
    assert choices.teams == ["Health visiting North", "Health visiting South"]
    checklists = sv.checklist_choices()
    assert ("non-mobile-bruising", ws.catalog.checklists["non-mobile-bruising"].title) in checklists
    assert [title for _, title in checklists] == sorted((t for _, t in checklists), key=str.casefold)
    assert [s for s, _ in choices.severities] == ["urgent", "act", "consider", "info"]
    assert choices.statuses[0] == ("submitted", "Waiting for review")


def test_sign_off_records_the_supervisor_and_time_and_the_run_then_refuses_edits(ws, clock):
    run_id = submitted_run(ws)
    act_as(ws, "Sam Okafor")
    sv = Supervision(ws)
    review = sv.open_review(run_id)
    assert review.can_sign_off and review.can_return and not review.can_amend
    sv.comment(run_id, "Good, specific description of the mark.")
    sv.sign_off(run_id, "Agreed with the plan.")
    run = ws.store.get_run(run_id)
    assert run["status"] == "signed_off" and run["signed_off_by"] == "Sam Okafor"
    assert run["signed_off_at"] == clock.at.isoformat(timespec="microseconds")
    assert [(r["decision"], r["supervisor"]) for r in ws.store.list_reviews(run_id)] == [
        ("comment", "Sam Okafor"), ("signed_off", "Sam Okafor")]
    with pytest.raises(RunSignedOff):
        ws.store.save_answer(run_id, "unwell", "yes", by="Amina Patel")
    after = sv.open_review(run_id)
    assert not after.can_sign_off and after.can_amend
    assert after.why_not == "This checklist was signed off by Sam Okafor."


def test_return_needs_reasons_and_the_practitioner_sees_them_and_can_edit_again(ws):
    run_id = submitted_run(ws)
    act_as(ws, "Sam Okafor")
    sv = Supervision(ws)
    with pytest.raises(ServiceError, match="Write the reasons for returning it"):
        sv.return_run(run_id, "   ")
    sv.return_run(run_id, "Say who was holding the baby when the mark was first seen.")
    act_as(ws, "Amina Patel")
    mine = ws.store.list_runs(practitioner="Amina Patel", status="returned")
    assert [r["id"] for r in mine] == [run_id]
    reason = latest_return(ws.store, run_id)
    assert reason["supervisor"] == "Sam Okafor"
    assert reason["comment"] == "Say who was holding the baby when the mark was first seen."
    assert ws.open_run(run_id).editable


def test_only_a_supervisor_decides_and_never_on_their_own_run(ws):
    run_id = submitted_run(ws)
    sv = Supervision(ws)  # acting as Amina, a practitioner
    with pytest.raises(ServiceError, match="Only a supervisor can sign off a checklist"):
        sv.sign_off(run_id)
    with pytest.raises(ServiceError, match="Only a supervisor can add a supervision comment"):
        sv.comment(run_id, "Looks fine")
    assert not sv.open_review(run_id).can_sign_off
    ws.save_profile("Amina Patel", "supervisor", "Health visiting North")
    with pytest.raises(ServiceError, match="another supervisor needs to sign it off"):
        sv.sign_off(run_id)
    assert sv.open_review(run_id).why_not.startswith("You completed this checklist yourself")


def test_amending_after_sign_off_makes_a_new_linked_version_and_keeps_the_old(ws):
    run_id = submitted_run(ws)
    act_as(ws, "Sam Okafor")
    sv = Supervision(ws)
    with pytest.raises(ServiceError, match="Only a signed-off checklist needs an amendment"):
        sv.amend(run_id)
    sv.sign_off(run_id)
    old_answers = ws.store.get_answers(run_id)
    new_id = sv.amend(run_id)
    new = ws.store.get_run(new_id)
    assert new["amends_run_id"] == run_id and new["version"] == 2 and new["status"] == "draft"
    assert ws.store.get_answers(new_id).keys() == old_answers.keys()
    assert ws.store.get_run(run_id)["status"] == "signed_off"
    assert ws.store.get_answers(run_id) == old_answers
    assert [(v["id"], v["version"]) for v in sv.versions(run_id)] == [(run_id, 1), (new_id, 2)]
    assert [(v["id"], v["version"]) for v in sv.versions(new_id)] == [(run_id, 1), (new_id, 2)]
    assert not sv.open_review(run_id).can_amend  # amend the latest version instead


def test_audit_report_verifies_and_names_the_row_edited_behind_the_apps_back(ws):
    run_id = submitted_run(ws)
    sv = Supervision(ws)
    report = sv.audit(run_id)
    assert report.ok and report.check.checked == len(report.rows) > 5
    target = report.rows[3]["id"]
    conn = sqlite3.connect(ws.store.path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET who = 'Someone else' WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    broken = sv.audit(run_id)
    assert not broken.ok and broken.check.first_broken_id == target
    assert "altered outside the app" in broken.check.user_message
    act_as(ws, "Sam Okafor")
    review = sv.open_review(run_id)
    assert not review.can_sign_off and review.can_return and "does not verify" in review.why_not
    with pytest.raises(ServiceError, match="cannot be signed off until information governance"):
        sv.sign_off(run_id)
    assert ws.store.get_run(run_id)["status"] == "submitted"


def test_rushed_signs_come_from_the_audit_timings(ws, clock):
    clock.step = 2  # every answer two seconds after the one before
    run_id = submitted_run(ws, description="ok")
    clock.step = 60
    act_as(ws, "Sam Okafor")
    kinds = [s.kind for s in Supervision(ws).open_review(run_id).rushed]
    assert QUICK in kinds and SHORT_TEXT in kinds and SAME in kinds


def test_a_careful_run_shows_no_rushed_signs(ws):
    case_id = ws.create_case({"reference": "WV-0010", "child_name": "Baby N", "date_of_birth": "2025-06-01",
                              "mobility": "walks"})
    careful = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    careful.record_answer("unwell", "no")
    careful.record_answer("mobility", "walks")
    careful.record_answer("mark_kind", ["bruise"])
    careful.record_answer("documented_medical", "yes")
    careful.record_answer("mark_description", "Bruise 1cm on the left shin, seen with mother at the home visit.")
    assert Supervision(ws).rushed(careful.run_id) == []


def test_an_amendment_keeps_the_first_answer_times_not_the_moment_it_was_copied(ws, clock):
    run_id = submitted_run(ws)
    act_as(ws, "Sam Okafor")
    sv = Supervision(ws)
    sv.sign_off(run_id)
    clock.step = 1
    new_id = sv.amend(run_id)
    session = ws.open_run(new_id)
    old = {t.prompt_id: t.answered_at for t in answer_timings(ws.store, run_id, session.checklist)}
    new = {t.prompt_id: t.answered_at for t in answer_timings(ws.store, new_id, session.checklist)}
    assert new == old
    assert QUICK not in [s.kind for s in sv.rushed(new_id)]


def test_a_note_on_an_unanswered_question_is_not_timed_as_an_answer(ws):
    case_id = ws.create_case({"reference": "WV-0011", "child_name": "Baby N", "date_of_birth": "2025-06-01",
                              "mobility": "walks"})
    session = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    session.record_answer("unwell", "no")
    session.record_note("mobility", note="Mother says walking since May")
    session.record_answer("mark_kind", ["bruise"])
    session.clear_answer("mark_kind")  # cleared with no note: gone
    session.record_answer("documented_medical", "yes", note="Red book entry")
    session.clear_answer("documented_medical")  # cleared, note kept: not an answer either
    timed = {t.prompt_id for t in answer_timings(ws.store, session.run_id, session.checklist)}
    assert timed == {"unwell"}
