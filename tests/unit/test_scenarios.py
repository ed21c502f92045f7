"""Training scenarios: the shipped ones load, stay valid any day, and raise exactly the flags each stage
expects for the answers a well-informed group would give; bad scenario files are reported by file and line."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.catalog.scenarios import Scenario
from app.cli import main as cli_main
from app.domain.engine import Answer, coerce_answer, evaluate
from app.services import case_facts_from_record

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
CATALOG = load_catalog(CHECKLISTS)

# Answers a well-informed group would enter at each stage (each stage adds to or replaces the earlier ones).
ANSWERS: dict[str, list[dict[str, object]]] = {
    "pre-birth-low-mood": [
        {"booking_week": 12, "concealed": "no", "triggers": ["none_known"], "parent_mh": "yes",
         "mh_services": "GP restarted her antidepressant at 10 weeks; the community mental health team closed "
                        "her case two years ago.",
         "mh_parenting": "Sophie says she is worried she will not cope if her mood drops after the birth.",
         "medication": "not_in_plan", "father_identified": "yes", "father_seen": "no",
         "agencies_roles": "Community midwife: antenatal care. GP: prescribing and mental health review.",
         "hart_doubt": "no", "early_help": "not_considered", "referral_made": "no"},
        {"triggers": ["severe_mental_illness"], "hart_doubt": "yes"},
        {"referral_made": "yes", "referral_discussed": "no", "conference": "assessment_under_way",
         "strategy": "yes", "midwife_invited": "no", "early_help": "prebirth_under_way",
         "medication": "in_plan", "father_seen": "yes"},
        {"midwife_invited": "yes", "discharge_plan": "no", "contingency": "no"},
    ],
    "bruise-anxious-parents": [
        {"unwell": "no", "mobility": "not_rolling", "mark_kind": ["bruise"], "seen_how": "seen",
         "documented_medical": "no",
         "mark_description": "Blue-grey bruise about 1 cm across on the front of the left upper arm.",
         "referral_made": "no", "paediatric_arranged": "no", "sites": ["other"], "explanation_given": "unsure",
         "explanation_text": "Hannah said the arm caught in the car seat strap yesterday.",
         "other_injuries": "no", "carers": ["mother", "father"], "siblings": "no"},
        {"referral_made": "yes", "paediatric_arranged": "yes", "explanation_given": "changed",
         "other_injuries": "yes"},
        {"carers": ["mother", "father", "other_man"]},
    ],
    "moving-areas-missed-appointments": [
        {"appointment_type": "hv_contact", "depends_on_adult": "yes", "what_happened": "no_access",
         "missed_12m": 3, "repeated_rebooking": "yes", "impact": "delay", "child_unseen": "no",
         "other_concerns": ["housing"], "moved_area": "no", "gp_registered": "yes", "red_book": "no"},
        {"what_happened": "not_brought", "missed_12m": 4, "child_unseen": "yes",
         "other_concerns": ["housing", "domestic_abuse"], "moved_area": "yes", "transfer": "not_told",
         "gp_registered": "no"},
        {"social_worker_told": "no"},
    ],
    "neglect-unseen-father": [
        {"chronology_current": "out_of_date", "history_read": "no",
         "previous_involvement": ["referrals", "early_help", "cp_plan"],
         "parent_aces": ["in_care", "not_explored"],
         "current_risks": ["learning_needs", "mental_ill_health", "parental_conflict"],
         "neglect_suspected": "yes", "neglect_tool": "old",
         "daily_life": "Poppy was clean, fed on time and settled in her Moses basket during the visit.",
         "needs_met": "yes", "engagement_pattern": ["none"], "relatives_concerns": "none_raised",
         "plan_understood": "no", "strategy": "none_held", "safety_during_enquiries": "no_enquiry"},
        {"chronology_current": "up_to_date", "history_read": "yes", "neglect_tool": "recent",
         "plan_understood": "yes", "relatives_concerns": "not_shared", "needs_met": "no",
         "engagement_pattern": ["cancel_rebook", "agrees_not_done"]},
        {"relatives_concerns": "shared", "needs_met": "yes", "ending_plan": "not_sustained",
         "conference_invites": "no", "reports_submitted": "no"},
    ],
}

# Words that would identify the reviewed families or places; scenarios echo the learning without them.
IDENTIFYING = ["Wolverhampton", "Sandwell", "Telford", "Wrekin", "Birmingham", "Camden", "Baby L", "Child R",
               "2019", "2020", "2021", "2022", "pandemic", "Bedfordshire", "Rotherham", "Leeds"]


def test_the_shipped_scenarios_load_without_problems():
    assert CATALOG.problems == []
    assert len(CATALOG.scenarios) >= 4
    assert set(ANSWERS) <= set(CATALOG.scenarios)
    checklists = {s.checklist for s in CATALOG.scenarios.values()}
    assert {"pre-birth-early-help", "non-mobile-bruising", "was-not-brought",
            "family-history-cumulative-risk"} <= checklists


@pytest.mark.parametrize("scenario_id", sorted(ANSWERS))
def test_each_stage_expects_exactly_what_a_well_informed_group_raises(scenario_id):
    scenario = CATALOG.scenarios[scenario_id]
    checklist = CATALOG.checklists[scenario.checklist]
    today = dt.date.today()
    answers: dict[str, Answer] = {}
    assert len(ANSWERS[scenario_id]) == len(scenario.stages)
    for index, (stage, given) in enumerate(zip(scenario.stages, ANSWERS[scenario_id])):
        facts = case_facts_from_record(scenario.case_record(index, today, "TRN-TEST-01"))
        for prompt_id, raw in given.items():
            answers[prompt_id] = Answer(coerce_answer(checklist.prompt(prompt_id), raw, facts))
        result = evaluate(checklist, answers, facts, CATALOG.settings, today)
        assert sorted(f.id for f in result.flags) == sorted(stage.expected_flags), stage.title
        assert result.hidden_answered == [], f"{stage.title}: answers to questions the group could not see"
    assert result.missing_required == []


@pytest.mark.parametrize("scenario_id", sorted(ANSWERS))
def test_every_expected_flag_says_why_it_matters_with_real_sources(scenario_id):
    scenario = CATALOG.scenarios[scenario_id]
    for flag_id in scenario.expected_flag_ids:
        note = scenario.note(flag_id)
        assert note is not None and len(note.why_it_matters) > 40
        assert note.sources and set(note.sources) <= set(CATALOG.sources)
    for stage in scenario.stages:
        assert stage.revealed and stage.discussion and stage.why_it_matters
        assert set(stage.sources) <= set(CATALOG.sources)


def _scenario_text(scenario: Scenario) -> str:
    parts = [scenario.title, scenario.summary, scenario.child_name]
    parts += [f"{p.name} {p.notes}" for p in scenario.household]
    for stage in scenario.stages:
        parts += [stage.title, stage.revealed, stage.why_it_matters, *stage.discussion]
    parts += [note.why_it_matters for note in scenario.flag_notes.values()]
    return "\n".join(parts)


@pytest.mark.parametrize("scenario_id", sorted(ANSWERS))
def test_scenarios_are_fictional_and_name_the_man_in_the_household(scenario_id):
    scenario = CATALOG.scenarios[scenario_id]
    text = _scenario_text(scenario)
    for word in IDENTIFYING:
        assert word.lower() not in text.lower(), f"{scenario_id} mentions {word!r}"
    assert scenario.reference.startswith("TRN-")
    assert any(p.relationship in ("father", "partner", "male_carer") for p in scenario.household)


@pytest.mark.parametrize("today", [dt.date(2024, 2, 29), dt.date(2025, 12, 31), dt.date(2026, 3, 1),
                                   dt.date(2027, 7, 15), dt.date.today()])
def test_ages_and_pregnancies_are_counted_from_the_day_of_the_session(today):
    for scenario in CATALOG.scenarios.values():
        for index in range(len(scenario.stages)):
            moment = scenario.moment(index)
            names = case_facts_from_record(scenario.case_record(index, today, "TRN-T-01")).names(today)
            assert names[moment.offset] == moment.amount, (scenario.id, index, today)
            assert names["plan"] == moment.plan


def test_stage_changes_carry_forward():
    scenario = CATALOG.scenarios["moving-areas-missed-appointments"]
    assert [scenario.moment(i).amount for i in range(3)] == [30, 35, 36]
    assert [scenario.moment(i).plan for i in range(3)] == ["none", "none", "child_in_need"]
    with pytest.raises(IndexError, match="stages 1 to 3"):
        scenario.moment(3)


# ---------------------------------------------------------------------------------------------- validation

GOOD = """\
id: practice
title: A practice scenario
checklist: non-mobile-bruising
summary: A short fictional case for testing.
case:
  reference: TRN-PRACTICE
  child_name: Alfie Test
  age_weeks: 8
  mobility: not_rolling
  household:
    - {id: mother, name: Jess Test, relationship: mother}
    - {id: father, name: Lee Test, relationship: father}
stages:
  - id: first
    title: The first visit
    revealed: A small bruise on the cheek.
    discussion: [What happens today?]
    expected_flags: [nim_mark_same_day]
    why_it_matters: Babies who do not cruise rarely bruise.
    sources: [local-nim-protocol]
  - id: second
    title: Later that day
    revealed: Nothing new.
    discussion: [Who else should know?]
    expected_flags: []
    why_it_matters: The referral is the same day.
    sources: [local-nim-protocol]
flags:
  nim_mark_same_day:
    why_it_matters: Any mark on a baby who is not mobile needs a same-day referral.
    sources: [local-nim-protocol]
"""


def folder_with(tmp_path: Path, text: str, name: str = "practice.yaml") -> Path:
    """A copy of the shipped checklists with one scenario file (and no shipped scenarios)."""
    folder = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS, folder, ignore=shutil.ignore_patterns("scenarios"))
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / name).write_text(text, encoding="utf-8")
    return folder


def line_of(text: str, fragment: str) -> int:
    """The line number of the last line holding `fragment`."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line][-1]


def problems(tmp_path: Path, text: str, name: str = "practice.yaml") -> list[str]:
    catalog = load_catalog(folder_with(tmp_path, text, name))
    assert not catalog.scenarios
    return [str(p) for p in catalog.problems]


def test_a_good_scenario_loads(tmp_path):
    catalog = load_catalog(folder_with(tmp_path, GOOD))
    assert catalog.problems == []
    scenario = catalog.scenarios["practice"]
    assert [s.id for s in scenario.stages] == ["first", "second"]
    assert scenario.stages[1].expected_flags == ()
    assert scenario.file.endswith("practice.yaml")


def test_a_flag_the_checklist_does_not_have_fails_validation_with_file_and_line(tmp_path, capsys):
    text = GOOD.replace("expected_flags: [nim_mark_same_day]", "expected_flags: [nim_mark_same_day, nim_mark_sameday]")
    text = text.replace("  nim_mark_same_day:\n", "  nim_mark_same_day:\n", 1)
    folder = folder_with(tmp_path, text)
    file = folder / "scenarios" / "practice.yaml"
    catalog = load_catalog(folder)
    line = line_of(text, "nim_mark_sameday")
    assert [str(p) for p in catalog.problems] == [
        f"{file}:{line}: The checklist 'non-mobile-bruising' has no flag 'nim_mark_sameday'. Did you mean "
        f"'nim_mark_same_day'? Its flags: carers_unknown, earlier_injuries_or_delay, explanation_does_not_fit, "
        f"explanation_no_substitute, nim_mark_same_day, siblings_check, ten4_positive, unwell_call_999."]
    assert "practice" not in catalog.scenarios

    assert cli_main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:{line}: The checklist 'non-mobile-bruising' has no flag 'nim_mark_sameday'" in out
    assert "1 problem" in err


def test_a_flag_in_a_list_item_on_its_own_line_is_located_on_that_line(tmp_path):
    text = GOOD.replace("    expected_flags: [nim_mark_same_day]\n",
                        "    expected_flags:\n      - nim_mark_same_day\n      - no_such_flag\n")
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].split(":")[1] == str(line_of(text, "- no_such_flag"))


@pytest.mark.parametrize("old, new, fragment, message", [
    ("checklist: non-mobile-bruising", "checklist: non-mobile-bruises", "checklist:",
     "There is no checklist 'non-mobile-bruises'. Did you mean 'non-mobile-bruising'?"),
    ("    sources: [local-nim-protocol]\n  - id: second", "    sources: [local-nim-protocl]\n  - id: second",
     "local-nim-protocl", "cites the source 'local-nim-protocl', which is not in sources.yaml. Did you mean "
                          "'local-nim-protocol'?"),
    ("  age_weeks: 8", "  pregnancy_weeks: 20", "pregnancy_weeks",
     "The checklist 'non-mobile-bruising' is for a child who has been born: give the case age_weeks or age_months."),
    ("  age_weeks: 8", "  age_weeks: 8\n  age_months: 2", "age_months", "Give only one of"),
    ("  age_weeks: 8\n", "", "case:", "needs the child's age or the pregnancy, as an offset"),
    ("reference: TRN-PRACTICE", "reference: HV-1234", "reference:", "must start with TRN-"),
    ("    - {id: father, name: Lee Test, relationship: father}\n", "", "household:",
     "Name the baby's father, or the man caring for the baby"),
    ("relationship: father}", "relationship: dad}", "relationship: dad", "'dad' is not a relationship"),
    ("    why_it_matters: The referral is the same day.", "    why_it_maters: The referral is the same day.",
     "why_it_maters", "Unknown key 'why_it_maters' in stage 'second'. Did you mean 'why_it_matters'?"),
    ("    expected_flags: []\n", "", "id: second", "is missing the required key 'expected_flags'"),
    ("  - id: second", "  - id: first", "id: first\n", "The stage id 'first' is used by more than one stage."),
    ("  nim_mark_same_day:\n    why_it_matters: Any mark", "  ten4_positive:\n    why_it_matters: Any mark",
     "ten4_positive:", "The note on flag 'ten4_positive' is for a flag no stage expects"),
    ("    title: Later that day\n", "    title: Later that day\n    case: {age_weeks: 9, plan: secret}\n",
     "case: {age_weeks", "'secret' is not a plan"),
    ("    title: Later that day\n", "    title: Later that day\n    case: {pregnancy_weeks: 30}\n",
     "case: {pregnancy", "cannot change an unborn baby into a born child"),
    ("id: practice", "id: Practice Case", "id: Practice", "must be lower case letters, digits and single hyphens"),
])
def test_scenario_problems_name_the_file_and_line(tmp_path, old, new, fragment, message):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    found = problems(tmp_path, text)
    matching = [p for p in found if message in p]
    assert matching, found
    assert matching[0].split(":")[1] == str(line_of(text, fragment.rstrip("\n"))), matching[0]


def test_an_expected_flag_without_a_note_is_reported(tmp_path):
    text = GOOD.replace("expected_flags: []", "expected_flags: [ten4_positive]")
    found = problems(tmp_path, text)
    assert found == [f"{tmp_path / 'checklists' / 'scenarios' / 'practice.yaml'}:{line_of(text, '[ten4_positive]')}: "
                     f"The flag 'ten4_positive' is expected in stage 'second' but 'flags:' does not say why it "
                     f"matters; add 'ten4_positive:' with why_it_matters and sources under 'flags:'."]


def test_the_file_name_must_match_the_id_and_ids_must_be_unique(tmp_path):
    found = problems(tmp_path, GOOD, name="other.yaml")
    assert any("rename the file to practice.yaml" in p for p in found)
    folder = folder_with(tmp_path / "two", GOOD)
    (folder / "scenarios" / "practice-copy.yaml").write_text(GOOD.replace("id: practice", "id: practice-copy"),
                                                             encoding="utf-8")
    assert load_catalog(folder).problems == []


def test_broken_yaml_and_a_broken_checklist_are_explained(tmp_path):
    found = problems(tmp_path, GOOD.replace("title: The first visit", "title: [The first visit"))
    assert len(found) == 1 and "not valid YAML" in found[0]
    folder = folder_with(tmp_path / "b", GOOD)
    bruising = folder / "non-mobile-bruising.yaml"
    bruising.write_text(bruising.read_text(encoding="utf-8").replace("subject: child", "subject: kid"), encoding="utf-8")
    catalog = load_catalog(folder)
    assert any("has problems and was not loaded" in str(p) and "practice.yaml" in p.file for p in catalog.problems)


def test_too_few_stages_and_a_non_mapping_file(tmp_path):
    one_stage = re.sub(r"  - id: second.*?(?=^flags:)", "", GOOD, flags=re.S | re.M)
    assert any("at least two stages" in p for p in problems(tmp_path / "a", one_stage))
    assert any("must be a block of 'key: value' lines" in p for p in problems(tmp_path / "b", "- just a list\n"))


def test_scenarios_verb_lists_id_checklist_stages_and_title(capsys):
    assert cli_main(["scenarios"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "checklist", "stages", "title"]
    rows = {line.split()[0]: line.split() for line in out[1:]}
    assert rows["pre-birth-low-mood"][1:3] == ["pre-birth-early-help", "4"]
    assert rows["bruise-anxious-parents"][1:3] == ["non-mobile-bruising", "3"]
    assert "A small bruise on a young baby" in next(line for line in out if line.startswith("bruise-anxious"))


def test_scenarios_verb_reports_files_left_out(tmp_path, capsys):
    folder = folder_with(tmp_path, GOOD.replace("checklist: non-mobile-bruising", "checklist: nothing"))
    assert cli_main(["scenarios", "--checklists", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "No training scenarios" in out
    assert "1 problem(s) in 1 scenario file(s)" in err and "python main.py validate" in err
