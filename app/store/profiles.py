"""Practitioner profiles: name (unique), role and team."""
from __future__ import annotations

import sqlite3
from typing import Any

from app.store import audit, validate
from app.store.errors import InvalidRecord, NotFound

_FIELDS = ("name", "role", "team")
_COLUMNS = "id, name, role, team, created_at, updated_at"


def _as_dict(row: tuple | None) -> dict[str, Any] | None:
    return None if row is None else dict(zip(_COLUMNS.split(", "), row))


def get(conn: sqlite3.Connection, key: int | str) -> dict[str, Any] | None:
    """A profile by id or by exact name, or None."""
    if isinstance(key, int) and not isinstance(key, bool):
        row = conn.execute(f"SELECT {_COLUMNS} FROM profiles WHERE id = ?", (key,)).fetchone()
    else:
        row = conn.execute(f"SELECT {_COLUMNS} FROM profiles WHERE name = ?", (validate.text("Name", key),)).fetchone()
    return _as_dict(row)


def list_all(conn: sqlite3.Connection, team: str | None = None) -> list[dict[str, Any]]:
    """Every profile (optionally of one team), by name."""
    if team is None:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM profiles ORDER BY name")
    else:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM profiles WHERE team = ? ORDER BY name", (team,))
    return [_as_dict(row) for row in cursor]


def save(conn: sqlite3.Connection, data: dict[str, Any], by: str, now: str) -> dict[str, Any]:
    """Create a profile, or update it when `data` has an `id`; returns the stored profile."""
    validate.known_keys("Profile", data, ("id",) + _FIELDS)
    fields = {
        "name": validate.text("Name", data.get("name"), max_length=200),
        "role": validate.choice("Role", data.get("role"), validate.ROLES),
        "team": validate.text("Team", data.get("team", ""), required=False, max_length=200),
    }
    clash = conn.execute("SELECT id FROM profiles WHERE name = ?", (fields["name"],)).fetchone()
    profile_id = data.get("id")
    if profile_id is None:
        if clash:
            raise InvalidRecord(f"There is already a profile called {fields['name']!r}.")
        cursor = conn.execute(
            "INSERT INTO profiles (name, role, team, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (fields["name"], fields["role"], fields["team"], now, now),
        )
        profile_id = cursor.lastrowid
        audit.append(conn, now, [audit.Change(by, "profile", str(profile_id), "created", None, fields)])
        return get(conn, profile_id)
    old = get(conn, validate.record_id("Profile id", profile_id))
    if old is None:
        raise NotFound(f"There is no profile with id {profile_id}.")
    if clash and clash[0] != profile_id:
        raise InvalidRecord(f"There is already a profile called {fields['name']!r}.")
    changes = [audit.Change(by, "profile", str(profile_id), key, old[key], value)
               for key, value in fields.items() if old[key] != value]
    if changes:
        conn.execute(
            "UPDATE profiles SET name = ?, role = ?, team = ?, updated_at = ? WHERE id = ?",
            (fields["name"], fields["role"], fields["team"], now, profile_id),
        )
        audit.append(conn, now, changes)
    return get(conn, profile_id)
