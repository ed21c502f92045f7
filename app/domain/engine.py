"""Evaluating a checklist: which sections and prompts show, which flags are raised, what is missing.

`evaluate` is pure and quick: conditions were parsed when the checklist was built."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.case_facts import CaseFacts, iso_date
from app.domain.model import AnswerType, Checklist, FlagRule, HowKnown, Prompt, Section, Severity
from app.domain.settings import Settings


class AnswerError(ValueError):
    """An answer that does not fit its prompt; the message says what was expected."""


@dataclass(frozen=True)
class Answer:
    """A stored answer: its value plus how the practitioner knows it."""

    value: object
    note: str = ""
    how_known: HowKnown | None = None
    reported_by: str = ""


@dataclass(frozen=True)
class SectionState:
    """Whether a section is shown, and if not, why."""

    section: Section
    shown: bool
    skipped_because: str | None = None


@dataclass(frozen=True)
class RaisedFlag:
    """A flag whose condition holds, with its message and action ready to show."""

    rule: FlagRule
    message: str
    action: str

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def sources(self) -> tuple[str, ...]:
        return self.rule.sources


@dataclass(frozen=True)
class Evaluation:
    """The state of a checklist for a set of answers."""

    sections: list[SectionState]
    visible_prompts: list[Prompt]
    flags: list[RaisedFlag]
    missing_required: list[Prompt]
    hidden_answered: list[Prompt] = field(default_factory=list)

    def is_visible(self, prompt_id: str) -> bool:
        """True if the prompt with this id is shown."""
        return any(p.id == prompt_id for p in self.visible_prompts)


def _value(answer: object) -> object:
    value = answer.value if isinstance(answer, Answer) else answer
    if value is None or value == "" or value == [] or value == ():
        return None
    return value


def evaluate(checklist: Checklist, answers: Mapping[str, object], facts: CaseFacts,
             settings: Settings, today: dt.date) -> Evaluation:
    """Work out what shows and which flags are raised. `answers` maps prompt ids to stored values or
    `Answer`s; answers to hidden prompts are ignored, and ids the checklist does not have are ignored."""
    case = facts.names(today)
    relationships = {m.id: m.relationship for m in facts.household}
    known: dict[str, object] = {}
    states: list[SectionState] = []
    visible: list[Prompt] = []
    missing: list[Prompt] = []
    hidden: list[Prompt] = []
    for section in checklist.sections:
        shown = section.when is None or section.when.holds(known, case, settings)
        states.append(SectionState(section, shown, None if shown else section.skipped_because))
        for prompt in section.prompts:
            value = _value(answers.get(prompt.id))
            if not shown or (prompt.when is not None and not prompt.when.holds(known, case, settings)):
                if value is not None:
                    hidden.append(prompt)
                continue
            visible.append(prompt)
            if value is None:
                if prompt.required:
                    missing.append(prompt)
                continue
            if prompt.type is AnswerType.PERSON:
                value = relationships.get(value)
                if value is None:
                    continue
            known[prompt.id] = value
    raised = [RaisedFlag(rule, settings.format(rule.message), settings.format(rule.action))
              for rule in checklist.flags if rule.when is not None and rule.when.holds(known, case, settings)]
    raised.sort(key=lambda flag: flag.rule.severity.rank)
    return Evaluation(states, visible, raised, missing, hidden)


# ---------------------------------------------------------------- turning input into stored values


def _shown(raw: object) -> str:
    return repr(raw) if isinstance(raw, str) else str(raw)


def coerce_answer(prompt: Prompt, raw: object, facts: CaseFacts | None = None) -> object:
    """Turn user or JSON input into the value stored for `prompt`; raises AnswerError if it does not fit."""
    if isinstance(raw, Answer):
        raw = raw.value
    if raw is None:
        raise AnswerError(f"No answer given for '{prompt.id}'. Leave the question unanswered instead.")
    match prompt.type:
        case AnswerType.YES_NO_UNKNOWN | AnswerType.SINGLE_CHOICE:
            return _choice(prompt, raw)
        case AnswerType.MULTI_CHOICE:
            return _multi(prompt, raw)
        case AnswerType.DATE:
            return _date(raw)
        case AnswerType.NUMBER:
            return _number(prompt, raw)
        case AnswerType.TEXT:
            if not isinstance(raw, str):
                raise AnswerError(f"Expected some text — got {_shown(raw)}.")
            if not raw.strip():
                raise AnswerError("The answer is empty. Write what you found, or leave the question unanswered.")
            return raw.strip()
        case AnswerType.PERSON:
            return _person(prompt, raw, facts)
    raise AnswerError(f"Prompt '{prompt.id}' has an unknown answer type.")


def _choice(prompt: Prompt, raw: object) -> str:
    values = prompt.option_values()
    if prompt.type is AnswerType.YES_NO_UNKNOWN and isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, str):
        text = raw.strip()
        for value in values:
            if text.lower() == value.lower():
                return value
        for option in prompt.options:
            if text.lower() == option.label.lower():
                return option.value
    raise AnswerError(f"Expected one of: {', '.join(values)} — got {_shown(raw)}.")


def _multi(prompt: Prompt, raw: object) -> list[str]:
    values = prompt.option_values()
    if not isinstance(raw, (list, tuple)):
        raise AnswerError(f"Expected a list of options chosen from: {', '.join(values)} — got {_shown(raw)}.")
    chosen = []
    for item in raw:
        if not isinstance(item, str) or item.strip() not in values:
            raise AnswerError(f"Expected options chosen from: {', '.join(values)} — got {_shown(item)}.")
        chosen.append(item.strip())
    if not chosen:
        raise AnswerError("No options chosen. Choose at least one, or leave the question unanswered.")
    return sorted(set(chosen), key=values.index)


def _date(raw: object) -> str:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw.isoformat()
    parsed = iso_date(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise AnswerError(f"Expected a date written YYYY-MM-DD, e.g. 2026-01-31 — got {_shown(raw)}.")
    return parsed.isoformat()


def _number(prompt: Prompt, raw: object) -> int | float:
    value: object = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AnswerError(f"Expected a number — got {_shown(raw)}.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = f" {prompt.unit}" if prompt.unit else ""
    if prompt.min is not None and value < prompt.min:
        raise AnswerError(f"The answer must be at least {prompt.min:g}{unit} — got {value:g}.")
    if prompt.max is not None and value > prompt.max:
        raise AnswerError(f"The answer must be at most {prompt.max:g}{unit} — got {value:g}.")
    return value


def _person(prompt: Prompt, raw: object, facts: CaseFacts | None) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise AnswerError(f"Expected the id of someone in the household — got {_shown(raw)}.")
    member_id = raw.strip()
    if facts is None:
        return member_id
    member = facts.member(member_id)
    if member is None:
        known = ", ".join(f"{m.id} ({m.name})" for m in facts.household) or "nobody is recorded yet"
        raise AnswerError(f"'{member_id}' is not in this case's household. Household: {known}.")
    if prompt.roles and member.relationship not in prompt.roles:
        raise AnswerError(f"{member.name} is recorded as {member.relationship.replace('_', ' ')}; this question "
                          f"asks about: {', '.join(r.replace('_', ' ') for r in prompt.roles)}.")
    return member_id
