"""Retake the README pictures that show local settings (the partnership's name, the MASH numbers).

    make screenshots                              # all of them, into docs/
    python scripts/screenshots.py review pdf-preview   # only these

Each picture is made offscreen from fictional records in a temporary folder, with the shipped checklists
and checklists/settings.yaml, so a change of wording or settings shows up when the pictures are retaken:

    walkthrough       docs/screenshot-walkthrough.png   a bruising checklist with its urgent flag, 1440x960
    summary           docs/screenshot-summary.png       the same checklist on Check and submit, 1440x960
    pdf-preview       docs/screenshot-pdf-preview.png   the PDF preview of a bruising checklist, 1040x1180
    review            docs/screenshot-review.png        a supervisor reviewing a rushed checklist, 1360x860
    report-assurance  docs/report-assurance.png         page 1 of the partnership assurance PDF, at 70 dpi

The other pictures in docs/ show no local settings and are not made here.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from app.catalog import Catalog, load_catalog  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.store import Store  # noqa: E402
from app.ui.main import application  # noqa: E402

DOCS = ROOT / "docs"
TODAY = dt.date.today()
HOUSEHOLD = [{"id": "m1", "name": "Kerry Lowe", "relationship": "mother", "date_of_birth": "1999-04-02"},
             {"id": "m2", "name": "Dean Marsh", "relationship": "partner", "lives_with_child": False}]
SIBLING = {"id": "c1", "name": "Tyler Lowe", "relationship": "sibling", "date_of_birth": "2023-05-14"}


# ------------------------------------------------------------------------------------------------ helpers

def settle(app: QApplication, rounds: int = 20) -> None:
    """Let Qt lay out and paint (offscreen there is no event loop running between steps)."""
    for _ in range(rounds):
        app.processEvents()


def show(app: QApplication, widget: QWidget, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    settle(app)


def save(widget: QWidget, name: str) -> Path:
    path = DOCS / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"Could not write {path}")
    return path


def scroll_to_bottom(widget: QWidget) -> None:
    area = widget if isinstance(widget, QScrollArea) else widget.findChild(QScrollArea)
    bar = area.verticalScrollBar()
    bar.setValue(bar.maximum())


def workspace(folder: Path, catalog: Catalog, profile: tuple[str, str, str], clock: Callable[[], str] | None = None,
              ) -> Workspace:
    store = Store.open(folder / "records.db", auto_backup=False, **({"now": clock} if clock else {}))
    ws = Workspace(store, catalog, data_dir=folder, today=lambda: TODAY)
    ws.save_profile(*profile)
    return ws


def baby(ws: Workspace, reference: str, name: str, days_old: int, mobility: str, household: list[dict]) -> int:
    return ws.create_case({"reference": reference, "child_name": name, "mobility": mobility, "household": household,
                           "date_of_birth": (TODAY - dt.timedelta(days=days_old)).isoformat()})


# ------------------------------------------------------------------------------- walk-through and summary

BRUISE_STEP_ONE = {"unwell": ("no", "seen"), "mobility": ("rolls", "seen"), "mark_kind": (["bruise"], None)}
BRUISE_REST = {"seen_how": ("seen", None), "documented_medical": ("no", None),
               "mark_description": ("Small bruise on the upper arm; home was chaotic.", None),
               "referral_made": ("yes", None), "paediatric_arranged": ("yes", None), "sites": (["other"], None),
               "explanation_given": ("fits", None),
               "explanation_text": ("Mother says he rolled against the cot bars overnight.", "reported"),
               "carers": (["mother"], None), "siblings": ("yes", None), "other_injuries": ("no", None),
               "delayed": ("no", None)}


def _answer(session, plan: dict[str, tuple[object, str | None]]) -> None:
    """Answer what is in `plan` as the questions appear (an answer can reveal the next question)."""
    for _ in range(6):
        todo = [p.id for p in session.evaluation.visible_prompts if p.id in plan and p.id not in session.answers]
        if not todo:
            return
        for prompt_id in todo:
            value, how = plan[prompt_id]
            session.record_answer(prompt_id, value, how_known=how,
                                  reported_by="the mother" if how == "reported" else None)


def bruising_view(app: QApplication, folder: Path, catalog: Catalog, complete: bool):
    from app.ui.walkthrough import WalkthroughView

    ws = workspace(folder, catalog, ("Sam Patel", "practitioner", "Health Visiting West"))
    case_id = baby(ws, "HV-1001", "Baby K", 49, "rolls", [*HOUSEHOLD, SIBLING])
    session = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    _answer(session, BRUISE_STEP_ONE)
    if complete:
        unknown = [p for p in BRUISE_REST if session.checklist.prompt(p) is None]
        assert not unknown, f"the bruising checklist has no questions {unknown}"
        _answer(session, BRUISE_REST)
    view = WalkthroughView(session)
    show(app, view, 1440, 960)
    return ws, view


def picture_walkthrough(app: QApplication, folder: Path, catalog: Catalog) -> Path:
    ws, view = bruising_view(app, folder, catalog, complete=False)
    try:
        card = view.cards["mark_description"]
        card.editor.edit.setFocus()
        card.editor.edit.setPlainText(BRUISE_REST["mark_description"][0])  # being typed: the nudge shows
        card.why_button.click()
        settle(app)
        scroll_to_bottom(view.stack.currentWidget())
        settle(app)
        return save(view, "screenshot-walkthrough.png")
    finally:
        view.close()
        ws.close()


def picture_summary(app: QApplication, folder: Path, catalog: Catalog) -> Path:
    ws, view = bruising_view(app, folder, catalog, complete=True)
    try:
        view.go_to_step(view.summary_index)
        settle(app)
        return save(view, "screenshot-summary.png")
    finally:
        view.close()
        ws.close()


# ------------------------------------------------------------------------------------------- PDF preview

def picture_pdf_preview(app: QApplication, folder: Path, catalog: Catalog) -> Path:
    from app.ui.report_preview import ReportPreview, make_run_report

    ws = workspace(folder, catalog, ("Sam Patel", "practitioner", "Health Visiting West"))
    case_id = baby(ws, "HV-1001", "Baby K", 49, "rolls", HOUSEHOLD)
    session = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    _answer(session, {**BRUISE_STEP_ONE, "seen_how": ("seen", None), "documented_medical": ("no", None),
                      "mark_description": ("Round blue-grey bruise, 1 cm, on the outer left upper arm; seen at the "
                                           "home visit while changing him.", "seen")})
    session.record_flag_response("nim_mark_same_day", action_taken="Phoned the MASH and the paediatric "
                                 "registrar", by_whom="Sam Patel", by_when=TODAY.isoformat())
    preview = ReportPreview(make_run_report(ws, session.run_id))
    try:
        show(app, preview, 1040, 1180)
        preview.fit_width()
        settle(app)
        return save(preview, "screenshot-pdf-preview.png")
    finally:
        preview.close()
        ws.close()


# ------------------------------------------------------------------------------------------------ review

class Clock:
    """The store's clock: each write `step` seconds after the one before."""

    def __init__(self, start: dt.datetime, step: float):
        self.at, self.step = start, step

    def __call__(self) -> str:
        self.at += dt.timedelta(seconds=self.step)
        return self.at.isoformat(timespec="microseconds")


def picture_review(app: QApplication, folder: Path, catalog: Catalog) -> Path:
    from app.supervision import Supervision
    from app.ui.review import ReviewQueuePage

    start = dt.datetime.combine(TODAY, dt.time(11, 11, 10)).astimezone(dt.timezone.utc)
    clock = Clock(start, 45)
    ws = workspace(folder, catalog, ("Amina Patel", "practitioner", "Health visiting North"), clock)
    ws.save_profile("Sam Okafor", "supervisor", "Health visiting North")
    ws.save_profile("Amina Patel", "practitioner", "Health visiting North")
    case_id = baby(ws, "WV-1001", "Baby 1", 150, "not_rolling",
                   [{"id": "m1", "name": "Kasia Nowak", "relationship": "mother"},
                    {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}])
    session = ws.open_run(ws.start_run(case_id, "non-mobile-bruising"))
    clock.step = 1  # answered a second or two apart: a sign of a rushed checklist
    _answer(session, {"unwell": ("no", None), "mobility": ("not_rolling", None), "mark_kind": (["bruise"], None),
                      "seen_how": ("seen", None), "documented_medical": ("no", None), "mark_description": ("ok", None),
                      "referral_made": ("yes", None), "paediatric_arranged": ("yes", None),
                      "sites": (["shin_knee"], None), "explanation_given": ("fits", None),
                      "other_injuries": ("no", None), "carers": (["mother"], None)})
    clock.step = 45
    for flag in session.evaluation.flags:
        session.record_flag_response(flag.id, action_taken="Discussed with the MASH", by_whom="Amina Patel",
                                     by_when=TODAY.isoformat())
    missing = [p.id for p in session.evaluation.missing_required]
    assert not missing, f"the review picture's checklist still needs {missing}"
    session.submit()
    clock.at = dt.datetime.combine(TODAY, dt.time(12, 52)).astimezone(dt.timezone.utc)
    ws.save_profile("Sam Okafor", "supervisor", "Health visiting North")
    answered = len(ws.store.get_answers(session.run_id))
    Supervision(ws).comment(session.run_id, f"{_words(answered).capitalize()} answers in under a minute and a "
                                            "two-letter description: let's go through this visit together on "
                                            "Thursday before I sign it off.")
    page = ReviewQueuePage(ws)  # the review is shown inside the queue page, which carries its styles
    try:
        show(app, page, 1360, 860)
        page.open_run(session.run_id)
        settle(app)
        return save(page, "screenshot-review.png")
    finally:
        page.close()
        ws.close()


def _words(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen".split()
    return words[n] if n < len(words) else str(n)


# ------------------------------------------------------------------------------------- assurance PDF page

def _assurance_runs(catalog: Catalog) -> Iterator[dict]:
    """160 fictional checklists started in the last 90 days, with the answers and flag responses that give
    the figures drawn in the README (early help considered for 29 of 42, and so on)."""
    checklists = catalog.checklists
    practitioners = ["Amina Patel", "Priya Das", "Beata Kowalska", "Tom Reid"]
    now = dt.datetime.combine(TODAY, dt.time(9)).astimezone(dt.timezone.utc)
    counter = iter(range(10_000))
    stamp = lambda moment: moment.isoformat(timespec="microseconds")  # noqa: E731

    def run(checklist_id: str, answers: dict | None = None, flags: list[tuple[str, dict | None]] = ()) -> dict:
        i = next(counter)
        checklist = checklists[checklist_id]
        created = now - dt.timedelta(days=8 + i % 80, hours=i % 7)
        rules = {rule.id: rule for rule in checklist.flags}
        settings = catalog.settings
        raised, responses = [], {}
        for flag_id, response in flags:
            rule = rules[flag_id]
            raised.append({"flag_id": flag_id, "severity": str(rule.severity), "message": settings.format(rule.message),
                           "action": settings.format(rule.action), "raised_at": stamp(created)})
            if response is not None:
                response = {"by_whom": practitioners[i % 4], **response}
                days = response.pop("days_after_flag", None)
                if days is not None:
                    response["responded_at"] = stamp(created + dt.timedelta(days=days, minutes=40))
                responses[flag_id] = response
        return {"case_reference": "DEMO-000001", "checklist_id": checklist_id, "version": checklist.version,
                "snapshot": checklist.snapshot, "practitioner": practitioners[i % 4], "status": "submitted",
                "created_at": stamp(created), "updated_at": stamp(created + dt.timedelta(hours=1)),
                "submitted_at": stamp(created + dt.timedelta(hours=1)),
                "answers": {k: {"value": v} for k, v in (answers or {}).items()}, "flags": raised,
                "responses": responses}

    overdue_left = [47]  # actions whose 'by when' date has passed

    def action(days_after_flag: int = 0) -> dict:
        """An action recorded `days_after_flag` days after the flag was raised."""
        passed = overdue_left[0] > 0
        overdue_left[0] -= passed
        by_when = TODAY - dt.timedelta(days=1) if passed else TODAY + dt.timedelta(days=3)
        return {"action_taken": "Referred to the MASH", "by_when": by_when.isoformat(),
                "days_after_flag": days_after_flag}

    reason = {"reason_not_acting": "Already in hand: the allocated social worker made the referral the same day."}

    # Pre-birth: 42, the early help answer for each.
    for value, n in (("early_help_under_way", 14), ("prebirth_under_way", 7), ("considered_not_needed", 8),
                     ("not_considered", 12), (None, 1)):
        for _ in range(n):
            yield run("pre-birth-early-help", {"early_help": value} if value else {})
    # Fathers and male carers: 36, how he was seen; 15 with his history asked and checks made (6 seen alone).
    assessed = {"seen_alone": 6, "seen_with_mother": 5, "not_seen": 1, "declined": 1, "risk_not_safe": 0, None: 2}
    for value, n in (("seen_alone", 12), ("seen_with_mother", 11), ("not_seen", 3), ("declined", 4),
                     ("risk_not_safe", 2), (None, 4)):
        for k in range(n):
            answers = {"man_seen": value} if value else {}
            if k < assessed[value]:
                answers.update(childhood=["none_known"], checks_made=["police", "gp"])
            yield run("fathers-and-male-carers", answers)
    # Bruising: 24 started, the same-day flag raised on 20: 13 acted on the day, 3 later, 2 reasons, 2 silent.
    for k in range(24):
        if k >= 20:
            yield run("non-mobile-bruising")
        elif k < 16:
            yield run("non-mobile-bruising", flags=[("nim_mark_same_day", action(0 if k < 13 else 2))])
        elif k < 18:
            yield run("non-mobile-bruising", flags=[("nim_mark_same_day", reason)])
        else:
            yield run("non-mobile-bruising", flags=[("nim_mark_same_day", None)])
    # Was Not Brought: 35 started, 51 flags: 46 with an action, 2 with a reason, 3 silent.
    wnb = ["repeated_wnb", "record_as_wnb", "gp_not_registered", "red_book_not_updated"]
    answered = 0
    for k in range(35):
        flags = []
        for flag_id in wnb[:2 if k < 16 else 1]:
            answered += 1
            flags.append((flag_id, action() if answered <= 46 else reason if answered <= 48 else None))
        yield run("was-not-brought", flags=flags)
    # Family history and cumulative risk: 23, three with a flag nobody has answered yet.
    for k in range(23):
        yield run("family-history-cumulative-risk",
                  flags=[("neglect_tool_needed", None)] if k < 3 else [])


def picture_report_assurance(app: QApplication, folder: Path, catalog: Catalog) -> Path:
    from app.assurance import assurance_figures
    from app.report.assurance_pdf import build_assurance_pdf

    ws = workspace(folder, catalog, ("Jo Okafor", "supervisor", ""))
    try:
        for name, team in (("Amina Patel", "Health visiting North"), ("Priya Das", "Health visiting West"),
                           ("Beata Kowalska", "Children's social care West"), ("Tom Reid", "Health visiting North")):
            ws.store.save_profile({"name": name, "role": "practitioner", "team": team})
        ws.store.seed([{"reference": "DEMO-000001", "child_name": "Demo child", "date_of_birth": "2026-01-20"}],
                      _assurance_runs(catalog), by="screenshots")
        figures = assurance_figures(ws, TODAY - dt.timedelta(days=90), TODAY)
        data = build_assurance_pdf(figures)
    finally:
        ws.close()
    return _save_pdf_page(data, "report-assurance.png", dpi=70)


def _save_pdf_page(data: bytes, name: str, dpi: int) -> Path:
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    points = document.pagePointSize(0)
    image = document.render(0, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    path = DOCS / name
    if not flat.save(str(path)):
        raise SystemExit(f"Could not write {path}")
    return path


PICTURES: dict[str, Callable[[QApplication, Path, Catalog], Path]] = {
    "walkthrough": picture_walkthrough,
    "summary": picture_summary,
    "pdf-preview": picture_pdf_preview,
    "review": picture_review,
    "report-assurance": picture_report_assurance,
}


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in PICTURES]
    if unknown:
        print(f"Unknown picture {', '.join(unknown)}. Pictures: {', '.join(PICTURES)}.", file=sys.stderr)
        return 2
    app = application()
    catalog = load_catalog(ROOT / "checklists")
    if catalog.problems:
        print("\n".join(str(p) for p in catalog.problems), file=sys.stderr)
        return 1
    for name in argv or list(PICTURES):
        with tempfile.TemporaryDirectory() as folder:
            print(PICTURES[name](app, Path(folder), catalog).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
