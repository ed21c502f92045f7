"""The assurance dashboard: figures for the safeguarding partnership, for a chosen period and team.

    page = AssurancePage(workspace)

Pick the period (from and to, both included) and a team; the figures are counted on a worker thread
(up to about a second with 100,000 checklists), so the window never waits for them. While counting, a calm
notice says what is being counted, the figures already on screen stay visible but dimmed, and the exports
wait for the new figures. A newer choice wins: a count for a period or team no longer chosen is thrown
away when it finishes, and only one count runs at a time (the newest choice is counted next). The page
counts each time it is shown, so records added or imported since are included; it reads nothing until
then. "Export CSV…" saves the figures as a spreadsheet; "Export PDF…" makes the board's assurance report
on a worker thread and saves it whole. Figures only: the page never shows a name, a case reference or any
answer text.

Counting on a worker is safe: `assurance_figures` only reads. Each of its queries runs and is read to the
end under the store's connection lock (`app.store.db.Database.read`; the connection is shared with
`check_same_thread=False`), and the workspace's catalog is read once under its own lock and not changed
afterwards. SQLite lets other threads run while a query is being worked out, so this thread keeps painting
and taking clicks. A read or save made on this thread meanwhile (another page) waits for the one query under
way, not for the whole count: the longest, the flags of a year of 100,000 checklists, takes about half a
second.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGraphicsOpacityEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.assurance import (
    AssuranceError,
    AssuranceFigures,
    Question,
    assurance_figures,
    check_period,
    write_csv,
    write_file,
)
from app.report.assurance_pdf import build_assurance_pdf
from app.store.errors import StoreError
from app.ui import theme, workers
from app.ui.assurance.charts import BarChart, BarRow, Tile
from app.ui.errors import show_error

ALL_TEAMS = "All teams"
DEFAULT_MONTHS = 3
NOTICE_DELAY_MS = 250  # a quick count replaces the figures without a flicker of the notice
DIMMED = 0.45  # opacity of figures kept on screen while newer ones are counted


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def span_text(start: dt.date, end: dt.date) -> str:
    """A period in short: '1 Jan – 31 Dec 2026', '1 Nov 2025 – 31 Jan 2026', or '3 Mar 2026' for one day."""
    if start == end:
        return f"{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


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
    """The dashboard page. `figures` holds what is on screen and `counting` says whether newer figures are
    being counted; `counted()` is emitted when counted figures are shown, `count_failed(message)` when they
    could not be counted. `csv_saved(path)` and `pdf_saved(path)` report a finished export,
    `export_failed(message)` one that could not be saved."""

    counted = Signal()
    count_failed = Signal(str)
    csv_saved = Signal(str)
    pdf_saved = Signal(str)
    export_failed = Signal(str)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.figures: AssuranceFigures | None = None
        self._shown: AssuranceFigures | None = None  # what the tiles and charts show (kept while counting)
        self.pdf_task: workers.Task | None = None
        self.count_task: workers.Task | None = None
        self._request = 0  # numbers each choice of period and team; the latest is the one wanted
        self._task_request = 0  # the choice the running count is for
        self._waiting: tuple[int, dt.date, dt.date, str | None] | None = None  # chosen, not yet being counted
        self._teams_stale = False
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

        self.notice = QWidget()
        self.notice.setObjectName("CountingNotice")
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(0, 0, 0, 0)
        notice_row.setSpacing(10)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: moves until the figures are ready
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(96, 8)
        self.busy.setAccessibleName("Counting")
        self.notice_label = QLabel()
        self.notice_label.setProperty("role", "muted")
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName("Counting the figures")
        notice_row.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignVCenter)
        notice_row.addWidget(self.notice_label, 1)
        self.notice.hide()
        outer.addWidget(self.notice)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_DELAY_MS)
        self._notice_timer.timeout.connect(self._show_notice)

        self.message = QLabel()
        self.message.setProperty("role", "note")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("Page")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 4, 0)
        self.body_layout.setSpacing(14)
        self.scroll.setWidget(self.body)
        self.scroll.hide()  # until the first figures are counted: no empty cards
        outer.addWidget(self.scroll, 1)
        outer.addStretch(0)

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

        self.from_edit.dateChanged.connect(self.refresh)
        self.to_edit.dateChanged.connect(self.refresh)
        self.team_combo.currentIndexChanged.connect(self.refresh)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        self._enable_exports()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        """Count again each time the page is shown, so records added or imported since are included.

        Nothing is read before the page is first shown (the main window builds it at start-up)."""
        super().showEvent(event)
        if event.spontaneous():  # the window coming back from being minimised: nothing new to count
            return
        if self.count_task is None:
            self._load_teams()
        else:  # the team list is read when the count under way has finished (it holds the records now)
            self._teams_stale = True
        self.refresh()

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

    def _load_teams(self) -> bool:
        """Fill the team list (the person's own team chosen the first time); True if the choice changed."""
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
        self._teams_stale = False
        return bool(current) and self.team_combo.currentText() != current

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Show the figures for `start` to `end` (both included)."""
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def team(self) -> str | None:
        text = self.team_combo.currentText()
        return None if text in ("", ALL_TEAMS) else text

    # -- counting ------------------------------------------------------------------------------------------
    @property
    def counting(self) -> bool:
        """Whether figures for the chosen period and team are still to come."""
        running = self.count_task is not None and self._task_request == self._request
        return running or self._waiting is not None

    def refresh(self) -> None:
        """Count again for the chosen period and team, on a worker thread, and show the result when ready.

        A period that ends before it starts is explained at once and nothing is counted."""
        start, end = _to_date(self.from_edit.date()), _to_date(self.to_edit.date())
        self._request += 1
        try:
            check_period(start, end)
        except AssuranceError as exc:
            self._waiting = None  # a count under way is now for a period no longer chosen: dropped on arrival
            self.figures = None
            self._counting_done()
            self._dim(True)  # the figures still on screen are not for the period chosen
            self._say(str(exc))
            self._enable_exports()
            return
        self._waiting = (self._request, start, end, self.team())
        self._say("")
        self._enable_exports()
        self._notice_text(start, end, self.team())
        if self._shown is None:
            self._show_notice()  # nothing else to look at yet
        elif not self._notice_timer.isActive() and not self.notice.isVisible():
            self._notice_timer.start()
        self._start_waiting()

    def _start_waiting(self) -> None:
        """Start counting the newest choice, unless a count is under way (it is started when that ends) or
        the page is hidden (it is counted when shown)."""
        if self.count_task is not None or self._waiting is None or not self.isVisible():
            return
        self._task_request, start, end, team = self._waiting
        self._waiting = None
        self.count_task = workers.run_task(assurance_figures, self.ws, start, end, team,
                                           on_done=self._counted, on_error=self._count_failed)

    def _notice_text(self, start: dt.date, end: dt.date, team: str | None) -> None:
        text = f"Counting checklists for {span_text(start, end)} ({team or ALL_TEAMS})…"
        shown = self._shown
        if shown is not None:
            text += (f" Until the count is finished, the figures below are for "
                     f"{span_text(shown.date_from, shown.date_to)} ({shown.team_text}).")
        self.notice_label.setText(text)
        self.notice.setAccessibleDescription(text)

    def _show_notice(self) -> None:
        if not self.counting:
            return
        self.notice.show()
        self._dim(True)

    def _dim(self, dimmed: bool) -> None:
        """Dim the figures on screen (they are not, or not yet, those of the period and team chosen)."""
        if not dimmed:
            self.body.setGraphicsEffect(None)
        elif self._shown is not None and self.body.graphicsEffect() is None:
            effect = QGraphicsOpacityEffect(self.body)
            effect.setOpacity(DIMMED)
            self.body.setGraphicsEffect(effect)

    def _counting_done(self) -> None:
        """Take the notice away, and the dimming unless the period chosen cannot be counted."""
        if self.counting:
            return
        self._notice_timer.stop()
        self.notice.hide()
        self._dim(self.figures is None)

    def _finished(self) -> bool:
        """Forget the count that has just reported; True if it is for the latest choice."""
        current = self._task_request == self._request
        self.count_task = None
        return current

    def _after_count(self) -> None:
        if self._teams_stale and self.isVisible() and self._load_teams():
            self.refresh()  # the team chosen is no longer on any profile: count for all teams instead
            return
        self._start_waiting()

    def _counted(self, figures: AssuranceFigures) -> None:
        if self._finished():
            self._show_figures(figures)
            self._counting_done()
            self._enable_exports()
            self.counted.emit()
        self._after_count()

    def _count_failed(self, exc: object) -> None:
        if not self._finished():  # for a choice no longer wanted: the newer one is counted next
            self._after_count()
            return
        error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        if isinstance(error, AssuranceError):
            self.figures = None
        self._counting_done()
        if isinstance(error, AssuranceError):
            self._say(str(error))
            message = str(error)
        else:
            start, end = _to_date(self.from_edit.date()), _to_date(self.to_edit.date())
            note = f"The figures for {span_text(start, end)} ({self.team() or ALL_TEAMS}) could not be counted."
            shown = self.figures
            if shown is not None:
                note += (f" The figures below are still those for {span_text(shown.date_from, shown.date_to)} "
                         f"({shown.team_text}).")
            self._say(note)
            box = show_error(self, error, "The figures could not be counted.")
            message = box.informativeText()
        self._enable_exports()
        self.count_failed.emit(message)
        self._after_count()

    # -- showing -------------------------------------------------------------------------------------------
    def _show_figures(self, figures: AssuranceFigures) -> None:
        self.figures = self._shown = figures
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
        self.scroll.show()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _enable_exports(self) -> None:
        """The exports save the figures on screen: only once they are the ones chosen."""
        ready = self.figures is not None and not self.counting
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
        if self.figures is None or self.counting:
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
        if self.figures is None or self.counting or self.pdf_task is not None:
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
