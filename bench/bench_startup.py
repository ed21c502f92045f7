"""Start-up with 10,000 cases in the store, against a bare PySide6 QMainWindow shown in the same run.

Seeds a temporary data folder once with `python main.py seed-demo --cases 10000` (about 30,000 runs too,
a 166 MB file) and a practitioner profile. Then, alternately and each in a fresh Python process, it times
from process launch until `run_app(["--data-dir", folder])` has shown the main window with the first page
of the 10,000 cases listed (the app's first and only window; the event loop has run once after `show()`),
and, for the baseline, until a QApplication with an empty QMainWindow has been shown the same way. The
store's full integrity check and the reading of the checklist files have not started at that moment: the
window starts them on worker threads once it has been painted (see app.ui.main_window), so a practitioner
sees the window first and can read the list while they run. The child imports app.ui.main before
anything else, as `python main.py` does, so the app decides what it imports before Qt. Each figure is the median of REPEATS
launches; the ratio is against the baseline's median. A breakdown of the start path, measured in one more
fresh process, follows. Window settings go to an INI file in the temporary folder, never the person's own.

Bytecode: an installed app runs from compiled bytecode, so both children may cache it, in a folder inside
the temporary folder (PYTHONPYCACHEPREFIX; nothing is written beside the sources), even when
PYTHONDONTWRITEBYTECODE is set in the environment. `--no-bytecode-cache` measures the app compiling every
module on every launch instead (the baseline's PySide6 comes from site-packages' compiled files either way).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [--cases N] [--repeats N]
                                                                      [--no-bytecode-cache]
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
SHOWN = "SHOWN"

OURS = r"""
import sys
import app.ui.main as main  # first, as `python main.py` does: the app decides what comes before Qt
from PySide6.QtCore import QTimer

_open = main.open_workspace

def open_workspace(*args):
    ws = _open(*args)
    import app.ui.main_window as mw  # run_app imports it next anyway
    _show = mw.MainWindow.show

    def show(self):
        _show(self)
        def done():
            print("SHOWN", self.case_list.model.rowCount(), self.case_list.model.total, flush=True)
            self.close()
        QTimer.singleShot(0, done)

    mw.MainWindow.show = show
    return ws

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
    print("SHOWN", 0, 0, flush=True)
    window.close()
    app.quit()
QTimer.singleShot(0, done)
sys.exit(app.exec())
"""

BREAKDOWN = r"""
import sys, time
t = [("start", time.perf_counter())]
def mark(name): t.append((name, time.perf_counter()))
import app.services
mark("import app.services (the records layer, before Qt as app.ui.main does)")
from PySide6.QtWidgets import QApplication
mark("import PySide6.QtWidgets")
import app.ui.main as main
mark("import app.ui.main (Qt namespace, theme)")
qt_app = main.application()
mark("QApplication, fonts, style sheet")
ws = main.open_workspace(sys.argv[1], False)
mark("open the records (header and schema check)")
from app.ui.main_window import MainWindow
mark("import app.ui.main_window")
window = MainWindow(ws, main.settings_for_run())
mark(f"MainWindow() with the case list ({window.case_list.model.rowCount()} rows)")
window.show()
qt_app.processEvents()
mark("show and first paint")
parts = ", ".join(f"{name} {1000 * (t[i][1] - t[i - 1][1]):.0f} ms" for i, (name, _) in enumerate(t) if i)
print("  in one process, after the interpreter started: " + parts)
t0 = time.perf_counter()
ws.store.start_check()
ws.store.wait_for_check()
waited = time.perf_counter() - t0
ws.catalog
print(f"  then, started after the first paint, in the background: the integrity check (and day's backup) "
      f"took {1000 * waited:.0f} ms; reading the checklists {1000 * (time.perf_counter() - t0 - waited):.0f} ms")
window.close()
ws.close()
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
    size = (folder / "records.db").stat().st_size / 1e6
    print(f"seeded {count:,} cases ({size:.0f} MB) in {time.perf_counter() - started:.1f} s", flush=True)


@dataclass
class Launch:
    shown: float      # seconds until the window was shown (with the case list, for ours)
    rows: int         # case rows fetched into the list (the first page)
    total: int        # cases the list reports


def launch(code: str, folder: Path, env: dict[str, str]) -> Launch:
    """Launch a child and time its SHOWN report from the moment of launch."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(SHOWN):
            shown = time.perf_counter() - started
            child.wait(timeout=60)
            _word, rows, total = line.split()
            return Launch(shown, int(rows), int(total))
    _out, err = child.communicate(timeout=60)
    raise RuntimeError(f"the window was never shown (exit {child.returncode}):\n{err[-2000:]}")


def breakdown(folder: Path, env: dict[str, str]) -> None:
    """Where the start path's time goes, measured in a fresh process."""
    result = subprocess.run([sys.executable, "-c", BREAKDOWN, str(folder)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    print(result.stdout.rstrip() or result.stderr[-1000:])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)  # medians need many launches on a noisy machine
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile the app's modules on every launch (as with PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="spc-bench-startup-"))
    try:
        folder = work / "data"
        seed(folder, args.cases)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   SPC_SETTINGS_FILE=str(work / "settings.ini"))
        env.pop("SPC_DATA_DIR", None)
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
            print("bytecode: compiled on every launch (--no-bytecode-cache)")
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
            print("bytecode: cached after the first launch, as in an installed app")
        for _ in range(2):  # warm the file cache and the bytecode for both, untimed
            launch(OURS, folder, env)
            launch(BASELINE, folder, env)
        ours: list[Launch] = []
        bare: list[Launch] = []
        for _ in range(args.repeats):
            ours.append(launch(OURS, folder, env))
            bare.append(launch(BASELINE, folder, env))
        listed = ours[-1]
        print(f"ours, main window with case list (ms): {', '.join(f'{r.shown * 1000:.0f}' for r in ours)}   "
              f"({listed.rows} rows fetched of {listed.total:,} cases)")
        print(f"bare QMainWindow                 (ms): {', '.join(f'{r.shown * 1000:.0f}' for r in bare)}")
        full = report(f"main window with case list, {args.cases:,} cases",
                      statistics.median(r.shown for r in ours) * 1000,
                      statistics.median(r.shown for r in bare) * 1000, TARGET_RATIO)
        breakdown(folder, env)
        return 0 if full.ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
