"""What a PDF shows: plain, frozen data that the services layer fills from the store and the domain.

These classes are the contract between `app.documents` (which reads a stored run and its checklist
snapshot) and the PDF builders in this package. They hold text that is ready to print: answers,
statuses and decisions are already human readable, so the report layer never needs the checklist
model, the store or any lookup. Dates are `datetime.date`, moments are `datetime.datetime`.

Sequence fields accept any iterable and are stored as tuples, so a built document cannot change
under the builder.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Literal

Severity = Literal["urgent", "act", "consider", "info"]

#: Severities from most to least pressing; flags print in this order.
SEVERITY_ORDER: tuple[str, ...] = ("urgent", "act", "consider", "info")


def _freeze(obj: object, *names: str) -> None:
    """Store the named iterable fields of a frozen dataclass as tuples."""
    for name in names:
        value = getattr(obj, name)
        object.__setattr__(obj, name, tuple(value) if value is not None else ())


@dataclass(frozen=True)
class FlagResponseLine:
    """What the practitioner recorded in answer to one flag.

    Either an action (`action_taken`, `by_whom`, `by_when`) or, when they decided not to act,
    `reason_not_acting`. Empty strings mean "not recorded".
    """

    action_taken: str = ""
    by_whom: str = ""
    by_when: date | None = None
    reason_not_acting: str = ""


@dataclass(frozen=True)
class FlagLine:
    """One flag raised by the answers, with its recommended action.

    `severity` is one of `SEVERITY_ORDER`. `sources` are source ids that also appear in the
    document's `sources`. `checklist_title` is filled only for a whole-case document's cumulative
    flags, to say which checklist raised it.
    """

    flag_id: str
    severity: Severity
    message: str
    action: str
    sources: Iterable[str] = ()
    raised_at: datetime | None = None
    response: FlagResponseLine | None = None
    checklist_title: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_ORDER:
            raise ValueError(f"Unknown flag severity {self.severity!r}; expected one of {SEVERITY_ORDER}.")
        _freeze(self, "sources")


@dataclass(frozen=True)
class AnswerLine:
    """One shown prompt and its answer.

    `answer_text` is already human readable ("Yes", "Ear, Neck", "3 March 2026"); an empty string
    prints as "Not answered". `how_known_label` is e.g. "Seen by me", "Reported by the mother" or
    "Professional judgement", or empty when not recorded.
    """

    prompt_id: str
    question: str
    answer_text: str
    note: str = ""
    how_known_label: str = ""
    sources: Iterable[str] = ()

    def __post_init__(self) -> None:
        _freeze(self, "sources")


@dataclass(frozen=True)
class SectionBlock:
    """One section of the checklist as the practitioner met it.

    A section that was not shown has `shown=False`, no answers, and `skipped_because` saying why
    (from the checklist file, e.g. "the child is independently mobile").
    """

    title: str
    shown: bool
    skipped_because: str = ""
    answers: Iterable[AnswerLine] = ()

    def __post_init__(self) -> None:
        _freeze(self, "answers")


@dataclass(frozen=True)
class SourceLine:
    """A piece of learning or guidance cited by a prompt or flag."""

    id: str
    title: str
    document: str = ""
    summary: str = ""


@dataclass(frozen=True)
class ReviewLine:
    """A supervisor's review: `decision` is human readable, e.g. "Agreed" or "Returned for more work"."""

    decision: str
    supervisor: str
    at: datetime
    comment: str = ""


@dataclass(frozen=True)
class RunDocument:
    """Everything a one-run PDF shows.

    `status` is human readable ("In progress", "Submitted", "Signed off"). `audit_fingerprint` is
    the hex digest at the head of the run's audit chain; the PDF prints a short prefix of it.
    `version` is the record version (1 for the first); `amends` describes what this version
    amends ("version 1, submitted 3 March 2026"), or None. `training` marks fictional data: every
    page then carries a watermark and banner.
    """

    case_reference: str
    child_name: str
    date_of_birth: date | None
    expected_delivery_date: date | None
    checklist_id: str
    checklist_title: str
    checklist_version: int
    practitioner_name: str
    practitioner_team: str
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    status: str
    flags: Iterable[FlagLine] = ()
    sections: Iterable[SectionBlock] = ()
    sources: Iterable[SourceLine] = ()
    reviews: Iterable[ReviewLine] = ()
    audit_fingerprint: str = ""
    version: int = 1
    amends: str | None = None
    training: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "flags", "sections", "sources", "reviews")


@dataclass(frozen=True)
class CaseDocument:
    """Everything a whole-case PDF shows: every run of one case, opening with all flags over time.

    `cumulative_flags` carry `checklist_title` and `raised_at`; the builder orders them by date,
    then severity. `runs` print in the order given (the services layer sorts them by start date).
    """

    case_reference: str
    child_name: str
    date_of_birth: date | None
    expected_delivery_date: date | None
    cumulative_flags: Iterable[FlagLine] = ()
    runs: Iterable[RunDocument] = ()
    training: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "cumulative_flags", "runs")
