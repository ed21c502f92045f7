"""Assurance figures for the partnership: what is counted, for which period and team, and that the
dashboard's CSV and PDF carry figures only (no child, case or practitioner names)."""
import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest

from app.assurance import AssuranceError, assurance_figures, csv_rows, figures_csv, write_csv
from app.report.assurance_pdf import build_assurance_pdf
from app.services import Workspace

TODAY = dt.date(2026, 11, 25)
START = dt.date(2026, 9, 1)
NORTH, WEST = "Health visiting North", "Children's social care West"
NAMES = ("Zofia Wiśniewska", "Baby Quigley-Akintola", "Amina Patel", "Priya Das", "Jo Okafor", "Tomasz Nowak")
REFERENCES = ("WV-7301", "WV-7302")


def stamp(day: dt.date, hour: int = 10) -> str:
    return dt.datetime.combine(day, dt.time(hour), dt.timezone.utc).isoformat(timespec="microseconds")


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path, today=lambda: TODAY)
    workspace.save_profile("Jo Okafor", "supervisor", NORTH)
    workspace.store.save_profile({"name": "Amina Patel", "role": "practitioner", "team": NORTH})
    workspace.store.save_profile({"name": "Priya Das", "role": "practitioner", "team": WEST})
    yield workspace
    workspace.close()


def load(ws, *runs):
    """Bulk-load runs described briefly: (checklist, practitioner, day, status, answers, flags)."""
    if ws.store.find_case(REFERENCES[0]) is None:
        ws.store.seed([{"reference": REFERENCES[0], "child_name": "Baby Quigley-Akintola", "date_of_birth": "2026-09-20",
                        "household": [{"id": "m1", "name": "Zofia Wiśniewska", "relationship": "mother"},
                                      {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}]},
                       {"reference": REFERENCES[1], "child_name": "Zofia's baby", "expected_delivery_date": "2027-01-10"}],
                      [], by="Test")
    items = []
    for checklist_id, practitioner, day, status, answers, flags in runs:
        checklist = ws.catalog.checklists[checklist_id]
        flag_rows, responses = [], {}
        for flag_id, response in flags:
            rule = next(f for f in checklist.flags if f.id == flag_id)
            flag_rows.append({"flag_id": flag_id, "severity": str(rule.severity), "message": rule.message,
                              "action": rule.action, "raised_at": stamp(day)})
            if response is not None:
                responses[flag_id] = response
        items.append({"case_reference": REFERENCES[0], "checklist_id": checklist_id, "version": checklist.version,
                      "snapshot": checklist.snapshot, "practitioner": practitioner, "status": status,
                      "created_at": stamp(day, 9), "updated_at": stamp(day, 17),
                      "answers": {k: {"value": v} for k, v in answers.items()}, "flags": flag_rows,
                      "responses": responses})
    ws.store.seed([], items, by="Test")


def action(day, by_when=""):
    return {"action_taken": "Referred to the MASH", "by_whom": "Duty social worker", "by_when": by_when,
            "responded_at": stamp(day, 15)}


def reason(day):
    return {"reason_not_acting": "Mark documented at birth as a birthmark", "responded_at": stamp(day, 15)}


def figures(ws, team=None, start=START, end=TODAY, **kwargs):
    return assurance_figures(ws, start, end, team, today=TODAY, **kwargs)


def test_early_help_counts_each_answer_for_the_period_and_team_only(ws):
    day = dt.date(2026, 10, 1)
    load(ws,
         ("pre-birth-early-help", "Amina Patel", day, "signed_off", {"early_help": "early_help_under_way"}, []),
         ("pre-birth-early-help", "Amina Patel", day, "draft", {"early_help": "considered_not_needed"}, []),
         ("pre-birth-early-help", "Amina Patel", day, "draft", {"early_help": "not_considered"}, []),
         ("pre-birth-early-help", "Amina Patel", day, "draft", {}, []),
         ("pre-birth-early-help", "Priya Das", day, "draft", {"early_help": "prebirth_under_way"}, []),
         ("pre-birth-early-help", "Amina Patel", dt.date(2026, 8, 31), "draft", {"early_help": "not_considered"}, []))
    everyone = figures(ws).question("early_help")
    assert (everyone.headline.value, everyone.headline.of, everyone.headline.percent) == (3, 5, 60)
    counts = {m.label: m.value for m in everyone.breakdown}
    assert counts == {"An early help assessment is under way or complete": 1,
                      "Children's social care are doing a pre-birth assessment": 1,
                      "Considered and not needed, with the reason recorded": 1,
                      "Not yet considered": 1, "Not answered yet": 1}
    north = figures(ws, NORTH).question("early_help")
    assert (north.headline.value, north.headline.of) == (2, 4)
    assert figures(ws, WEST).question("early_help").headline.text == "1 of 1 (100%)"
    assert figures(ws, start=dt.date(2026, 8, 31), end=dt.date(2026, 8, 31)).question("early_help").headline.of == 1


def test_fathers_seen_alone_and_assessed(ws):
    day = dt.date(2026, 10, 2)
    load(ws,
         ("fathers-and-male-carers", "Amina Patel", day, "draft",
          {"man_seen": "seen_alone", "childhood": ["none_known"], "checks_made": ["police", "csc"]}, []),
         ("fathers-and-male-carers", "Amina Patel", day, "draft",
          {"man_seen": "seen_alone", "childhood": ["not_asked"], "checks_made": ["police"]}, []),
         ("fathers-and-male-carers", "Amina Patel", day, "draft",
          {"man_seen": "seen_with_mother", "childhood": ["abused"], "checks_made": ["gp"]}, []),
         ("fathers-and-male-carers", "Amina Patel", day, "draft", {"man_seen": "not_seen", "checks_made": ["none_yet"]}, []))
    question = figures(ws).question("fathers")
    assert question.headline.text == "1 of 4 (25%)"
    counts = {m.label: m.value for m in question.breakdown}
    assert counts["Yes, seen and spoken to on his own"] == 2
    assert counts["Seen, but only with the mother present"] == 1 and counts["Not seen"] == 1
    assert counts["His own history asked and agency checks made"] == 2


def test_bruising_protocol_same_day_action_and_the_rest(ws):
    day = dt.date(2026, 10, 5)
    next_day = day + dt.timedelta(days=1)
    load(ws,
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("nim_mark_same_day", action(day))]),
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("nim_mark_same_day", action(next_day))]),
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("nim_mark_same_day", reason(day))]),
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("nim_mark_same_day", None)]),
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("unwell_call_999", action(day))]))
    question = figures(ws).question("bruising")
    assert question.headline.text == "1 of 4 (25%)"
    counts = {m.label: m.text for m in question.breakdown}
    assert counts == {"Bruising checklists started": "5", "Same-day referral flag raised": "4 of 5 (80%)",
                      "Action recorded": "2 of 4 (50%)", "Action recorded on the day the flag was raised": "1 of 4 (25%)",
                      "Reason for not acting recorded instead": "1 of 4 (25%)", "No response yet": "1 of 4 (25%)"}


def test_bruising_flag_raised_through_the_checklist_itself_is_counted(ws):
    case_id = ws.create_case({"reference": "WV-7400", "child_name": "Baby K", "mobility": "not_rolling",
                              "date_of_birth": (TODAY - dt.timedelta(weeks=8)).isoformat()})
    session = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    for prompt, value in (("unwell", "no"), ("mobility", "not_rolling"), ("mark_kind", ["bruise"]),
                          ("documented_medical", "no")):
        session.record_answer(prompt, value)
    session.record_flag_response("nim_mark_same_day", action_taken="Phoned the MASH", by_whom="Jo Okafor")
    today = dt.date.today()
    question = assurance_figures(ws, today, today).question("bruising")
    assert question.headline.text == "1 of 1 (100%)"


def test_was_not_brought_flags_followed_up_and_most_frequent_flags(ws):
    day = dt.date(2026, 10, 7)
    load(ws,
         ("was-not-brought", "Amina Patel", day, "draft", {},
          [("record_as_wnb", action(day)), ("repeated_wnb", None)]),
         ("was-not-brought", "Amina Patel", day, "draft", {}, [("record_as_wnb", reason(day))]),
         ("was-not-brought", "Priya Das", day, "draft", {}, [("record_as_wnb", action(day))]))
    question = figures(ws).question("was_not_brought")
    assert question.headline.text == "3 of 4 (75%)"
    assert {m.label: m.value for m in question.breakdown}["No response yet"] == 1
    top = figures(ws).top_flags
    assert [(f.flag, f.raised, f.responded) for f in top][:2] == [
        ("Record this as Was Not Brought, not Did Not Attend.", 3, 3),
        ("The child has repeatedly not been brought, or appointments keep being cancelled and rebooked.", 1, 0)]


def test_overdue_actions_count_passed_dates_and_silent_flags_but_not_signed_off_runs(ws):
    old = TODAY - dt.timedelta(days=20)
    recent = TODAY - dt.timedelta(days=2)
    load(ws,
         ("was-not-brought", "Amina Patel", old, "draft", {}, [("record_as_wnb", action(old, "2026-11-01")),
                                                               ("repeated_wnb", None)]),
         ("was-not-brought", "Amina Patel", old, "signed_off", {}, [("record_as_wnb", action(old, "2026-11-01"))]),
         ("was-not-brought", "Amina Patel", recent, "draft", {}, [("record_as_wnb", action(recent, "2026-12-01")),
                                                                  ("repeated_wnb", None)]))
    question = figures(ws).question("overdue")
    assert question.headline.value == 2
    assert [m.value for m in question.breakdown] == [1, 1]
    assert figures(ws, no_response_days=1).question("overdue").breakdown[1].value == 2


def test_an_amended_run_is_counted_once_as_its_latest_version(ws):
    load(ws, ("pre-birth-early-help", "Amina Patel", dt.date(2026, 10, 1), "signed_off",
              {"early_help": "not_considered"}, []))
    run_id = ws.store.list_runs(limit=1)[0]["id"]
    new = ws.store.amend(run_id, by="Amina Patel")
    ws.store.save_answer(new, "early_help", "early_help_under_way", by="Amina Patel")
    today = dt.date.today()
    result = assurance_figures(ws, START, today, today=today)
    assert result.runs.value == 1
    assert result.question("early_help").headline.text == "1 of 1 (100%)"


def test_a_period_that_ends_before_it_starts_is_refused(ws):
    with pytest.raises(AssuranceError, match="ends before it starts"):
        figures(ws, start=TODAY, end=START)


def populated(ws):
    day = dt.date(2026, 10, 9)
    load(ws,
         ("non-mobile-bruising", "Amina Patel", day, "draft", {}, [("nim_mark_same_day", action(day))]),
         ("fathers-and-male-carers", "Priya Das", day, "submitted", {"man_seen": "declined"}, [("unseen_male_carer", None)]),
         ("pre-birth-early-help", "Amina Patel", day, "draft", {"early_help": "not_considered"},
          [("early_help_not_considered", action(day, "2026-10-20"))]))
    return figures(ws)


def test_csv_has_every_figure_and_is_written_whole(ws, tmp_path):
    result = populated(ws)
    text = figures_csv(result)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Section", "Measure", "Count", "Out of", "Percent"]
    assert ["About", "Protective marking", "OFFICIAL-SENSITIVE", "", ""] in rows
    assert ["Checklists", "Checklists started", "3", "", ""] in rows
    assert ["Was bruising in a non-mobile baby referred the same day?", "Same-day action recorded", "1", "1", "100"] in rows
    assert len(rows) == len(csv_rows(result))
    path = write_csv(result, tmp_path / "figures.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSection,Measure")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_dashboard_figures_csv_and_pdf_name_no_child_case_or_practitioner(ws):
    result = populated(ws)
    for team in (None, NORTH):
        text = figures_csv(figures(ws, team)) + repr(figures(ws, team))
        for secret in NAMES + REFERENCES + ("Zofia", "Quigley", "Patel", "Okafor", "Duty social worker",
                                            "Referred to the MASH", "WV-"):
            assert secret not in text
    pdf = build_assurance_pdf(result)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is needed to read the PDF's text")
    words = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = words.decode("utf-8")
    assert "Is the learning from reviews being applied?" in words
    for secret in NAMES + REFERENCES + ("Zofia", "Quigley", "Patel", "Okafor", "WV-"):
        assert secret not in words


def test_assurance_pdf_carries_the_marking_page_numbers_and_figures(ws):
    result = populated(ws)
    pdf = build_assurance_pdf(result, printed_at=dt.datetime(2026, 11, 25, 9, 30))
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is needed to read the PDF's text")
    words = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = words.decode("utf-8")
    pages = words.count("\f") or 1
    assert words.count("OFFICIAL-SENSITIVE") >= 2 * pages
    assert f"Page 1 of {pages}" in words and f"Page {pages} of {pages}" in words
    assert "1 September 2026 to 25 November 2026" in words
    assert "Same-day action recorded: 1 of 1 (100%)" in words
    assert "TRAINING" not in words


def test_training_figures_are_marked_as_training(tmp_path):
    training = Workspace.open(tmp_path, training=True, today=lambda: TODAY)
    result = assurance_figures(training, START, TODAY, today=TODAY)
    assert ["About", "Workspace", "TRAINING: fictional data", "", ""] in [list(r) for r in csv_rows(result)]
    assert build_assurance_pdf(result).startswith(b"%PDF")
    training.close()


def test_a_note_on_an_unanswered_question_leaves_the_figures_unchanged(ws):
    day = dt.date(2026, 10, 1)
    load(ws,
         ("pre-birth-early-help", "Amina Patel", day, "draft", {}, []),
         ("pre-birth-early-help", "Amina Patel", day, "draft", {"early_help": "not_considered"}, []))
    before = figures(ws, now=dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc))
    unanswered = next(r["id"] for r in ws.store.list_runs() if "early_help" not in ws.store.get_answers(r["id"]))
    ws.store.save_answer(unanswered, "early_help", None, note="Mother wants to talk it over first", by="Amina Patel")
    after = figures(ws, now=dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc))
    assert after == before
    counts = {m.label: m.value for m in after.question("early_help").breakdown}
    assert counts["Not answered yet"] == 1 and counts["Not yet considered"] == 1
