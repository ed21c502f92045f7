"""Timestamps for records: UTC, ISO 8601 with microseconds, so text order is time order."""
from __future__ import annotations

import datetime as dt


def utc_now() -> str:
    """Now, as '2026-05-09T07:35:25.123456+00:00'."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def as_timestamp(value: str | dt.datetime | dt.date) -> str:
    """A datetime/date/ISO string as the stored timestamp text (naive values are taken as UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
