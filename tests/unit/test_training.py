"""Trainer mode use cases: scenario sessions run only in the training workspace, build fictional cases
from today's date, move the case on stage by stage, debrief against the expected flags, leave the real
records untouched, and every PDF made there carries the training watermark on every page."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import paths
from app.documents import case_document, run_document
from app.domain.debrief import build_debrief, compare
from app.report import build_case_pdf, build_run_pdf
from app.services import Workspace
from app.store import StoreError
from app.training import (
    ScenarioSession, TrainingError, require_training, scenario, scenarios, times_run, unfinished,
)

TODAY = dt.date(2026, 3, 10)
WATERMARK = "TRAINING \u2014 FICTIONAL DATA"


def open_ws(data_dir: Path, training: bool) -> Workspace:
    ws = Workspace.open(data_dir=data_dir, training=training, today=lambda: TODAY)
    if ws.profile is None:
        ws.save_profile("Alex Trainer", "trainer", "Safeguarding training team")
    return ws


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def training_ws(data_dir: Path):
    ws = open_ws(data_dir, training=True)
    yield ws
    ws.close()


def answer_all(session: ScenarioSession, answers: dict[str, object]) -> None:
    run = session.open_run()
    for prompt_id, value in answers.items():
        run.record_answer(prompt_id, value)


# ---------------------------------------------------------------------------------------------- the debrief

def test_compare_keeps_order_and_splits_matched_missed_and_beyond():
    result = compare(["a", "b", "c", "a"], ["c", "d", "a"])
    assert result.expected == ("a", "b", "c")
    assert result.matched == ("a", "c")
    assert result.missed == ("b",)
    assert result.beyond == ("d",)


def test_debrief_counts_only_reached_stages_and_names_the_stages():
    debrief = build_debrief([("One", ["a", "b"]), ("Two", ["a", "c"]), ("Three", ["d"])],
                            {0: ["a", "x"], 1: ["a"]})
    assert not debrief.complete
    assert [s.reached for s in debrief.stages] == [True, True, False]
    assert (debrief.matched_count, debrief.expected_count) == (2, 4)
    assert [(o.flag_id, o.stages) for o in debrief.missed] == [("b", (1,)), ("c", (2,))]
    assert [(o.flag_id, o.stages) for o in debrief.beyond] == [("x", (1,))]
    assert [(o.flag_id, o.stages) for o in debrief.matched] == [("a", (1, 2))]
    assert not debrief.all_matched
    assert build_debrief([("One", ["a"])], {0: ["a"]}).all_matched


# ---------------------------------------------------------------------------------------------- sessions

def test_scenarios_refuse_the_real_workspace_with_a_clear_message(data_dir):
    real = open_ws(data_dir, training=False)
    try:
        with pytest.raises(TrainingError, match="only in the training workspace") as caught:
            ScenarioSession.start(real, "bruise-anxious-parents")
        assert "--training" in caught.value.user_message
        with pytest.raises(TrainingError):
            require_training(real)
        assert real.store.count_cases() == 0
    finally:
        real.close()


def test_an_unknown_scenario_names_the_known_ones(training_ws):
    with pytest.raises(TrainingError, match="no training scenario 'bruise'.*bruise-anxious-parents"):
        scenario(training_ws, "bruise")
    assert [s.id for s in scenarios(training_ws)][0] == "pre-birth-low-mood" or len(scenarios(training_ws)) >= 4


def test_starting_makes_a_fictional_case_counted_from_today(training_ws):
    session = ScenarioSession.start(training_ws, "bruise-anxious-parents")
    case = training_ws.store.get_case(session.case_id)
    assert case["reference"] == "TRN-BRUISE-01"
    assert case["child_name"] == "Lily Reeve"
    assert training_ws.case_facts(session.case_id).names(TODAY)["age_weeks"] == 10
    assert {m["relationship"] for m in case["household"]} == {"mother", "father"}
    run = session.open_run()
    assert run.checklist.id == "non-mobile-bruising" and run.run["case_id"] == session.case_id
    assert (session.stage_index, session.stage.id) == (0, "home_visit")


def test_stages_move_the_case_on_and_the_debrief_compares_each_stage(training_ws):
    session = ScenarioSession.start(training_ws, "pre-birth-low-mood")
    weeks = lambda: training_ws.case_facts(session.case_id).names(TODAY)["pregnancy_weeks"]  # noqa: E731
    assert weeks() == 12
    answer_all(session, {"booking_week": 12, "concealed": "no", "medication": "not_in_plan",
                         "father_identified": "yes", "father_seen": "no", "early_help": "not_considered"})
    assert set(session.raised_now()) == {"medication_not_planned", "father_unseen", "early_help_not_considered"}
    session.next_stage()
    assert weeks() == 20 and session.stage.id == "twenty_weeks"
    # the group spots the trigger but forgets the Hart question, and calls the father seen
    answer_all(session, {"triggers": ["severe_mental_illness"], "referral_made": "no", "father_seen": "yes",
                         "discharge_plan": "no"})
    session.next_stage()
    assert weeks() == 28
    session.previous_stage()
    assert weeks() == 20
    session.go_to(3)
    assert weeks() == 35 and session.is_last_stage
    with pytest.raises(TrainingError, match="last stage"):
        session.next_stage()
    debrief = session.finish()
    assert debrief.stages[0].comparison.missed == ()
    second = debrief.stages[1].comparison
    assert set(second.missed) == {"referral_past_week", "hart_doubt_no_assessment", "father_unseen"}
    assert set(second.beyond) == {"discharge_plan_missing"}
    assert debrief.complete  # stage 3 was reached on the way back and forth
    assert "discharge_plan_missing" in session.flag_rules()


def test_reset_starts_a_new_case_and_keeps_the_old_one(training_ws):
    first = ScenarioSession.start(training_ws, "moving-areas-missed-appointments")
    answer_all(first, {"depends_on_adult": "yes"})
    first.next_stage()
    second = first.reset()
    assert second.case_id != first.case_id and second.run_id != first.run_id
    assert second.stage_index == 0 and second.raised_at_stage == {}
    assert training_ws.store.get_case(second.case_id)["reference"] == "TRN-MOVES-02"
    assert training_ws.store.get_answers(first.run_id)["depends_on_adult"]["value"] == "yes"
    assert training_ws.store.get_answers(second.run_id) == {}
    assert times_run(training_ws, second.scenario) == 2


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_training_session_leaves_the_real_records_untouched(data_dir):
    real = open_ws(data_dir, training=False)
    real.create_case({"reference": "HV-2001", "child_name": "Real Child", "date_of_birth": "2025-12-01",
                      "household": [{"name": "A Parent", "relationship": "mother"}]})
    real.close()
    records = paths.database_path(data_dir, training=False)
    before = _fingerprint(records)

    ws = open_ws(data_dir, training=True)
    try:
        assert ws.store.find_case("HV-2001") is None  # nothing real shows in training
        session = ScenarioSession.start(ws, "neglect-unseen-father")
        answer_all(session, {"chronology_current": "none", "neglect_suspected": "yes"})
        session.next_stage()
        session.finish()
        session.reset()
        assert ws.store.path == paths.database_path(data_dir, training=True)
    finally:
        ws.close()

    assert _fingerprint(records) == before
    real = open_ws(data_dir, training=False)
    try:
        assert [c["reference"] for c in real.store.list_cases()] == ["HV-2001"]
        assert real.store.find_case("TRN-NEGLECT-01") is None
    finally:
        real.close()


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_a_pdf_made_in_training_carries_the_watermark(training_ws):
    session = ScenarioSession.start(training_ws, "bruise-anxious-parents")
    long_note = " ".join(["The bruise was seen in daylight by the window, measured and photographed."] * 40)
    run = session.open_run()
    for prompt_id, value in {"unwell": "no", "mobility": "not_rolling", "mark_kind": ["bruise"], "seen_how": "seen",
                             "documented_medical": "no", "mark_description": long_note, "sites": ["other"],
                             "explanation_given": "unsure", "explanation_text": long_note,
                             "other_injuries": "no", "carers": ["mother", "father"]}.items():
        run.record_answer(prompt_id, value, note=long_note if prompt_id in ("sites", "carers") else None)

    run_pdf = build_run_pdf(run_document(training_ws.store, training_ws.catalog, session.run_id,
                                         training=training_ws.training))
    pages = _pages(run_pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert WATERMARK in text, f"page {number} has no training watermark"

    case_pdf = build_case_pdf(case_document(training_ws.store, training_ws.catalog, session.reference,
                                            training=training_ws.training))
    assert all(WATERMARK in text for text in _pages(case_pdf))


# ---------------------------------------------------------------------------------------------- exchange

def test_nothing_can_be_exported_from_training_or_imported_across(data_dir, tmp_path, capsys):
    from app.cli import main as cli_main
    from app.store import StoreError

    ws = open_ws(data_dir, training=True)
    session = ScenarioSession.start(ws, "bruise-anxious-parents")
    answer_all(session, {"unwell": "no"})
    with pytest.raises(StoreError, match="cannot be exported from the training workspace"):
        ws.store.export_bundle([session.run_id], tmp_path / "store.bundle", "training", by="Alex Trainer")
    ws.close()
    training_db = paths.database_path(data_dir, training=True)
    before = _fingerprint(training_db)

    out = tmp_path / "training.bundle"
    assert cli_main(["--data-dir", str(data_dir), "--training", "export", "--run", str(session.run_id),
                     "--out", str(out)]) == 1
    assert "cannot be exported from the training workspace" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "store.bundle").exists()

    # a real bundle is refused by the training workspace, so nothing real shows there
    real = open_ws(data_dir, training=False)
    case_id = real.create_case({"reference": "HV-3001", "child_name": "Real Child", "date_of_birth": "2025-12-01",
                                "household": [{"name": "A Parent", "relationship": "mother"}]})
    run_id = real.start_run(case_id, "was-not-brought")
    real.close()
    bundle = tmp_path / "real.bundle"
    assert cli_main(["--data-dir", str(data_dir), "export", "--run", str(run_id), "--out", str(bundle)]) == 0
    capsys.readouterr()
    assert cli_main(["--data-dir", str(data_dir), "--training", "import", str(bundle)]) == 1
    assert "real records" in capsys.readouterr().err
    assert _fingerprint(training_db) == before


# ---------------------------------------------------------------------------------------------- saved progress

PRE_BIRTH_STAGE_1 = {"booking_week": 12, "concealed": "no", "medication": "not_in_plan", "father_identified": "yes",
                     "father_seen": "no", "early_help": "not_considered"}
PRE_BIRTH_STAGE_1_FLAGS = {"medication_not_planned", "father_unseen", "early_help_not_considered"}


def test_progress_is_saved_at_start_at_each_stage_and_at_the_finish(training_ws):
    session = ScenarioSession.start(training_ws, "pre-birth-low-mood")
    saved = lambda: training_ws.store.get_scenario_progress(session.run_id)  # noqa: E731
    assert (saved()["stage_index"], saved()["raised_at_stage"], saved()["finished"]) == (0, {}, False)
    assert saved()["stage_ids"] == [stage.id for stage in session.scenario.stages]
    answer_all(session, PRE_BIRTH_STAGE_1)
    session.next_stage()
    assert saved()["stage_index"] == 1 and set(saved()["raised_at_stage"][0]) == PRE_BIRTH_STAGE_1_FLAGS
    session.previous_stage()
    assert saved()["stage_index"] == 0 and set(saved()["raised_at_stage"]) == {0, 1}
    session.go_to(3)
    session.finish()
    assert saved()["finished"] and saved()["stage_index"] == 3 and set(saved()["raised_at_stage"]) == {0, 1, 3}
    assert {k: tuple(v) for k, v in saved()["raised_at_stage"].items()} == session.raised_at_stage


def test_a_session_resumes_after_the_app_closed_with_its_answers_stage_and_debrief(data_dir):
    ws = open_ws(data_dir, training=True)
    session = ScenarioSession.start(ws, "pre-birth-low-mood")
    answer_all(session, PRE_BIRTH_STAGE_1)
    session.next_stage()
    answer_all(session, {"triggers": ["severe_mental_illness"], "referral_made": "no"})
    run_id, case_id = session.run_id, session.case_id
    ws.close()  # as if the app were closed mid-scenario

    # reopened three days later: the stage reached, counted from that day, as the scenario is written
    later = TODAY + dt.timedelta(days=3)
    ws = Workspace.open(data_dir=data_dir, training=True, today=lambda: later)
    try:
        [waiting] = unfinished(ws)
        assert (waiting.run_id, waiting.scenario_id, waiting.reference) == (run_id, "pre-birth-low-mood",
                                                                            "TRN-PREBIRTH-01")
        assert (waiting.stage_index, waiting.stage_count, waiting.problem) == (1, 4, None)
        assert waiting.title == "A first pregnancy, a mother with low mood and an earlier referral"
        resumed = ScenarioSession.resume(ws, run_id)
        assert resumed.resumed and (resumed.run_id, resumed.case_id) == (run_id, case_id)
        assert resumed.stage.id == "twenty_weeks" and not resumed.finished
        assert set(resumed.raised_at_stage[0]) == PRE_BIRTH_STAGE_1_FLAGS
        assert ws.case_facts(case_id).names(later)["pregnancy_weeks"] == 20
        assert resumed.open_run().answers["referral_made"].value == "no"
        assert resumed.open_run().answers["booking_week"].value == 12
        resumed.go_to(3)
        debrief = resumed.finish()
        assert set(debrief.stages[0].comparison.raised) == PRE_BIRTH_STAGE_1_FLAGS  # from before the restart
        assert debrief.stages[0].comparison.missed == ()
        assert debrief.stages[1].reached and not debrief.stages[2].reached and debrief.stages[3].reached
        assert unfinished(ws) == []
    finally:
        ws.close()


def test_resuming_puts_back_the_case_for_the_saved_stage(training_ws):
    """Were the app to stop after the case moved on but before the stage was saved, the saved stage wins."""
    session = ScenarioSession.start(training_ws, "pre-birth-low-mood")
    record = session.scenario.case_record(2, TODAY, session.reference)
    training_ws.update_case(session.case_id, {k: record[k] for k in ("expected_delivery_date", "plan")})
    assert training_ws.case_facts(session.case_id).names(TODAY)["pregnancy_weeks"] == 28
    resumed = ScenarioSession.resume(training_ws, session.run_id)
    assert resumed.stage_index == 0
    assert training_ws.case_facts(session.case_id).names(TODAY)["pregnancy_weeks"] == 12


def _copy_checklists(tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "checklists"
    shutil.copytree(Path(__file__).resolve().parents[2] / "checklists", copy)
    return copy


def test_a_scenario_changed_since_says_what_to_do_and_never_crashes(data_dir, tmp_path):
    checklists = _copy_checklists(tmp_path)
    ws = Workspace.open(data_dir=data_dir, training=True, today=lambda: TODAY, checklists_dir=checklists)
    ws.save_profile("Alex Trainer", "trainer", "Safeguarding training team")
    session = ScenarioSession.start(ws, "bruise-anxious-parents")
    answer_all(session, {"unwell": "no"})
    session.next_stage()
    other = ScenarioSession.start(ws, "pre-birth-low-mood")
    ws.close()

    # the author takes out a stage of one scenario and removes the other's file
    file = checklists / "scenarios" / "bruise-anxious-parents.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text[:text.index("\n  - id: paediatric_assessment")] + text[text.index("\n  - id: strategy"):],
                    encoding="utf-8")
    (checklists / "scenarios" / "pre-birth-low-mood.yaml").unlink()

    ws = Workspace.open(data_dir=data_dir, training=True, today=lambda: TODAY, checklists_dir=checklists)
    try:
        assert not ws.catalog.problems and len(ws.catalog.scenarios["bruise-anxious-parents"].stages) == 2
        with pytest.raises(TrainingError) as caught:
            ScenarioSession.resume(ws, session.run_id)
        message = caught.value.user_message
        assert "has changed since this session started (it had 3 stages and now has 2)" in message
        assert "stay in the training records under case TRN-BRUISE-01" in message
        assert "start the scenario afresh" in message
        with pytest.raises(TrainingError, match="'pre-birth-low-mood' is no longer among the training "
                                                "scenarios.*python main.py validate"):
            ScenarioSession.resume(ws, other.run_id)
        listed = {item.run_id: item for item in unfinished(ws)}
        assert listed[session.run_id].problem == message
        assert listed[other.run_id].title == "pre-birth-low-mood" and "no longer" in listed[other.run_id].problem
        assert ws.store.get_scenario_progress(session.run_id)["stage_index"] == 1  # nothing was changed
        # starting the changed scenario afresh works as before
        assert ScenarioSession.start(ws, "bruise-anxious-parents").stage_count == 2
    finally:
        ws.close()


def test_a_signed_off_session_is_not_offered_and_a_refused_save_leaves_the_session_as_it_was(training_ws):
    session = ScenarioSession.start(training_ws, "pre-birth-low-mood")
    answer_all(session, PRE_BIRTH_STAGE_1)
    training_ws.store.submit(session.run_id, by="Alex Trainer")
    session.next_stage()  # a submitted checklist still moves on through the stages
    assert session.stage_index == 1
    training_ws.store.sign_off(session.run_id, "Sam Supervisor")
    with pytest.raises(StoreError, match="signed off"):
        session.next_stage()
    assert session.stage_index == 1 and set(session.raised_at_stage) == {0}
    assert training_ws.case_facts(session.case_id).names(TODAY)["pregnancy_weeks"] == 20
    assert unfinished(training_ws) == []
    with pytest.raises(TrainingError, match="has been signed off, so the session cannot be continued"):
        ScenarioSession.resume(training_ws, session.run_id)


def test_the_real_workspace_never_shows_or_stores_progress(data_dir):
    training = open_ws(data_dir, training=True)
    session = ScenarioSession.start(training, "bruise-anxious-parents")
    training.close()
    real = open_ws(data_dir, training=False)
    try:
        assert unfinished(real) == [] and real.store.list_unfinished_scenarios() == []
        with pytest.raises(TrainingError, match="only in the training workspace"):
            ScenarioSession.resume(real, session.run_id)
        case_id = real.create_case({"reference": "HV-4001", "child_name": "Real Child", "date_of_birth": "2025-12-01",
                                    "household": [{"name": "A Parent", "relationship": "mother"}]})
        run_id = real.start_run(case_id, "non-mobile-bruising")
        with pytest.raises(StoreError, match="kept only in the training workspace"):
            real.store.save_scenario_progress(run_id, {"scenario_id": "bruise-anxious-parents",
                                                       "stage_ids": ["a", "b"], "stage_index": 0})
        assert real.store.get_scenario_progress(run_id) is None
        # a workspace that claims to be training but holds the real records still cannot store progress
        pretend = Workspace(real.store, training=True, today=lambda: TODAY)
        with pytest.raises(StoreError, match="kept only in the training workspace"):
            ScenarioSession.start(pretend, "bruise-anxious-parents")
    finally:
        real.close()
