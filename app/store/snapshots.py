"""Checklist definitions as they were when a run started, stored once per distinct content.

Runs point at a snapshot row by id; the row is keyed by the SHA-256 of the canonical JSON, so 100,000
runs of the same checklist version share one copy. Snapshots are never changed.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.store.errors import InvalidRecord


def canonical(definition: dict[str, Any]) -> str:
    """The definition as canonical JSON text (sorted keys, no spaces)."""
    try:
        return json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(f"The checklist snapshot must be plain data (JSON), but {exc}.") from exc


def check(definition: Any, checklist_id: str, version: int) -> None:
    """The snapshot must be a dict describing the same checklist id and version as the run."""
    if not isinstance(definition, dict):
        raise InvalidRecord(f"The checklist snapshot must be a dict, not {type(definition).__name__}.")
    if definition.get("id", checklist_id) != checklist_id:
        raise InvalidRecord(
            f"The snapshot is of checklist {definition.get('id')!r}, but the run is for {checklist_id!r}.")
    if definition.get("version", version) != version:
        raise InvalidRecord(
            f"The snapshot is version {definition.get('version')!r}, but the run is for version {version}.")


def store(conn: sqlite3.Connection, definition: dict[str, Any], checklist_id: str, version: int) -> int:
    """The id of the snapshot row holding `definition`, inserting it if new."""
    text = canonical(definition)
    import hashlib  # here, not at import: not needed until the first run is started

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = conn.execute("SELECT id FROM snapshots WHERE hash = ?", (digest,)).fetchone()
    if found:
        return int(found[0])
    title = definition.get("title", "")
    cursor = conn.execute(
        "INSERT INTO snapshots (hash, checklist_id, checklist_version, title, definition) VALUES (?, ?, ?, ?, ?)",
        (digest, checklist_id, version, title if isinstance(title, str) else "", text),
    )
    return int(cursor.lastrowid)


def prompt_ids(definition: dict[str, Any]) -> frozenset[str]:
    """Every prompt id in a definition (sections -> prompts -> id)."""
    found = set()
    for section in definition.get("sections") or []:
        if isinstance(section, dict):
            for prompt in section.get("prompts") or []:
                if isinstance(prompt, dict) and isinstance(prompt.get("id"), str):
                    found.add(prompt["id"])
    return frozenset(found)


def flag_ids(definition: dict[str, Any]) -> frozenset[str]:
    """Every flag id in a definition."""
    return frozenset(f["id"] for f in definition.get("flags") or [] if isinstance(f, dict) and isinstance(f.get("id"), str))


class Cache:
    """Decoded snapshots and their prompt/flag ids by row id (safe to cache: snapshots never change)."""

    def __init__(self) -> None:
        self._prompts: dict[int, frozenset[str]] = {}
        self._flags: dict[int, frozenset[str]] = {}

    def load(self, conn: sqlite3.Connection, snapshot_id: int) -> dict[str, Any]:
        """The definition dict (a fresh copy each call, so callers may change it)."""
        row = conn.execute("SELECT definition FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        definition = json.loads(row[0])
        self._prompts.setdefault(snapshot_id, prompt_ids(definition))
        self._flags.setdefault(snapshot_id, flag_ids(definition))
        return definition

    def prompts(self, conn: sqlite3.Connection, snapshot_id: int) -> frozenset[str]:
        """Prompt ids of a snapshot."""
        if snapshot_id not in self._prompts:
            self.load(conn, snapshot_id)
        return self._prompts[snapshot_id]

    def flags(self, conn: sqlite3.Connection, snapshot_id: int) -> frozenset[str]:
        """Flag ids of a snapshot."""
        if snapshot_id not in self._flags:
            self.load(conn, snapshot_id)
        return self._flags[snapshot_id]
