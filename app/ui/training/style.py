"""Colours, fonts and the style sheet for the training screens.

Every size is a multiple of the application font (theme.scaled_font), so the presenter's large text
follows the system font the trainer has chosen; nothing here names a pixel font size."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.model import Severity
from app.ui import theme

C = theme.COLOURS
PRESENTER_SCALE = 1.5        # stage text, times the system font
MIN_SCALE, MAX_SCALE, SCALE_STEP = 1.0, 2.5, 0.25
MISSED = ("#9c1c14", "#fbe3e1")
BEYOND = ("#1f4e79", "#e3eef8")
MATCHED = ("#1e6b3a", "#e6f2ea")

STYLE_SHEET = f"""
#trainingPage, #trainingPage #chooser, #trainingPage #presenter, #trainingPage #debrief {{ background: {C['window']}; }}
#trainingPage QScrollArea, #trainingPage #scrollBody {{ background: {C['window']}; border: none; }}
#trainingPage #continueCard {{ background: {C['panel']}; border: 1px solid {C['border_light']};
    border-left: 5px solid {C['primary']}; border-radius: 6px; }}
#trainingPage #scenarioCard, #trainingPage #stagePanel, #trainingPage #debriefCard, #trainingPage #stageResult {{
    background: {C['panel']}; border: 1px solid {C['border_light']}; border-radius: 6px; }}
#trainingPage #kicker {{ color: {C['muted']}; font-weight: bold; letter-spacing: 1px; }}
#trainingPage #stageTitle, #trainingPage #pageTitle, #trainingPage #cardTitle {{ color: {C['primary']}; font-weight: bold; }}
#trainingPage #muted {{ color: {C['muted']}; }}
#trainingPage #caseLine {{ color: {C['text']}; background: #eef2f6; border-radius: 4px; padding: 4px 8px; }}
#trainingPage #notTraining {{ background: {C['warning_bg']}; border: 1px solid {C['warning_border']}; border-radius: 4px; }}
#trainingPage #notTraining QLabel {{ background: transparent; }}
#trainingPage #trainerNotes {{ background: #fff8e1; border-left: 5px solid {C['warning_border']}; border-radius: 4px; }}
#trainingPage #stepChip {{ background: #e4e9ef; color: {C['muted']}; border-radius: 10px; padding: 3px 10px; }}
#trainingPage #stepChip[current="true"] {{ background: {C['primary']}; color: #ffffff; font-weight: bold; }}
#trainingPage #stepChip[done="true"] {{ background: #d6e4f0; color: {C['primary']}; }}
#trainingPage #errorText {{ color: {C['error']}; background: {C['error_bg']}; border-left: 4px solid {C['error']}; padding: 6px 10px; }}
#trainingPage #tile {{ border-radius: 6px; }}
#trainingPage #tile[kind="matched"] {{ background: {MATCHED[1]}; border: 1px solid {MATCHED[0]}; }}
#trainingPage #tile[kind="missed"] {{ background: {MISSED[1]}; border: 1px solid {MISSED[0]}; }}
#trainingPage #tile[kind="beyond"] {{ background: {BEYOND[1]}; border: 1px solid {BEYOND[0]}; }}
#trainingPage #tile[kind="matched"] QLabel {{ color: {MATCHED[0]}; background: transparent; }}
#trainingPage #tile[kind="missed"] QLabel {{ color: {MISSED[0]}; background: transparent; }}
#trainingPage #tile[kind="beyond"] QLabel {{ color: {BEYOND[0]}; background: transparent; }}
#trainingPage #debriefCard[kind="missed"] {{ border-left: 6px solid {MISSED[0]}; }}
#trainingPage #debriefCard[kind="beyond"] {{ border-left: 6px solid {BEYOND[0]}; }}
#trainingPage #sourceLine {{ color: {C['muted']}; }}
#trainingPage QPushButton:checked {{ background: #d6e4f0; border: 1px solid {C['primary']}; color: {C['primary']};
    font-weight: bold; }}
#trainingPage QPushButton:checked:focus {{ border: 2px solid {C['focus']}; }}
#trainingPage QSplitter::handle {{ background: {C['border_light']}; }}
"""


def font(scale: float, bold: bool = False) -> QFont:
    """The application font times `scale`."""
    return theme.scaled_font(scale, bold=bold)


def label(text: str, name: str = "", scale: float = 1.0, bold: bool = False, parent: QWidget | None = None,
          rich: bool = False) -> QLabel:
    """A word-wrapped label; plain text unless `rich` (then the caller has escaped any data)."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    widget.setFont(font(scale, bold))
    return widget


def severity_chip(severity: Severity) -> str:
    """A small coloured severity word as rich text."""
    fg, bg = theme.SEVERITY_COLOURS[Severity(severity)]
    word = html.escape(theme.SEVERITY_WORDS[Severity(severity)])
    return (f'<span style="background:{bg}; color:{fg}; font-weight:bold;">&nbsp;{word}&nbsp;</span>')
