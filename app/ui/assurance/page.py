"""The assurance dashboard: figures for the safeguarding partnership, for a chosen period and team.

    page = AssurancePage(workspace)

Pick the period (from and to, both included) and a team; the tiles and charts update at once. "Export
CSV…" saves the figures as a spreadsheet; "Export PDF…" makes the board's assurance report on a worker
thread (the screen stays usable) and saves it whole. Figures only: the page never shows a name, a case
reference or any answer text.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.assurance import AssuranceError, AssuranceFigures, Question, assurance_figures, write_csv, write_file
from app.report.assurance_pdf import build_assurance_pdf
from app.store.errors import StoreError
from app.ui import theme, workers
from app.ui.assurance.charts import BarChart, BarRow, Tile
from app.ui.errors import show_error

ALL_TEAMS = "All teams"
DEFAULT_MONTHS = 3


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def make_pdf(figures: AssuranceFigures, path: str) -> Path:
    """Build the assurance PDF and save it whole (runs on a worker thread)."""
    return write_file(path, build_assurance_pdf(figures))


def _rows(measures: Any) -> list[BarRow]:
    return [BarRow(m.label, m.value, m.of) for m in measures]


class _Card(QFrame):
    """A white card: a heading, what it is based on, a chart, and how it is counted."""

    def __init__(self, title: str, parent: QWidget | None = None, count_bars: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(6)
        self.heading = QLabel(title)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.based_on = QLabel()
        self.based_on.setProperty("role", "muted")
        self.based_on.setWordWrap(True)
        self.headline = QLabel()
        self.headline.setProperty("role", "subheading")
        self.headline.setWordWrap(True)
        self.chart = BarChart(title, count_bars=count_bars)
        self.counted = QLabel()
        self.counted.setProperty("role", "muted")
        self.counted.setWordWrap(True)
        for widget in (self.heading, self.based_on, self.headline, self.chart, self.counted):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_question(self, question: Question) -> None:
        self.heading.setText(question.title)
        self.based_on.setText(f"Based on: {question.learning}")
        self.based_on.setVisible(bool(question.learning))
        self.headline.setText(f"{question.headline.label}: {question.headline.text}")
        self.chart.set_rows(_rows(question.breakdown))
        self.counted.setText(question.counted)


class AssurancePage(QWidget):
    """The dashboard page. `figures` holds what is on screen; `csv_saved(path)` and `pdf_saved(path)`
    report a finished export, `export_failed(message)` one that could not be saved."""

    csv_saved = Signal(str)
    pdf_saved = Signal(str)
    export_failed = Signal(str)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.figures: AssuranceFigures | None = None
        self.pdf_task: workers.Task | None = None
        self._shown_once = False
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 12)
        outer.setSpacing(10)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        title = QLabel("Assurance")
        title.setProperty("role", "title")
        subtitle = QLabel("Is the learning from reviews being applied? Counts from completed checklists, "
                          "for the safeguarding partnership. Figures only: no names.")
        subtitle.setProperty("role", "muted")
        subtitle.setWordWrap(True)
        titles.addWidget(title)
        titles.addWidget(subtitle)
        top.addLayout(titles, 1)
        self.csv_button = QPushButton(theme.icon("export"), "Export &CSV…")
        self.csv_button.setToolTip("Save these figures as a spreadsheet (CSV)")
        self.pdf_button = QPushButton(theme.icon("export", "#ffffff"), "Export &PDF…")
        self.pdf_button.setProperty("primary", "true")
        self.pdf_button.setToolTip("Save the assurance report for the partnership board as a PDF")
        top.addWidget(self.csv_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        today = self._today()
        self.from_edit = self._date_edit("Period from", self._months_before(today, DEFAULT_MONTHS))
        self.to_edit = self._date_edit("Period to", today)
        self.team_combo = QComboBox()
        self.team_combo.setAccessibleName("Team")
        self.team_combo.setMinimumContentsLength(22)
        self.team_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for text, widget in (("&From", self.from_edit), ("&To", self.to_edit), ("T&eam", self.team_combo)):
            label = QLabel(text)
            label.setProperty("role", "fieldlabel")
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        self.status_label = QLabel()
        self.status_label.setProperty("role", "muted")
        self.status_label.setAccessibleName("Export status")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        filters.addWidget(self.status_label)
        outer.addLayout(filters)

        self.message = QLabel()
        self.message.setProperty("role", "note")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("Page")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 4, 0)
        self.body_layout.setSpacing(14)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.tiles: dict[str, Tile] = {}
        for key in ("early_help", "fathers", "bruising", "was_not_brought", "overdue"):
            self.tiles[key] = Tile()
            tiles.addWidget(self.tiles[key], 1)
        self.body_layout.addLayout(tiles)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        self.cards: dict[str, _Card] = {}
        for index, key in enumerate(("early_help", "fathers", "bruising", "was_not_brought", "overdue")):
            self.cards[key] = _Card("")
            grid.addWidget(self.cards[key], index // 2, index % 2)
        self.checklists_card = _Card("Checklists started, by checklist")
        self.status_chart = BarChart("Where they are in review")
        status_heading = QLabel("Where they are in review")
        status_heading.setProperty("role", "subheading")
        self.checklists_card.layout().insertWidget(4, status_heading)
        self.checklists_card.layout().insertWidget(5, self.status_chart)
        grid.addWidget(self.checklists_card, 2, 1)
        self.flags_card = _Card("Most frequent flags", count_bars=True)
        self.flags_card.headline.setText("How often each flag was raised on these checklists, most frequent first.")
        grid.addWidget(self.flags_card, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.body_layout.addLayout(grid)
        self.body_layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._load_teams()
        self.from_edit.dateChanged.connect(self.refresh)
        self.to_edit.dateChanged.connect(self.refresh)
        self.team_combo.currentIndexChanged.connect(self.refresh)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        """Count again each time the page is shown, so records added or imported since are included."""
        super().showEvent(event)
        if self._shown_once:
            self._load_teams()
            self.refresh()
        self._shown_once = True

    # -- choosing ------------------------------------------------------------------------------------------
    def _today(self) -> dt.date:
        today = getattr(self.ws, "today", None)
        return today() if callable(today) else dt.date.today()

    @staticmethod
    def _months_before(day: dt.date, months: int) -> dt.date:
        month = day.month - months
        year = day.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return dt.date(year, month, 1)

    def _date_edit(self, name: str, value: dt.date) -> QDateEdit:
        edit = QDateEdit(_qdate(value))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        return edit

    def _load_teams(self) -> None:
        self.team_combo.blockSignals(True)
        current = self.team_combo.currentText()
        self.team_combo.clear()
        self.team_combo.addItem(ALL_TEAMS)
        try:
            teams = self.ws.store.assurance_teams()
        except StoreError as exc:
            show_error(self, exc, "The list of teams could not be read.")
            teams = []
        self.team_combo.addItems(teams)
        mine = (getattr(self.ws, "profile", None) or {}).get("team")
        index = self.team_combo.findText(current if current and current != ALL_TEAMS else "")
        self.team_combo.setCurrentIndex(index if index > 0 else 0)
        if not current and mine:
            found = self.team_combo.findText(mine)
            self.team_combo.setCurrentIndex(found if found > 0 else 0)
        self.team_combo.blockSignals(False)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Show the figures for `start` to `end` (both included)."""
        self.from_edit.blockSignals(True)
        self.from_edit.setDate(_qdate(start))
        self.from_edit.blockSignals(False)
        self.to_edit.setDate(_qdate(end))
        self.refresh()

    def team(self) -> str | None:
        text = self.team_combo.currentText()
        return None if text in ("", ALL_TEAMS) else text

    # -- showing -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Count again for the chosen period and team, and show the result."""
        start, end = _to_date(self.from_edit.date()), _to_date(self.to_edit.date())
        try:
            figures = assurance_figures(self.ws, start, end, self.team())
        except AssuranceError as exc:
            self._say(str(exc))
            self.figures = None
            self._enable_exports()
            return
        except StoreError as exc:
            show_error(self, exc, "The figures could not be counted.")
            return
        self.figures = figures
        who = "any team" if figures.team is None else figures.team
        self._say(f"No checklists were started from {figures.period_text} by {who}, so there is nothing to "
                  "count. Choose a longer period or another team." if figures.runs.value == 0 else "")
        for question in figures.questions:
            headline = question.headline
            if headline.of is None:
                big, detail = str(headline.value), "in total"
            elif headline.of == 0:
                big, detail = "–", "none to count"
            else:
                big, detail = f"{headline.percent}%", f"{headline.value} of {headline.of}"
            self.tiles[question.key].show_figure(big, detail, headline.label, question.title, headline.text)
            self.cards[question.key].show_question(question)
        self.checklists_card.headline.setText(f"{figures.runs.text} started from {figures.period_text} "
                                              f"({figures.team_text}).")
        self.checklists_card.based_on.hide()
        self.checklists_card.chart.set_rows(_rows(figures.by_checklist))
        self.status_chart.set_rows(_rows(figures.by_status))
        self.checklists_card.counted.setText("Latest version of each checklist: an amendment replaces the version "
                                             "it amends.")
        self.flags_card.based_on.hide()
        self.flags_card.chart.set_rows([BarRow(f"{f.flag} ({f.checklist})", f.raised) for f in figures.top_flags]
                                       or [BarRow("No flags were raised on these checklists", 0)])
        self.flags_card.counted.setText("Open flags only: a flag the answers no longer raise is not counted.")
        self._enable_exports()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _enable_exports(self) -> None:
        ready = self.figures is not None
        self.csv_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready and self.pdf_task is None)

    # -- exporting -----------------------------------------------------------------------------------------
    def _suggested(self, suffix: str) -> str:
        figures = self.figures
        assert figures is not None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = f"assurance-{figures.date_from.isoformat()}-to-{figures.date_to.isoformat()}.{suffix}"
        return str(Path(folder) / name)

    def ask_save_path(self, title: str, suggested: str, kinds: str) -> str:
        """Ask where to save (the system's save dialog); '' when the person cancels."""
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, kinds)
        return path

    def export_csv(self) -> None:
        """Save the figures on screen as CSV."""
        if self.figures is None:
            return
        path = self.ask_save_path("Save the figures as CSV", self._suggested("csv"), "CSV files (*.csv)")
        if not path:
            return
        try:
            saved = write_csv(self.figures, path)
        except OSError as exc:
            self._export_failed(exc)
            return
        self.status_label.setText(f"Saved the figures to {saved}")
        self.csv_saved.emit(str(saved))

    def export_pdf(self) -> None:
        """Make the assurance PDF on a worker thread and save it where the person chooses."""
        if self.figures is None or self.pdf_task is not None:
            return
        path = self.ask_save_path("Save the assurance report as PDF", self._suggested("pdf"), "PDF files (*.pdf)")
        if not path:
            return
        self.status_label.setText("Making the PDF…")
        self.pdf_task = workers.run_task(make_pdf, self.figures, path, on_done=self._pdf_done,
                                         on_error=self._export_failed)
        self._enable_exports()

    def _pdf_done(self, path: object) -> None:
        self.pdf_task = None
        self._enable_exports()
        self.status_label.setText(f"Saved the assurance report to {path}")
        self.pdf_saved.emit(str(path))

    def _export_failed(self, exc: object) -> None:
        self.pdf_task = None
        self._enable_exports()
        self.status_label.setText("The export was not saved.")
        box = show_error(self, exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                         "The export was not saved. Nothing was written.")
        self.export_failed.emit(box.informativeText())
