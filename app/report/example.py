"""A fictional training record, for previews, the benchmark and the pictures in docs/.

Every name and detail here is invented. The documents are marked `training=True`, so any PDF
made from them carries the training watermark.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

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

SOURCES = (
    SourceLine("panel-bruising-2022", "Child Safeguarding Practice Review Panel briefing on bruising in "
               "non-mobile babies (2022)", "National Panel briefing",
               "Any mark on a baby who is not independently mobile needs a same-day referral and paediatric "
               "assessment."),
    SourceLine("invisible-men-2021", "The Myth of Invisible Men (2021)", "Child Safeguarding Practice Review Panel",
               "Fathers and male carers of babies are too often unseen; their history is rarely asked about."),
    SourceLine("baby-l-1.6.8", "Baby L review, learning 1.6.8", "CSPR Baby L, learning and recommendations",
               "Vague words such as 'appropriate' can hide what was actually seen; record the observation."),
)

_FLAGS = (
    FlagLine("nim_mark_same_day", "urgent", "A baby who is not independently mobile has a bruise or mark.",
             "You, today: refer to the Multi-Agency Safeguarding Hub on 0121 569 3100 and arrange a same-day "
             "paediatric assessment.", ("panel-bruising-2022",), datetime(2026, 3, 3, 10, 42),
             FlagResponseLine("Referred to MASH by phone; paediatric assessment booked for 2pm today.",
                              "Health visitor (author of this record)", date(2026, 3, 3))),
    FlagLine("male_carer_unseen", "act", "The mother's partner lives in the household and has not been seen.",
             "Arrange to see him in his own right within 10 working days and ask about his own history.",
             ("invisible-men-2021",), datetime(2026, 3, 3, 10, 47)),
    FlagLine("vague_wording", "consider", "An answer uses the word 'appropriate' without saying what was seen.",
             "Replace it with what you saw and heard.", ("baby-l-1.6.8",), datetime(2026, 3, 3, 10, 50),
             FlagResponseLine(reason_not_acting="The wording is quoted from the GP letter; my observation is in "
                                                "the next answer.")),
)

_QUESTIONS = (
    ("What can the baby do on their own?", "Rolls over only", "Seen by me", "Rolled from back to front twice."),
    ("Did you see a bruise, mark or injury?", "Yes", "Seen by me", "Small blue mark, about 1 cm, left ear."),
    ("Where is the mark?", "Ear", "Seen by me", ""),
    ("What explanation was given?", "Mother said the baby knocked against the cot bars.", "Reported by the mother",
     "Explanation given before I asked."),
    ("Who lives in the household?", "Mother; partner (Łukasz Wiśniewski); baby", "Reported by the mother", ""),
    ("Has the partner been seen in person?", "No", "Professional judgement", "He was at work at both visits."),
)


def example_run_document(answer_count: int = 24, *, training: bool = True, started: datetime | None = None,
                         reviewed: bool = False) -> RunDocument:
    """A fictional run with `answer_count` answers over several sections, three flags and one skipped section."""
    started = started or datetime(2026, 3, 3, 10, 15)
    answers = []
    for i in range(answer_count):
        question, answer, how, note = _QUESTIONS[i % len(_QUESTIONS)]
        answers.append(AnswerLine(f"p{i}", question, answer, note, how, ("panel-bruising-2022",)))
    per_section = 12
    sections = [SectionBlock(f"Part {n + 1}: {title}", True, "", answers[n * per_section:(n + 1) * per_section])
                for n, title in enumerate(_section_titles(answer_count, per_section))]
    sections.insert(1, SectionBlock("Crawling and walking babies", False, "the child is not independently mobile"))
    reviews = ([ReviewLine("Agreed", "Priya Natarajan, Safeguarding Lead", started + timedelta(hours=5),
                           "Referral made the same day. Partner to be seen by 17 March.")] if reviewed else [])
    return RunDocument(
        case_reference="CASE-2026-0142", child_name="Maja Wiśniewska", date_of_birth=date(2025, 12, 1),
        expected_delivery_date=None, checklist_id="non-mobile-bruising",
        checklist_title="Bruising and injuries in babies who are not independently mobile", checklist_version=3,
        practitioner_name="Ruth Adeyemi", practitioner_team="Health Visiting, Sandwell North",
        started_at=started, updated_at=started + timedelta(minutes=38),
        submitted_at=started + timedelta(minutes=40), status="Submitted, awaiting review",
        flags=_FLAGS, sections=sections, sources=SOURCES, reviews=reviews,
        audit_fingerprint="3f9a1c2e77b052d1a9e4c0b8d6f1e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3",
        version=1, amends=None, training=training,
    )


def _section_titles(answer_count: int, per_section: int) -> list[str]:
    names = ["Age and mobility", "The mark or injury", "Explanation and history", "Household and carers",
             "Observations at the visit"]
    count = max(1, -(-answer_count // per_section))
    return [names[i % len(names)] + ("" if i < len(names) else f" (continued {i // len(names)})")
            for i in range(count)]


def example_case_document(*, training: bool = True) -> CaseDocument:
    """A fictional case with two runs a month apart and their flags."""
    first = example_run_document(12, training=training, started=datetime(2026, 2, 2, 9, 30), reviewed=True)
    second = example_run_document(18, training=training)
    cumulative = []
    for run in (first, second):
        for flag in run.flags:
            cumulative.append(FlagLine(flag.flag_id, flag.severity, flag.message, flag.action, flag.sources,
                                       run.started_at, flag.response, run.checklist_title))
    return CaseDocument(case_reference=first.case_reference, child_name=first.child_name,
                        date_of_birth=first.date_of_birth, expected_delivery_date=None,
                        cumulative_flags=cumulative, runs=(first, second), training=training)
