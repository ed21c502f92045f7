"""The assurance dashboard, used as a supervisor would: choose a period and team, read the tiles and charts,
export CSV and PDF. Figures only: nothing on the page names a child, a case or a practitioner."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from app.services import Workspace
from app.ui.assurance import AssurancePage
from app.ui.assurance.charts import BarChart, Tile

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


@pytest.fixture
def page(qtbot, supervisor_ws):
    widget = AssurancePage(supervisor_ws)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


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
    assert page.figures.team == NORTH
    assert page.tiles["bruising"].detail.text() == "1 of 2"
    assert page.tiles["early_help"].figure.text() == "100%"
    choose_team(qtbot, page, WEST)
    assert page.tiles["bruising"].detail.text() == "0 of 1"


def test_a_period_with_nothing_in_it_says_so(qtbot, page):
    page.from_edit.setDate(QDate(2020, 1, 1))
    page.to_edit.setDate(QDate(2020, 3, 31))
    assert page.message.isVisible()
    assert "No checklists were started from 1 January 2020 to 31 March 2020" in page.message.text()
    assert page.csv_button.isEnabled()  # an empty return is still a return the board may want


def test_a_period_that_ends_before_it_starts_is_explained_and_exports_wait(qtbot, page):
    page.to_edit.setFocus()
    page.to_edit.setDate(QDate(2020, 1, 1))
    assert page.message.isVisible() and "ends before it starts" in page.message.text()
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    page.to_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert not page.message.isVisible() and page.pdf_button.isEnabled()


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
    window.show_page("assurance")
    assert isinstance(window.stack.currentWidget(), AssurancePage)
    assert window.nav_items["assurance"].text() == "Assurance"


def test_practitioners_have_no_assurance_page(qtbot, make_ws, ui_settings):
    from app.ui.main_window import MainWindow

    window = MainWindow(make_ws(), ui_settings)
    qtbot.addWidget(window)
    assert "assurance" not in window.nav_items
