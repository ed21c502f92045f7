"""Safeguarding Practice Checklists.

`python main.py` opens the desktop app; `python main.py VERB ...` runs a headless command
(see `python main.py --help`). Headless commands never import Qt.
"""
import sys

from app.cli import VERBS, main as cli_main


def main(argv: list[str]) -> int:
    if any(arg in VERBS or arg in ("-h", "--help") for arg in argv if not arg.startswith("--data-dir=")):
        return cli_main(argv)
    from app.ui.main import run_app  # Qt is imported only for the desktop app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
