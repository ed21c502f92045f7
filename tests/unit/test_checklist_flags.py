"""Expected flags and branching for the five checklists in checklists/.

Each row: case facts + answers -> the flag ids that must be raised and the ones that must not.
When a checklist's wording or logic changes, add or adjust rows here (docs/checklist-format.md)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.domain.case_facts import CaseFacts, HouseholdMember
from app.domain.engine import evaluate
from app.domain.model import AnswerType, Severity
from app.domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 2)
CHECKLIST_IDS = ("pre-birth-early-help", "fathers-and-male-carers", "family-history-cumulative-risk",
                 "non-mobile-bruising", "was-not-brought")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "checklists")


def born(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


def months_old(months: int) -> dt.date:
    year, month = divmod(TODAY.month - 1 - months, 12)
    return dt.date(TODAY.year + year, month + 1, 1)


def weeks_pregnant(weeks: int) -> CaseFacts:
    """An unborn baby at this many weeks of pregnancy today."""
    return CaseFacts(expected_delivery_date=TODAY + dt.timedelta(days=280 - weeks * 7))


def child(dob: dt.date, plan: str = "none", household=()) -> CaseFacts:
    return CaseFacts(date_of_birth=dob, plan=plan, household=tuple(household))


DAD = HouseholdMember(id="m1", name="Dean", relationship="father")
PARTNER = HouseholdMember(id="m2", name="Kyle", relationship="partner", lives_with_child=False)
SISTER = HouseholdMember(id="c1", name="Amy", relationship="sibling")


def run(catalog, checklist_id, facts, answers, settings=None):
    checklist = catalog.checklists[checklist_id]
    return evaluate(checklist, answers, facts, settings or catalog.settings, TODAY)


# ---------------------------------------------------------------- flags

BRUISE_SAFE_BASE = {"unwell": "no", "seen_how": "seen", "mark_description": "Round blue bruise 2 cm on left shin.",
                    "other_injuries": "no", "carers": ["mother"], "siblings": "no", "delayed": "no"}

FATHER_BASE = {"all_men_recorded": "yes", "man": "m1", "man_role": "lives_in", "man_seen": "seen_alone",
               "childhood": ["none_known"], "risks": ["none_known"], "previous_children": "no_children",
               "checks_made": ["police", "csc"], "checks_found": "Police: no records. CSC: none held.",
               "crying": "Says he would put her in the cot and ring his mum.", "icon_given": "yes",
               "safer_sleep_given": "yes", "perinatal_support": "accepted", "invited": "yes",
               "s47_under_way": "no", "protective": "Does the night feeds and knows the plan."}

HISTORY_CLEAN = {"chronology_current": "up_to_date", "history_read": "yes", "previous_involvement": ["none_known"],
                 "parent_aces": ["none_known"], "current_risks": ["none_known"], "neglect_suspected": "no",
                 "daily_life": "Fed every 3 hours, sleeps in own cot, clean clothes, mother talks to her often.",
                 "needs_met": "yes", "engagement_pattern": ["none"], "relatives_concerns": "none_raised",
                 "strategy": "none_held", "safety_during_enquiries": "no_enquiry"}

PREBIRTH_CLEAN = {"booking_week": 10, "concealed": "no", "triggers": ["none_known"], "parent_mh": "no",
                  "medication": "none", "father_identified": "yes", "father_seen": "yes",
                  "agencies_roles": "Midwife A (antenatal care); GP B.", "gp_contacted": "yes", "hart_doubt": "no",
                  "early_help": "considered_not_needed", "referral_made": "no", "discharge_plan": "yes",
                  "contingency": "yes"}

WNB_BASE = {"appointment_type": "immunisation", "depends_on_adult": "yes", "what_happened": "not_brought",
            "reason": "Mother said the car broke down.", "missed_12m": 1, "repeated_rebooking": "no",
            "impact": "little", "child_unseen": "no", "other_concerns": ["none_known"], "moved_area": "no",
            "gp_registered": "yes", "red_book": "yes"}

CASES = [
    # --- non-mobile-bruising -------------------------------------------------------------------
    pytest.param("non-mobile-bruising", child(born(56)),
                 {"unwell": "no", "mobility": "not_rolling", "mark_kind": ["bruise"], "seen_how": "seen",
                  "documented_medical": "no", "sites": ["forehead"], "explanation_given": "fits"},
                 {"nim_mark_same_day", "explanation_no_substitute"}, {"ten4_positive", "unwell_call_999"},
                 id="bruise-8-week-old-any-bruise-is-urgent-even-with-fitting-explanation"),
    pytest.param("non-mobile-bruising", child(born(56)),
                 {"mark_kind": ["bruise"], "documented_medical": "unknown"},
                 {"nim_mark_same_day"}, set(),
                 id="bruise-8-week-old-urgent-before-mobility-is-answered"),
    pytest.param("non-mobile-bruising", child(born(56)),
                 {"mark_kind": ["bruise"]},
                 {"nim_mark_same_day"}, set(),
                 id="bruise-8-week-old-urgent-as-soon-as-a-mark-is-recorded"),
    pytest.param("non-mobile-bruising", child(born(56)),
                 {"mobility": "not_rolling", "mark_kind": ["possible_birthmark"], "documented_medical": "yes"},
                 set(), {"nim_mark_same_day"},
                 id="bruise-8-week-old-mark-already-documented-as-medical-is-not-a-referral"),
    pytest.param("non-mobile-bruising", child(months_old(36), household=[SISTER]),
                 {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["shin_knee"], "explanation_given": "fits",
                  "explanation_text": "Mother: fell on the step at nursery on Monday; nursery confirmed."},
                 set(), {"nim_mark_same_day", "ten4_positive", "explanation_does_not_fit", "unwell_call_999",
                         "explanation_no_substitute", "siblings_check", "carers_unknown"},
                 id="bruise-mobile-3-year-old-shin-with-fitting-explanation-raises-nothing"),
    pytest.param("non-mobile-bruising", child(months_old(24)),
                 {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["ear"], "explanation_given": "none"},
                 {"ten4_positive", "explanation_does_not_fit"}, {"nim_mark_same_day"},
                 id="bruise-2-year-old-ear-no-explanation-is-ten4"),
    pytest.param("non-mobile-bruising", child(months_old(24)),
                 {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["ear"], "explanation_given": "fits"},
                 set(), {"ten4_positive", "explanation_does_not_fit"},
                 id="bruise-2-year-old-ear-clear-explanation-is-not-ten4"),
    pytest.param("non-mobile-bruising", child(months_old(60)),
                 {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["ear"], "explanation_given": "none"},
                 {"explanation_does_not_fit"}, {"ten4_positive", "nim_mark_same_day"},
                 id="bruise-5-year-old-ten4-does-not-apply"),
    pytest.param("non-mobile-bruising", child(months_old(4), household=[PARTNER]),
                 {**BRUISE_SAFE_BASE, "mobility": "rolls", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["cheek"], "explanation_given": "unsure", "carers": ["mother", "partner"],
                  "siblings": "unknown"},
                 {"nim_mark_same_day", "ten4_positive", "carers_unknown", "siblings_check"},
                 {"explanation_no_substitute", "explanation_does_not_fit"},
                 id="bruise-rolling-baby-counts-as-not-mobile"),
    pytest.param("non-mobile-bruising", child(months_old(3)),
                 {**BRUISE_SAFE_BASE, "mobility": "not_rolling", "mark_kind": ["possible_birthmark"],
                  "documented_medical": "yes", "sites": ["torso"], "explanation_given": "fits"},
                 set(), {"nim_mark_same_day", "ten4_positive"},
                 id="bruise-mark-already-documented-as-medical-is-exempt"),
    pytest.param("non-mobile-bruising", child(months_old(3)),
                 {**BRUISE_SAFE_BASE, "mobility": "not_rolling", "mark_kind": ["possible_birthmark"],
                  "documented_medical": "no", "explanation_given": "fits"},
                 {"nim_mark_same_day"}, set(),
                 id="bruise-undocumented-possible-birthmark-still-same-day"),
    pytest.param("non-mobile-bruising", child(months_old(10)),
                 {"unwell": "yes", "mobility": "crawls", "mark_kind": ["swelling"], "documented_medical": "no"},
                 {"unwell_call_999"}, {"nim_mark_same_day"},
                 id="bruise-unwell-child-999-first"),
    pytest.param("non-mobile-bruising", child(months_old(18)),
                 {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
                  "sites": ["shin_knee"], "explanation_given": "fits", "other_injuries": "yes"},
                 {"earlier_injuries_or_delay"}, {"ten4_positive"},
                 id="bruise-earlier-injuries-noted"),
    # --- pre-birth-early-help --------------------------------------------------------------------
    pytest.param("pre-birth-early-help", weeks_pregnant(20), PREBIRTH_CLEAN,
                 set(), {"trigger_needs_referral", "late_booking", "referral_past_week", "early_help_not_considered",
                         "hart_doubt_no_assessment", "father_unseen", "medication_not_planned",
                         "midwife_not_invited", "no_plan_by_cutoff", "discharge_plan_missing"},
                 id="prebirth-well-planned-raises-nothing"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20),
                 {**PREBIRTH_CLEAN, "triggers": ["domestic_abuse"], "referral_made": "no"},
                 {"trigger_needs_referral"}, {"late_booking"},
                 id="prebirth-domestic-abuse-no-referral-is-urgent"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20),
                 {**PREBIRTH_CLEAN, "triggers": ["domestic_abuse"], "referral_made": "yes"},
                 set(), {"trigger_needs_referral"},
                 id="prebirth-trigger-already-referred"),
    pytest.param("pre-birth-early-help", weeks_pregnant(30),
                 {**PREBIRTH_CLEAN, "booking_week": 28},
                 {"trigger_needs_referral", "late_booking"}, set(),
                 id="prebirth-booking-after-week-24-is-a-trigger"),
    pytest.param("pre-birth-early-help", weeks_pregnant(30),
                 {**PREBIRTH_CLEAN, "booking_week": 24},
                 set(), {"trigger_needs_referral", "late_booking"},
                 id="prebirth-booking-at-week-24-is-not-late"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20),
                 {**PREBIRTH_CLEAN, "hart_doubt": "yes", "early_help": "early_help_under_way"},
                 {"referral_past_week", "hart_doubt_no_assessment"}, {"trigger_needs_referral"},
                 id="prebirth-hart-doubt-past-week-16-without-referral"),
    pytest.param("pre-birth-early-help", weeks_pregnant(12),
                 {**PREBIRTH_CLEAN, "hart_doubt": "yes", "early_help": "early_help_under_way"},
                 {"hart_doubt_no_assessment"}, {"referral_past_week"},
                 id="prebirth-hart-doubt-before-referral-week"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20),
                 {**PREBIRTH_CLEAN, "early_help": "not_considered", "father_seen": "no", "medication": "not_in_plan",
                  "parent_mh": "yes", "discharge_plan": "unknown"},
                 {"early_help_not_considered", "father_unseen", "medication_not_planned", "discharge_plan_missing"},
                 {"trigger_needs_referral"},
                 id="prebirth-baby-l-gaps"),
    pytest.param("pre-birth-early-help", weeks_pregnant(35),
                 {**PREBIRTH_CLEAN, "triggers": ["previous_neglect"], "referral_made": "yes",
                  "referral_discussed": "yes", "conference": "assessment_under_way", "strategy": "yes",
                  "midwife_invited": "no"},
                 {"no_plan_by_cutoff", "midwife_not_invited"}, {"trigger_needs_referral"},
                 id="prebirth-past-week-34-no-decision-and-no-midwife"),
    pytest.param("pre-birth-early-help", weeks_pregnant(30),
                 {**PREBIRTH_CLEAN, "triggers": ["previous_neglect"], "referral_made": "yes",
                  "conference": "assessment_under_way", "strategy": "yes", "midwife_invited": "yes"},
                 set(), {"no_plan_by_cutoff", "midwife_not_invited"},
                 id="prebirth-before-week-34-with-midwife"),
    # --- fathers-and-male-carers -----------------------------------------------------------------
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[DAD]), FATHER_BASE,
                 set(), {"unseen_male_carer", "history_unknown", "violence_with_baby", "heightened_nai_risk",
                         "previous_child_removed", "crying_sleep_advice_missing", "s47_father_not_involved",
                         "not_invited", "perinatal_support_not_offered"},
                 id="fathers-known-and-seen-raises-nothing"),
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[DAD]),
                 {**FATHER_BASE, "man_seen": "not_seen", "childhood": ["not_asked"], "checks_made": ["none_yet"]},
                 {"unseen_male_carer", "history_unknown"}, {"violence_with_baby"},
                 id="fathers-unseen-man-caring-for-baby-under-1"),
    pytest.param("fathers-and-male-carers", child(months_old(30), household=[DAD]),
                 {**FATHER_BASE, "man_seen": "not_seen", "childhood": ["not_asked"],
                  "risks": ["domestic_abuse"]},
                 set(), {"unseen_male_carer", "history_unknown", "violence_with_baby"},
                 id="fathers-unseen-rules-are-for-babies-under-1"),
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[PARTNER]),
                 {**FATHER_BASE, "man": "m2", "man_role": "stays", "risks": ["domestic_abuse"]},
                 {"violence_with_baby"}, {"heightened_nai_risk"},
                 id="fathers-domestic-abuse-with-baby-is-urgent"),
    pytest.param("fathers-and-male-carers", weeks_pregnant(28),
                 {**FATHER_BASE, "man": None, "risks": ["violence", "other_offending"]},
                 {"violence_with_baby"}, set(),
                 id="fathers-violence-and-pregnancy-is-urgent"),
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[DAD]),
                 {**FATHER_BASE, "risks": ["substance_misuse", "mental_ill_health"]},
                 {"heightened_nai_risk"}, {"violence_with_baby"},
                 id="fathers-two-of-three-is-heightened-nai-risk"),
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[DAD]),
                 {**FATHER_BASE, "risks": ["mental_ill_health", "other_offending"]},
                 set(), {"heightened_nai_risk", "violence_with_baby"},
                 id="fathers-one-of-three-is-not-heightened"),
    pytest.param("fathers-and-male-carers", child(months_old(2), household=[DAD]),
                 {**FATHER_BASE, "man_seen": "seen_with_mother", "icon_given": "no", "s47_under_way": "yes",
                  "previous_children": "removed", "invited": "no", "perinatal_support": "not_offered"},
                 {"unseen_male_carer", "crying_sleep_advice_missing", "s47_father_not_involved",
                  "previous_child_removed", "not_invited", "perinatal_support_not_offered"}, set(),
                 id="fathers-seen-only-with-mother-and-no-icon"),
    # --- family-history-cumulative-risk ----------------------------------------------------------
    pytest.param("family-history-cumulative-risk", child(months_old(6)), HISTORY_CLEAN,
                 set(), {"sibling_harmed_or_removed", "cumulative_risk_under_1", "chronology_not_current",
                         "neglect_tool_needed", "needs_not_met", "relative_concern_not_shared",
                         "unsustained_change", "safety_arrangements_missing", "meeting_gaps",
                         "disengagement_pattern"},
                 id="history-clean-raises-nothing"),
    pytest.param("family-history-cumulative-risk", child(months_old(6)),
                 {**HISTORY_CLEAN, "previous_involvement": ["cp_plan", "sibling_removed"]},
                 {"sibling_harmed_or_removed"}, {"cumulative_risk_under_1"},
                 id="history-sibling-removed-no-plan-refer"),
    pytest.param("family-history-cumulative-risk", child(months_old(6), plan="child_protection"),
                 {**HISTORY_CLEAN, "previous_involvement": ["sibling_removed"], "plan_understood": "yes",
                  "ending_plan": "not_proposed", "conference_invites": "yes", "reports_submitted": "yes"},
                 set(), {"sibling_harmed_or_removed", "meeting_gaps"},
                 id="history-sibling-removed-already-on-plan"),
    pytest.param("family-history-cumulative-risk", child(months_old(6)),
                 {**HISTORY_CLEAN, "current_risks": ["domestic_abuse", "substance_misuse"], "parent_aces": ["in_care"]},
                 {"cumulative_risk_under_1"}, set(),
                 id="history-three-factors-with-baby-under-1"),
    pytest.param("family-history-cumulative-risk", weeks_pregnant(22),
                 {**HISTORY_CLEAN, "current_risks": ["mental_ill_health", "learning_needs"],
                  "previous_involvement": ["care_proceedings"]},
                 {"cumulative_risk_under_1"}, set(),
                 id="history-three-factors-unborn"),
    pytest.param("family-history-cumulative-risk", child(months_old(6)),
                 {**HISTORY_CLEAN, "current_risks": ["domestic_abuse", "substance_misuse"]},
                 set(), {"cumulative_risk_under_1"},
                 id="history-two-factors-below-threshold"),
    pytest.param("family-history-cumulative-risk", child(months_old(36)),
                 {**HISTORY_CLEAN, "current_risks": ["domestic_abuse", "substance_misuse"], "parent_aces": ["in_care"]},
                 set(), {"cumulative_risk_under_1"},
                 id="history-three-factors-older-child-not-this-flag"),
    pytest.param("family-history-cumulative-risk", child(months_old(20)),
                 {**HISTORY_CLEAN, "neglect_suspected": "yes", "neglect_tool": "not_used", "needs_met": "no",
                  "chronology_current": "out_of_date"},
                 {"neglect_tool_needed", "needs_not_met", "chronology_not_current"}, set(),
                 id="history-neglect-without-the-tool"),
    pytest.param("family-history-cumulative-risk", child(months_old(20), plan="child_protection"),
                 {**HISTORY_CLEAN, "plan_understood": "yes", "ending_plan": "not_sustained", "conference_invites": "yes",
                  "reports_submitted": "no", "strategy": "health_not_invited",
                  "safety_during_enquiries": "not_recorded"},
                 {"unsustained_change", "meeting_gaps", "safety_arrangements_missing"}, set(),
                 id="history-plan-ending-too-soon-and-gaps"),
    pytest.param("family-history-cumulative-risk", child(months_old(20)),
                 {**HISTORY_CLEAN, "relatives_concerns": "not_shared", "engagement_pattern": ["agrees_not_done"]},
                 {"relative_concern_not_shared", "disengagement_pattern"}, set(),
                 id="history-relative-concern-and-disengagement"),
    pytest.param("family-history-cumulative-risk", child(months_old(20)),
                 {**HISTORY_CLEAN, "engagement_pattern": ["missed_contacts"]},
                 set(), {"disengagement_pattern"},
                 id="history-single-missed-contact-is-not-a-pattern"),
    # --- was-not-brought -------------------------------------------------------------------------
    pytest.param("was-not-brought", child(months_old(10)), WNB_BASE,
                 {"record_as_wnb"}, {"tell_social_worker_today", "cp_neglect_one_missed", "repeated_wnb",
                                     "unseen_with_concerns", "health_at_risk", "transfer_not_done",
                                     "gp_not_registered", "red_book_not_updated"},
                 id="wnb-one-off-only-records-wnb"),
    pytest.param("was-not-brought", child(months_old(10), plan="child_in_need"), WNB_BASE,
                 {"tell_social_worker_today"}, {"cp_neglect_one_missed"},
                 id="wnb-child-in-need-tell-social-worker-today"),
    pytest.param("was-not-brought", child(months_old(10), plan="child_in_need"),
                 {**WNB_BASE, "social_worker_told": "yes"},
                 set(), {"tell_social_worker_today"},
                 id="wnb-social-worker-already-told"),
    pytest.param("was-not-brought", child(months_old(10), plan="child_protection"),
                 {**WNB_BASE, "cp_category": "neglect", "social_worker_told": "yes"},
                 {"cp_neglect_one_missed"}, {"repeated_wnb", "tell_social_worker_today"},
                 id="wnb-cp-neglect-one-missed-is-enough"),
    pytest.param("was-not-brought", child(months_old(10), plan="child_protection"),
                 {**WNB_BASE, "cp_category": "physical", "social_worker_told": "yes"},
                 set(), {"cp_neglect_one_missed"},
                 id="wnb-cp-other-category-one-missed"),
    pytest.param("was-not-brought", child(months_old(10)), {**WNB_BASE, "missed_12m": 2},
                 {"repeated_wnb"}, set(),
                 id="wnb-two-in-12-months-is-a-pattern"),
    pytest.param("was-not-brought", child(months_old(10)),
                 {**WNB_BASE, "what_happened": "cancelled_rebooked", "repeated_rebooking": "yes"},
                 {"repeated_wnb"}, set(),
                 id="wnb-repeated-cancel-and-rebook"),
    pytest.param("was-not-brought", child(months_old(10)),
                 {**WNB_BASE, "child_unseen": "yes", "other_concerns": ["neglect", "housing"]},
                 {"unseen_with_concerns"}, set(),
                 id="wnb-unseen-with-other-concerns-refer"),
    pytest.param("was-not-brought", child(months_old(10)), {**WNB_BASE, "child_unseen": "yes"},
                 set(), {"unseen_with_concerns"},
                 id="wnb-unseen-without-other-concerns"),
    pytest.param("was-not-brought", child(months_old(5)),
                 {**WNB_BASE, "moved_area": "yes", "transfer": "not_told", "gp_registered": "no", "impact": "harm"},
                 {"transfer_not_done", "gp_not_registered", "health_at_risk"}, set(),
                 id="wnb-moved-and-unregistered"),
    pytest.param("was-not-brought", child(born(42)), {**WNB_BASE, "gp_registered": "no"},
                 set(), {"gp_not_registered"},
                 id="wnb-six-week-old-not-yet-expected-to-be-registered"),
    pytest.param("was-not-brought", child(months_old(10)),
                 {**WNB_BASE, "missed_12m": 3, "red_book": "no", "depends_on_adult": "no"},
                 {"red_book_not_updated", "repeated_wnb"}, {"record_as_wnb"},
                 id="wnb-red-book-not-updated"),
]


@pytest.mark.parametrize("checklist_id, facts, answers, must, must_not", CASES)
def test_flags(catalog, checklist_id, facts, answers, must, must_not):
    answers = {k: v for k, v in answers.items() if v is not None}
    result = run(catalog, checklist_id, facts, answers)
    raised = {flag.id for flag in result.flags}
    known = {rule.id for rule in catalog.checklists[checklist_id].flags}
    assert (must | must_not) <= known, f"test names flags the checklist does not have: {(must | must_not) - known}"
    assert must <= raised, f"expected {sorted(must - raised)} to be raised; raised {sorted(raised)}"
    assert not (must_not & raised), f"must not raise {sorted(must_not & raised)}"


def test_bruised_eight_week_old_is_urgent_with_local_numbers(catalog):
    result = run(catalog, "non-mobile-bruising", child(born(56)),
                 {"mobility": "not_rolling", "mark_kind": ["bruise"], "documented_medical": "no"})
    flag = next(f for f in result.flags if f.id == "nim_mark_same_day")
    assert flag.severity is Severity.URGENT
    assert result.flags[0].severity is Severity.URGENT
    assert catalog.settings.mash_phone in flag.action
    assert "{settings." not in flag.action and "{settings." not in flag.message


def _actions_with_the_mash_number(catalog, settings):
    return {(checklist.id, rule.id): settings.format(rule.action) for checklist in catalog.checklists.values()
            for rule in checklist.flags if settings.mash_phone in settings.format(rule.action)}


def test_actions_give_a_shared_out_of_hours_number_once(catalog):
    """The shipped MASH number is also the out-of-hours number, so no action should repeat it."""
    settings = catalog.settings
    actions = _actions_with_the_mash_number(catalog, settings)
    assert ("non-mobile-bruising", "nim_mark_same_day") in actions
    for where, action in actions.items():
        assert action.count(settings.mash_phone) == 1, where
        assert "out of hours" not in action or f"{settings.mash_phone} (also out of hours)" in action, where
    flag = next(f for f in run(catalog, "non-mobile-bruising", child(born(56)),
                               {"mobility": "not_rolling", "mark_kind": ["bruise"], "documented_medical": "no"}).flags
                if f.id == "nim_mark_same_day")
    assert ("You, today: refer to the Sandwell safeguarding team (MASH) on 0121 569 3100 (also out of hours) and "
            "arrange a same-day paediatric assessment") in flag.action


def test_actions_give_a_separate_out_of_hours_number_when_there_is_one(catalog):
    settings = Settings({**{k: catalog.settings[k] for k in catalog.settings}, "out_of_hours_phone": "01234 999999"})
    with_out_of_hours = {where: action for where, action in _actions_with_the_mash_number(catalog, settings).items()
                         if "01234 999999" in action}
    assert sorted(with_out_of_hours) == [
        ("fathers-and-male-carers", "violence_with_baby"), ("non-mobile-bruising", "nim_mark_same_day"),
        ("non-mobile-bruising", "unwell_call_999"), ("was-not-brought", "unseen_with_concerns")]
    for where, action in with_out_of_hours.items():
        assert f"{settings.mash_phone} (out of hours 01234 999999)" in action, where
        assert "also out of hours" not in action, where


def test_mobile_three_year_old_shin_bruise_raises_no_flag_at_all(catalog):
    answers = {**BRUISE_SAFE_BASE, "mobility": "walks", "mark_kind": ["bruise"], "documented_medical": "no",
               "sites": ["shin_knee"], "explanation_given": "fits",
               "explanation_text": "Fell on the step at nursery; nursery confirmed."}
    result = run(catalog, "non-mobile-bruising", child(months_old(36)), answers)
    assert result.flags == []
    assert result.missing_required == []


def test_wnb_pattern_count_is_read_from_settings(catalog):
    facts, answers = child(months_old(10)), {**WNB_BASE, "missed_12m": 2}
    stricter = Settings({**{k: catalog.settings[k] for k in catalog.settings}, "wnb_pattern_count": 3})
    assert "repeated_wnb" in {f.id for f in run(catalog, "was-not-brought", facts, answers).flags}
    assert "repeated_wnb" not in {f.id for f in run(catalog, "was-not-brought", facts, answers, stricter).flags}


def test_cumulative_threshold_is_read_from_settings(catalog):
    facts = child(months_old(6))
    answers = {**HISTORY_CLEAN, "current_risks": ["domestic_abuse", "substance_misuse"]}
    lower = Settings({"cumulative_risk_threshold": 2})
    assert "cumulative_risk_under_1" not in {f.id for f in run(catalog, "family-history-cumulative-risk", facts, answers).flags}
    assert "cumulative_risk_under_1" in {f.id for f in run(catalog, "family-history-cumulative-risk", facts, answers, lower).flags}


# ---------------------------------------------------------------- branching

BRANCHES = [
    pytest.param("non-mobile-bruising", child(months_old(36)), {"mobility": "walks"},
                 {"sites"}, {"referral_made", "paediatric_arranged"},
                 {"not_mobile": "the child is independently mobile"}, id="bruise-mobile-skips-nim-section"),
    pytest.param("non-mobile-bruising", child(months_old(5)), {"mobility": "rolls"},
                 {"referral_made", "paediatric_arranged", "sites"}, set(), {}, id="bruise-rolling-shows-nim-section"),
    pytest.param("non-mobile-bruising", child(months_old(60)), {"mobility": "walks", "explanation_given": "none"},
                 set(), {"sites", "explanation_text"},
                 {"ten4": "the child is 4 or older", "not_mobile": "the child is independently mobile"},
                 id="bruise-5-year-old-skips-ten4"),
    pytest.param("non-mobile-bruising", child(months_old(60)), {"mobility": "disabled_not_mobile",
                                                                "explanation_given": "changed"},
                 {"referral_made", "explanation_text"}, {"sites"}, {"ten4": "the child is 4 or older"},
                 id="bruise-older-disabled-child-not-mobile"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20), {"parent_mh": "no", "referral_made": "no"},
                 {"medication"}, {"mh_services", "mh_parenting", "referral_discussed", "conference", "strategy",
                                  "midwife_invited", "father_seen"}, {}, id="prebirth-no-mh-no-referral"),
    pytest.param("pre-birth-early-help", weeks_pregnant(20),
                 {"parent_mh": "yes", "referral_made": "yes", "strategy": "yes", "father_identified": "yes"},
                 {"mh_services", "mh_parenting", "referral_discussed", "conference", "midwife_invited", "father_seen"},
                 set(), {}, id="prebirth-mh-and-referral"),
    pytest.param("fathers-and-male-carers", child(months_old(3), household=[DAD]),
                 {"man_seen": "declined", "checks_made": ["none_yet"]},
                 {"not_seen_reason", "crying", "icon_given"}, {"checks_found"}, {}, id="fathers-declined-baby"),
    pytest.param("fathers-and-male-carers", child(months_old(20), household=[DAD]),
                 {"man_seen": "seen_alone", "checks_made": ["police"]},
                 {"checks_found", "protective"}, {"not_seen_reason", "crying", "icon_given", "safer_sleep_given"},
                 {"caring": "the child is 1 or older"}, id="fathers-older-child-skips-crying"),
    pytest.param("fathers-and-male-carers", weeks_pregnant(30), {}, {"crying", "icon_given"}, set(), {},
                 id="fathers-unborn-shows-crying"),
    pytest.param("family-history-cumulative-risk", child(months_old(6)),
                 {"neglect_suspected": "no", "current_risks": ["domestic_abuse"], "previous_involvement": ["none_known"]},
                 set(), {"neglect_tool", "mh_impact", "learning_support", "plan_understood", "ending_plan",
                         "conference_invites", "reports_submitted", "previous_summary"}, {},
                 id="history-no-plan-no-neglect"),
    pytest.param("family-history-cumulative-risk", child(months_old(6), plan="child_protection"),
                 {"neglect_suspected": "yes", "current_risks": ["mental_ill_health", "learning_needs"],
                  "previous_involvement": ["cp_plan"]},
                 {"neglect_tool", "mh_impact", "learning_support", "plan_understood", "ending_plan",
                  "conference_invites", "reports_submitted", "previous_summary"}, set(), {},
                 id="history-cp-plan-with-neglect"),
    pytest.param("was-not-brought", child(months_old(10)), {"moved_area": "no"},
                 {"gp_registered"}, {"cp_category", "social_worker_told", "transfer"}, {}, id="wnb-no-plan-no-move"),
    pytest.param("was-not-brought", child(months_old(30), plan="child_protection"), {"moved_area": "yes"},
                 {"cp_category", "social_worker_told", "transfer"}, {"gp_registered"}, {}, id="wnb-cp-moved-toddler"),
]


@pytest.mark.parametrize("checklist_id, facts, answers, shown, hidden, skipped", BRANCHES)
def test_branching(catalog, checklist_id, facts, answers, shown, hidden, skipped):
    result = run(catalog, checklist_id, facts, answers)
    visible = {p.id for p in result.visible_prompts}
    assert shown <= visible, f"expected shown: {sorted(shown - visible)}"
    assert not (hidden & visible), f"expected hidden: {sorted(hidden & visible)}"
    reasons = {s.section.id: s.skipped_because for s in result.sections if not s.shown}
    for section_id, reason in skipped.items():
        assert reasons.get(section_id) == reason


def test_hidden_answers_never_raise_flags(catalog):
    # an ear bruise recorded for a 5-year-old sits in the hidden TEN-4-FACESp section
    result = run(catalog, "non-mobile-bruising", child(months_old(60)),
                 {"mobility": "walks", "mark_kind": ["bruise"], "sites": ["ear"], "explanation_given": "fits"})
    assert "sites" in {p.id for p in result.hidden_answered}
    assert "ten4_positive" not in {f.id for f in result.flags}


# ---------------------------------------------------------------- shape of each checklist


@pytest.mark.parametrize("checklist_id", CHECKLIST_IDS)
def test_checklist_is_complete_enough_for_a_meeting(catalog, checklist_id):
    assert checklist_id in catalog.checklists, [p.message for p in catalog.problems]
    checklist = catalog.checklists[checklist_id]
    prompts = checklist.prompts()
    assert 3 <= len(checklist.sections) <= 6
    assert 10 <= len(prompts) <= 25
    assert 4 <= len(checklist.flags) <= 10
    assert any(p.type is AnswerType.TEXT for p in prompts)
    assert any(p.required for p in prompts)
    assert any(p.when_text for p in prompts) or any(s.when is not None for s in checklist.sections)
    severities = {f.severity for f in checklist.flags}
    assert len(severities) >= 2, "a checklist with one severity is not telling the practitioner what comes first"


def test_catalog_loads_without_problems(catalog):
    assert [f"{p.file}:{p.line}: {p.message}" for p in catalog.problems] == []
    assert set(CHECKLIST_IDS) <= set(catalog.checklists)
