"""What is known about the case itself: dates, mobility, plan and household.

`CaseFacts.names(today)` gives the `case.*` values that conditions read."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

RELATIONSHIPS = ("mother", "father", "partner", "male_carer", "sibling", "other_child", "grandparent", "other_adult")
MALE_CARERS = frozenset({"father", "partner", "male_carer"})
CHILDREN = frozenset({"sibling", "other_child"})
MOBILITY = ("not_rolling", "rolls", "crawls", "pulls_to_stand", "cruises", "walks")
NOT_INDEPENDENTLY_MOBILE = frozenset({"not_rolling", "rolls"})
PLANS = ("none", "early_help", "child_in_need", "child_protection", "looked_after")
PREGNANCY_DAYS = 280
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Each case.* name with what kind of value it holds: "bool", "number", or the allowed strings.
CASE_NAMES: Mapping[str, str | tuple[str, ...]] = {
    "unborn": "bool",
    "age_days": "number",
    "age_weeks": "number",
    "age_months": "number",
    "pregnancy_weeks": "number",
    "mobility": MOBILITY,
    "independently_mobile": "bool",
    "plan": PLANS,
    "male_carers": "number",
    "other_children": "number",
}


class CaseFactsError(ValueError):
    """Case facts that cannot be used, with a message saying which and why."""


def _check_choice(what: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise CaseFactsError(f"Unknown {what} {value!r}. Use one of: {', '.join(allowed)}.")


def _check_date(what: str, value: object) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise CaseFactsError(f"{what} must be a date, got {value!r}.")


@dataclass(frozen=True)
class HouseholdMember:
    """A person in the child's household or network."""

    id: str
    name: str
    relationship: str
    date_of_birth: dt.date | None = None
    lives_with_child: bool = True
    notes: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise CaseFactsError("A household member needs an id.")
        if not isinstance(self.name, str) or not self.name.strip():
            raise CaseFactsError(f"Household member '{self.id}' needs a name.")
        _check_choice("relationship", self.relationship, RELATIONSHIPS)
        _check_date("Date of birth", self.date_of_birth)


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@dataclass(frozen=True)
class CaseFacts:
    """Facts about the case that conditions can use (`case.*`)."""

    date_of_birth: dt.date | None = None
    expected_delivery_date: dt.date | None = None
    mobility: str | None = None
    plan: str = "none"
    household: tuple[HouseholdMember, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _check_date("Date of birth", self.date_of_birth)
        _check_date("Expected delivery date", self.expected_delivery_date)
        if self.mobility is not None:
            _check_choice("mobility", self.mobility, MOBILITY)
        _check_choice("plan", self.plan, PLANS)
        object.__setattr__(self, "household", tuple(self.household))
        ids = [member.id for member in self.household]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise CaseFactsError(f"Household member ids must be unique; repeated: {', '.join(duplicates)}.")

    def member(self, member_id: str) -> HouseholdMember | None:
        """The household member with this id, or None."""
        return next((m for m in self.household if m.id == member_id), None)

    def names(self, today: dt.date) -> dict[str, object]:
        """The `case.*` values on `today`; a value that is not known is None."""
        unborn = self.expected_delivery_date is not None and self.date_of_birth is None
        age_days = age_weeks = age_months = pregnancy_weeks = None
        if self.date_of_birth is not None:
            age_days = (today - self.date_of_birth).days
            age_weeks = age_days // 7
            age_months = _whole_months(self.date_of_birth, today)
        elif self.expected_delivery_date is not None:
            pregnancy_weeks = (PREGNANCY_DAYS - (self.expected_delivery_date - today).days) // 7
        mobile = None if self.mobility is None else self.mobility not in NOT_INDEPENDENTLY_MOBILE
        return {
            "unborn": unborn,
            "age_days": age_days,
            "age_weeks": age_weeks,
            "age_months": age_months,
            "pregnancy_weeks": pregnancy_weeks,
            "mobility": self.mobility,
            "independently_mobile": mobile,
            "plan": self.plan,
            "male_carers": sum(m.relationship in MALE_CARERS for m in self.household),
            "other_children": sum(m.relationship in CHILDREN for m in self.household),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> CaseFacts:
        """Build from plain JSON-like data (dates as YYYY-MM-DD); raises CaseFactsError on bad input."""
        if not isinstance(data, Mapping):
            raise CaseFactsError(f"Case facts must be an object, got {type(data).__name__}.")
        allowed = {"date_of_birth", "expected_delivery_date", "mobility", "plan", "household"}
        unknown = sorted(set(map(str, data)) - allowed)
        if unknown:
            raise CaseFactsError(f"Unknown case fact(s): {', '.join(unknown)}. Known: {', '.join(sorted(allowed))}.")
        household = data.get("household") or []
        if not isinstance(household, list):
            raise CaseFactsError("household must be a list of people.")
        return cls(
            date_of_birth=parse_date("date_of_birth", data.get("date_of_birth")),
            expected_delivery_date=parse_date("expected_delivery_date", data.get("expected_delivery_date")),
            mobility=data.get("mobility"),
            plan=data.get("plan") or "none",
            household=tuple(_member_from_dict(i, m) for i, m in enumerate(household)),
        )


def iso_date(value: str) -> dt.date | None:
    """A strict YYYY-MM-DD string as a date, or None when it is not one."""
    text = value.strip()
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_date(what: str, value: object) -> dt.date | None:
    """A YYYY-MM-DD string (or date, or None) as a date; raises CaseFactsError otherwise."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    parsed = iso_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise CaseFactsError(f"{what} must be a date written YYYY-MM-DD, e.g. 2026-01-31 — got {value!r}.")
    return parsed


def _member_from_dict(index: int, data: object) -> HouseholdMember:
    if not isinstance(data, Mapping):
        raise CaseFactsError(f"household[{index}] must be an object with id, name and relationship.")
    allowed = {"id", "name", "relationship", "date_of_birth", "lives_with_child", "notes"}
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise CaseFactsError(f"household[{index}]: unknown field(s) {', '.join(unknown)}. Known: {', '.join(sorted(allowed))}.")
    lives = data.get("lives_with_child", True)
    if not isinstance(lives, bool):
        raise CaseFactsError(f"household[{index}].lives_with_child must be true or false.")
    return HouseholdMember(
        id=str(data.get("id") or ""),
        name=str(data.get("name") or ""),
        relationship=data.get("relationship"),
        date_of_birth=parse_date(f"household[{index}].date_of_birth", data.get("date_of_birth")),
        lives_with_child=lives,
        notes=str(data.get("notes") or ""),
    )
