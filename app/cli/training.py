"""The `scenarios` verb: list the training scenarios. `validate` (app.cli.checklists) checks the scenario
files along with the checklists, because loading the catalog reads them. Never imports Qt."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.catalog import load_catalog

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "checklists"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the scenarios verb."""
    listing = subparsers.add_parser("scenarios", help="list the training scenarios (id, checklist, stages, title)")
    listing.add_argument("--checklists", metavar="FOLDER", help="checklists folder (default: the shipped one)")
    listing.set_defaults(func=run_scenarios)


def run_scenarios(args: argparse.Namespace) -> int:
    """Print a table of the scenarios that loaded; problems are summarised on standard error (exit 1)."""
    folder = Path(args.checklists) if getattr(args, "checklists", None) else DEFAULT_FOLDER
    catalog = load_catalog(folder)
    rows = [(s.id, s.checklist, str(len(s.stages)), s.title)
            for s in sorted(catalog.scenarios.values(), key=lambda s: s.id)]
    if rows:
        id_width = max(len("id"), *(len(r[0]) for r in rows))
        checklist_width = max(len("checklist"), *(len(r[1]) for r in rows))
        print(f"{'id'.ljust(id_width)}  {'checklist'.ljust(checklist_width)}  stages  title")
        for ident, checklist, stages, title in rows:
            print(f"{ident.ljust(id_width)}  {checklist.ljust(checklist_width)}  {stages.rjust(6)}  {title}")
    else:
        print(f"No training scenarios in {folder / 'scenarios'}.")
    scenario_problems = [p for p in catalog.problems if Path(p.file).parent.name == "scenarios"]
    if scenario_problems:
        files = len({p.file for p in scenario_problems})
        print(f"{len(scenario_problems)} problem(s) in {files} scenario file(s) left them out; "
              f"run `python main.py validate` to see them.", file=sys.stderr)
        return 1
    return 0
