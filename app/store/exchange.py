"""Record exchange between computers: selected runs out to one bundle file, and back in.

A supervisor often reviews on another laptop. `export` writes the chosen runs, each with its case,
checklist snapshot, answers, flags and responses, supervisor reviews and its whole audit trail, into one
JSON file; `import` reads such a file into another records database.

The file
    {"format": "spc-record-bundle", "format_version": 1, "payload_sha256": HEX, "payload": {...}}
    `payload_sha256` is the SHA-256 of the payload as canonical JSON (sorted keys, no spaces, UTF-8), so
    a changed byte anywhere in the payload, or a file cut short, is refused before anything is written.
    The payload records the workspace it came from ("real" or "training"); a bundle only goes into the
    same kind of workspace, and nothing is ever exported from the training workspace. The file is written
    whole or not at all (temporary file, fsync, rename).

The audit trail, and why imported rows are re-linked rather than kept with their hashes
    Each audit row's hash covers its row id, its run id and the previous row of the whole database
    (app.store.audit), and the id is the table's primary key. On the receiving computer those ids are
    taken by its own rows, and its whole-database chain is different, so imported rows cannot keep
    their hashes in the audit table. Instead:
      1. before writing anything, every run's chain in the bundle is re-verified exactly as it was made:
         each row's hash is recomputed from its stored content and links, and each row must follow on
         from the run's previous row (run_prev_hash), from the first row (which has no predecessor) to the
         last. The answers in the bundle must also agree with the last value the run's history recorded
         for them. A run whose chain does not verify stops the whole import;
      2. the rows are then written with their content exactly as it was (when, who, what, entity, field,
         old and new value, byte for byte) and linked into this computer's chains, so the local
         `verify_audit()` (whole database) and `verify_audit(run_id)` (per run) both pass;
      3. one 'exchange' audit row (no run id, so no run's history changes) records the import: the
         bundle's SHA-256 and, for each run, the run id and audit head it had where it was made.
    Because row content never changes in transit, a run has the same *content history* on every
    computer: the SHA-256 of each row's content (not its ids or links), in order. The first row (the
    run being created) identifies the run everywhere, and comparing content histories decides what an
    import does with a run that is already here:
      same history                 -> already here and unchanged: skipped, with a note;
      the bundle's history extends this computer's
                                   -> the bundle is newer: the local copy is brought up to date
                                      (answers, flags, responses, reviews, status) and the new history
                                      rows are appended;
      this computer's history extends the bundle's, or the two have each moved on
                                   -> the local copy is kept unchanged, and the note says why.
    A signed-off run here is never changed by an import.
"""
from __future__ import annotations

import errno
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import files
from app.store import audit, cases, profiles, snapshots
from app.store.errors import StoreError, StoreFull, StoreReadOnly, read_only_message

FORMAT = "spc-record-bundle"
FORMAT_VERSION = 1
WORKSPACES = ("real", "training")
SUFFIX = ".spcbundle"

_RUN_FIELDS = ("checklist_id", "checklist_version", "practitioner", "status", "position", "version",
               "case_snapshot", "created_at", "updated_at", "submitted_at", "signed_off_at", "signed_off_by",
               "flag_rank")
_ANSWER_FIELDS = ("prompt_id", "value", "note", "how_known", "reported_by", "answered_at", "answered_by")
_FLAG_FIELDS = ("flag_id", "severity", "message", "action", "raised_at", "cleared_at")
_RESPONSE_FIELDS = ("flag_id", "action_taken", "by_whom", "by_when", "reason_not_acting", "responded_at",
                    "responded_by")
_REVIEW_FIELDS = ("id", "supervisor", "decision", "comment", "at")
_AUDIT_FIELDS = tuple(audit._COLUMNS.split(", "))
_CONTENT_FIELDS = ("at", "who", "entity", "entity_id", "field", "old_value", "new_value")
_NOTHING_IMPORTED = "Nothing was imported."
_ROLES = ("practitioner", "supervisor", "trainer")


class BundleRefused(StoreError):
    """A bundle that cannot be made or imported; `.user_message` says why and what to do."""


@dataclass
class ImportResult:
    """What an import did, run by run (ids are this computer's run ids)."""

    sha256: str
    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept_local: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One sentence: how many runs were added, updated, already here, and kept as they were here."""
        def count(n: int, what: str) -> str:
            return f"{n} checklist{'s' if n != 1 else ''} {what}"
        parts = [count(len(self.added), "added"), count(len(self.updated), "brought up to date"),
                 count(len(self.unchanged), "already here and unchanged")]
        if self.kept_local:
            parts.append(count(len(self.kept_local), "kept as they are here"))
        return ", ".join(parts) + "."


# -- the file ------------------------------------------------------------------------------------------------

def canonical(payload: dict[str, Any]) -> bytes:
    """The payload as canonical JSON bytes (what the SHA-256 covers)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(payload: dict[str, Any]) -> tuple[bytes, str]:
    """The bundle file's bytes for `payload`, and the payload's SHA-256."""
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    envelope = {"format": FORMAT, "format_version": FORMAT_VERSION, "payload_sha256": digest, "payload": payload}
    return json.dumps(envelope, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n", digest


def unseal(data: bytes, name: str) -> tuple[dict[str, Any], str]:
    """The payload and its SHA-256 from a bundle file's bytes; BundleRefused if it is not whole and unchanged."""
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleRefused(
            f"The bundle {name} is incomplete or damaged: it cannot be read (it may have been cut short while "
            f"being copied). {_NOTHING_IMPORTED} Ask for the checklists to be exported again.") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise BundleRefused(f"The file {name} is not a Safeguarding Practice Checklists bundle. {_NOTHING_IMPORTED}")
    version = envelope.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleRefused(f"The bundle {name} does not say which format it uses, so it cannot be trusted. "
                            f"{_NOTHING_IMPORTED}")
    if version > FORMAT_VERSION:
        raise BundleRefused(f"The bundle {name} was made by a newer version of Safeguarding Practice Checklists "
                            f"(bundle format {version}). Install the newer version to import it. {_NOTHING_IMPORTED}")
    payload, stated = envelope.get("payload"), envelope.get("payload_sha256")
    if not isinstance(payload, dict) or not isinstance(stated, str):
        raise BundleRefused(f"The bundle {name} is incomplete: its records or its fingerprint are missing. "
                            f"{_NOTHING_IMPORTED}")
    actual = hashlib.sha256(canonical(payload)).hexdigest()
    if actual != stated:
        raise BundleRefused(
            f"The bundle {name} has been changed since it was exported: its contents no longer match the "
            f"fingerprint written when it was made. {_NOTHING_IMPORTED} Do not use this file; ask for the "
            "checklists to be exported again, and tell your information governance lead if nobody meant to "
            "change it.")
    return payload, actual


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (app.files), as a StoreError on failure."""
    try:
        files.write_whole(path, data)
    except OSError as exc:
        raise _file_error(exc, Path(path)) from exc


def _file_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreFull(f"There is no room on the disk to write {path}. Nothing was written; free some space "
                         "and export again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnly(read_only_message(path.parent))
    return StoreError(f"The bundle {path} could not be written ({exc.strerror or exc}). Nothing was written.")


def read_file(path: Path) -> bytes:
    """The bytes of a bundle file, or a StoreError naming the file."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise BundleRefused(f"There is no bundle file at {path}.") from None
    except OSError as exc:
        raise StoreError(f"The bundle {path} could not be read ({exc.strerror or exc}).") from exc


# -- content history -----------------------------------------------------------------------------------------

def content_key(row: dict[str, Any] | tuple) -> str:
    """The SHA-256 of an audit row's content (not its ids or links): the same on every computer."""
    values = [row[f] for f in _CONTENT_FIELDS] if isinstance(row, dict) else list(row)
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _local_history(conn: sqlite3.Connection, run_id: int) -> list[str]:
    cursor = conn.execute(f"SELECT {', '.join(_CONTENT_FIELDS)} FROM audit WHERE run_id = ? ORDER BY id", (run_id,))
    return [content_key(row) for row in cursor]


def _run_key(conn: sqlite3.Connection, run_id: int) -> str:
    row = conn.execute(f"SELECT {', '.join(_CONTENT_FIELDS)} FROM audit WHERE run_id = ? ORDER BY id LIMIT 1",
                       (run_id,)).fetchone()
    if row is None:
        raise BundleRefused(f"Checklist run {run_id} has no history, so it cannot be exported safely.")
    return content_key(row)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


# -- export --------------------------------------------------------------------------------------------------

def build_payload(conn: sqlite3.Connection, run_ids: list[int], workspace: str, by: str, now: str,
                  schema_version: int) -> dict[str, Any]:
    """The payload for the given runs (each with its case, snapshot, records and audit trail)."""
    if workspace == "training":
        raise BundleRefused(
            "Checklists cannot be exported from the training workspace: it holds fictional practice cases, "
            "which must never reach real records. Switch to your real records to export.")
    if workspace not in WORKSPACES:
        raise BundleRefused(f"Unknown workspace {workspace!r}; expected 'real' or 'training'.")
    wanted = list(dict.fromkeys(int(r) for r in run_ids))
    if not wanted:
        raise BundleRefused("Choose at least one checklist run to export.")
    rows = []
    for run_id in wanted:
        row = conn.execute(f"SELECT id, case_id, snapshot_id, amends_run_id, {', '.join(_RUN_FIELDS)} FROM runs "
                           "WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise BundleRefused(f"There is no checklist run with id {run_id}. Nothing was exported.")
        rows.append(dict(zip(("id", "case_id", "snapshot_id", "amends_run_id") + _RUN_FIELDS, row)))
    rows.sort(key=lambda r: (r["created_at"], r["id"]))  # an amended run before its amendment
    case_ids: dict[int, dict[str, Any]] = {}
    people: set[str] = set()
    bundle_runs = []
    for row in rows:
        run_id = row["id"]
        if row["case_id"] not in case_ids:
            case = cases.get(conn, row["case_id"])
            case_ids[row["case_id"]] = {k: case[k] for k in cases.FIELDS + ("household", "agencies")}
        definition = conn.execute("SELECT definition FROM snapshots WHERE id = ?", (row["snapshot_id"],)).fetchone()[0]
        reviews = _dicts(conn.execute(f"SELECT {', '.join(_REVIEW_FIELDS)} FROM reviews WHERE run_id = ? "
                                      "ORDER BY at, id", (run_id,)))
        trail = _dicts(conn.execute(f"SELECT {audit._COLUMNS} FROM audit WHERE run_id = ? ORDER BY id", (run_id,)))
        if not trail:
            raise BundleRefused(f"Checklist run {run_id} has no history, so it cannot be exported safely.")
        check = audit.verify(conn, run_id)
        if not check.ok:
            raise BundleRefused(f"Checklist run {run_id} was not exported because its history does not verify "
                                f"here: {check.user_message}")
        people.add(row["practitioner"])
        people.update(r["supervisor"] for r in reviews)
        bundle_runs.append({
            "key": content_key(trail[0]),
            "origin_run_id": run_id,
            "case_reference": case_ids[row["case_id"]]["reference"],
            "amends_key": _run_key(conn, row["amends_run_id"]) if row["amends_run_id"] else None,
            "run": {k: row[k] for k in _RUN_FIELDS},
            "snapshot": json.loads(definition),
            "answers": _dicts(conn.execute(f"SELECT {', '.join(_ANSWER_FIELDS)} FROM answers WHERE run_id = ? "
                                           "ORDER BY prompt_id", (run_id,))),
            "flags": _dicts(conn.execute(f"SELECT {', '.join(_FLAG_FIELDS)} FROM flags WHERE run_id = ? "
                                         "ORDER BY id", (run_id,))),
            "responses": _dicts(conn.execute(f"SELECT {', '.join(_RESPONSE_FIELDS)} FROM flag_responses "
                                             "WHERE run_id = ? ORDER BY flag_id", (run_id,))),
            "reviews": reviews,
            "audit": trail,
        })
    known = [profiles.get(conn, name) for name in sorted(people)]
    return {
        "workspace": workspace,
        "made_at": now,
        "made_by": by,
        "schema_version": schema_version,
        "cases": sorted(case_ids.values(), key=lambda c: c["reference"]),
        "profiles": [{"name": p["name"], "role": p["role"], "team": p["team"]} for p in known if p],
        "runs": bundle_runs,
    }


def record_export(conn: sqlite3.Connection, payload: dict[str, Any], digest: str, path: Path, by: str,
                  now: str) -> None:
    """The audit row saying who exported which runs, when, to which file (no run's history changes)."""
    audit.append(conn, now, [audit.Change(by, "exchange", digest[:16], "exported", None, {
        "file": Path(path).name, "payload_sha256": digest,
        "runs": [r["origin_run_id"] for r in payload["runs"]]})])


# -- checking a payload before anything is written ------------------------------------------------------------

def _malformed(detail: str) -> BundleRefused:
    return BundleRefused(f"The bundle is not laid out as this version of the app expects ({detail}). "
                         f"{_NOTHING_IMPORTED}")


def _need(container: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _malformed(f"{where}: '{key}' is missing or of the wrong kind")
    return value


def check_payload(payload: dict[str, Any], workspace: str) -> None:
    """Refuse a payload for another kind of workspace, one that is malformed, or one whose runs' audit
    chains or answers do not verify. Writes nothing."""
    source = payload.get("workspace")
    if source not in WORKSPACES:
        raise _malformed("it does not say which workspace it came from")
    if source != workspace:
        if source == "training":
            raise BundleRefused("This bundle holds fictional practice cases from the training workspace; it cannot "
                                "be imported into real records. " + _NOTHING_IMPORTED)
        raise BundleRefused("This bundle holds real records; it cannot be imported into the training workspace, "
                            "which is for fictional practice cases only. " + _NOTHING_IMPORTED)
    runs = _need(payload, "runs", list, "bundle")
    case_list = _need(payload, "cases", list, "bundle")
    _need(payload, "profiles", list, "bundle")
    references = {_need(c, "reference", str, "case") for c in case_list}
    seen: set[str] = set()
    for number, item in enumerate(runs, start=1):
        where = f"checklist {number}"
        key = _need(item, "key", str, where)
        if key in seen:
            raise _malformed(f"{where} appears twice")
        seen.add(key)
        origin = _need(item, "origin_run_id", int, where)
        if _need(item, "case_reference", str, where) not in references:
            raise _malformed(f"{where}: its case is not in the bundle")
        run = _need(item, "run", dict, where)
        for name in ("checklist_id", "practitioner", "status", "created_at", "updated_at"):
            _need(run, name, str, where)
        _need(item, "snapshot", dict, where)
        for part in ("answers", "flags", "responses", "reviews", "audit"):
            for entry in _need(item, part, list, where):
                if not isinstance(entry, dict):
                    raise _malformed(f"{where}: an entry in '{part}' is not a record")
        trail = item["audit"]
        if not trail:
            raise _malformed(f"{where} has no history")
        _verify_chain(trail, origin, number)
        if content_key(trail[0]) != key or trail[0].get("entity") != "run" or trail[0].get("field") != "created":
            raise BundleRefused(f"Checklist {number} in the bundle does not start with its own creation in its "
                                f"history, so it cannot be trusted. {_NOTHING_IMPORTED}")
        _check_answers_match_history(item, number)


def _verify_chain(trail: list[dict[str, Any]], origin_run_id: int, number: int) -> None:
    expected = audit.GENESIS
    last_id = 0
    for row in trail:
        missing = [f for f in _AUDIT_FIELDS if f not in row]
        if missing:
            raise _malformed(f"checklist {number}: a history entry lacks {', '.join(missing)}")
        problem = None
        if not isinstance(row["id"], int) or row["id"] <= last_id or row["run_id"] != origin_run_id:
            problem = "is out of order or belongs to another checklist"
        elif row["run_prev_hash"] != expected:
            problem = "does not follow on from the entry before it (an entry was removed or inserted)"
        else:
            try:
                digest = audit.row_hash(*(row[f] for f in _AUDIT_FIELDS[:-1]))
            except (TypeError, ValueError):
                digest = None
            if digest != row["hash"]:
                problem = "does not match its fingerprint (its content was edited)"
        if problem:
            raise BundleRefused(
                f"The history of checklist {number} in the bundle does not verify: entry {row['id']} {problem}. "
                f"{_NOTHING_IMPORTED} Ask for the checklists to be exported again.")
        expected, last_id = row["hash"], row["id"]


def _check_answers_match_history(item: dict[str, Any], number: int) -> None:
    """Each answer must equal the last value its history recorded (when the history records answers)."""
    latest: dict[str, Any] = {}
    for row in item["audit"]:
        if row["entity"] == "answer" and row["field"] == "value" and isinstance(row["entity_id"], str):
            prompt = row["entity_id"].split("/", 1)[-1]
            latest[prompt] = None if row["new_value"] is None else json.loads(row["new_value"])
    stored = {}
    for answer in item["answers"]:
        prompt = _need(answer, "prompt_id", str, f"checklist {number} answer")
        if answer.get("value") is None:  # not answered yet: the row only carries a note or how it is known
            stored[prompt] = None
            continue
        try:
            stored[prompt] = json.loads(_need(answer, "value", str, f"checklist {number} answer"))
        except ValueError:
            raise _malformed(f"checklist {number}: an answer's value cannot be read") from None
    for prompt, value in latest.items():
        if stored.get(prompt) != value:
            raise BundleRefused(
                f"The answers of checklist {number} in the bundle do not match its own history (the answer to "
                f"'{prompt}' differs), so the bundle has been altered. {_NOTHING_IMPORTED}")
    if latest:
        unrecorded = sorted(p for p, v in stored.items() if v is not None and p not in latest)
        if unrecorded:
            raise BundleRefused(
                f"Checklist {number} in the bundle has answers its history never recorded ('{unrecorded[0]}'), "
                f"so the bundle has been altered. {_NOTHING_IMPORTED}")


# -- import --------------------------------------------------------------------------------------------------

class _Chain:
    """Appends rows with their content unchanged, linked into this database's chains."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, run_id: int, row: dict[str, Any]) -> None:
        last = self.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        last_id, prev = (last[0], last[1]) if last else (0, audit.GENESIS)
        found = self.conn.execute("SELECT hash FROM audit WHERE run_id = ? ORDER BY id DESC LIMIT 1",
                                  (run_id,)).fetchone()
        run_prev = found[0] if found else audit.GENESIS
        at, who, entity, entity_id, field_name, old_value, new_value = (row[f] for f in _CONTENT_FIELDS)
        digest = audit.row_hash(last_id + 1, at, who, entity, entity_id, run_id, field_name, old_value, new_value,
                                prev, run_prev)
        self.conn.execute(f"INSERT INTO audit ({audit._COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (last_id + 1, at, who, entity, entity_id, run_id, field_name, old_value, new_value,
                           prev, run_prev, digest))


def _local_runs_by_key(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> dict[str, int]:
    """Runs already here, by content key of their first history row."""
    found: dict[str, int] = {}
    stamps = sorted({item["audit"][0]["at"] for item in items})
    for start in range(0, len(stamps), 500):
        part = stamps[start:start + 500]
        cursor = conn.execute(
            f"SELECT id, run_id, {', '.join(_CONTENT_FIELDS)} FROM audit WHERE entity = 'run' AND field = 'created' "
            f"AND run_id IS NOT NULL AND at IN ({', '.join('?' * len(part))})", part)
        for row_id, run_id, *content in cursor.fetchall():
            first = conn.execute("SELECT MIN(id) FROM audit WHERE run_id = ?", (run_id,)).fetchone()[0]
            if first == row_id:  # the row that created the run, so it identifies the run
                found.setdefault(content_key(tuple(content)), run_id)
    return found


def _describe(item: dict[str, Any], run_id: int | None = None) -> str:
    title = item["snapshot"].get("title") or item["run"]["checklist_id"]
    which = f"Checklist run {run_id}" if run_id is not None else "The checklist"
    return f"{which} ({title}, case {item['case_reference']})"


def _write_records(conn: sqlite3.Connection, run_id: int, item: dict[str, Any]) -> None:
    conn.executemany(f"INSERT INTO answers (run_id, {', '.join(_ANSWER_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(run_id, *(a.get(f) for f in _ANSWER_FIELDS)) for a in item["answers"]])
    conn.executemany(f"INSERT INTO flags (run_id, {', '.join(_FLAG_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(run_id, *(f.get(k) for k in _FLAG_FIELDS)) for f in item["flags"]])
    conn.executemany(f"INSERT INTO flag_responses (run_id, {', '.join(_RESPONSE_FIELDS)}) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(run_id, *(r.get(k) for k in _RESPONSE_FIELDS)) for r in item["responses"]])
    conn.executemany("INSERT INTO reviews (run_id, supervisor, decision, comment, at) VALUES (?, ?, ?, ?, ?)",
                     [(run_id, r.get("supervisor"), r.get("decision"), r.get("comment", ""), r.get("at"))
                      for r in item["reviews"]])


def _case_for(conn: sqlite3.Connection, payload: dict[str, Any], reference: str, by: str, now: str,
              result: ImportResult, done: dict[str, int]) -> int:
    if reference in done:
        return done[reference]
    data = next(c for c in payload["cases"] if c["reference"] == reference)
    found = conn.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
    if found:
        here = cases.get(conn, found[0])
        if any(here.get(k) != data.get(k) for k in cases.FIELDS + ("household", "agencies")):
            result.notes.append(f"Case {reference} is already here with different details (such as the household "
                                "or plan); the details on this computer were kept.")
        done[reference] = found[0]
    else:
        done[reference] = cases.create(conn, {k: data.get(k) for k in cases.FIELDS + ("household", "agencies")
                                              if k in data}, by, now)
    return done[reference]


def import_payload(conn: sqlite3.Connection, payload: dict[str, Any], digest: str, by: str,
                   now: str) -> ImportResult:
    """Import a checked payload inside the caller's transaction (see the module docstring)."""
    result = ImportResult(digest)
    items = payload["runs"]
    for person in payload["profiles"]:
        if (isinstance(person, dict) and isinstance(person.get("name"), str) and person.get("role") in _ROLES
                and profiles.get(conn, person["name"]) is None):
            profiles.save(conn, {"name": person["name"], "role": person.get("role"), "team": person.get("team", "")},
                          by, now)
    local = _local_runs_by_key(conn, items)
    chain = _Chain(conn)
    case_ids: dict[str, int] = {}
    provenance = []
    for item in items:
        run = item["run"]
        bundle_history = [content_key(row) for row in item["audit"]]
        here = local.get(item["key"])
        if here is None:
            case_id = _case_for(conn, payload, item["case_reference"], by, now, result, case_ids)
            snapshot_id = snapshots.store(conn, item["snapshot"], run["checklist_id"], run["checklist_version"])
            amends = None
            if item.get("amends_key"):
                amends = local.get(item["amends_key"])
                if amends is None:
                    result.notes.append(f"{_describe(item)} amends an earlier version that is not on this computer; "
                                        "it was imported on its own.")
            frozen = run["status"] == "signed_off"
            cursor = conn.execute(
                "INSERT INTO runs (case_id, snapshot_id, amends_run_id, checklist_id, checklist_version, practitioner, "
                "status, position, version, case_snapshot, created_at, updated_at, submitted_at, signed_off_at, "
                "signed_off_by, flag_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, snapshot_id, amends, run["checklist_id"], run["checklist_version"], run["practitioner"],
                 "submitted" if frozen else run["status"], run.get("position", 0), run.get("version", 1),
                 run.get("case_snapshot"), run["created_at"], run["updated_at"], run.get("submitted_at"),
                 run.get("signed_off_at"), run.get("signed_off_by"), run.get("flag_rank")))
            run_id = int(cursor.lastrowid)
            _write_records(conn, run_id, item)
            for row in item["audit"]:
                chain.add(run_id, row)
            if frozen:  # last: from here the triggers freeze the run
                conn.execute("UPDATE runs SET status = 'signed_off' WHERE id = ?", (run_id,))
            local[item["key"]] = run_id
            result.added.append(run_id)
            provenance.append({"run": run_id, "origin_run_id": item["origin_run_id"], "did": "added",
                               "origin_head": item["audit"][-1]["hash"]})
            continue
        local_history = _local_history(conn, here)
        status, updated_at = conn.execute("SELECT status, updated_at FROM runs WHERE id = ?", (here,)).fetchone()
        if local_history == bundle_history:
            result.unchanged.append(here)
            result.notes.append(f"{_describe(item, here)} is already here and unchanged, so it was skipped.")
            continue
        if bundle_history[:len(local_history)] == local_history and status != "signed_off":
            frozen = run["status"] == "signed_off"
            for table in ("answers", "flag_responses", "flags", "reviews"):
                conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (here,))
            snapshot_id = snapshots.store(conn, item["snapshot"], run["checklist_id"], run["checklist_version"])
            conn.execute(
                "UPDATE runs SET snapshot_id = ?, checklist_version = ?, practitioner = ?, status = ?, position = ?, "
                "case_snapshot = ?, updated_at = ?, submitted_at = ?, signed_off_at = ?, signed_off_by = ?, "
                "flag_rank = ? WHERE id = ?",
                (snapshot_id, run["checklist_version"], run["practitioner"], "submitted" if frozen else run["status"],
                 run.get("position", 0), run.get("case_snapshot"), run["updated_at"], run.get("submitted_at"),
                 run.get("signed_off_at"), run.get("signed_off_by"), run.get("flag_rank"), here))
            _write_records(conn, here, item)
            for row in item["audit"][len(local_history):]:
                chain.add(here, row)
            if frozen:
                conn.execute("UPDATE runs SET status = 'signed_off' WHERE id = ?", (here,))
            result.updated.append(here)
            result.notes.append(f"{_describe(item, here)} was brought up to date from the bundle "
                                f"({len(bundle_history) - len(local_history)} newer entries in its history).")
            provenance.append({"run": here, "origin_run_id": item["origin_run_id"], "did": "updated",
                               "origin_head": item["audit"][-1]["hash"]})
            continue
        result.kept_local.append(here)
        if local_history[:len(bundle_history)] == bundle_history:
            why = (f"the copy here is newer (last changed {updated_at[:16].replace('T', ' ')} UTC here, "
                   f"{run['updated_at'][:16].replace('T', ' ')} UTC in the bundle)")
        elif status == "signed_off" and bundle_history[:len(local_history)] == local_history:
            why = "it is signed off here, so it cannot be changed"
        else:
            why = ("it has been changed both here and on the computer that made the bundle since they last matched; "
                   "compare the two before deciding which is right (the bundle file still holds the other copy)")
        result.notes.append(f"{_describe(item, here)} was kept as it is here: {why}.")
    audit.append(conn, now, [audit.Change(by, "exchange", digest[:16], "imported", None, {
        "payload_sha256": digest, "made_at": payload.get("made_at"), "runs": provenance,
        "unchanged": result.unchanged, "kept_local": result.kept_local})])
    return result
