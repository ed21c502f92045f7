"""Signs that a checklist run was rushed, read from when and how each prompt was answered.

A ticked box is not a done task. A supervisor reviewing a run sees these signs beside the answers:

- many answers given seconds apart (faster than anyone could read the prompt, let alone check the red
  book or speak to a parent);
- the same answer to every yes/no question;
- required free text of only a few characters, where the checklist asks for a description.

The analysis is pure: it takes plain rows `(prompt_id, answered_at, value, required, type)` and returns
the signs found, each naming the prompts concerned. A sign is a prompt for a supervision conversation,
never a finding that the work was not done. Nothing here ever copies answer text into a sign.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

QUICK = "quick"
SAME = "same"
SHORT_TEXT = "short_text"

_CHOICE_WORDS = {"yes": "Yes", "no": "No", "unknown": "Not known"}


class TimedAnswer(NamedTuple):
    """One answered prompt: when it was first answered, its stored value and what the checklist asks for."""

    prompt_id: str
    answered_at: dt.datetime | str
    value: Any
    required: bool
    type: str


@dataclass(frozen=True)
class RushedThresholds:
    """When a pattern counts as a sign. The defaults are deliberately cautious: a careful practitioner
    who recorded the visit afterwards from good notes can still answer a yes/no question in 5 seconds,
    so a sign needs many quick answers, not one or two."""

    quick_seconds: float = 5.0   # an answer this soon after the one before counts as quick
    quick_min: int = 6           # at least this many quick answers ...
    quick_share: float = 0.5     # ... and at least this share of the gaps between answers
    same_min: int = 5            # at least this many yes/no answers, all the same
    short_text_chars: int = 12   # required free text shorter than this (after trimming) is "a few characters"


@dataclass(frozen=True)
class RushedSign:
    """One sign: `kind` (quick, same, short_text), a plain-words `message`, and the prompts it concerns."""

    kind: str
    message: str
    prompt_ids: tuple[str, ...]


def _when(value: dt.datetime | str) -> dt.datetime:
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.timezone.utc)


def duration_words(seconds: float) -> str:
    """'45 seconds', '1 minute 10 seconds', '2 hours 5 minutes'."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)

    def unit(n: int, name: str) -> str:
        return f"{n} {name}{'' if n == 1 else 's'}"

    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    if minutes:
        return unit(minutes, "minute") + (f" {unit(secs, 'second')}" if secs else "")
    return unit(secs, "second")


def _quick(rows: Sequence[TimedAnswer], limits: RushedThresholds) -> RushedSign | None:
    ordered = sorted(rows, key=lambda r: _when(r.answered_at))
    if len(ordered) < 2:
        return None
    quick_ids = []
    for before, after in zip(ordered, ordered[1:]):
        gap = (_when(after.answered_at) - _when(before.answered_at)).total_seconds()
        if gap < limits.quick_seconds:
            quick_ids.append(after.prompt_id)
    gaps = len(ordered) - 1
    if len(quick_ids) < limits.quick_min or len(quick_ids) < limits.quick_share * gaps:
        return None
    span = (_when(ordered[-1].answered_at) - _when(ordered[0].answered_at)).total_seconds()
    return RushedSign(
        QUICK,
        f"{len(quick_ids)} of {len(ordered)} answers were given less than {limits.quick_seconds:g} seconds after "
        f"the one before. All {len(ordered)} answers were recorded within {duration_words(span)}.",
        tuple(quick_ids),
    )


def _same(rows: Sequence[TimedAnswer], limits: RushedThresholds) -> RushedSign | None:
    yes_no = [r for r in rows if str(r.type) == "yes_no_unknown" and isinstance(r.value, str)]
    if len(yes_no) < limits.same_min:
        return None
    values = {r.value for r in yes_no}
    if len(values) != 1:
        return None
    value = values.pop()
    return RushedSign(
        SAME,
        f"Every one of the {len(yes_no)} yes/no questions was answered '{_CHOICE_WORDS.get(value, value)}'.",
        tuple(r.prompt_id for r in yes_no),
    )


def _short_text(rows: Sequence[TimedAnswer], limits: RushedThresholds) -> RushedSign | None:
    short = [r for r in rows if r.required and str(r.type) == "text"
             and len(str(r.value or "").strip()) < limits.short_text_chars]
    if not short:
        return None
    lengths = ", ".join(str(len(str(r.value or "").strip())) for r in short)
    if len(short) == 1:
        message = (f"A required description is only {lengths} character{'s' if lengths != '1' else ''} long. "
                   "Check it says what was seen or done.")
    else:
        message = (f"{len(short)} required descriptions are only a few characters long ({lengths} characters). "
                   "Check they say what was seen or done.")
    return RushedSign(SHORT_TEXT, message, tuple(r.prompt_id for r in short))


def rushed_signs(rows: Iterable[TimedAnswer | tuple], thresholds: RushedThresholds | None = None) -> list[RushedSign]:
    """The signs of a rushed run in `rows` (answered prompts only), in the order quick, same, short text.
    An empty list means none of the patterns was found."""
    limits = thresholds or RushedThresholds()
    answered = [TimedAnswer(*row) for row in rows]
    answered = [r for r in answered if r.value is not None]
    found = (_quick(answered, limits), _same(answered, limits), _short_text(answered, limits))
    return [sign for sign in found if sign is not None]
