"""The exchange verbs: `export` chosen checklist runs to one bundle file, and `import` a bundle.

    python main.py [--data-dir DIR] export --run ID [--run ID ...] --out BUNDLE
    python main.py [--data-dir DIR] import BUNDLE

A bundle carries each run with its case, answers, flags and responses, supervisor reviews and audit trail
(see app.store.exchange). Import checks the file's fingerprint, its workspace and every run's audit chain
before writing anything, then imports in one transaction. Nothing is ever exported from the training
workspace, and a bundle only goes into the kind of workspace it came from. Never imports Qt.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.services import Workspace
from app.store import StoreError

TRAINING_EXPORT_REFUSED = (
    "Checklists cannot be exported from the training workspace: it holds fictional practice cases, which must "
    "never reach real records. Run the command without --training to export real records.")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the export and import verbs."""
    export = subparsers.add_parser(
        "export", help="write checklist runs, with their cases, reviews and audit trails, to one bundle file")
    export.add_argument("--run", dest="runs", type=int, action="append", required=True, metavar="ID",
                        help="id of a checklist run to export (repeat for more)")
    export.add_argument("--out", required=True, metavar="BUNDLE", help="the bundle file to write")
    export.set_defaults(func=run_export)

    import_ = subparsers.add_parser(
        "import", help="check a bundle file and import its checklist runs (nothing newer here is overwritten)")
    import_.add_argument("bundle", metavar="BUNDLE", help="a bundle file made by `export`")
    import_.set_defaults(func=run_import)


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(getattr(args, "data_dir", None), training=bool(getattr(args, "training", False)))


def run_export(args: argparse.Namespace) -> int:
    """Export the runs; exit 1 with the reason if refused."""
    if getattr(args, "training", False):
        print(TRAINING_EXPORT_REFUSED, file=sys.stderr)
        return 1
    out = Path(args.out).expanduser().absolute()
    try:
        workspace = _workspace(args)
    except StoreError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    try:
        done = workspace.store.export_bundle(args.runs, out, "real", by=workspace.user_name)
    except StoreError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    finally:
        workspace.close()
    noun = "checklist run" if done["runs"] == 1 else "checklist runs"
    print(f"Exported {done['runs']} {noun} to {done['path']}")
    print(f"Fingerprint (SHA-256): {done['sha256']}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a bundle; print what happened to each run; exit 1 with the reason if refused."""
    kind = "training" if getattr(args, "training", False) else "real"
    try:
        workspace = _workspace(args)
    except StoreError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    try:
        result = workspace.store.import_bundle(Path(args.bundle).expanduser(), kind, by=workspace.user_name)
    except StoreError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    finally:
        workspace.close()
    print(result.summary)
    for note in result.notes:
        print(f"- {note}")
    return 0
