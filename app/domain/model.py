"""The checklist model: what a practitioner is asked and which flags can be raised.

Objects here are immutable and built by `app.domain.definition.build_checklist` from the plain
dict a checklist file holds (kept as `Checklist.snapshot`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.domain.conditions import Condition


class Severity(StrEnum):
    """How soon a flag needs acting on."""

    URGENT = "urgent"
    ACT = "act"
    CONSIDER = "consider"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return _SEVERITY_ORDER.index(self)

    @property
    def label(self) -> str:
        """Plain words shown beside the flag."""
        return _SEVERITY_LABELS[self]


_SEVERITY_ORDER = (Severity.URGENT, Severity.ACT, Severity.CONSIDER, Severity.INFO)
_SEVERITY_LABELS = {
    Severity.URGENT: "Urgent: act today",
    Severity.ACT: "Act: take this action as part of your plan",
    Severity.CONSIDER: "Consider: weigh this up and record your decision",
    Severity.INFO: "For information",
}


class AnswerType(StrEnum):
    """The kind of answer a prompt takes."""

    YES_NO_UNKNOWN = "yes_no_unknown"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    DATE = "date"
    NUMBER = "number"
    TEXT = "text"
    PERSON = "person"

    @property
    def has_options(self) -> bool:
        """True for the types that take `options`."""
        return self in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE)


YES_NO_UNKNOWN = ("yes", "no", "unknown")


class HowKnown(StrEnum):
    """How the practitioner knows the answer."""

    SEEN = "seen"
    REPORTED = "reported"
    JUDGEMENT = "judgement"

    @property
    def label(self) -> str:
        """Plain words for the choice."""
        return {"seen": "Seen by me", "reported": "Reported to me", "judgement": "Professional judgement"}[self.value]


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice prompt."""

    value: str
    label: str


@dataclass(frozen=True)
class Prompt:
    """One question on a checklist."""

    id: str
    ask: str
    why: str
    type: AnswerType
    options: tuple[Option, ...] = ()
    required: bool = False
    when_text: str | None = None
    sources: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    roles: tuple[str, ...] = ()
    when: Condition | None = field(default=None, repr=False, compare=False)

    def option_values(self) -> tuple[str, ...]:
        """The stored values this prompt accepts, for the types with fixed values."""
        if self.type is AnswerType.YES_NO_UNKNOWN:
            return YES_NO_UNKNOWN
        return tuple(o.value for o in self.options)

    def option_label(self, value: str) -> str:
        """The label shown for a stored value (the value itself if unknown)."""
        if self.type is AnswerType.YES_NO_UNKNOWN:
            return {"yes": "Yes", "no": "No", "unknown": "Not known"}.get(value, value)
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True)
class Section:
    """A step of the checklist: a titled group of prompts, optionally shown only when a condition holds."""

    id: str
    title: str
    prompts: tuple[Prompt, ...]
    intro: str | None = None
    when_text: str | None = None
    skipped_because: str | None = None
    when: Condition | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class FlagRule:
    """A flag the checklist raises when its condition holds."""

    id: str
    severity: Severity
    when_text: str
    message: str
    action: str
    sources: tuple[str, ...]
    when: Condition | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Checklist:
    """A whole checklist. `snapshot` is the plain dict it was built from."""

    id: str
    version: int
    title: str
    purpose: str
    audience: tuple[str, ...]
    subject: str
    sections: tuple[Section, ...]
    flags: tuple[FlagRule, ...]
    snapshot: dict[str, Any] = field(repr=False, compare=False, hash=False)
    _index: dict[str, Prompt] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {p.id: p for s in self.sections for p in s.prompts})

    def prompt(self, prompt_id: str) -> Prompt:
        """The prompt with this id; raises KeyError naming the checklist if there is none."""
        try:
            return self._index[prompt_id]
        except KeyError:
            raise KeyError(f"Checklist '{self.id}' has no prompt '{prompt_id}'.") from None

    def prompts(self) -> list[Prompt]:
        """Every prompt, in order."""
        return list(self._index.values())

    def has_prompt(self, prompt_id: str) -> bool:
        """True if the checklist has a prompt with this id."""
        return prompt_id in self._index

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Checklist:
        """Rebuild a checklist from its snapshot, checking it again; raises CatalogError if it is not valid."""
        from app.domain.definition import build_checklist
        from app.domain.errors import CatalogError

        checklist, issues = build_checklist(data)
        if checklist is None:
            name = data.get("id") if isinstance(data, dict) else None
            lines = "; ".join(issue.message for issue in issues[:5])
            more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
            raise CatalogError(f"Stored checklist {name or '(no id)'!s} is not valid: {lines}{more}")
        return checklist
