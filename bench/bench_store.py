"""Record store benchmarks, each against bare sqlite3 measured in the same run with the same pragmas
(WAL, synchronous=FULL, foreign keys, busy timeout):

  - save one answer: Store.save_answer (checks, upsert, last-change time, audit row with its hash chain,
    durable commit) vs a bare BEGIN IMMEDIATE / INSERT / COMMIT of a similar row;
  - list a page: Store.list_runs(status, checklist, newest change first, 50 rows) over 100,000 runs vs
    the same SELECT (with its joins) run and fetched by hand.

    .venv/bin/python bench/bench_store.py [--runs 100000] [--repeats 200] [--keep FOLDER]

Exit status 1 if a ratio is over its target (2x).
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved_medians, report  # noqa: E402

from app.store import Store  # noqa: E402
from app.store.db import apply_pragmas  # noqa: E402

CHECKLISTS = [f"checklist-{n}" for n in range(5)]
STATUSES = ["draft", "submitted", "returned", "signed_off"]
NOTE = "Seen at home with mother; baby settled and feeding well during the visit."


def _snapshot(checklist_id: str) -> dict:
    return {"id": checklist_id, "version": 1, "title": checklist_id.replace("-", " ").title(),
            "sections": [{"id": "s", "title": "S", "prompts": [{"id": f"p{i}"} for i in range(12)]}], "flags": []}


def _fill(store: Store, runs: int, rng: random.Random) -> None:
    cases = max(1, runs // 3)
    snaps = {c: _snapshot(c) for c in CHECKLISTS}
    case_rows = ({"reference": f"B-{i:07d}", "child_name": f"Child {i}", "created_at": "2026-01-01T00:00:00.000000+00:00",
                  "updated_at": "2026-01-01T00:00:00.000000+00:00"} for i in range(cases))

    def run_rows():
        for i in range(runs):
            checklist = rng.choice(CHECKLISTS)
            stamp = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:" \
                    f"{rng.randint(0, 59):02d}:00.{rng.randint(0, 999999):06d}+00:00"
            yield {"case_reference": f"B-{i % cases:07d}", "checklist_id": checklist, "version": 1,
                   "snapshot": snaps[checklist], "practitioner": f"Practitioner {i % 40}",
                   "status": rng.choice(STATUSES), "created_at": stamp, "updated_at": stamp,
                   "answers": {"p0": {"value": "yes"}, "p1": {"value": "no", "note": NOTE}}}

    store.seed(case_rows, run_rows(), by="bench")


def bench_save_answer(folder: Path, repeats: int) -> bool:
    store = Store.open(folder / "answers.db", auto_backup=False)
    case_id = store.create_case({"reference": "A-1", "child_name": "Bench"}, by="bench")
    snap = _snapshot("answers")
    snap["sections"][0]["prompts"] = [{"id": f"q{i}"} for i in range(repeats * 2 + 10)]
    run_id = store.start_run(case_id, "answers", 1, snap, "bench")
    # The same file, so both write through the same WAL on the same disk.
    bare = sqlite3.connect(folder / "answers.db", isolation_level=None)
    apply_pragmas(bare, 5.0)
    bare.execute("CREATE TABLE bare_answers (run_id INTEGER NOT NULL, prompt_id TEXT NOT NULL, value TEXT NOT NULL, "
                 "note TEXT NOT NULL, how_known TEXT, reported_by TEXT NOT NULL, answered_at TEXT NOT NULL, "
                 "answered_by TEXT NOT NULL, PRIMARY KEY (run_id, prompt_id)) WITHOUT ROWID")
    counter = {"ours": 0, "bare": 0}

    def ours():
        counter["ours"] += 1
        store.save_answer(run_id, f"q{counter['ours']}", "yes", note=NOTE, how_known="seen", by="bench")

    def baseline():
        counter["bare"] += 1
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT INTO bare_answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (run_id, f"q{counter['bare']}", '"yes"', NOTE, "seen", "", "2026-01-01T00:00:00+00:00", "bench"))
        bare.execute("COMMIT")

    ours_ms, bare_ms = interleaved_medians(ours, baseline, repeats)
    ok = report("save one answer (durable, with audit row)", ours_ms, bare_ms).ok
    assert store.verify_audit(run_id).ok
    store.close()
    bare.close()
    return ok


def bench_list(folder: Path, runs: int, repeats: int) -> bool:
    path = folder / "records.db"
    store = Store.open(path, auto_backup=False)
    if store.count_runs() < runs:
        _fill(store, runs - store.count_runs(), random.Random(1))
    bare = sqlite3.connect(path, isolation_level=None)
    apply_pragmas(bare, 5.0)
    sql = ("SELECT r.id, r.case_id, c.reference, c.child_name, r.checklist_id, r.checklist_version, s.title, r.status, "
           "r.practitioner, r.version, r.amends_run_id, r.flag_rank, r.created_at, r.updated_at "
           "FROM runs r JOIN cases c ON c.id = r.case_id JOIN snapshots s ON s.id = r.snapshot_id "
           "WHERE r.status = ? AND r.checklist_id = ? ORDER BY r.updated_at DESC, r.id DESC LIMIT 50")
    pages = [(status, checklist) for status in STATUSES for checklist in CHECKLISTS]
    turn = {"ours": 0, "bare": 0}

    def ours():
        turn["ours"] += 1
        status, checklist = pages[turn["ours"] % len(pages)]
        rows = store.list_runs(status=status, checklist_id=checklist, limit=50)
        assert len(rows) == 50

    def baseline():
        turn["bare"] += 1
        rows = bare.execute(sql, pages[turn["bare"] % len(pages)]).fetchall()
        assert len(rows) == 50

    ours_ms, bare_ms = interleaved_medians(ours, baseline, repeats)
    ok = report(f"list 50 of {store.count_runs():,} runs (status+checklist)", ours_ms, bare_ms).ok
    plan = " ".join(row[3] for row in bare.execute("EXPLAIN QUERY PLAN " + sql, pages[0]))
    print(f"  query plan: {plan}")
    store.close()
    bare.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--keep", metavar="FOLDER", help="keep (and reuse) the databases in this folder")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-store-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_save_answer(folder, args.repeats), bench_list(folder, args.runs, args.repeats)]
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
