"""Checks on input before it reaches SQL, each failing with an InvalidRecord naming the field."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.store.errors import InvalidRecord

ROLES = ("practitioner", "supervisor", "trainer")
RELATIONSHIPS = ("mother", "father", "partner", "male_carer", "sibling", "other_child", "grandparent", "other_adult")
MOBILITY = ("not_rolling", "rolls", "crawls", "pulls_to_stand", "cruises", "walks")
PLANS = ("none", "early_help", "child_in_need", "child_protection", "looked_after")
STATUSES = ("draft", "submitted", "returned", "signed_off")
HOW_KNOWN = ("seen", "reported", "judgement")
SEVERITIES = ("urgent", "act", "consider", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
DECISIONS = ("signed_off", "returned", "comment")


def text(what: str, value: Any, required: bool = True, max_length: int = 20000) -> str:
    """A string (stripped of surrounding spaces); empty allowed only when not required."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{what} must be text, not {type(value).__name__}.")
    value = value.strip()
    if required and not value:
        raise InvalidRecord(f"{what} is needed.")
    if len(value) > max_length:
        raise InvalidRecord(f"{what} is too long ({len(value)} characters; the limit is {max_length}).")
    return value


def choice(what: str, value: Any, allowed: Iterable[str], optional: bool = False) -> str | None:
    """One of `allowed` (or None when optional)."""
    allowed = tuple(allowed)
    if value is None and optional:
        return None
    if value not in allowed:
        raise InvalidRecord(f"{what} {value!r} is not one of: {', '.join(allowed)}.")
    return value


def date(what: str, value: Any, optional: bool = True) -> str | None:
    """An ISO date string 'YYYY-MM-DD' from a date or string (None when optional and missing)."""
    if value in (None, "") and optional:
        return None
    if isinstance(value, dt.datetime):
        raise InvalidRecord(f"{what} must be a date without a time, got {value!r}.")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidRecord(f"{what} must be a date written as YYYY-MM-DD, got {value!r}.")


def record_id(what: str, value: Any) -> int:
    """A positive whole-number id."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRecord(f"{what} must be a positive whole number, got {value!r}.")
    return value


def json_value(what: str, value: Any) -> str:
    """An answer value as JSON text; only str, int, float, bool and lists of those are stored."""
    def ok(item: Any) -> bool:
        return isinstance(item, (str, int, float, bool))

    if value is None:
        raise InvalidRecord(f"{what}: an answer needs a value; use clear_answer to remove one.")
    if not (ok(value) or (isinstance(value, list) and all(ok(v) for v in value))):
        raise InvalidRecord(
            f"{what}: an answer must be text, a number, yes/no or a list of those, not {type(value).__name__}."
        )
    if isinstance(value, float) and value != value:
        raise InvalidRecord(f"{what}: an answer cannot be 'not a number'.")
    return json.dumps(value, ensure_ascii=False)


def known_keys(what: str, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse keys the record does not have, so a misspelt field is not silently dropped."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InvalidRecord(f"{what} has unknown field(s): {', '.join(unknown)}.")
