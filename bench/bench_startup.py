"""Start-up with 10,000 cases in the store, against a bare PySide6 QMainWindow shown in the same run.

Seeds a temporary data folder once with `python main.py seed-demo --cases 10000` (about 30,000 runs too)
and a practitioner profile. Then, alternately and each in a fresh Python process, it times from process
launch to two moments of `run_app(["--data-dir", folder])`:
  - first window: the marked start window saying the records are opening, shown and painted (the
    workspace is opening on a worker thread meanwhile);
  - case list:    the main window shown and painted with the first page of the 10,000 cases, after
    Workspace.open (imports, every checklist file, the store's integrity check and migrations);
and, for the baseline, a QApplication with an empty QMainWindow shown and painted the same way.
Each figure is the median of REPEATS launches; the ratios are against the baseline's median. When the
case list is over target, a breakdown of Workspace.open is printed. Window settings go to an INI file in
the temporary folder, never the person's own.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [--cases N] [--repeats N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import report  # noqa: E402

TARGET_RATIO = 2.0
FIRST, SHOWN = "FIRST", "SHOWN"

OURS = r"""
import sys
from PySide6.QtCore import QTimer
import app.ui.main as main

_first_show = main.StartWindow.show

def first_show(self):
    _first_show(self)
    QTimer.singleShot(0, lambda: print("FIRST", flush=True))

main.StartWindow.show = first_show
_open = main.open_workspace

def open_workspace(*args):
    result = _open(*args)
    import app.ui.main_window as mw
    _show = mw.MainWindow.show

    def show(self):
        _show(self)
        def done():
            print("SHOWN", self.case_list.model.rowCount(), self.case_list.model.total, flush=True)
            self.close()
        QTimer.singleShot(0, done)

    mw.MainWindow.show = show
    return result

main.open_workspace = open_workspace
sys.exit(main.run_app(["--data-dir", sys.argv[1]]))
"""

BASELINE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
window.show()
def done():
    print("FIRST", flush=True)
    print("SHOWN", 0, 0, flush=True)
    window.close()
    app.quit()
QTimer.singleShot(0, done)
sys.exit(app.exec())
"""


def seed(folder: Path, cases: int) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "main.py", "seed-demo", "--cases", str(cases), "--data-dir", str(folder)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    from app.services import Workspace

    ws = Workspace.open(data_dir=folder)
    try:
        ws.save_profile("Bench Practitioner", "practitioner", "Benchmarks")
        count = ws.store.count_cases()
    finally:
        ws.close()
    print(f"seeded {count:,} cases in {time.perf_counter() - started:.1f} s", flush=True)


@dataclass
class Launch:
    first: float      # seconds until the first window was shown and painted
    shown: float      # seconds until the main window was shown and painted with the case list
    rows: int         # case rows fetched into the list (the first page)
    total: int        # cases the list reports


def launch(code: str, folder: Path, env: dict[str, str]) -> Launch:
    """Launch a child and time its FIRST and SHOWN reports from the moment of launch."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = None
    for line in child.stdout:
        if line.startswith(FIRST):
            first = time.perf_counter() - started
        elif line.startswith(SHOWN):
            shown = time.perf_counter() - started
            child.wait(timeout=60)
            _word, rows, total = line.split()
            return Launch(first if first is not None else shown, shown, int(rows), int(total))
    _out, err = child.communicate(timeout=60)
    raise RuntimeError(f"the window was never shown (exit {child.returncode}):\n{err[-2000:]}")


BREAKDOWN = r"""
import sys, time
t0 = time.perf_counter()
import app.services
t1 = time.perf_counter()
from app.catalog import load_catalog
catalog = load_catalog(app.services.CHECKLISTS_DIR)
t2 = time.perf_counter()
from app.store import open_store
store = open_store(sys.argv[1])
t3 = time.perf_counter()
store.count_cases(); store.list_cases(limit=200)
t4 = time.perf_counter()
print(f"  import app.services {1000*(t1-t0):.0f} ms, load_catalog {1000*(t2-t1):.0f} ms, "
      f"open_store {1000*(t3-t2):.0f} ms, count + first page of cases {1000*(t4-t3):.0f} ms")
"""


def breakdown(folder: Path, env: dict[str, str]) -> None:
    """Where Workspace.open's time goes, measured in a fresh process."""
    result = subprocess.run([sys.executable, "-c", BREAKDOWN, str(folder)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    print(result.stdout.rstrip() or result.stderr[-1000:])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="spc-bench-startup-"))
    try:
        folder = work / "data"
        seed(folder, args.cases)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   SPC_SETTINGS_FILE=str(work / "settings.ini"))
        env.pop("SPC_DATA_DIR", None)
        launch(OURS, folder, env)  # warm the file cache and bytecode for both, untimed
        launch(BASELINE, folder, env)
        ours: list[Launch] = []
        bare: list[Launch] = []
        for _ in range(args.repeats):
            ours.append(launch(OURS, folder, env))
            bare.append(launch(BASELINE, folder, env))
        listed = ours[-1]
        print(f"ours, first window (ms): {', '.join(f'{r.first * 1000:.0f}' for r in ours)}")
        print(f"ours, case list    (ms): {', '.join(f'{r.shown * 1000:.0f}' for r in ours)}   "
              f"({listed.rows} rows fetched of {listed.total:,} cases)")
        print(f"bare QMainWindow   (ms): {', '.join(f'{r.shown * 1000:.0f}' for r in bare)}")
        bare_ms = statistics.median(r.shown for r in bare) * 1000
        timing = report("first window shown (records opening)", statistics.median(r.first for r in ours) * 1000,
                        bare_ms, TARGET_RATIO)
        full = report(f"main window with case list, {args.cases:,} cases",
                      statistics.median(r.shown for r in ours) * 1000, bare_ms, TARGET_RATIO)
        if not full.ok:
            print("  the case list waits for Workspace.open (imports, every checklist file, the store's integrity "
                  "check); see the breakdown below")
            breakdown(folder, env)
        return 0 if timing.ok and full.ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
