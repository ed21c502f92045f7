"""The assurance dashboard, used as a supervisor would: choose a period and team, read the tiles and charts,
export CSV and PDF. Figures only: nothing on the page names a child, a case or a practitioner.

The figures are counted on a worker thread. To watch the page while it counts, `gate` holds the store's
first assurance query on the worker until the test lets it go: the count is then under way for as long as
the test needs, with no sleeping and hoping."""
from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from app.assurance import AssuranceError
from app.services import Workspace
from app.store.errors import StoreBusy
from app.ui import workers
from app.ui.assurance import AssurancePage
from app.ui.assurance.charts import BarChart, Tile
from app.ui.assurance.page import span_text

TODAY = dt.date.today()
NORTH, WEST = "Health visiting North", "Children's social care West"
SECRETS = ("Baby Quigley-Akintola", "Zofia Wiśniewska", "WV-7301", "Amina Patel", "Priya Das", "Referred to the MASH")


def stamp(day: dt.date, hour: int = 10) -> str:
    return dt.datetime.combine(day, dt.time(hour), dt.timezone.utc).isoformat(timespec="microseconds")


def load(ws: Workspace) -> None:
    """A small fictional spread: two teams, bruising runs with and without same-day action, early help answers."""
    store = ws.store
    store.save_profile({"name": "Amina Patel", "role": "practitioner", "team": NORTH})
    store.save_profile({"name": "Priya Das", "role": "practitioner", "team": WEST})
    store.seed([{"reference": "WV-7301", "child_name": "Baby Quigley-Akintola", "date_of_birth": "2026-01-20",
                 "household": [{"id": "m1", "name": "Zofia Wiśniewska", "relationship": "mother"}]}], [], by="Test")
    day = TODAY - dt.timedelta(days=10)
    bruising = ws.catalog.checklists["non-mobile-bruising"]
    prebirth = ws.catalog.checklists["pre-birth-early-help"]
    rule = next(f for f in bruising.flags if f.id == "nim_mark_same_day")

    def run(checklist, who, answers=None, response_day=None):
        flags, responses = [], {}
        if checklist is bruising:
            flags = [{"flag_id": rule.id, "severity": str(rule.severity), "message": rule.message,
                      "action": rule.action, "raised_at": stamp(day)}]
            if response_day:
                responses = {rule.id: {"action_taken": "Referred to the MASH", "by_whom": "Amina Patel",
                                       "responded_at": stamp(response_day, 15)}}
        return {"case_reference": "WV-7301", "checklist_id": checklist.id, "version": checklist.version,
                "snapshot": checklist.snapshot, "practitioner": who, "status": "submitted",
                "created_at": stamp(day, 9), "updated_at": stamp(day, 17),
                "answers": {k: {"value": v} for k, v in (answers or {}).items()}, "flags": flags,
                "responses": responses}

    store.seed([], [run(bruising, "Amina Patel", response_day=day),
                    run(bruising, "Amina Patel", response_day=day + dt.timedelta(days=2)),
                    run(bruising, "Priya Das"),
                    run(prebirth, "Amina Patel", {"early_help": "early_help_under_way"}),
                    run(prebirth, "Priya Das", {"early_help": "not_considered"})], by="Test")


@pytest.fixture
def supervisor_ws(tmp_path: Path):
    ws = Workspace.open(tmp_path / "data")
    ws.save_profile("Jo Okafor", "supervisor", "")
    load(ws)
    yield ws
    ws.close()


def settled(qtbot, page: AssurancePage) -> None:
    """Wait until the figures for the chosen period and team are on screen (or could not be counted)."""
    qtbot.waitUntil(lambda: not page.counting and page.count_task is None, timeout=20000)


@pytest.fixture
def page(qtbot, supervisor_ws):
    widget = AssurancePage(supervisor_ws)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    settled(qtbot, widget)
    yield widget
    workers.wait_for_all()  # no count left reading a workspace about to be closed


class Gate:
    """Stands in for a store method: each call waits on the worker thread until the test lets it go, then
    does the real work. `calls` holds (args, event) in the order the calls arrived."""

    def __init__(self, real) -> None:
        self.real = real
        self.calls: list[tuple[tuple, threading.Event]] = []
        self.gone = False  # once the test is over, calls go straight through

    def __call__(self, *args):
        opened = threading.Event()
        if self.gone:
            opened.set()
        self.calls.append((args, opened))
        assert opened.wait(30), "the test never let the count go on"
        return self.real(*args)

    def open(self, index: int) -> None:
        self.calls[index][1].set()

    def open_all(self) -> None:
        for _args, opened in self.calls:
            opened.set()

    def let_all_through(self) -> None:
        self.gone = True
        self.open_all()

    def team(self, index: int) -> str | None:
        return self.calls[index][0][2]  # assurance_runs(since, until, team)


@pytest.fixture
def gate(page, supervisor_ws, monkeypatch):
    """Hold each count of `page` on its first store query until the test opens the gate."""
    held = Gate(supervisor_ws.store.assurance_runs)
    monkeypatch.setattr(supervisor_ws.store, "assurance_runs", held)
    yield held
    held.let_all_through()
    workers.wait_for_all()  # pytest-qt has closed the page by now; no count may outlive the workspace


def choose_team(qtbot, page: AssurancePage, team: str) -> None:
    """Pick a team with the arrow keys, as a keyboard user would."""
    wanted = page.team_combo.findText(team)
    assert wanted >= 0, f"{team!r} is not in the team list"
    page.team_combo.setFocus()
    key = Qt.Key.Key_Down if wanted > page.team_combo.currentIndex() else Qt.Key.Key_Up
    while page.team_combo.currentIndex() != wanted:
        qtbot.keyClick(page.team_combo, key)


def test_tiles_show_each_question_for_the_default_period(page):
    tiles = page.tiles
    assert isinstance(tiles["bruising"], Tile)
    assert tiles["bruising"].figure.text() == "33%"
    assert tiles["bruising"].detail.text() == "1 of 3"
    assert tiles["bruising"].label.text() == "Same-day action recorded"
    assert tiles["early_help"].figure.text() == "50%"
    assert tiles["was_not_brought"].figure.text() == "–"  # none to count, not a misleading 0%
    assert "Same-day action recorded: 1 of 3 (33%)" in tiles["bruising"].accessibleDescription()
    chart = page.cards["bruising"].chart
    assert isinstance(chart, BarChart)
    assert "Action recorded: 2 of 3 (67%)" in chart.accessibleDescription()
    assert "No response yet: 1 of 3 (33%)" in chart.accessibleDescription()
    assert not page.message.isVisible()


def test_choosing_a_team_counts_only_that_team(qtbot, page):
    assert [page.team_combo.itemText(i) for i in range(page.team_combo.count())] == ["All teams", WEST, NORTH]
    choose_team(qtbot, page, NORTH)
    settled(qtbot, page)
    assert page.figures.team == NORTH
    assert page.tiles["bruising"].detail.text() == "1 of 2"
    assert page.tiles["early_help"].figure.text() == "100%"
    choose_team(qtbot, page, WEST)
    settled(qtbot, page)
    assert page.tiles["bruising"].detail.text() == "0 of 1"


def test_a_period_with_nothing_in_it_says_so(qtbot, page):
    page.from_edit.setDate(QDate(2020, 1, 1))
    page.to_edit.setDate(QDate(2020, 3, 31))
    settled(qtbot, page)
    assert page.message.isVisible()
    assert "No checklists were started from 1 January 2020 to 31 March 2020" in page.message.text()
    assert page.csv_button.isEnabled()  # an empty return is still a return the board may want


def test_a_period_that_ends_before_it_starts_is_explained_and_exports_wait(qtbot, page):
    page.to_edit.setFocus()
    page.to_edit.setDate(QDate(2020, 1, 1))
    assert page.message.isVisible() and "ends before it starts" in page.message.text()
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    assert not page.counting  # nothing to count: explained at once
    assert page.body.graphicsEffect() is not None  # the figures still shown are dimmed: not for that period
    page.to_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert not page.message.isVisible()
    settled(qtbot, page)
    assert page.pdf_button.isEnabled() and page.figures.date_to == TODAY
    assert page.body.graphicsEffect() is None


def test_export_csv_saves_the_figures_on_screen(qtbot, page, tmp_path):
    target = tmp_path / "figures.csv"
    page.ask_save_path = lambda title, suggested, kinds: str(target)
    with qtbot.waitSignal(page.csv_saved, timeout=5000) as saved:
        qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    assert saved.args == [str(target)]
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert ["Was bruising in a non-mobile baby referred the same day?", "Same-day action recorded", "1", "3", "33"] in rows
    assert f"Saved the figures to {target}" == page.status_label.text()


def test_cancelling_the_save_dialog_saves_nothing(qtbot, page, tmp_path):
    page.ask_save_path = lambda title, suggested, kinds: ""
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    assert page.pdf_task is None and page.status_label.text() == ""
    assert list(tmp_path.glob("*.pdf")) == []


def test_export_pdf_is_made_on_a_worker_and_saved_whole(qtbot, page, tmp_path):
    target = tmp_path / "board.pdf"
    asked = {}

    def ask(title, suggested, kinds):
        asked.update(title=title, suggested=suggested, kinds=kinds)
        return str(target)

    page.ask_save_path = ask
    with qtbot.waitSignal(page.pdf_saved, timeout=30000) as saved:
        qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
        assert not page.pdf_button.isEnabled()  # one PDF at a time
    assert saved.args == [str(target)]
    assert target.read_bytes().startswith(b"%PDF")
    assert asked["kinds"] == "PDF files (*.pdf)" and asked["suggested"].endswith(f"-to-{TODAY.isoformat()}.pdf")
    assert page.pdf_button.isEnabled()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_a_pdf_that_cannot_be_saved_is_reported_in_plain_words(qtbot, page, tmp_path):
    page.ask_save_path = lambda title, suggested, kinds: str(tmp_path / "no-such-folder" / "board.pdf")
    with qtbot.waitSignal(page.export_failed, timeout=30000) as failed:
        qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    assert "could not be used" in failed.args[0]
    assert page.status_label.text() == "The export was not saved."
    for box in page.findChildren(QMessageBox):
        box.close()
    assert page.pdf_button.isEnabled()


def test_showing_the_page_again_counts_records_added_since(qtbot, page, supervisor_ws):
    assert page.figures.runs.value == 5
    page.hide()
    case_id = supervisor_ws.store.find_case("WV-7301")["id"]
    supervisor_ws.start_run(case_id, "was-not-brought")
    supervisor_ws.store.save_profile({"name": "Kit Mayo", "role": "practitioner", "team": "School nursing"})
    page.show()
    assert page.counting
    settled(qtbot, page)
    assert page.figures.runs.value == 6
    assert page.team_combo.findText("School nursing") > 0


def test_nothing_on_the_page_names_a_child_case_or_practitioner(page):
    shown = [label.text() for label in page.findChildren(QLabel)]
    shown += [chart.accessibleDescription() for chart in page.findChildren(BarChart)]
    shown += [tile.accessibleDescription() for tile in page.findChildren(Tile)]
    shown += [page.team_combo.itemText(i) for i in range(page.team_combo.count())]
    text = "\n".join(shown)
    assert "Same-day action recorded" in text
    for secret in SECRETS:
        assert secret not in text


def test_supervisors_get_an_assurance_page_in_the_main_window(qtbot, supervisor_ws, tmp_path):
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow

    window = MainWindow(supervisor_ws, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    assert window.assurance_page.figures is None and window.assurance_page.count_task is None  # not counted at start-up
    window.show_page("assurance")
    assert isinstance(window.stack.currentWidget(), AssurancePage)
    assert window.nav_items["assurance"].text() == "Assurance"
    settled(qtbot, window.assurance_page)
    assert window.assurance_page.figures.runs.value == 5


def test_practitioners_have_no_assurance_page(qtbot, make_ws, ui_settings):
    from app.ui.main_window import MainWindow

    window = MainWindow(make_ws(), ui_settings)
    qtbot.addWidget(window)
    assert "assurance" not in window.nav_items


# -- counting on a worker thread --------------------------------------------------------------------------

def test_counting_keeps_the_window_responsive_and_says_what_it_is_counting(qtbot, page, gate):
    start = TODAY - dt.timedelta(days=20)
    page.from_edit.setDate(QDate(start.year, start.month, start.day))
    qtbot.waitUntil(lambda: len(gate.calls) == 1)  # the count is under way, held on the worker
    assert page.counting
    # the event loop goes on: a timer fires, the notice appears after its short delay, keys are taken
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])
    qtbot.waitUntil(page.notice.isVisible)
    assert page.notice_label.text() == (
        f"Counting checklists for {span_text(start, TODAY)} (All teams)… Until the count is finished, the figures "
        f"below are for {span_text(page.figures.date_from, TODAY)} (All teams).")
    assert page.busy.isVisible()
    assert page.tiles["bruising"].figure.text() == "33%"  # the figures already there stay, dimmed
    assert page.body.graphicsEffect() is not None
    page.team_combo.setFocus()
    qtbot.keyClick(page.team_combo, Qt.Key.Key_Down)
    assert page.team_combo.currentText() == WEST
    assert WEST in page.notice_label.text()
    with qtbot.waitSignal(page.counted, timeout=20000):
        gate.open_all()
        qtbot.waitUntil(lambda: len(gate.calls) == 2)  # the newer choice, counted once the first is done
        gate.open_all()
    assert not page.counting and not page.notice.isVisible() and page.body.graphicsEffect() is None
    assert (page.figures.date_from, page.figures.team) == (start, WEST)
    assert page.tiles["bruising"].detail.text() == "0 of 1"


def test_a_newer_choice_wins_over_a_count_still_under_way(qtbot, page, gate):
    shown = []
    page.counted.connect(lambda: shown.append(page.figures.team))
    choose_team(qtbot, page, WEST)
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    choose_team(qtbot, page, NORTH)
    assert len(gate.calls) == 1  # one count at a time: the newer choice waits for it
    gate.open(0)
    qtbot.waitUntil(lambda: len(gate.calls) == 2)  # West's count has finished and North's has started
    assert (gate.team(0), gate.team(1)) == (WEST, NORTH)
    assert shown == [] and page.figures.team is None  # West's figures were never shown
    assert page.tiles["bruising"].detail.text() == "1 of 3" and page.counting
    with qtbot.waitSignal(page.counted, timeout=20000):
        gate.open(1)
    assert shown == [NORTH]
    assert page.tiles["bruising"].detail.text() == "1 of 2"


def test_a_count_for_a_period_no_longer_chosen_is_dropped(qtbot, page, gate):
    page.from_edit.setDate(QDate(2020, 1, 1))
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    page.to_edit.setDate(QDate(2019, 12, 1))  # now the period ends before it starts: explained at once
    assert "ends before it starts" in page.message.text() and not page.counting
    assert not page.notice.isVisible()
    gate.open(0)
    qtbot.waitUntil(lambda: page.count_task is None)
    assert page.figures is None and "ends before it starts" in page.message.text()
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()


def test_exports_wait_for_the_new_figures(qtbot, page, gate, tmp_path):
    target = tmp_path / "figures.csv"
    asked = []
    page.ask_save_path = lambda title, suggested, kinds: asked.append(title) or str(target)
    choose_team(qtbot, page, NORTH)
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # the PDF button's shortcut
    assert asked == [] and not target.exists() and page.pdf_task is None
    with qtbot.waitSignal(page.counted, timeout=20000):
        gate.let_all_through()
    assert page.csv_button.isEnabled() and page.pdf_button.isEnabled()
    with qtbot.waitSignal(page.csv_saved, timeout=5000):
        qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert ["About", "Team", NORTH, "", ""] in rows


def test_an_error_while_counting_is_shown_and_the_figures_on_screen_are_kept(qtbot, page, supervisor_ws,
                                                                              monkeypatch):
    def busy(*_args):
        raise StoreBusy("The records are being used by another program. Try again in a moment.")

    monkeypatch.setattr(supervisor_ws.store, "assurance_flags", busy)
    with qtbot.waitSignal(page.count_failed, timeout=20000) as failed:
        choose_team(qtbot, page, NORTH)
    assert "The figures could not be counted." in failed.args[0]
    assert "Try again in a moment." in failed.args[0]
    boxes = [box for box in page.findChildren(QMessageBox) if box.isVisible()]
    assert [box.windowTitle() for box in boxes] == ["The records are in use by another program"]
    for box in boxes:
        box.close()
    assert page.message.isVisible()
    assert page.message.text() == (f"The figures for {span_text(page.figures.date_from, TODAY)} ({NORTH}) could "
                                   f"not be counted. The figures below are still those for "
                                   f"{span_text(page.figures.date_from, TODAY)} (All teams).")
    assert page.figures.team is None and page.tiles["bruising"].detail.text() == "1 of 3"
    assert not page.counting and not page.notice.isVisible() and page.body.graphicsEffect() is None
    assert page.csv_button.isEnabled()  # the figures on screen can still be saved: they name their own period
    monkeypatch.undo()
    choose_team(qtbot, page, WEST)
    settled(qtbot, page)
    assert not page.message.isVisible() and page.figures.team == WEST


def test_a_period_refused_by_the_count_is_explained_as_before(qtbot, page, monkeypatch):
    import app.ui.assurance.page as page_module

    def refuse(*_args):
        raise AssuranceError("The number of days allowed for a response cannot be negative.")

    monkeypatch.setattr(page_module, "assurance_figures", refuse)
    with qtbot.waitSignal(page.count_failed, timeout=20000) as failed:
        choose_team(qtbot, page, WEST)
    assert failed.args == ["The number of days allowed for a response cannot be negative."]
    assert page.message.text() == failed.args[0] and page.figures is None
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    assert [box for box in page.findChildren(QMessageBox) if box.isVisible()] == []  # said on the page itself


def test_the_first_count_says_what_it_is_counting_before_any_figures(qtbot, supervisor_ws, monkeypatch):
    held = Gate(supervisor_ws.store.assurance_runs)
    monkeypatch.setattr(supervisor_ws.store, "assurance_runs", held)
    widget = AssurancePage(supervisor_ws)
    qtbot.addWidget(widget)
    assert held.calls == [] and widget.team_combo.count() == 0  # nothing is read before the page is shown
    widget.show()
    try:
        qtbot.waitUntil(lambda: len(held.calls) == 1)
        assert widget.notice.isVisible() and not widget.scroll.isVisible()  # no empty cards
        start = widget.from_edit.date().toPython()
        assert widget.notice_label.text() == f"Counting checklists for {span_text(start, TODAY)} (All teams)…"
        assert not widget.csv_button.isEnabled() and not widget.pdf_button.isEnabled()
    finally:
        held.let_all_through()
    settled(qtbot, widget)
    assert widget.scroll.isVisible() and widget.tiles["bruising"].figure.text() == "33%"
    workers.wait_for_all()


def test_span_text_is_short_and_plain():
    assert span_text(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "1 Jan – 31 Dec 2026"
    assert span_text(dt.date(2025, 11, 1), dt.date(2026, 1, 31)) == "1 Nov 2025 – 31 Jan 2026"
    assert span_text(dt.date(2026, 3, 3), dt.date(2026, 3, 3)) == "3 Mar 2026"
