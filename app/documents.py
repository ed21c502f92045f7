"""Turning stored runs into the plain documents the PDF builders print (`app.report.inputs`).

A run is read as it was: its checklist comes from the snapshot stored with it (so a checklist
version no longer shipped still prints), the case facts from the copy taken at submission when
there is one, and which sections were shown is worked out by the engine as of the run's last
change. Times are printed in the computer's local time zone.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Mapping

from app.catalog import Catalog
from app.domain.case_facts import CaseFacts
from app.domain.engine import Answer, evaluate
from app.domain.model import AnswerType, Checklist, HowKnown, Prompt
from app.report.inputs import (
    AnswerLine,
    CaseDocument,
    FlagLine,
    FlagResponseLine,
    ReviewLine,
    RunDocument,
    SectionBlock,
    SourceLine,
)
from app.services import case_facts_from_record
from app.store import NotFound, Store

STATUS_LABELS = {
    "draft": "Draft: not yet submitted",
    "submitted": "Submitted, awaiting review",
    "returned": "Returned for more work",
    "signed_off": "Signed off",
}
DECISION_LABELS = {"signed_off": "Signed off", "returned": "Returned for more work", "comment": "Comment"}
RELATIONSHIP_LABELS = {
    "mother": "mother", "father": "father", "partner": "partner", "male_carer": "male carer",
    "sibling": "sibling", "other_child": "other child", "grandparent": "grandparent", "other_adult": "other adult",
}
MAX_RUNS_PER_CASE = 10_000


def run_document(store: Store, catalog: Catalog, run_id: int, training: bool = False) -> RunDocument:
    """The printable document for one stored run. Raises `app.store.NotFound` for an unknown id."""
    run = store.get_run(run_id)
    checklist = Checklist.from_snapshot(run["snapshot"])
    case = run.get("case_snapshot") or store.get_case(run["case_id"])
    facts = case_facts_from_record(case)
    stored = store.get_answers(run_id)
    answers = {pid: Answer(a.get("value"), a.get("note") or "", HowKnown(a["how_known"]) if a.get("how_known")
                           else None, a.get("reported_by") or "") for pid, a in stored.items()}
    as_of = _local(run.get("submitted_at") or run["updated_at"]).date()
    evaluation = evaluate(checklist, answers, facts, catalog.settings, as_of)
    visible = {p.id for p in evaluation.visible_prompts}
    sections = []
    for state in evaluation.sections:
        shown_prompts = [p for p in state.section.prompts if p.id in visible] if state.shown else []
        sections.append(SectionBlock(
            title=state.section.title, shown=state.shown, skipped_because=state.skipped_because or "",
            answers=[_answer_line(p, answers.get(p.id), facts) for p in shown_prompts]))
    rules = {rule.id: rule for rule in checklist.flags}
    flags = [_flag_line(f, rules[f["flag_id"]].sources if f["flag_id"] in rules else ())
             for f in store.list_flags(run_id)]
    cited = [s for p in evaluation.visible_prompts for s in p.sources] + [s for f in flags for s in f.sources]
    profile = store.get_profile(run["practitioner"]) or {}
    return RunDocument(
        case_reference=case.get("reference") or run["case_reference"],
        child_name=case.get("child_name") or run["child_name"],
        date_of_birth=facts.date_of_birth, expected_delivery_date=facts.expected_delivery_date,
        checklist_id=checklist.id, checklist_title=checklist.title, checklist_version=checklist.version,
        practitioner_name=run["practitioner"], practitioner_team=profile.get("team") or "",
        started_at=_local(run["created_at"]), updated_at=_local(run["updated_at"]),
        submitted_at=_local(run["submitted_at"]) if run.get("submitted_at") else None,
        status=STATUS_LABELS.get(run["status"], run["status"]),
        flags=flags, sections=sections, sources=[_source_line(i, catalog) for i in dict.fromkeys(cited)],
        reviews=[ReviewLine(DECISION_LABELS.get(r["decision"], r["decision"]), r["supervisor"], _local(r["at"]),
                            r.get("comment") or "") for r in store.list_reviews(run_id)],
        audit_fingerprint=store.audit_head(run_id) or "", version=run.get("version") or 1,
        amends=(f"record {run['amends_run_id']} (version {run['version'] - 1})" if run.get("amends_run_id")
                else None),
        training=training,
    )


def case_document(store: Store, catalog: Catalog, case_ref: str, training: bool = False) -> CaseDocument:
    """The printable whole-case document: every run of the case, oldest first, and all their flags.

    Raises `app.store.NotFound` when no case has that reference.
    """
    case = store.find_case(case_ref)
    if case is None:
        raise NotFound(f"There is no case with the reference {case_ref!r}.")
    rows = store.list_runs(case_id=case["id"], order_by="created_at asc", limit=MAX_RUNS_PER_CASE)
    runs = [run_document(store, catalog, row["id"], training) for row in rows]
    cumulative = [FlagLine(f.flag_id, f.severity, f.message, f.action, f.sources, f.raised_at, f.response,
                           run.checklist_title) for run in runs for f in run.flags]
    facts = case_facts_from_record(case)
    return CaseDocument(case_reference=case["reference"], child_name=case["child_name"],
                        date_of_birth=facts.date_of_birth, expected_delivery_date=facts.expected_delivery_date,
                        cumulative_flags=cumulative, runs=runs, training=training)


def _local(stamp: str | dt.datetime) -> dt.datetime:
    """A stored UTC timestamp as a naive datetime in the computer's local time."""
    value = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(stamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone().replace(tzinfo=None)


def _answer_line(prompt: Prompt, answer: Answer | None, facts: CaseFacts) -> AnswerLine:
    if answer is None or answer.value in (None, ""):
        return AnswerLine(prompt.id, prompt.ask, "", answer.note if answer else "",
                          _how_known(answer) if answer else "", prompt.sources)
    return AnswerLine(prompt.id, prompt.ask, answer_text(prompt, answer.value, facts), answer.note,
                      _how_known(answer), prompt.sources)


def answer_text(prompt: Prompt, value: Any, facts: CaseFacts) -> str:
    """A stored answer value in plain words, as the practitioner chose it."""
    if prompt.type in (AnswerType.YES_NO_UNKNOWN, AnswerType.SINGLE_CHOICE):
        return prompt.option_label(str(value))
    if prompt.type is AnswerType.MULTI_CHOICE:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        return ", ".join(prompt.option_label(str(v)) for v in values) or "None of these"
    if prompt.type is AnswerType.DATE:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return f"{day.day} {day:%B %Y}"
    if prompt.type is AnswerType.NUMBER:
        number = int(value) if float(value).is_integer() else value
        return f"{number} {prompt.unit}" if prompt.unit else str(number)
    if prompt.type is AnswerType.PERSON:
        member = next((m for m in facts.household if m.id == str(value)), None)
        if member is None:
            return f"Household member {value} (no longer listed on the case)"
        return f"{_isolated(member.name)} ({RELATIONSHIP_LABELS.get(member.relationship, member.relationship)})"
    return str(value)


def _how_known(answer: Answer) -> str:
    if answer.how_known is None:
        return ""
    if answer.how_known is HowKnown.REPORTED and answer.reported_by:
        return f"Reported by {_isolated(answer.reported_by)}"
    return answer.how_known.label


def _isolated(name: str) -> str:
    """A name with right-to-left letters set between Unicode's first-strong isolate marks.

    The marks are invisible. They keep the name from turning the app's own English wording around it
    ("فاطمة (Mother)") right to left in the PDF (see app.report.bidi). Other names need no marks.
    """
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        return name
    return f"\u2068{name}\u2069"


def _flag_line(flag: Mapping[str, Any], sources: tuple[str, ...]) -> FlagLine:
    response = flag.get("response")
    line = None
    if response:
        by_when = response.get("by_when") or ""
        line = FlagResponseLine(response.get("action_taken") or "", response.get("by_whom") or "",
                                dt.date.fromisoformat(by_when[:10]) if by_when else None,
                                response.get("reason_not_acting") or "")
    return FlagLine(flag["flag_id"], flag["severity"], flag["message"], flag["action"], sources,
                    _local(flag["raised_at"]) if flag.get("raised_at") else None, line)


def _source_line(source_id: str, catalog: Catalog) -> SourceLine:
    source = catalog.sources.get(source_id)
    if source is None:
        return SourceLine(source_id, source_id, "", "This source is no longer in the app's list of sources.")
    return SourceLine(source.id, source.title, source.document, source.summary)
