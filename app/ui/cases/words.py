"""How stored values read on screen: plans, mobility, relationships, run statuses, dates and times.

Stored values are short codes and UTC timestamps; people read plain words and their local time.
"""
from __future__ import annotations

import datetime as dt

PLAN_LABELS: dict[str, str] = {
    "none": "No plan",
    "early_help": "Early help",
    "child_in_need": "Child in need plan",
    "child_protection": "Child protection plan",
    "looked_after": "Looked after child",
}

MOBILITY_LABELS: dict[str, str] = {
    "not_rolling": "Not yet rolling",
    "rolls": "Rolls over only",
    "crawls": "Crawls or bottom-shuffles",
    "pulls_to_stand": "Pulls to stand",
    "cruises": "Cruises along furniture",
    "walks": "Walks",
}

RELATIONSHIP_LABELS: dict[str, str] = {
    "mother": "Mother",
    "father": "Father",
    "partner": "Mother's partner",
    "male_carer": "Other male carer",
    "sibling": "Brother or sister",
    "other_child": "Other child in the home",
    "grandparent": "Grandparent",
    "other_adult": "Other adult",
}

STATUS_LABELS: dict[str, str] = {
    "draft": "In progress",
    "submitted": "With supervisor",
    "returned": "Returned to you",
    "signed_off": "Signed off",
}

ROLE_LABELS: dict[str, str] = {
    "practitioner": "Practitioner",
    "supervisor": "Supervisor",
    "trainer": "Trainer",
}


def label(mapping: dict[str, str], value: str | None, empty: str = "Not recorded") -> str:
    """The words for a stored code (the code itself if it is not known)."""
    if value in (None, ""):
        return empty
    return mapping.get(str(value), str(value).replace("_", " ").capitalize())


def parse_date(value: object) -> dt.date | None:
    """A stored ISO date (or date-time) as a date, or None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: object, empty: str = "") -> str:
    """'5 Mar 2026' for a stored date; `empty` when there is none."""
    day = parse_date(value)
    if day is None:
        return empty
    return f"{day.day} {day.strftime('%b %Y')}"


def local_time(value: object) -> dt.datetime | None:
    """A stored UTC timestamp in this computer's time zone, or None."""
    if value in (None, ""):
        return None
    try:
        stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone()


def format_time(value: object, empty: str = "") -> str:
    """'5 Mar 2026, 14:05' in local time for a stored timestamp."""
    stamp = local_time(value)
    if stamp is None:
        return empty
    return f"{stamp.day} {stamp.strftime('%b %Y, %H:%M')}"


def age_text(date_of_birth: object, expected_delivery_date: object, today: dt.date | None = None) -> str:
    """'7 weeks old', '1 year 2 months old', or 'Unborn: due 5 Mar 2026'."""
    today = today or dt.date.today()
    born = parse_date(date_of_birth)
    if born is None:
        due = parse_date(expected_delivery_date)
        return f"Unborn: due {format_date(due)}" if due else "Date of birth not recorded"
    days = (today - born).days
    if days < 0:
        return f"Born {format_date(born)}"
    if days < 7 * 13:
        weeks = days // 7
        return "Under a week old" if weeks == 0 else f"{weeks} week{'s' if weeks != 1 else ''} old"
    months = (today.year - born.year) * 12 + today.month - born.month - (1 if today.day < born.day else 0)
    if months < 24:
        return f"{months} months old"
    years, rest = divmod(months, 12)
    extra = f" {rest} month{'s' if rest != 1 else ''}" if rest else ""
    return f"{years} years{extra} old"
