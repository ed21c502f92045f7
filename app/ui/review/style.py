"""The review screens' own style rules (on top of the app style sheet), built from the app's colours.

Sizes are relative to the application font, so text follows the person's system setting."""
from __future__ import annotations

from app.domain.model import Severity
from app.ui import theme

C = theme.COLOURS


def severity_band(severity: Severity | str) -> tuple[str, str]:
    """(text colour, background) for a severity, as hex strings."""
    return theme.SEVERITY_COLOURS[Severity(severity)]


STYLE_SHEET = f"""
#ReviewPage {{ background: {C['window']}; }}
#ReviewPage QScrollArea, #ReviewPage #ReviewHolder {{ background: {C['window']}; border: none; }}
#ReviewPage QFrame[role="card"] {{ background: {C['panel']}; border: 1px solid {C['border_light']}; border-radius: 6px; }}
#ReviewPage QFrame[role="card"] QLabel {{ background: transparent; }}
#ReviewPage #FlagCard {{ background: {C['panel']}; border: 1px solid {C['border_light']}; border-left-width: 6px;
    border-radius: 4px; }}
#ReviewPage #FlagCard QLabel {{ background: transparent; }}
#ReviewPage #StatusPill {{ border-radius: 9px; padding: 2px 10px; font-weight: bold; }}
#ReviewPage #StatusPill[status="submitted"] {{ background: #dbe7f3; color: {C['primary']}; }}
#ReviewPage #StatusPill[status="returned"] {{ background: {C['warning_bg']}; color: #6b4700; }}
#ReviewPage #StatusPill[status="signed_off"] {{ background: {C['ok_bg']}; color: {C['ok']}; }}
#ReviewPage #StatusPill[status="draft"] {{ background: #e6eaee; color: {C['text']}; }}
#ReviewPage #DecisionBanner {{ background: #e9eef4; border-left: 4px solid {C['primary']}; padding: 8px 12px; }}
#ReviewPage #DecisionBanner[tone="ok"] {{ background: {C['ok_bg']}; border-left-color: {C['ok']}; }}
#ReviewPage #DecisionBanner[tone="warning"] {{ background: {C['warning_bg']}; border-left-color: {C['warning_border']}; }}
#ReviewPage #TamperBanner, #ReviewPage #AuditBanner[ok="false"] {{ background: {C['error_bg']};
    border: 2px solid {C['error']}; border-radius: 4px; color: {C['error']}; }}
#ReviewPage #AuditBanner[ok="true"] {{ background: {C['ok_bg']}; border: 1px solid {C['ok']}; border-radius: 4px; }}
#ReviewPage #TamperBanner QLabel, #ReviewPage #AuditBanner QLabel {{ background: transparent; }}
#ReviewPage #AuditBanner[ok="false"] QLabel {{ color: {C['error']}; }}
#ReviewPage #AuditBanner[ok="true"] QLabel {{ color: {C['ok']}; }}
#ReviewPage #RushedPanel {{ background: {C['warning_bg']}; border: 1px solid {C['warning_border']}; border-radius: 6px; }}
#ReviewPage #RushedPanel[found="false"] {{ background: {C['panel']}; border: 1px solid {C['border_light']}; }}
#ReviewPage #RushedPanel QLabel {{ background: transparent; }}
#ReviewPage #DecisionPanel {{ background: {C['panel']}; border-left: 1px solid {C['border_light']}; }}
#ReviewPage #ConfirmStrip {{ background: {C['warning_bg']}; border: 1px solid {C['warning_border']}; border-radius: 4px; }}
#ReviewPage #ConfirmStrip QLabel {{ background: transparent; }}
#ReviewPage #VersionBar {{ background: {C['nav']}; border-radius: 4px; }}
#ReviewPage #VersionBar QLabel {{ background: transparent; }}
#ReviewPage #FilterBar {{ background: {C['panel']}; border: 1px solid {C['border_light']}; border-radius: 6px; }}
#ReviewPage #FilterBar QLabel {{ background: transparent; color: {C['muted']}; }}
#ReviewPage QLabel[role="tag"] {{ background: {C['warning_bg']}; color: #6b4700; border-radius: 3px; padding: 1px 6px; }}
#ReviewPage QLabel[role="missing"] {{ color: {C['error']}; font-style: italic; }}
"""
