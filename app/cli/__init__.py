"""Headless command line. Each verb lives in a module of this package that defines
`register(subparsers)`; the parser it adds sets `func(args) -> int`. Never imports Qt."""
from __future__ import annotations

import argparse
import importlib
import sys

# verb -> module that registers it
VERBS: dict[str, str] = {
    "validate": "app.cli.checklists",
    "checklists": "app.cli.checklists",
    "evaluate": "app.cli.checklists",
    "seed-demo": "app.cli.records",
    "runs": "app.cli.records",
    "check": "app.cli.records",
    "report": "app.cli.reports",
    "export": "app.cli.exchange",
    "import": "app.cli.exchange",
    "scenarios": "app.cli.training",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="Safeguarding Practice Checklists. Without a command, opens the desktop app.",
    )
    parser.add_argument("--data-dir", help="folder for the local records (default: your user data folder)")
    parser.add_argument("--training", action="store_true", help="use the training workspace (fictional data)")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND")
    seen: set[str] = set()
    for module_name in dict.fromkeys(VERBS.values()):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # that verb is not built yet
                continue
            raise
        module.register(sub)
        seen.add(module_name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)
