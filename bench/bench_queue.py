"""Review queue benchmark: filtering the supervisor's queue over 100,000 runs.

For each filter a supervisor uses (none, practitioner, team, checklist with a flag severity, last 30 days)
it times the queue model re-querying: ReviewQueueModel.refresh() — count_runs for the total, the first
page of 200 rows through app.supervision and Store.list_runs, and the model reset — against the same
COUNT and SELECT (with their joins, order and LIMIT) written by hand and run on a bare sqlite3 connection
with the same pragmas, in the same process, timed alternately; medians are compared. It also times
scrolling (fetchMore of the next page) the same way. Target: within 2x of the bare queries.

The records are the fictional demo data of `python main.py seed-demo` (profiles with teams, the real
checklists, flags worked out by the engine), made once in the data folder and reused.

    .venv/bin/python bench/bench_queue.py [--runs 100000] [--repeats 60] [--data-dir FOLDER]

Exit status 1 if a ratio is over its target.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved_medians, report  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import paths  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.store.db import DEFAULT_BUSY_TIMEOUT, apply_pragmas  # noqa: E402
from app.supervision import QueueFilter, Supervision  # noqa: E402
from app.ui.review.queue_model import ReviewQueueModel  # noqa: E402

PAGE = 200
TARGET = 2.0
SEVERITY_RANK = {"urgent": 0, "act": 1, "consider": 2, "info": 3}
SELECT = ("SELECT r.id, r.case_id, c.reference, c.child_name, r.checklist_id, r.checklist_version, s.title, "
          "r.status, r.practitioner, r.version, r.amends_run_id, r.flag_rank, r.created_at, r.updated_at "
          "FROM runs r JOIN cases c ON c.id = r.case_id JOIN snapshots s ON s.id = r.snapshot_id")


def ensure_records(folder: Path, runs: int) -> Path:
    """The demo records in `folder`, seeded with `runs` runs if it holds fewer."""
    database = paths.database_path(folder, False)
    if database.exists():
        with sqlite3.connect(database) as conn:
            if conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= runs:
                return database
    print(f"seeding {runs:,} runs into {folder} (once; reused on the next run with --data-dir)", flush=True)
    subprocess.run([sys.executable, str(ROOT / "main.py"), "seed-demo", "--cases", str(max(1, runs // 3)),
                    "--runs", str(runs), "--data-dir", str(folder)], check=True, cwd=ROOT)
    return database


def bare_sql(queue: QueueFilter) -> tuple[str, list]:
    """The WHERE clause and parameters a person would write by hand for `queue`."""
    clauses, params = [], []
    if queue.status:
        clauses.append("r.status = ?")
        params.append(queue.status)
    if queue.practitioner:
        clauses.append("r.practitioner = ?")
        params.append(queue.practitioner)
    if queue.team:
        clauses.append("r.practitioner IN (SELECT name FROM profiles WHERE team = ?)")
        params.append(queue.team)
    if queue.checklist_id:
        clauses.append("r.checklist_id = ?")
        params.append(queue.checklist_id)
    if queue.min_severity:
        clauses.append("r.flag_rank <= ?")
        params.append(SEVERITY_RANK[queue.min_severity])
    if queue.since:
        clauses.append("r.updated_at >= ?")
        stamp = dt.datetime.combine(queue.since, dt.time.min).astimezone().astimezone(dt.timezone.utc)
        params.append(stamp.isoformat(timespec="microseconds"))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--data-dir", type=Path, help="folder for the demo records (kept and reused)")
    args = parser.parse_args(argv)
    folder = args.data_dir or Path(tempfile.gettempdir()) / f"spc-bench-queue-{args.runs}"
    database = ensure_records(folder, args.runs)

    app = QApplication.instance() or QApplication([])
    ws = Workspace.open(data_dir=folder)
    bare = sqlite3.connect(database, isolation_level=None)
    apply_pragmas(bare, DEFAULT_BUSY_TIMEOUT)
    model = ReviewQueueModel(Supervision(ws), page_size=PAGE)
    try:
        total_runs = ws.store.count_runs()
        profiles = ws.store.list_profiles()
        practitioner = next(p["name"] for p in profiles if p["role"] == "practitioner")
        team = next(p["team"] for p in profiles if p["role"] == "practitioner")
        today = dt.date.today()
        scenarios = [
            ("waiting for review", QueueFilter()),
            ("one practitioner", QueueFilter(practitioner=practitioner)),
            ("one team", QueueFilter(team=team)),
            ("checklist + act or worse", QueueFilter(checklist_id="non-mobile-bruising", min_severity="act")),
            ("last 30 days, any status", QueueFilter(status=None, since=today - dt.timedelta(days=29))),
        ]
        print(f"review queue: {total_runs:,} runs in {database}, first page of {PAGE} rows, "
              f"{args.repeats} repeats, medians")
        results = []
        for name, queue in scenarios:
            model.set_queue(queue)
            where, params = bare_sql(queue)

            def bare_page(where: str = where, params: list = params) -> None:
                bare.execute(f"SELECT COUNT(*) FROM runs r{where}", params).fetchone()
                bare.execute(f"{SELECT}{where} ORDER BY r.updated_at ASC, r.id ASC LIMIT ? OFFSET 0",
                             (*params, PAGE)).fetchall()

            ours, base = interleaved_medians(model.refresh, bare_page, args.repeats)
            results.append(report(f"filter: {name} ({model.total:,} match)", ours, base, TARGET))

        model.set_queue(QueueFilter())
        where, params = bare_sql(QueueFilter())

        def scroll() -> None:
            model.refresh()
            model.fetchMore()

        def bare_scroll() -> None:
            bare.execute(f"SELECT COUNT(*) FROM runs r{where}", params).fetchone()
            for offset in (0, PAGE):
                bare.execute(f"{SELECT}{where} ORDER BY r.updated_at ASC, r.id ASC LIMIT ? OFFSET ?",
                             (*params, PAGE, offset)).fetchall()

        ours, base = interleaved_medians(scroll, bare_scroll, args.repeats)
        results.append(report("refresh + scroll one page (fetchMore)", ours, base, TARGET))
    finally:
        bare.close()
        ws.close()
    del model  # before the QApplication goes, so Qt never outlives the objects it refers to
    app.processEvents()
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
