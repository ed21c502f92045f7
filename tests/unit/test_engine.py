"""Evaluation, answer coercion, case facts, settings, vague language and the model's snapshot."""
import datetime as dt
import time
from pathlib import Path

import pytest

from app.catalog import CatalogError, load_catalog
from app.domain.case_facts import CaseFacts, CaseFactsError, HouseholdMember
from app.domain.engine import Answer, AnswerError, coerce_answer, evaluate
from app.domain.language import VagueLanguage, VaguePhrase
from app.domain.model import AnswerType, Checklist, HowKnown, Prompt, Severity
from app.domain.settings import (
    DECLARED,
    DERIVED,
    SETTINGS,
    Settings,
    SettingsError,
    unknown_placeholder_message,
    unknown_placeholders,
)

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def catalog():
    loaded = load_catalog(FIXTURES)
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def checklist(catalog):
    return catalog.checklists["mini-bruising"]


def baby(**kwargs):
    defaults = {"date_of_birth": dt.date(2026, 1, 10), "mobility": "rolls",
                "household": (HouseholdMember("f1", "Sam", "father"), HouseholdMember("m1", "Alex", "mother"))}
    return CaseFacts(**{**defaults, **kwargs})


def run(checklist, catalog, answers, facts=None):
    return evaluate(checklist, answers, facts or baby(), catalog.settings, TODAY)


def ids(items):
    return [item.id for item in items]


def test_nothing_answered_shows_ungated_prompts_and_lists_required_gaps(checklist, catalog):
    result = run(checklist, catalog, {})
    assert ids(result.visible_prompts) == ["mobility", "mark_seen", "missed"]
    assert ids(result.missing_required) == ["mobility", "mark_seen"]
    assert result.flags == []
    mark = next(s for s in result.sections if s.section.id == "mark")
    assert (mark.shown, mark.skipped_because) == (False, "no mark was seen or reported")


def test_urgent_flag_fills_settings_and_flags_sort_urgent_first(checklist, catalog):
    answers = {"mobility": "rolls", "mark_seen": "yes", "sites": ["ear"], "missed": 3}
    result = run(checklist, catalog, answers)
    assert ids(result.flags) == ["nim_mark", "ten4_site", "wnb_pattern", "no_explanation", "several"]
    assert [f.severity for f in result.flags] == sorted((f.severity for f in result.flags), key=lambda s: s.rank)
    urgent = result.flags[0]
    assert urgent.action == "Refer to the Test MASH on 0121 569 3100 today."
    assert urgent.sources == ("test-review",)
    assert urgent.message == "A baby who is not independently mobile has a mark."


def test_answers_to_hidden_prompts_are_ignored_and_reported(checklist, catalog):
    answers = {"mobility": "crawls", "mark_seen": "no", "sites": ["ear"], "explanation": "fell"}
    result = run(checklist, catalog, answers)
    assert "ten4_site" not in ids(result.flags)
    assert ids(result.hidden_answered) == ["sites", "explanation"]
    assert not result.is_visible("sites")


def test_prompt_conditions_chain_in_order(checklist, catalog):
    answers = {"mark_seen": "yes", "sites": ["shin"], "explanation": "Bumped the cot"}
    result = run(checklist, catalog, answers)
    assert {"explanation", "who_explained"} <= set(ids(result.visible_prompts))
    assert "no_explanation" not in ids(result.flags)


def test_section_condition_on_case_facts(checklist, catalog):
    older = baby(date_of_birth=dt.date(2024, 1, 1))
    result = run(checklist, catalog, {"missed": 9}, older)
    assert "missed" not in ids(result.visible_prompts)
    assert "wnb_pattern" not in ids(result.flags)
    assert [s.skipped_because for s in result.sections if not s.shown] == [
        "no mark was seen or reported", "the baby is 1 or older"]


def test_settings_threshold_comes_from_the_catalog(checklist, catalog):
    assert "wnb_pattern" not in ids(run(checklist, catalog, {"missed": 2}).flags)  # fixture sets 3
    assert "wnb_pattern" in ids(evaluate(checklist, {"missed": 2}, baby(), SETTINGS, TODAY).flags)


def test_count_uses_case_facts(checklist, catalog):
    answers = {"mark_seen": "yes", "sites": ["ear"]}
    assert "several" in ids(run(checklist, catalog, answers).flags)
    assert "several" not in ids(run(checklist, catalog, answers, baby(household=())).flags)


def test_answer_objects_and_empty_values(checklist, catalog):
    answers = {"mobility": Answer("rolls", note="seen at visit", how_known=HowKnown.SEEN),
               "mark_seen": Answer("yes"), "sites": []}
    result = run(checklist, catalog, answers)
    assert "nim_mark" in ids(result.flags)
    assert "sites" in ids(result.missing_required)


def test_person_answers_compare_by_relationship(catalog):
    data = dict(catalog.checklists["mini-bruising"].snapshot)
    data["flags"] = data["flags"] + [{
        "id": "father_explained", "severity": "info", "when": "who_explained == 'father'",
        "message": "The father gave the explanation.", "action": "Record it.", "sources": ["test-review"]}]
    checklist = Checklist.from_snapshot(data)
    answers = {"mark_seen": "yes", "sites": ["shin"], "explanation": "Fell", "who_explained": "f1"}
    assert "father_explained" in ids(run(checklist, catalog, answers).flags)
    answers["who_explained"] = "m1"
    assert "father_explained" not in ids(run(checklist, catalog, answers).flags)
    answers["who_explained"] = "gone"
    assert "father_explained" not in ids(run(checklist, catalog, answers).flags)


def test_evaluate_is_fast_on_a_sixty_prompt_checklist(catalog):
    prompts = [{"id": f"q{i}", "ask": "Q?", "why": "W.", "type": "yes_no_unknown", "sources": ["test-review"],
                **({"when": f"q{i - 1} == 'yes' or not answered(q{i - 1})"} if i else {})} for i in range(60)]
    flags = [{"id": f"f{i}", "severity": "act", "when": f"q{i} == 'yes' and q{(i + 1) % 60} != 'no'",
              "message": "M.", "action": "Call {settings.mash_phone}.", "sources": ["test-review"]} for i in range(60)]
    big = Checklist.from_snapshot({"id": "big", "version": 1, "title": "T", "purpose": "P", "audience": ["a"],
                                   "subject": "either", "sections": [{"id": "s", "title": "S", "prompts": prompts}],
                                   "flags": flags})
    answers = {f"q{i}": "yes" for i in range(60)}
    facts = baby()
    evaluate(big, answers, facts, SETTINGS, TODAY)
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        result = evaluate(big, answers, facts, SETTINGS, TODAY)
    per_call = (time.perf_counter() - start) / rounds
    assert len(result.flags) == 60
    assert per_call < 0.002, f"evaluate took {per_call * 1000:.2f} ms"


# ---------------------------------------------------------------- coerce_answer

def prompt(kind, **kwargs):
    return Prompt("p", "Ask?", "Why.", AnswerType(kind), **kwargs)


@pytest.mark.parametrize("kind, raw, expected", [
    ("yes_no_unknown", "Yes", "yes"),
    ("yes_no_unknown", " unknown ", "unknown"),
    ("yes_no_unknown", True, "yes"),
    ("date", "2026-01-31", "2026-01-31"),
    ("date", dt.date(2026, 1, 31), "2026-01-31"),
    ("number", "3", 3),
    ("number", 2.0, 2),
    ("number", "2.5", 2.5),
    ("text", "  Seen in the kitchen.  ", "Seen in the kitchen."),
    ("person", "f1", "f1"),
])
def test_coerce_answer_accepts(kind, raw, expected):
    assert coerce_answer(prompt(kind), raw, baby()) == expected


def test_coerce_choices_keep_option_order_and_accept_labels(checklist):
    assert coerce_answer(checklist.prompt("sites"), ["torso", "ear", "ear"]) == ["ear", "torso"]
    assert coerce_answer(checklist.prompt("mobility"), "Rolls over only") == "rolls"


@pytest.mark.parametrize("kind, raw, message", [
    ("yes_no_unknown", "maybe", "Expected one of: yes, no, unknown — got 'maybe'"),
    ("date", "31/01/2026", "Expected a date written YYYY-MM-DD, e.g. 2026-01-31 — got '31/01/2026'"),
    ("date", "2026-02-30", "YYYY-MM-DD"),
    ("number", "lots", "Expected a number — got 'lots'"),
    ("number", True, "Expected a number"),
    ("number", float("nan"), "Expected a number"),
    ("text", "   ", "The answer is empty"),
    ("text", 5, "Expected some text"),
    ("person", "nobody", "'nobody' is not in this case's household. Household: f1 (Sam), m1 (Alex)"),
    ("yes_no_unknown", None, "No answer given for 'p'"),
])
def test_coerce_answer_rejects_with_a_clear_message(kind, raw, message):
    with pytest.raises(AnswerError) as info:
        coerce_answer(prompt(kind), raw, baby())
    assert message in str(info.value)


def test_coerce_number_bounds_name_the_unit(checklist):
    with pytest.raises(AnswerError, match="at most 50 appointments — got 51"):
        coerce_answer(checklist.prompt("missed"), 51)
    with pytest.raises(AnswerError, match="at least 0 appointments — got -1"):
        coerce_answer(checklist.prompt("missed"), -1)


def test_coerce_multi_and_person_roles(checklist):
    with pytest.raises(AnswerError, match="chosen from: ear, neck, torso, shin — got 'knee'"):
        coerce_answer(checklist.prompt("sites"), ["knee"])
    with pytest.raises(AnswerError, match="Expected a list"):
        coerce_answer(checklist.prompt("sites"), "ear")
    facts = baby(household=(HouseholdMember("g1", "Pat", "grandparent"),))
    with pytest.raises(AnswerError, match="Pat is recorded as grandparent"):
        coerce_answer(checklist.prompt("who_explained"), "g1", facts)


# ---------------------------------------------------------------- case facts

def test_case_names_for_a_born_baby():
    facts = baby(date_of_birth=dt.date(2025, 12, 31), mobility="rolls",
                 household=(HouseholdMember("a", "A", "partner"), HouseholdMember("b", "B", "male_carer"),
                            HouseholdMember("c", "C", "sibling"), HouseholdMember("d", "D", "mother")))
    names = facts.names(dt.date(2026, 3, 30))
    assert names["age_days"] == 89 and names["age_weeks"] == 12 and names["age_months"] == 2
    assert names["unborn"] is False and names["pregnancy_weeks"] is None
    assert names["independently_mobile"] is False  # rolling-only counts as not mobile
    assert (names["male_carers"], names["other_children"]) == (2, 1)


def test_case_names_for_an_unborn_baby_and_unknown_mobility():
    facts = CaseFacts(expected_delivery_date=dt.date(2026, 6, 1))
    names = facts.names(dt.date(2026, 6, 1) - dt.timedelta(weeks=24))
    assert names["unborn"] is True and names["pregnancy_weeks"] == 16
    assert names["age_months"] is None and names["independently_mobile"] is None and names["mobility"] is None
    assert names["plan"] == "none"


def test_case_facts_reject_unknown_values():
    with pytest.raises(CaseFactsError, match="Unknown mobility 'flies'"):
        CaseFacts(mobility="flies")
    with pytest.raises(CaseFactsError, match="Unknown relationship 'uncle'"):
        HouseholdMember("u", "U", "uncle")
    with pytest.raises(CaseFactsError, match="unique"):
        CaseFacts(household=(HouseholdMember("a", "A", "father"), HouseholdMember("a", "B", "mother")))
    with pytest.raises(CaseFactsError, match="YYYY-MM-DD"):
        CaseFacts.from_dict({"date_of_birth": "1/2/2025"})
    with pytest.raises(CaseFactsError, match="Unknown case fact"):
        CaseFacts.from_dict({"dob": "2025-01-01"})


# ---------------------------------------------------------------- settings, severity, language

def test_settings_defaults_overrides_and_format():
    settings = Settings({"mash_phone": "01234 567890"})
    assert settings.mash_phone == "01234 567890" and settings.get("wnb_pattern_count") == 2
    assert settings.format("Call {settings.mash_phone} or {settings.nspcc_helpline}.") == \
        "Call 01234 567890 or 0808 800 5000."
    assert SETTINGS.prebirth_referral_week == 16 and SETTINGS.late_booking_week == 24
    with pytest.raises(SettingsError, match="Did you mean 'mash_phone'"):
        Settings({"mash_phon": "1"})
    with pytest.raises(SettingsError, match="must be a whole number"):
        Settings({"wnb_pattern_count": "two"})
    with pytest.raises(AttributeError, match="Unknown setting"):
        _ = SETTINGS.nope
    with pytest.raises(KeyError):
        SETTINGS.format("{settings.nope}")


# mash_phone, out_of_hours_phone -> what {settings.mash_phone_and_out_of_hours} reads as
PHONE_AND_OUT_OF_HOURS = [
    ("0121 569 3100", "0121 569 3100", "0121 569 3100 (also out of hours)"),
    ("0121 569 3100", "01215693100", "0121 569 3100 (also out of hours)"),
    ("0121 569 3100", " 0121-569-3100 ", "0121 569 3100 (also out of hours)"),
    ("01234 567890", "01234 567891", "01234 567890 (out of hours 01234 567891)"),
    ("0121 569 3100", "0121 496 0999", "0121 569 3100 (out of hours 0121 496 0999)"),
    ("01632 960123", "01632 960456", "01632 960123 (out of hours 01632 960456)"),
]


@pytest.mark.parametrize("office, out_of_hours, reads", PHONE_AND_OUT_OF_HOURS)
def test_mash_phone_and_out_of_hours_says_a_shared_number_once(office, out_of_hours, reads):
    settings = Settings({"mash_phone": office, "out_of_hours_phone": out_of_hours})
    assert settings.text("mash_phone_and_out_of_hours") == reads
    assert settings.format("Refer on {settings.mash_phone_and_out_of_hours} today.") == f"Refer on {reads} today."


def test_derived_wordings_are_text_only_and_never_settings():
    assert set(DERIVED).isdisjoint(DECLARED)
    assert all(set(d.uses) <= set(DECLARED) for d in DERIVED.values())
    assert "mash_phone_and_out_of_hours" not in SETTINGS  # not a value, so not in the mapping
    assert unknown_placeholders("{settings.mash_phone_and_out_of_hours} {settings.mash_phone}") == []
    assert unknown_placeholders("{settings.mash_phone_and_out_of_hour}") == ["mash_phone_and_out_of_hour"]
    assert "Did you mean 'mash_phone_and_out_of_hours'?" in unknown_placeholder_message("mash_phone_and_out_of_hour")
    with pytest.raises(SettingsError, match="not a setting of its own.*mash_phone and out_of_hours_phone"):
        Settings({"mash_phone_and_out_of_hours": "0121 569 3100"})
    with pytest.raises(KeyError):
        SETTINGS.format("{settings.mash_phone_and_out_of_hour}")


def test_severity_rank_and_label():
    assert [s.rank for s in Severity] == [0, 1, 2, 3]
    assert Severity.URGENT.label == "Urgent: act today"
    assert Severity("act") is Severity.ACT


def test_vague_language_finds_whole_phrases_case_insensitively(catalog):
    text = "No  concerns today. DNA x2. DNAR in place. no concernsabout"
    nudges = catalog.vague.check(text)
    assert [(n.phrase, text[n.start:n.end]) for n in nudges] == [("no concerns", "No  concerns"), ("DNA", "DNA")]
    assert VagueLanguage([VaguePhrase("messy", "Say what.")]).check("") == []
    assert VagueLanguage().check("anything") == []


# ---------------------------------------------------------------- snapshot

def test_snapshot_round_trips(checklist):
    again = Checklist.from_snapshot(checklist.snapshot)
    assert again == checklist
    assert ids(again.prompts()) == ids(checklist.prompts())
    assert again.prompt("sites").options == checklist.prompt("sites").options


def test_from_snapshot_revalidates(checklist):
    broken = dict(checklist.snapshot, flags=[dict(checklist.snapshot["flags"][0], when="mobility == 'flies'")])
    with pytest.raises(CatalogError, match="'flies' is not a possible answer to 'mobility'"):
        Checklist.from_snapshot(broken)
    with pytest.raises(CatalogError, match="not valid"):
        Checklist.from_snapshot({"id": "x"})
    with pytest.raises(CatalogError):
        Checklist.from_snapshot("not a dict")  # type: ignore[arg-type]


def test_prompt_lookup_names_the_checklist(checklist):
    with pytest.raises(KeyError, match="Checklist 'mini-bruising' has no prompt 'nope'"):
        checklist.prompt("nope")
