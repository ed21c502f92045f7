"""The `report` verb: print one checklist run, or a whole case, to a PDF file. Never imports Qt.

The PDF is built in memory, written to a temporary file in the target folder, flushed to disk and
then renamed over the target, so the file at PATH is either the whole new report or untouched.
Messages name run ids, case references and paths, never anything recorded in a run.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import files
from app.catalog import load_catalog
from app.documents import case_document, run_document
from app.report import make_case_pdf, make_run_pdf
from app.store import NotFound, StoreError, open_store

CHECKLISTS_DIR = Path(__file__).resolve().parents[2] / "checklists"

EXIT_OK = 0
EXIT_NOT_FOUND = 3
EXIT_CANNOT_WRITE = 4
EXIT_RECORDS = 6

EPILOG = """exit status: 0 written; 2 wrong arguments; 3 no such run or case; 4 the file cannot be written;
6 the records cannot be read. Text in a script no font on this computer has is printed as its code points
(the PDF says so, and so does a note on standard error): it never stops the report."""


class CannotWrite(Exception):
    """The report file cannot be written; the message says where and why."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` verb."""
    parser = subparsers.add_parser(
        "report", help="write a PDF of one checklist run or of a whole case",
        description="Write a PDF of one checklist run (--run) or of every run of a case (--case).",
        epilog=EPILOG)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--run", type=int, metavar="ID", help="the run id (see `python main.py runs`)")
    which.add_argument("--case", metavar="REF", help="the case reference")
    parser.add_argument("--out", required=True, metavar="PATH", help="the PDF file to write (replaced if it exists)")
    parser.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Build the PDF and write it whole to --out; print one line saying what happened."""
    out = Path(args.out).expanduser().absolute()
    try:
        check_target(out)
        catalog = load_catalog(CHECKLISTS_DIR)
        store = open_store(args.data_dir, training=args.training, auto_backup=False)
        try:
            if args.run is not None:
                made = make_run_pdf(run_document(store, catalog, args.run, training=args.training))
                what = f"run {args.run}"
            else:
                made = make_case_pdf(case_document(store, catalog, args.case, training=args.training))
                what = f"case {args.case}"
        finally:
            store.close()
        write_whole(out, made.data)
    except NotFound as exc:
        return _fail(exc.user_message, EXIT_NOT_FOUND)
    except CannotWrite as exc:
        return _fail(str(exc), EXIT_CANNOT_WRITE)
    except StoreError as exc:
        return _fail(exc.user_message, EXIT_RECORDS)
    print(f"Wrote the report of {what} to {out}")
    if made.unprintable:
        print(unprintable_note(made.unprintable), file=sys.stderr)
    return EXIT_OK


def unprintable_note(characters: tuple[str, ...]) -> str:
    """Says that the PDF shows some characters as code points, without naming them (they are part of the
    record, and nothing recorded is printed here): the PDF's first page lists them."""
    count = len(characters)
    return (f"Note: {count} different character{'s' if count != 1 else ''} in this record "
            f"{'are' if count != 1 else 'is'} in a script that no font on this computer has. The PDF shows "
            f"{'them' if count != 1 else 'it'} as Unicode code points, marked [characters not shown: U+...], "
            "and lists them on its first page. Install a font for that script and write the report again to "
            "print the text itself.")


def _fail(message: str, code: int) -> int:
    print(f"No report written. {message}", file=sys.stderr)
    return code


def check_target(out: Path) -> None:
    """Raise CannotWrite early (before any work) if `out` can plainly not be written."""
    if out.is_dir():
        raise CannotWrite(f"{out} is a folder; give a file name, e.g. {out / 'report.pdf'}.")
    if not out.parent.is_dir():
        raise CannotWrite(f"The folder {out.parent} does not exist.")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise CannotWrite(f"You do not have permission to write in {out.parent}.")


def write_whole(out: Path, data: bytes) -> None:
    """Write `data` to `out` whole or not at all (app.files), with a message naming the file."""
    try:
        files.write_whole(out, data)
    except OSError as exc:
        raise CannotWrite(f"Cannot write {out}: {exc.strerror or exc}.") from exc
