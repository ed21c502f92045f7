"""How long a 60-answer run's PDF takes, against a bare reportlab document of the same text.

The baseline is a SimpleDocTemplate holding one Paragraph per piece of text the record prints
(same words, reportlab's default Helvetica style, no tables, fonts or page furniture), built in the
same process. Both are timed alternately after one warm-up build; the report prints the medians
and their ratio. Target: within 1.5x of the baseline.

    .venv/bin/python bench/bench_report.py [--repeats N]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from app.report import RunDocument, build_run_pdf  # noqa: E402
from app.report.example import example_run_document  # noqa: E402
from app.report.text import escape  # noqa: E402

TARGET_RATIO = 1.5


def document_texts(doc: RunDocument) -> list[str]:
    """Every piece of recorded text the run's PDF prints, in reading order."""
    texts = [doc.checklist_title, doc.case_reference, doc.child_name, doc.practitioner_name,
             doc.practitioner_team, doc.status]
    for flag in doc.flags:
        texts += [flag.message, flag.action]
    for section in doc.sections:
        texts.append(section.title)
        texts += [section.skipped_because] if not section.shown else []
        for answer in section.answers:
            texts += [answer.question, answer.answer_text, answer.how_known_label, answer.note]
    for flag in doc.flags:
        if flag.response:
            texts += [flag.response.action_taken, flag.response.by_whom, flag.response.reason_not_acting]
    for source in doc.sources:
        texts += [source.title, source.document, source.summary]
    return [t for t in texts if t]


def bare_pdf(texts: list[str]) -> bytes:
    """The baseline: the same text as plain paragraphs in reportlab's default style."""
    buffer = io.BytesIO()
    style = getSampleStyleSheet()["Normal"]
    SimpleDocTemplate(buffer).build([Paragraph(escape(t), style) for t in texts])
    return buffer.getvalue()


def paired_medians(first: Callable[[], object], second: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall times of two pieces of work, run alternately so that background load hits both alike.

    Each runs once untimed first (font registration, style caches, imports).
    """
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for work, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            work()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the figures; exit 1 when the ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args(argv)
    doc = example_run_document(60, training=False)
    answers = sum(len(s.answers) for s in doc.sections)
    texts = document_texts(doc)
    ours, bare = paired_medians(lambda: build_run_pdf(doc), lambda: bare_pdf(texts), args.repeats)
    ratio = ours / bare
    print(f"report: {answers}-answer run, {len(texts)} pieces of text, {args.repeats} repeats")
    print(f"  build_run_pdf           median {ours * 1000:7.1f} ms")
    print(f"  bare SimpleDocTemplate  median {bare * 1000:7.1f} ms")
    print(f"  ratio {ratio:.2f}x (target within {TARGET_RATIO}x) {'OK' if ratio <= TARGET_RATIO else 'SLOWER'}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
