"""The assurance queries were reshaped for speed (app/store/assurance.py); every figure must mean exactly
what it meant before. On a varied store (the fictional demo data in every status, with amendments, plus the
awkward cases: runs on the period's first and last instants, cleared flags, a flag raised at two severities,
notes on questions not answered, practitioners on no profile, responses the same day, later, by reason only,
with 'by when' dates passed and to come) the figures are compared with those of the queries as first
written (tests/unit/fixtures_store/assurance_before.py), for many periods, teams and response allowances."""
from __future__ import annotations

import datetime as dt

import pytest

import app.store.store as store_module
from app.assurance import assurance_figures
from app.cli import main as cli
from app.services import Workspace
from fixtures_store import assurance_before

TODAY = dt.date.today()
NOW = dt.datetime.combine(TODAY, dt.time(12), dt.timezone.utc)
EDGE = TODAY - dt.timedelta(days=40)  # a day with runs at its first and last instants
LOCUM = "Kit Locum"  # a practitioner with no profile: counted for all teams only


def instant(day: dt.date, *parts: int) -> str:
    return dt.datetime.combine(day, dt.time(*parts), dt.timezone.utc).isoformat(timespec="microseconds")


def awkward_runs(ws: Workspace) -> list[dict]:
    """Runs written to sit on the edges of what is counted."""
    catalog = ws.catalog.checklists
    reference = ws.store.list_cases(limit=1)[0]["reference"]

    def run(checklist_id, practitioner, created, status="submitted", answers=None, flags=(), responses=None):
        checklist = catalog[checklist_id]
        rows = []
        for flag_id, severity, raised, cleared in flags:
            rule = next(f for f in checklist.flags if f.id == flag_id)
            rows.append({"flag_id": flag_id, "severity": severity or str(rule.severity), "message": rule.message,
                         "action": rule.action, "raised_at": raised, "cleared_at": cleared})
        return {"case_reference": reference, "checklist_id": checklist_id, "version": checklist.version,
                "snapshot": checklist.snapshot, "practitioner": practitioner, "status": status,
                "created_at": created, "updated_at": created,
                "answers": {k: {"value": v} for k, v in (answers or {}).items()}, "flags": rows,
                "responses": responses or {}}

    first, last = instant(EDGE), instant(EDGE, 23, 59, 59, 999999)
    before, after = instant(EDGE - dt.timedelta(days=1), 23, 59, 59, 999999), instant(EDGE + dt.timedelta(days=1))
    long_ago = instant(TODAY - dt.timedelta(days=30), 8)
    passed, to_come = (TODAY - dt.timedelta(days=3)).isoformat(), (TODAY + dt.timedelta(days=3)).isoformat()

    def action(at, by_when=""):
        return {"action_taken": "Referred to the MASH", "by_whom": "Duty worker", "by_when": by_when,
                "responded_at": at}

    reason = {"reason_not_acting": "Already in hand", "responded_at": first}
    items = []
    for status in ("draft", "submitted", "returned", "signed_off"):
        items += [
            run("non-mobile-bruising", "Hannah Morris", first, status,
                flags=[("nim_mark_same_day", None, first, None)],
                responses={"nim_mark_same_day": action(instant(EDGE, 18), passed)}),
            run("non-mobile-bruising", LOCUM, last, status,
                flags=[("nim_mark_same_day", None, last, None)],
                responses={"nim_mark_same_day": action(after, to_come)}),
            run("non-mobile-bruising", "Sarah Ahmed", before, status,
                flags=[("nim_mark_same_day", None, before, None)], responses={"nim_mark_same_day": reason}),
            run("non-mobile-bruising", "Tom Bennett", after, status, flags=[("nim_mark_same_day", None, after, None)]),
            run("was-not-brought", "Agnieszka Nowak", long_ago, status,
                flags=[("record_as_wnb", "consider", long_ago, None),  # the same flag at another severity
                       ("repeated_wnb", None, long_ago, instant(TODAY - dt.timedelta(days=2)))],  # cleared
                responses={"repeated_wnb": action(long_ago, passed)}),  # a response to a cleared flag
            run("was-not-brought", LOCUM, long_ago, status, flags=[("record_as_wnb", None, long_ago, None)],
                responses={"record_as_wnb": action(long_ago, "")}),
            run("pre-birth-early-help", LOCUM, first, status, {"early_help": "prebirth_under_way"}),
            run("fathers-and-male-carers", "Emma Price", last, status,
                {"man_seen": "seen_alone", "childhood": ["none_known"], "checks_made": ["none_yet", "police"]}),
        ]
    week = instant(TODAY - dt.timedelta(days=7))  # raised exactly a week ago: not yet a week without response
    items.append(run("was-not-brought", "Ioana Popescu", week, "draft", flags=[("record_as_wnb", None, week, None)]))
    for day in range(6):  # drafts with questions not answered yet (a note goes on some of them)
        created = instant(TODAY - dt.timedelta(days=day * 9), 10)
        items += [run("pre-birth-early-help", "Gurpreet Sandhu", created, "draft"),
                  run("fathers-and-male-carers", "Abdi Warsame", created, "draft", {"childhood": ["not_asked"]})]
    return items


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    folder = tmp_path_factory.mktemp("varied")
    assert cli(["seed-demo", "--cases", "150", "--runs", "700", "--seed", "11", "--data-dir", str(folder)]) == 0
    ws = Workspace.open(folder, today=lambda: TODAY)
    ws.store.seed([], awkward_runs(ws), by="Test")
    for checklist_id, prompt_id in (("pre-birth-early-help", "early_help"), ("fathers-and-male-carers", "man_seen")):
        drafts = [r for r in ws.store.list_runs(status="draft", checklist_id=checklist_id, limit=500)
                  if prompt_id not in ws.store.get_answers(r["id"])][:3]
        assert drafts, f"no draft {checklist_id} without {prompt_id} to note on"
        for draft in drafts:  # a note on a question not answered: still unanswered
            ws.store.save_answer(draft["id"], prompt_id, None, note="Will ask at the next visit", by="Test")
    yield ws
    ws.close()


def both(ws: Workspace, monkeypatch, *args, **kwargs):
    """(figures from today's queries, figures from the queries as first written)."""
    kwargs.update(today=TODAY, now=NOW)
    new = assurance_figures(ws, *args, **kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "assurance", assurance_before)
        old = assurance_figures(ws, *args, **kwargs)
    return new, old


PERIODS = {
    "everything": (TODAY - dt.timedelta(days=800), TODAY + dt.timedelta(days=1)),
    "last quarter": (TODAY - dt.timedelta(days=91), TODAY),
    "the edge day": (EDGE, EDGE),
    "the day before it": (EDGE - dt.timedelta(days=1), EDGE - dt.timedelta(days=1)),
    "from the edge day": (EDGE, TODAY),
    "a year ago": (TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=300)),
    "nothing started": (TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=60)),
}


@pytest.mark.parametrize("period", list(PERIODS))
def test_every_figure_is_what_the_first_queries_counted(varied, monkeypatch, period):
    start, end = PERIODS[period]
    teams = [None, *varied.store.assurance_teams(), "A team with nobody on it"]
    for team in teams:
        for days in (0, 7, 45):
            new, old = both(varied, monkeypatch, start, end, team, no_response_days=days)
            assert new == old, f"{period}, {team or 'all teams'}, {days} days"


def test_the_varied_store_exercises_every_kind_of_count(varied, monkeypatch):
    """The comparison above means something only if the store holds each awkward case."""
    start, end = PERIODS["everything"]
    new, old = both(varied, monkeypatch, start, end)
    assert new == old and new.runs.value > 700
    assert {m.label: m.value for m in new.by_status} == {m.label: m.value for m in old.by_status}
    assert all(m.value > 0 for m in new.by_status)
    bruising = {m.label: m.value for m in new.question("bruising").breakdown}
    assert bruising["Action recorded on the day the flag was raised"] > 0
    assert bruising["Reason for not acting recorded instead"] > 0 and bruising["No response yet"] > 0
    overdue = new.question("overdue").breakdown
    assert overdue[0].value > 0 and overdue[1].value > 0
    fathers = {m.label: m.value for m in new.question("fathers").breakdown}
    assert fathers["Not answered yet"] > 0 and fathers["His own history asked and agency checks made"] > 0
    severities = {(f.checklist, f.flag, f.severity) for f in new.top_flags + old.top_flags}
    assert len(severities) == len(new.top_flags)
    edge = both(varied, monkeypatch, EDGE, EDGE)[0]
    assert edge.question("bruising").breakdown[0].value == 8  # first and last instants in; either side out
    everyone = edge.runs.value
    north = both(varied, monkeypatch, EDGE, EDGE, "Sandwell 0-19 North")[0].runs.value
    assert 0 < north < everyone  # the locum's runs count for all teams only


def test_the_flag_counts_match_row_for_row(varied, monkeypatch):
    """Below the figures: each flag's counts, the same-severity split and the order, most raised first."""
    start, end = PERIODS["everything"]
    since, until = start, end + dt.timedelta(days=1)
    new = varied.store.assurance_flags(since, until)
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "assurance", assurance_before)
        old = varied.store.assurance_flags(since, until)
    assert new == old
    assert [f for f in new if f["flag_id"] == "record_as_wnb" and f["severity"] == "consider"]
    assert not [f for f in new if f["flag_id"] == "repeated_wnb" and f["raised"] == 0]
