"""How long opening a stored 60-answer run in the walk-through takes, against a bare Qt baseline.

Builds a temporary workspace whose catalog holds the shipped sources, settings and vague-language files
plus a generated 60-question checklist (six steps of ten, every answer type), answers all 60 with notes,
then measures, offscreen, the median of 20 runs of:
  - view:      WalkthroughView(session) constructed, shown and laid out (first paint pending);
  - open+view: ws.open_run(run_id) (store reads + evaluation) and then the same;
  - baseline:  a QWidget with 60 QLabels and 60 QLineEdits constructed, shown and laid out.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_open_run.py
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import PySide6  # noqa: E402
from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget  # noqa: E402

from app.services import Workspace  # noqa: E402
from app.ui.walkthrough import WalkthroughView  # noqa: E402

REPEATS = 20
TARGET_MS = 100.0
TYPES = ["yes_no_unknown", "single_choice", "multi_choice", "number", "text", "date", "person",
         "yes_no_unknown", "text", "single_choice"]


def _checklist_yaml() -> str:
    lines = ["id: bench-sixty", "version: 1", "title: Sixty questions for timing", "purpose: Timing only.",
             "audience: [benchmarks]", "subject: either", "sections:"]
    for s in range(6):
        lines += [f"  - id: step{s}", f"    title: Step {s + 1} of the timing checklist", "    prompts:"]
        for p in range(10):
            kind = TYPES[p]
            lines += [f"      - id: q{s}_{p}", f"        ask: Timing question {s + 1}.{p + 1}, answered as {kind}?",
                      "        why: Timing only.", f"        type: {kind}", "        sources: [baby-l-1.1]",
                      "        required: true"]
            if kind in ("single_choice", "multi_choice"):
                lines += ["        options:"] + [f"          - {{value: o{i}, label: Option {i}}}" for i in range(5)]
            if kind == "number":
                lines += ["        min: 0", "        max: 100", "        unit: weeks"]
            if kind == "person":
                lines += ["        roles: [mother, father]"]
    lines += ["flags:",
              "  - id: bench_urgent", "    severity: urgent", "    when: q0_0 == 'yes'",
              "    message: Timing flag.", "    action: Call {settings.mash_phone}.", "    sources: [baby-l-1.1]",
              "  - id: bench_act", "    severity: act", "    when: q0_3 > 10",
              "    message: Timing flag two.", "    action: Plan it.", "    sources: [baby-l-1.1]"]
    return "\n".join(lines) + "\n"


def _answer(kind: str):
    return {"yes_no_unknown": "yes", "single_choice": "o2", "multi_choice": ["o1", "o3"], "number": "24",
            "text": "Seen in the kitchen at 10:00; the baby was asleep in a cot in the parents' room.",
            "date": "2026-01-31", "person": "m1"}[kind]


def _prepare(folder: Path) -> tuple[Workspace, int]:
    checklists = folder / "checklists"
    checklists.mkdir()
    for name in ("sources.yaml", "settings.yaml", "vague-language.yaml"):
        shutil.copy(ROOT / "checklists" / name, checklists / name)
    (checklists / "bench-sixty.yaml").write_text(_checklist_yaml(), encoding="utf-8")
    ws = Workspace.open(data_dir=folder / "data", checklists_dir=checklists)
    problems = [p.message for p in ws.catalog.problems]
    if "bench-sixty" not in ws.catalog.checklists:
        raise SystemExit(f"The timing checklist did not load: {problems}")
    ws.save_profile("Bench Runner", "practitioner", "")
    case_id = ws.create_case({"reference": "BENCH-1", "child_name": "Timing Baby", "date_of_birth": "2026-01-01",
                              "household": [{"id": "m1", "name": "Alex Doe", "relationship": "mother"},
                                            {"id": "f1", "name": "Sam Doe", "relationship": "father"}]})
    run_id = ws.start_run(case_id, "bench-sixty")
    session = ws.open_run(run_id)
    for prompt in session.checklist.prompts():
        session.record_answer(prompt.id, _answer(prompt.type.value), note="Checked with the GP.", how_known="seen")
    assert len(ws.open_run(run_id).answers) == 60
    return ws, run_id


def _time(build) -> float:
    app = QApplication.instance()
    start = time.perf_counter()
    widget = build()
    widget.resize(1400, 900)
    widget.show()
    app.processEvents()
    elapsed = (time.perf_counter() - start) * 1000
    widget.close()
    widget.deleteLater()
    # processEvents() alone never runs deferred deletes posted at this loop level; without this, every
    # earlier view would still be alive and each measurement would be slower than the last.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return elapsed


def _baseline() -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    for i in range(60):
        layout.addWidget(QLabel(f"Timing question {i + 1}?", widget))
        layout.addWidget(QLineEdit(widget))
    return widget


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws, run_id = _prepare(Path(tmp))
        try:
            session = ws.open_run(run_id)
            _time(lambda: WalkthroughView(session))     # warm up imports, style sheet parsing, fonts
            _time(_baseline)
            view_ms, open_ms, base_ms = [], [], []
            for _ in range(REPEATS):   # interleaved, so drift in the machine hits all three alike
                view_ms.append(_time(lambda: WalkthroughView(session)))
                open_ms.append(_time(lambda: WalkthroughView(ws.open_run(run_id))))
                base_ms.append(_time(_baseline))
        finally:
            ws.close()
    view, opened, base = (statistics.median(v) for v in (view_ms, open_ms, base_ms))
    print(f"Opening a stored 60-answer run (median of {REPEATS}, offscreen, PySide6 {PySide6.__version__}):")
    print(f"  walk-through view built and laid out : {view:7.1f} ms  ({view / base:4.1f} x baseline)")
    print(f"  open_run + view                       : {opened:7.1f} ms  ({opened / base:4.1f} x baseline)")
    print(f"  baseline: QWidget, 60 labels + edits  : {base:7.1f} ms")
    verdict = "within" if opened < TARGET_MS else "OVER"
    print(f"  target < {TARGET_MS:.0f} ms for open_run + view: {verdict}")
    return 0 if opened < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
