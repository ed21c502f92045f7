"""Fixtures for GUI tests: real Workspaces in temporary data folders, and window settings kept there too.

    ws             a workspace with a practitioner profile and two cases (CASE_BORN, CASE_UNBORN)
    blank_ws       a workspace with nothing in it (first run: no profile, no cases)
    training_ws    the training workspace of a folder, with the same profile
    ui_settings    QSettings in an INI file under the test's folder (never the real user's settings)
    window         a shown MainWindow on `ws`
    make_ws(...)   build another workspace: make_ws(profile=True, cases=True, training=False)

`seed_cases(ws)` returns {reference: case_id}; `case_id(ws, reference)` looks one up.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.services import Workspace  # noqa: E402

TODAY = dt.date.today()
PROFILE = {"name": "Sam Patel", "role": "practitioner", "team": "Health Visiting West"}
SUPERVISOR = {"name": "Jo Okafor", "role": "supervisor", "team": "Health Visiting West"}
CASE_BORN = "HV-1001"
CASE_UNBORN = "HV-1002"


def iso(days_from_today: int) -> str:
    return (TODAY + dt.timedelta(days=days_from_today)).isoformat()


CASES: list[dict] = [
    {
        "reference": CASE_BORN,
        "child_name": "Baby K",
        "date_of_birth": iso(-49),
        "mobility": "not_rolling",
        "plan": "child_in_need",
        "household": [
            {"name": "Kerry Lowe", "relationship": "mother", "date_of_birth": "1999-04-02", "lives_with_child": True},
            {"name": "Dean Marsh", "relationship": "partner", "lives_with_child": False},
        ],
        "agencies": [
            {"name": "GP", "role": "Dr Shah, Whitmore Surgery", "contact": "01902 555 0101"},
            {"name": "Midwifery", "role": "Community midwife", "contact": "midwives.west@nhs.example"},
        ],
    },
    {
        "reference": CASE_UNBORN,
        "child_name": "Unborn baby of A.M.",
        "expected_delivery_date": iso(70),
        "plan": "early_help",
        "household": [{"name": "Amy Moss", "relationship": "mother"}],
        "agencies": [],
    },
]


def seed_cases(ws: Workspace, cases: list[dict] | None = None) -> dict[str, int]:
    """Create the standard cases (through the service, as the app does); returns {reference: id}."""
    return {case["reference"]: ws.create_case(case) for case in (cases or CASES)}


def case_id(ws: Workspace, reference: str) -> int:
    found = ws.store.find_case(reference)
    assert found is not None, f"no case {reference}"
    return found["id"]


@pytest.fixture
def make_ws(tmp_path: Path) -> Iterator[Callable[..., Workspace]]:
    opened: list[Workspace] = []

    def make(profile: bool = True, cases: bool = True, training: bool = False,
             data_dir: Path | None = None) -> Workspace:
        ws = Workspace.open(data_dir=data_dir or tmp_path / "data", training=training)
        if profile and ws.profile is None:
            ws.save_profile(**PROFILE)
        if cases:
            seed_cases(ws)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def ws(make_ws: Callable[..., Workspace]) -> Workspace:
    return make_ws()


@pytest.fixture
def blank_ws(make_ws: Callable[..., Workspace]) -> Workspace:
    return make_ws(profile=False, cases=False)


@pytest.fixture
def training_ws(make_ws: Callable[..., Workspace]) -> Workspace:
    return make_ws(training=True)


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, ws: Workspace, ui_settings: QSettings):
    from app.ui.main_window import MainWindow

    win = MainWindow(ws, ui_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
