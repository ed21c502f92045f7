"""Colours and fonts for the walk-through.

Fonts are always derived from the application font, so text follows the system font size; nothing
here sets a size in pixels. Colours meet WCAG AA contrast against their backgrounds."""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.model import Severity

INK = "#1d2433"
MUTED = "#4b5565"
LINE = "#c9d0db"
PAGE = "#f6f7f9"
CARD = "#ffffff"
FOCUS = "#1d5fbf"
ERROR = "#a4161a"
ERROR_BG = "#fdecec"
NUDGE_BG = "#fff6db"
NUDGE_LINE = "#b7791f"
SAVED = "#2f6b3a"

# severity: (band background, band text, card border, plain words on the band)
SEVERITY_STYLE: dict[Severity, tuple[str, str, str, str]] = {
    Severity.URGENT: ("#b3001b", "#ffffff", "#b3001b", "URGENT — act today"),
    Severity.ACT: ("#8a4b00", "#ffffff", "#c77700", "Act — as part of your plan"),
    Severity.CONSIDER: ("#1f4e8c", "#ffffff", "#7d9cc7", "Consider — weigh it up and record your decision"),
    Severity.INFO: ("#e4e7ec", INK, LINE, "For information"),
}


def font(widget: QWidget | None = None, scale: float = 1.0, bold: bool = False) -> QFont:
    """The application font scaled by `scale` (point sizes only, so it follows the system setting)."""
    base = QFont(widget.font()) if widget is not None else QFont(QApplication.font())
    if scale != 1.0:
        size = base.pointSizeF()
        if size > 0:
            base.setPointSizeF(size * scale)
    base.setBold(bold)
    return base


STYLE_SHEET = f"""
#walkthrough {{ background: {PAGE}; }}
#walkthrough #pageHolder, #walkthrough #summaryHolder {{ background: {PAGE}; }}
#walkthrough QLabel {{ color: {INK}; }}
#walkthrough #promptCard {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 6px; }}
#walkthrough #promptCard[missing="true"] {{ border: 2px solid {ERROR}; }}
#walkthrough #promptCard[target="true"] {{ border: 2px solid {FOCUS}; }}
#walkthrough #requiredTag {{ color: {ERROR}; font-weight: bold; }}
#walkthrough #optionalTag {{ color: {MUTED}; }}
#walkthrough #hint, #walkthrough #whyText, #walkthrough #stepIntro, #walkthrough #mutedText {{ color: {MUTED}; }}
#walkthrough #cardError {{ color: {ERROR}; background: {ERROR_BG}; border-left: 4px solid {ERROR}; padding: 4px 6px; }}
#walkthrough #nudge {{ background: {NUDGE_BG}; border-left: 4px solid {NUDGE_LINE}; padding: 4px 6px; }}
#walkthrough #whyBox {{ background: #eef2f7; border-radius: 4px; padding: 6px; }}
#walkthrough #statusSaved {{ color: {SAVED}; }}
#walkthrough #statusError {{ color: {ERROR}; font-weight: bold; }}
#walkthrough #urgentBanner {{ background: #b3001b; color: #ffffff; padding: 6px 10px; font-weight: bold; }}
#walkthrough #urgentBanner QLabel {{ color: #ffffff; }}
#walkthrough #readOnlyBanner {{ background: #e4e7ec; padding: 6px 10px; }}
#walkthrough #flagsPanel {{ background: #eef0f4; border-left: 1px solid {LINE}; }}
#walkthrough #flagCard {{ background: {CARD}; border-radius: 6px; }}
#walkthrough #flagCard[fresh="true"] {{ background: #fff0f0; }}
#walkthrough #flagResponse {{ background: #eef6ee; border-left: 4px solid {SAVED}; padding: 4px 6px; }}
#walkthrough #flagNeedsResponse {{ color: {ERROR}; }}
#walkthrough #problemsBox {{ background: {ERROR_BG}; border: 2px solid {ERROR}; border-radius: 6px; }}
#walkthrough #readyBox {{ background: #eef6ee; border: 1px solid {SAVED}; border-radius: 6px; }}
#walkthrough #summarySection {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 6px; }}
#walkthrough #stepList {{ background: #eef0f4; border: none; border-right: 1px solid {LINE}; }}
#walkthrough #stepList::item {{ border-bottom: 1px solid {LINE}; color: {INK}; }}
#walkthrough #stepList::item:selected {{ background: #dbe6f7; color: {INK}; }}
#walkthrough #stepList::item:disabled {{ color: {MUTED}; }}
#walkthrough QRadioButton:focus, #walkthrough QCheckBox:focus {{ background: #dbe6f7; }}
"""


def severity_style(severity: Severity) -> tuple[str, str, str, str]:
    """(band background, band text colour, border colour, band words) for a flag severity."""
    return SEVERITY_STYLE[severity]
