"""Fast bulk loading of cases and runs (for demo and training data) with executemany, in batches.

Each batch is one transaction holding its cases or runs with their answers, flags, responses, reviews and
one audit row per record, so the hash chain stays whole. Runs that end signed off are written as
submitted and switched to signed_off last in the batch, because the triggers refuse rows added to a
signed-off run.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from app.store import audit, cases, snapshots, validate
from app.store.errors import InvalidRecord

RUN_KEYS = ("case_reference", "checklist_id", "version", "snapshot", "practitioner", "status", "position",
            "created_at", "updated_at", "submitted_at", "signed_off_at", "signed_off_by", "answers", "flags",
            "responses", "reviews")


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def load_cases(write: Callable, items: Iterable[dict[str, Any]], by: str, now: str, batch: int) -> dict[str, int]:
    """Insert cases (create_case dicts, optionally with created_at/updated_at); returns {reference: id}."""
    ids: dict[str, int] = {}
    for chunk in _batches(items, batch):
        with write() as conn:
            next_id = (conn.execute("SELECT MAX(id) FROM cases").fetchone()[0] or 0) + 1
            rows, members, agencies, changes = [], [], [], []
            for data in chunk:
                data = dict(data)
                stamps = {k: data.pop(k) for k in ("created_at", "updated_at") if k in data}
                fields = cases._fields(data, partial=False)
                validate.known_keys("Case", data, cases.FIELDS + ("household", "agencies"))
                household = cases._household(data.get("household", []))
                agency_list = cases._agencies(data.get("agencies", []))
                if fields["reference"] in ids:
                    raise InvalidRecord(f"The case reference {fields['reference']!r} appears twice.")
                case_id = next_id
                next_id += 1
                ids[fields["reference"]] = case_id
                rows.append((case_id, *fields.values(), stamps.get("created_at", now), stamps.get("updated_at", now)))
                members += [(case_id, m["id"], i, m["name"], m["relationship"], m["date_of_birth"],
                             int(m["lives_with_child"]), m["notes"]) for i, m in enumerate(household)]
                agencies += [(case_id, i, a["name"], a["role"], a["contact"]) for i, a in enumerate(agency_list)]
                changes.append(audit.Change(by, "case", str(case_id), "created", None,
                                            dict(fields, household=household, agencies=agency_list)))
            conn.executemany(f"INSERT INTO cases (id, {', '.join(cases.FIELDS)}, created_at, updated_at) "
                             f"VALUES (?, {', '.join('?' * len(cases.FIELDS))}, ?, ?)", rows)
            conn.executemany("INSERT INTO household_members (case_id, id, position, name, relationship, date_of_birth, "
                             "lives_with_child, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", members)
            conn.executemany("INSERT INTO agencies (case_id, position, name, role, contact) VALUES (?, ?, ?, ?, ?)",
                             agencies)
            audit.append(conn, now, changes)
    return ids


def _case_ids(conn: sqlite3.Connection, references: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    refs = list(references)
    for start in range(0, len(refs), 500):
        part = refs[start:start + 500]
        found.update(conn.execute(f"SELECT reference, id FROM cases WHERE reference IN ({', '.join('?' * len(part))})",
                                  part).fetchall())
    return found


def load_runs(write: Callable, items: Iterable[dict[str, Any]], by: str, now: str, batch: int) -> int:
    """Insert runs with everything recorded on them (see RUN_KEYS); returns how many."""
    total = 0
    snapshot_ids: dict[int, int] = {}
    for chunk in _batches(items, batch):
        with write() as conn:
            case_ids = _case_ids(conn, {r["case_reference"] for r in chunk})
            next_id = (conn.execute("SELECT MAX(id) FROM runs").fetchone()[0] or 0) + 1
            runs, answers, flags, responses, reviews, changes, to_sign = [], [], [], [], [], [], []
            # Demo runs share answer dicts; encode each once per batch. The object is kept beside its text
            # so its id() cannot be reused by another object while the memo lives.
            encoded: dict[int, tuple[Any, str]] = {}
            for run in chunk:
                validate.known_keys("Run", run, RUN_KEYS)
                status = validate.choice("Status", run["status"], validate.STATUSES)
                if run["case_reference"] not in case_ids:
                    raise InvalidRecord(f"There is no case with reference {run['case_reference']!r}.")
                snap = run["snapshot"]
                if id(snap) not in snapshot_ids:  # the same dict object is shared by many runs
                    snapshots.check(snap, run["checklist_id"], run["version"])
                    snapshot_ids[id(snap)] = snapshots.store(conn, snap, run["checklist_id"], run["version"])
                run_id = next_id
                next_id += 1
                open_flags = [f for f in run.get("flags", []) if not f.get("cleared_at")]
                rank = min((validate.SEVERITY_RANK[f["severity"]] for f in open_flags), default=None)
                runs.append((run_id, case_ids[run["case_reference"]], run["checklist_id"], run["version"],
                             snapshot_ids[id(snap)], run["practitioner"], "submitted" if status == "signed_off" else status,
                             run.get("position", 0), run["created_at"], run["updated_at"], run.get("submitted_at"),
                             run.get("signed_off_at"), run.get("signed_off_by"), rank))
                if status == "signed_off":
                    to_sign.append(run_id)
                for prompt_id, answer in run.get("answers", {}).items():
                    memo = encoded.get(id(answer))
                    if memo is None:
                        memo = encoded[id(answer)] = (answer, validate.json_value(prompt_id, answer["value"]))
                    answers.append((run_id, prompt_id, memo[1],
                                    answer.get("note", ""), answer.get("how_known"), answer.get("reported_by", ""),
                                    answer.get("answered_at", run["updated_at"]), run["practitioner"]))
                flags += [(run_id, f["flag_id"], f["severity"], f["message"], f["action"], f["raised_at"],
                           f.get("cleared_at")) for f in run.get("flags", [])]
                responses += [(run_id, flag_id, r.get("action_taken", ""), r.get("by_whom", ""), r.get("by_when", ""),
                               r.get("reason_not_acting", ""), r.get("responded_at", run["updated_at"]),
                               run["practitioner"]) for flag_id, r in run.get("responses", {}).items()]
                reviews += [(run_id, r["supervisor"], r["decision"], r.get("comment", ""), r["at"])
                            for r in run.get("reviews", [])]
                changes.append(audit.Change(by, "run", str(run_id), "created", None, {
                    "loaded_in_bulk": True, "status": status, "checklist_id": run["checklist_id"],
                    "practitioner": run["practitioner"], "answers": len(run.get("answers", {}))}, run_id))
            conn.executemany(
                "INSERT INTO runs (id, case_id, checklist_id, checklist_version, snapshot_id, practitioner, status, "
                "position, created_at, updated_at, submitted_at, signed_off_at, signed_off_by, flag_rank) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runs)
            conn.executemany("INSERT INTO answers (run_id, prompt_id, value, note, how_known, reported_by, answered_at, "
                             "answered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", answers)
            conn.executemany("INSERT INTO flags (run_id, flag_id, severity, message, action, raised_at, cleared_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", flags)
            conn.executemany("INSERT INTO flag_responses (run_id, flag_id, action_taken, by_whom, by_when, "
                             "reason_not_acting, responded_at, responded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", responses)
            conn.executemany("INSERT INTO reviews (run_id, supervisor, decision, comment, at) VALUES (?, ?, ?, ?, ?)",
                             reviews)
            audit.append(conn, now, changes)
            # Last: from here the triggers freeze these runs.
            conn.executemany("UPDATE runs SET status = 'signed_off' WHERE id = ?", [(r,) for r in to_sign])
            total += len(chunk)
    return total
