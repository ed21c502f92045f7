"""Each of the five checklists walked from the first step to 'Submit for review' by mouse and keyboard,
against the real Workspace: branches appear as they are answered, flags go live, every flag gets a
response, and what was submitted is what was typed."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt

from walkthrough_helpers import (  # noqa: F401  (fixtures)
    Practitioner, data_dir, days_ago, show_view, start, workspace,
)


@dataclass
class Walk:
    checklist: str
    case: dict
    plan: dict                       # prompt id -> what the practitioner answers (only where shown)
    branch: tuple[str, str]          # answering this prompt...  reveals this prompt
    hidden_until_branch: bool = True
    flags: set = field(default_factory=set)       # flags that must be raised by the end
    urgent: str | None = None
    skipped_steps: int = 0


WALKS = [
    Walk(
        "pre-birth-early-help", {},
        {
            "booking_week": 27, "concealed": "no",
            "triggers": ["domestic_abuse", "care_leaver"],
            "previous_children": "Her first child, aged 6, lives with his paternal grandmother under a special "
                                 "guardianship order.",
            "parent_mh": "yes",
            "mh_services": "Perinatal mental health team, named worker Ann Lee, reviewing medication monthly.",
            "mh_parenting": "She says low mood makes mornings hard; Ann Lee says she is stable on medication.",
            "medication": "not_in_plan",
            "father_identified": "yes", "father_seen": "no",
            "agencies_roles": "Midwife (Tess Green): antenatal care. Housing officer (Ben Ali): tenancy support.",
            "gp_contacted": "yes",
            "hart_doubt": "yes", "early_help": "not_considered", "referral_made": "no",
            "discharge_plan": "no", "contingency": "unknown",
        },
        branch=("parent_mh", "mh_services"),
        flags={"trigger_needs_referral", "late_booking", "early_help_not_considered", "father_unseen",
               "medication_not_planned", "discharge_plan_missing", "hart_doubt_no_assessment"},
        urgent="trigger_needs_referral",
    ),
    Walk(
        "fathers-and-male-carers", {"date_of_birth": days_ago(70)},
        {
            "all_men_recorded": "yes", "man": "p1", "man_role": "lives_in", "man_seen": "not_seen",
            "not_seen_reason": "Two home visits offered by letter; he was at work both times, says the mother.",
            "childhood": ["in_care"], "risks": ["domestic_abuse", "substance_misuse"],
            "previous_children": "no_involvement",
            "checks_made": ["police", "gp"],
            "checks_found": "Police: one call-out in 2024 for a verbal argument, no charge. GP: no concerns recorded.",
            "crying": "He says he puts on music and walks with her when she cries at night.",
            "icon_given": "yes", "safer_sleep_given": "no", "perinatal_support": "not_offered",
            "invited": "yes", "s47_under_way": "no",
            "protective": "His mother lives nearby and visits daily; she has looked after the baby overnight.",
        },
        branch=("man_seen", "not_seen_reason"),
        flags={"unseen_male_carer", "violence_with_baby", "heightened_nai_risk", "crying_sleep_advice_missing",
               "perinatal_support_not_offered"},
        urgent="violence_with_baby",
    ),
    Walk(
        "family-history-cumulative-risk", {"date_of_birth": days_ago(200), "plan": "child_protection"},
        {
            "chronology_current": "out_of_date", "history_read": "yes",
            "previous_involvement": ["cin_plan", "sibling_removed"],
            "previous_summary": "Older sister removed in 2021 after neglect proceedings; mother had a CIN plan in 2019.",
            "parent_aces": ["in_care"], "current_risks": ["mental_ill_health", "housing"],
            "mh_impact": "Mother describes days in bed when low; the baby then stays in the cot most of the day.",
            "neglect_suspected": "yes", "neglect_tool": "not_used",
            "daily_life": "Bottles made up in advance and left out; baby in the same sleepsuit on three visits.",
            "needs_met": "unknown",
            "engagement_pattern": ["missed_contacts", "cancel_rebook"], "relatives_concerns": "shared",
            "plan_understood": "yes", "ending_plan": "not_proposed", "conference_invites": "yes",
            "reports_submitted": "yes", "strategy": "health_invited",
            "safety_during_enquiries": "not_recorded",
        },
        branch=("neglect_suspected", "neglect_tool"),
        flags={"chronology_not_current", "neglect_tool_needed", "needs_not_met", "safety_arrangements_missing",
               "disengagement_pattern", "cumulative_risk_under_1"},
        urgent="safety_arrangements_missing",
    ),
    Walk(
        "non-mobile-bruising", {"date_of_birth": days_ago(56)},
        {
            "unwell": "no", "mobility": "not_rolling", "mark_kind": ["bruise"], "seen_how": "seen",
            "documented_medical": "no",
            "mark_description": "A blue-grey bruise about 1 cm across on the left upper arm, seen at the 8-week visit.",
            "referral_made": "yes", "paediatric_arranged": "yes",
            "sites": ["other"],
            "explanation_given": "fits",
            "explanation_text": "Mother says the baby's arm caught in the car seat strap yesterday.",
            "delayed": "no", "other_injuries": "no", "carers": ["mother", "partner"], "siblings": "yes",
        },
        branch=("explanation_given", "explanation_text"),
        flags={"nim_mark_same_day", "explanation_no_substitute", "carers_unknown", "siblings_check"},
        urgent="nim_mark_same_day",
    ),
    Walk(
        "was-not-brought", {"date_of_birth": days_ago(400), "plan": "child_in_need"},
        {
            "appointment_type": "immunisation", "depends_on_adult": "yes", "what_happened": "not_brought",
            "reason": "Mother said by text that she forgot; no new appointment was asked for.",
            "missed_12m": 3, "repeated_rebooking": "yes", "impact": "delay", "child_unseen": "no",
            "other_concerns": ["housing"],
            "social_worker_told": "no",
            "moved_area": "yes", "transfer": "not_told", "red_book": "unknown",
        },
        branch=("moved_area", "transfer"),
        flags={"tell_social_worker_today", "repeated_wnb", "transfer_not_done", "record_as_wnb",
               "red_book_not_updated"},
        urgent="tell_social_worker_today",
    ),
]


def _words(walk: Walk) -> str:
    return walk.checklist


@pytest.mark.parametrize("walk", WALKS, ids=_words)
def test_walk_each_checklist_to_submission(qtbot, workspace, walk: Walk):
    run_id = start(workspace, walk.checklist, **walk.case)
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    shown = view.shown_steps()
    assert view.step_label.text() == f"Step 1 of {len(shown)}"
    trigger, revealed = walk.branch
    urgent_seen_at_step = None

    steps_seen = 0
    while view.current < view.summary_index:
        steps_seen += 1
        assert view.step_label.text() == f"Step {steps_seen} of {len(view.shown_steps())}"
        assert view.section_title.text() == view.sections[view.current].title
        for prompt_id in person.unanswered_on_step(walk.plan):
            if prompt_id == trigger and walk.hidden_until_branch:
                assert not person.visible(revealed), f"{revealed} shows before {trigger} is answered"
            person.answer(prompt_id, walk.plan[prompt_id])
            if prompt_id == trigger:
                qtbot.waitUntil(lambda: person.visible(revealed))
            if walk.urgent in view.flags.cards and urgent_seen_at_step is None:
                urgent_seen_at_step = steps_seen
                card = view.flags.cards[walk.urgent]
                # Unmistakable and actionable at once, before the walk-through is finished.
                assert card.isVisible()
                assert card.band.text() == "URGENT — act today"
                assert card.flag.action in card.action.accessibleName()
                assert "{settings." not in card.action.text()
                assert view.urgent_banner.isVisible()
                assert card.record.isVisible() and card.record.isEnabled()
                layout = view.flags.list
                assert layout.itemAt(0).widget() is card  # urgent first, at the top of the panel
        # The step list ticks a step whose required questions are all answered.
        item = view.step_list.item(view.current)
        assert "\n✓ Complete, " in item.text(), item.text()
        person.next_by_enter()

    assert urgent_seen_at_step is not None, "the urgent flag never appeared"
    assert walk.flags <= set(view.flags.cards), set(view.flags.cards)

    # Finishing: every flag without a response is named, and Submit waits for them.
    assert view.section_title.text() == "Check and submit"
    summary = view.summary
    names = [b.text() for b in summary.problem_buttons]
    assert all(name.startswith("Respond: ") for name in names)
    assert len(names) == len(view.evaluation.flags)
    assert not summary.submit.isEnabled()

    for flag_id in list(view.flags.cards):
        if flag_id == walk.urgent:
            person.respond_to_flag(flag_id, done="Discussed with the safeguarding lead and referred to the MASH.",
                                   by_whom="Priya Shah, health visitor", today=True)
        else:
            person.respond_to_flag(flag_id, why_not="Agreed with the team manager that the plan already covers it.")
        qtbot.waitUntil(lambda fid=flag_id: "Response recorded" in view.flags.cards[fid].status.text())

    qtbot.waitUntil(lambda: view.summary.submit is not None and view.summary.submit.isEnabled())
    assert not view.summary.problem_buttons
    summary_text = " ".join(label.text() for label in view.summary.findChildren(type(view.title)))
    first_text = next(v for k, v in walk.plan.items() if isinstance(v, str) and len(v) > 30)
    assert first_text.replace("'", "&#x27;")[:20] in summary_text or first_text[:20] in summary_text

    with qtbot.waitSignal(view.submitted, timeout=5000) as submitted:
        person.click(view.summary.submit)
    assert submitted.args == [run_id]
    assert not view.editable
    assert view.read_only_banner.isVisible()

    stored = workspace.open_run(run_id)
    assert stored.run["status"] == "submitted"
    visible = {p.id for p in stored.evaluation.visible_prompts}
    for prompt_id, value in walk.plan.items():
        if prompt_id in visible:
            assert stored.answers[prompt_id].value == value, prompt_id
    assert set(stored.flag_responses) == {f.id for f in stored.evaluation.flags}


def test_enter_inside_a_text_answer_starts_a_new_line_not_the_next_step(qtbot, workspace):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    box = person.card("reason").editor.edit
    person.type_into(box, "Mother texted at 9am.", leave=False)
    person.key(Qt.Key.Key_Return, box)
    qtbot.keyClicks(box, "No new date asked for.")
    assert view.current == 0
    assert box.toPlainText() == "Mother texted at 9am.\nNo new date asked for."
    person.key(Qt.Key.Key_Tab, box)
    qtbot.waitUntil(lambda: "reason" in view.session.answers)
    assert view.session.answers["reason"].value == "Mother texted at 9am.\nNo new date asked for."
