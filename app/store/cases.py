"""Cases: the child (or unborn baby), the plan, the household and the agencies involved."""
from __future__ import annotations

import re
import sqlite3
from typing import Any

from app.store import audit, validate
from app.store.errors import DuplicateCase, InvalidRecord, NotFound

FIELDS = ("reference", "child_name", "date_of_birth", "expected_delivery_date", "mobility", "plan")
MEMBER_FIELDS = ("id", "name", "relationship", "date_of_birth", "lives_with_child", "notes")
AGENCY_FIELDS = ("name", "role", "contact")
_COLUMNS = ("id",) + FIELDS + ("created_at", "updated_at")
ORDERABLE = {"reference", "child_name", "created_at", "updated_at", "date_of_birth", "id"}
_ORDER = re.compile(r"^\s*(\w+)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


def _fields(data: dict[str, Any], partial: bool) -> dict[str, Any]:
    checks = {
        "reference": lambda v: validate.text("Case reference", v, max_length=100),
        "child_name": lambda v: validate.text("Child's name or initials", v, max_length=200),
        "date_of_birth": lambda v: validate.date("Date of birth", v),
        "expected_delivery_date": lambda v: validate.date("Expected delivery date", v),
        "mobility": lambda v: validate.choice("Mobility", v or None, validate.MOBILITY, optional=True),
        "plan": lambda v: validate.choice("Plan", v or "none", validate.PLANS),
    }
    keys = [k for k in FIELDS if k in data] if partial else list(FIELDS)
    return {key: checks[key](data.get(key)) for key in keys}


def _household(members: Any) -> list[dict[str, Any]]:
    if not isinstance(members, list):
        raise InvalidRecord("Household must be a list of people.")
    result: list[dict[str, Any]] = []
    used: set[str] = set()
    for number, member in enumerate(members, start=1):
        if not isinstance(member, dict):
            raise InvalidRecord(f"Household person {number} must be a set of fields, not {type(member).__name__}.")
        validate.known_keys(f"Household person {number}", member, MEMBER_FIELDS)
        lives = member.get("lives_with_child", True)
        if not isinstance(lives, bool):
            raise InvalidRecord(f"Household person {number}: 'lives with child' must be yes or no.")
        clean = {
            "id": validate.text(f"Household person {number} id", member["id"], max_length=40) if member.get("id") else "",
            "name": validate.text(f"Household person {number} name", member.get("name"), max_length=200),
            "relationship": validate.choice(f"Household person {number} relationship",
                                            member.get("relationship"), validate.RELATIONSHIPS),
            "date_of_birth": validate.date(f"Household person {number} date of birth", member.get("date_of_birth")),
            "lives_with_child": lives,
            "notes": validate.text(f"Household person {number} notes", member.get("notes", ""), required=False),
        }
        if clean["id"] and clean["id"] in used:
            raise InvalidRecord(f"Household person {number} repeats the id {clean['id']!r}.")
        used.add(clean["id"])
        result.append(clean)
    # New people get the next free id 'm<n>' so person answers can refer to them stably.
    taken = {m["id"] for m in result}
    counter = 1
    for member in result:
        if not member["id"]:
            while f"m{counter}" in taken:
                counter += 1
            member["id"] = f"m{counter}"
            taken.add(member["id"])
    return result


def _agencies(agencies: Any) -> list[dict[str, str]]:
    if not isinstance(agencies, list):
        raise InvalidRecord("Agencies must be a list.")
    result = []
    for number, agency in enumerate(agencies, start=1):
        if not isinstance(agency, dict):
            raise InvalidRecord(f"Agency {number} must be a set of fields, not {type(agency).__name__}.")
        validate.known_keys(f"Agency {number}", agency, AGENCY_FIELDS)
        result.append({
            "name": validate.text(f"Agency {number} name", agency.get("name"), max_length=200),
            "role": validate.text(f"Agency {number} role", agency.get("role", ""), required=False, max_length=200),
            "contact": validate.text(f"Agency {number} contact", agency.get("contact", ""), required=False, max_length=500),
        })
    return result


def _write_household(conn: sqlite3.Connection, case_id: int, members: list[dict[str, Any]]) -> None:
    conn.execute("DELETE FROM household_members WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO household_members (case_id, id, position, name, relationship, date_of_birth, "
        "lives_with_child, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(case_id, m["id"], i, m["name"], m["relationship"], m["date_of_birth"], int(m["lives_with_child"]),
          m["notes"]) for i, m in enumerate(members)],
    )


def _write_agencies(conn: sqlite3.Connection, case_id: int, agencies: list[dict[str, str]]) -> None:
    conn.execute("DELETE FROM agencies WHERE case_id = ?", (case_id,))
    conn.executemany(
        "INSERT INTO agencies (case_id, position, name, role, contact) VALUES (?, ?, ?, ?, ?)",
        [(case_id, i, a["name"], a["role"], a["contact"]) for i, a in enumerate(agencies)],
    )


def _check_reference(conn: sqlite3.Connection, reference: str, case_id: int | None) -> None:
    found = conn.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
    if found and found[0] != case_id:
        raise DuplicateCase(f"The case reference {reference!r} is already used by another case.")


def create(conn: sqlite3.Connection, data: dict[str, Any], by: str, now: str) -> int:
    """Insert a case with its household and agencies; returns the new case id."""
    validate.known_keys("Case", data, FIELDS + ("household", "agencies"))
    fields = _fields(data, partial=False)
    members = _household(data.get("household", []))
    agencies = _agencies(data.get("agencies", []))
    _check_reference(conn, fields["reference"], None)
    cursor = conn.execute(
        f"INSERT INTO cases ({', '.join(FIELDS)}, created_at, updated_at) VALUES ({', '.join('?' * len(FIELDS))}, ?, ?)",
        (*fields.values(), now, now),
    )
    case_id = int(cursor.lastrowid)
    _write_household(conn, case_id, members)
    _write_agencies(conn, case_id, agencies)
    record = dict(fields, household=members, agencies=agencies)
    audit.append(conn, now, [audit.Change(by, "case", str(case_id), "created", None, record)])
    return case_id


def update(conn: sqlite3.Connection, case_id: int, data: dict[str, Any], by: str, now: str) -> bool:
    """Change the fields given in `data` (household/agencies are replaced whole); True if anything changed."""
    validate.known_keys("Case", data, FIELDS + ("household", "agencies"))
    old = get(conn, case_id)
    fields = _fields(data, partial=True)
    if "reference" in fields:
        _check_reference(conn, fields["reference"], case_id)
    changes = [audit.Change(by, "case", str(case_id), k, old[k], v) for k, v in fields.items() if old[k] != v]
    if "household" in data:
        members = _household(data["household"])
        if members != old["household"]:
            _write_household(conn, case_id, members)
            changes.append(audit.Change(by, "case", str(case_id), "household", old["household"], members))
    if "agencies" in data:
        agencies = _agencies(data["agencies"])
        if agencies != old["agencies"]:
            _write_agencies(conn, case_id, agencies)
            changes.append(audit.Change(by, "case", str(case_id), "agencies", old["agencies"], agencies))
    if not changes:
        return False
    changed = {k: v for k, v in fields.items() if old[k] != v}
    sets = "".join(f"{k} = ?, " for k in changed)
    conn.execute(f"UPDATE cases SET {sets}updated_at = ? WHERE id = ?", (*changed.values(), now, case_id))
    audit.append(conn, now, changes)
    return True


def get(conn: sqlite3.Connection, case_id: int) -> dict[str, Any]:
    """A case with `household` (list of people) and `agencies`; NotFound if there is none."""
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case with id {case_id}.")
    case = dict(zip(_COLUMNS, row))
    case["household"] = [
        {"id": i, "name": n, "relationship": r, "date_of_birth": d, "lives_with_child": bool(lw), "notes": nt}
        for i, n, r, d, lw, nt in conn.execute(
            "SELECT id, name, relationship, date_of_birth, lives_with_child, notes FROM household_members "
            "WHERE case_id = ? ORDER BY position", (case_id,))
    ]
    case["agencies"] = [
        {"name": n, "role": r, "contact": c}
        for n, r, c in conn.execute(
            "SELECT name, role, contact FROM agencies WHERE case_id = ? ORDER BY position", (case_id,))
    ]
    return case


def order_clause(order_by: str, allowed: set[str], prefix: str = "") -> str:
    """'column [asc|desc]' checked against `allowed`, with id as the tie-breaker."""
    match = _ORDER.match(order_by or "")
    if not match or match.group(1).lower() not in allowed:
        raise InvalidRecord(f"Cannot sort by {order_by!r}. Use one of: {', '.join(sorted(allowed))} (asc or desc).")
    column, direction = match.group(1).lower(), (match.group(2) or "asc").upper()
    return f"{prefix}{column} {direction}, {prefix}id {direction}"


def _search(search: str | None) -> tuple[str, list[Any]]:
    if search is None or not search.strip():
        return "", []
    escaped = search.strip().casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    needle = f"%{escaped}%"
    return (" WHERE spc_fold(reference) LIKE ? ESCAPE '\\' OR spc_fold(child_name) LIKE ? ESCAPE '\\'",
            [needle, needle])


def list_cases(conn: sqlite3.Connection, search: str | None, order_by: str, limit: int, offset: int) -> list[dict]:
    """A page of cases (without household/agencies), matching `search` in reference or name."""
    where, params = _search(search)
    cursor = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM cases{where} ORDER BY {order_clause(order_by, ORDERABLE)} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [dict(zip(_COLUMNS, row)) for row in cursor]


def count_cases(conn: sqlite3.Connection, search: str | None) -> int:
    """How many cases match `search`."""
    where, params = _search(search)
    return int(conn.execute(f"SELECT COUNT(*) FROM cases{where}", params).fetchone()[0])
