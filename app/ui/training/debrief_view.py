"""The debrief: the flags the group's answers raised against those the scenario expected — what was
missed, what went beyond the expected, and why each one matters, with its sources — stage by stage."""
from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain.debrief import Debrief, FlagOutcome
from app.domain.model import FlagRule
from app.training import ScenarioSession
from app.ui import theme
from app.ui.training import style

BEYOND_NOTE = ("Not wrong in itself: talk through which of the group's answers raised it, and whether the "
               "information at that stage supported them.")


def _stages_words(stages: Iterable[int], titles: list[str]) -> str:
    numbers = list(stages)
    if len(numbers) == 1:
        return f"Stage {numbers[0]}: {titles[numbers[0] - 1]}"
    return "Stages " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


class DebriefView(QWidget):
    """Show a scenario session's debrief. Signals: `run_again()`, `choose_another()`, `back_requested()`."""

    run_again = Signal()
    choose_another = Signal()
    back_requested = Signal()

    def __init__(self, session: ScenarioSession, debrief: Debrief, parent: QWidget | None = None,
                 text_scale: float = 1.15):
        super().__init__(parent)
        self.session = session
        self.debrief = debrief
        self.scale = text_scale
        self.scenario = session.scenario
        self.rules: dict[str, FlagRule] = dict(session.flag_rules())
        self.settings = session.workspace.catalog.settings
        self.sources = session.workspace.catalog.sources
        self.titles = [stage.title for stage in self.scenario.stages]
        self.missed_cards: dict[str, QFrame] = {}
        self.beyond_cards: dict[str, QFrame] = {}
        self.setObjectName("debrief")
        self._build()

    # ------------------------------------------------------------------ building
    def _text(self, text: str, name: str = "", factor: float = 1.0, bold: bool = False, rich: bool = False):
        return style.label(text, name, self.scale * factor, bold, rich=rich)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        body = QWidget()
        body.setObjectName("scrollBody")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 18, 28, 18)
        layout.setSpacing(12)
        layout.addWidget(self._text(f"DEBRIEF · CASE {self.session.reference}", "kicker", 0.8))
        layout.addWidget(self._text(self.scenario.title, "pageTitle", 1.35, bold=True))
        layout.addWidget(self._text(self._headline(), "muted", 1.0))
        layout.addLayout(self._tiles())

        if self.debrief.missed:
            layout.addWidget(self._text("Missed: expected but not raised", "stageTitle", 1.15, bold=True))
            for outcome in self.debrief.missed:
                card = self._flag_card(outcome, "missed")
                self.missed_cards[outcome.flag_id] = card
                layout.addWidget(card)
        if self.debrief.beyond:
            layout.addWidget(self._text("Raised beyond the expected", "stageTitle", 1.15, bold=True))
            for outcome in self.debrief.beyond:
                card = self._flag_card(outcome, "beyond")
                self.beyond_cards[outcome.flag_id] = card
                layout.addWidget(card)

        layout.addWidget(self._text("Stage by stage", "stageTitle", 1.15, bold=True))
        for result in self.debrief.stages:
            layout.addWidget(self._stage_result(result))
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(28, 8, 28, 14)
        self.back_button = QPushButton("Back to the scenario")
        self.back_button.setIcon(theme.icon("back"))
        self.back_button.clicked.connect(self.back_requested)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.another_button = QPushButton("Choose another scenario")
        self.another_button.clicked.connect(self.choose_another)
        buttons.addWidget(self.another_button)
        self.again_button = QPushButton("Run this scenario again")
        self.again_button.setProperty("primary", "true")
        self.again_button.setToolTip("Start again from stage 1 on a new training case. This run is kept.")
        self.again_button.clicked.connect(self.run_again)
        buttons.addWidget(self.again_button)
        outer.addLayout(buttons)

    def _headline(self) -> str:
        d = self.debrief
        if not d.complete:
            reached = sum(s.reached for s in d.stages)
            start = f"The group finished {reached} of {len(d.stages)} stages. "
        else:
            start = ""
        if d.all_matched:
            return start + "The group's answers raised exactly the flags expected at every stage."
        return (start + f"The group's answers raised {d.matched_count} of the {d.expected_count} flags expected "
                f"across the stages.")

    def _tiles(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        self.tiles: dict[str, QFrame] = {}
        for kind, number, words in (
                ("matched", self.debrief.matched_count, f"of {self.debrief.expected_count} expected flags raised, stage by stage"),
                ("missed", len(self.debrief.missed), "missed: expected but not raised"),
                ("beyond", len(self.debrief.beyond), "raised beyond the expected")):
            tile = QFrame()
            tile.setObjectName("tile")
            tile.setProperty("kind", kind)
            tile.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            tile_layout = QVBoxLayout(tile)
            tile_layout.setContentsMargins(16, 10, 16, 12)
            tile_layout.setSpacing(0)
            tile_layout.addWidget(self._text(str(number), "", 2.2, bold=True))
            tile_layout.addWidget(self._text(words, "", 0.95))
            tile.setAccessibleName(f"{number} {words}")
            self.tiles[kind] = tile
            row.addWidget(tile, 1)
        return row

    def _sources_html(self, source_ids: Iterable[str]) -> str:
        lines = []
        for source_id in source_ids:
            source = self.sources.get(source_id)
            if source is None:
                lines.append(html.escape(source_id))
            else:
                lines.append(f"<b>{html.escape(source.title)}</b> — {html.escape(source.summary)}")
        return "<br>".join(lines)

    def _flag_card(self, outcome: FlagOutcome, kind: str) -> QFrame:
        card = QFrame()
        card.setObjectName("debriefCard")
        card.setProperty("kind", kind)
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        rule = self.rules.get(outcome.flag_id)
        message = self.settings.format(rule.message) if rule else outcome.flag_id
        chip = style.severity_chip(rule.severity) + "&nbsp; " if rule else ""
        layout.addWidget(self._text(f"{chip}<b>{html.escape(message)}</b>", "", 1.05, rich=True))
        where = "Expected at" if kind == "missed" else "Raised at"
        layout.addWidget(self._text(f"{where}: {_stages_words(outcome.stages, self.titles)}", "muted", 0.95))
        note = self.scenario.note(outcome.flag_id)
        if kind == "missed" and note is not None:
            why, sources = note.why_it_matters, note.sources
        else:
            why = self.settings.format(rule.action) if rule else ""
            sources = rule.sources if rule else ()
            if note is not None:  # expected at another stage, so the scenario says why it matters
                why, sources = note.why_it_matters, note.sources
        if why:
            label = "Why it matters" if kind == "missed" or note is not None else "What the checklist asks"
            layout.addWidget(self._text(f"<b>{label}:</b> {html.escape(why)}", "", 1.0, rich=True))
        if kind == "beyond":
            layout.addWidget(self._text(BEYOND_NOTE, "muted", 0.95))
        if sources:
            layout.addWidget(self._text(f"<b>Sources</b><br>{self._sources_html(sources)}", "sourceLine", 0.9,
                                        rich=True))
        card.setAccessibleName(f"{'Missed' if kind == 'missed' else 'Beyond the expected'}: {message}")
        return card

    def _stage_result(self, result) -> QFrame:
        card = QFrame()
        card.setObjectName("stageResult")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(4)
        layout.addWidget(self._text(f"Stage {result.index + 1}: {result.title}", "cardTitle", 1.0, bold=True))
        if not result.reached:
            layout.addWidget(self._text("Not reached: the group did not finish this stage.", "muted", 0.95))
            return card
        comparison = result.comparison
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        rows = ([("✓", "Raised as expected", f, style.MATCHED[0]) for f in comparison.matched]
                + [("✗", "Missed", f, style.MISSED[0]) for f in comparison.missed]
                + [("+", "Beyond the expected", f, style.BEYOND[0]) for f in comparison.beyond])
        if not rows:
            layout.addWidget(self._text("Nothing was expected and nothing was raised.", "muted", 0.95))
        for row, (mark, words, flag_id, colour) in enumerate(rows):
            rule = self.rules.get(flag_id)
            message = self.settings.format(rule.message) if rule else flag_id
            marker = self._text(f"<span style='color:{colour}; font-weight:bold'>{mark} {html.escape(words)}</span>",
                                "", 0.95, rich=True)
            marker.setWordWrap(False)
            grid.addWidget(marker, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self._text(message, "", 0.95), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        return card
