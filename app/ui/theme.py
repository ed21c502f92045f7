"""The look of the app: colours, icons, fonts and the style sheet.

Text sizes follow the system font. The style sheet (`resources/styles/app.qss`) never names a pixel
size: it writes `{pt:1.3}` for "1.3 times the application font", `{c:primary}` for a colour from
`COLOURS` and `{icon:name}` for the path of an icon, and `stylesheet()` fills those in from the font the person has chosen for their computer.
"""
from __future__ import annotations

import os
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from app.paths import APP_NAME

if TYPE_CHECKING:
    from app.domain.model import Severity

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"
STYLES = RESOURCES / "styles"
FONTS = RESOURCES / "fonts"

# The colour every icon is drawn in; icon() swaps it for the colour asked for.
ICON_INK = "#1f3a5f"

COLOURS: dict[str, str] = {
    "primary": "#1f3a5f",         # navy: headings, primary buttons
    "primary_hover": "#2b4d78",
    "primary_pressed": "#162b47",
    "accent": "#2e6b8f",          # links, selection
    "focus": "#ffbf47",           # keyboard focus ring (high contrast on white and navy)
    "text": "#1b1f24",
    "muted": "#505a66",           # secondary text: still 7:1 on white
    "border": "#b8c0ca",
    "border_light": "#d9dee4",
    "window": "#f3f5f7",
    "panel": "#ffffff",
    "nav": "#e8ecf0",
    "selection": "#d6e4f0",
    "marking": "#1b1f24",         # OFFICIAL-SENSITIVE bar
    "marking_text": "#ffffff",
    "training": "#ffdd00",        # training bar: unmissable yellow with black text
    "training_text": "#0b0c0c",
    "error": "#b3261e",
    "error_bg": "#fbeae9",
    "ok": "#1e6b3a",
    "ok_bg": "#e6f2ea",
    "warning_bg": "#fff4d6",
    "warning_border": "#c98a00",
}

# Keyed by the severity's value: a `Severity` (a StrEnum) finds its entry too. Plain strings, so the
# theme (imported before the first window) does not import the domain model.
# Text colour and a pale background for each severity; text on background passes WCAG AA.
SEVERITY_COLOURS: dict[str, tuple[str, str]] = {
    "urgent": ("#9c1c14", "#fbe3e1"),
    "act": ("#8a4300", "#fdebd8"),
    "consider": ("#5f4b00", "#fbf3cf"),
    "info": ("#1f4e79", "#e3eef8"),
}

# Short words for each severity, for tables where the full label does not fit.
SEVERITY_WORDS: dict[str, str] = {
    "urgent": "Urgent",
    "act": "Act",
    "consider": "Consider",
    "info": "Information",
}

_TOKEN = re.compile(r"\{(pt|c|icon):([A-Za-z0-9_.\-]+)\}")


def severity_colours(severity: Severity | str) -> tuple[QColor, QColor]:
    """(text colour, background colour) for a severity."""
    fg, bg = SEVERITY_COLOURS[str(severity)]
    return QColor(fg), QColor(bg)


def base_point_size(font: QFont | None = None) -> float:
    """The application font's size in points (the system's choice), with a readable floor."""
    font = font or QApplication.font()
    size = font.pointSizeF()
    if size <= 0:  # a font set in pixels: convert at the usual 96 dpi
        size = font.pixelSize() * 72 / 96
    return max(size, 8.0)


def stylesheet(font: QFont | None = None) -> str:
    """The app style sheet with sizes relative to `font` (default: the application font)."""
    base = base_point_size(font)
    text = (STYLES / "app.qss").read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        kind, value = match.groups()
        if kind == "pt":
            return f"{base * float(value):.1f}pt"
        if kind == "icon":
            return (ICONS / f"{value}.svg").as_posix()
        return COLOURS[value]

    return _TOKEN.sub(fill, text)


def scaled_font(factor: float, bold: bool = False, base: QFont | None = None) -> QFont:
    """A copy of the application font, `factor` times its size."""
    font = QFont(base or QApplication.font())
    font.setPointSizeF(base_point_size(font) * factor)
    font.setBold(bold)
    return font


def register_fonts() -> None:
    """Make the bundled Noto fonts available so names in any script the app supports render."""
    if not FONTS.is_dir():
        return
    for path in sorted(FONTS.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))


@lru_cache(maxsize=256)
def _svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8")


@lru_cache(maxsize=256)
def icon(name: str, colour: str = ICON_INK) -> QIcon:
    """The icon `resources/icons/<name>.svg`, drawn in `colour`, sharp at every size.

    The recoloured SVG is kept in the per-user cache folder and handed to Qt as a file, so Qt's SVG
    icon engine draws it only at the sizes actually shown, when first shown (drawing six sizes of
    every icon up front cost about 4 ms of start-up). Without a writable cache it is drawn up front."""
    text = _svg(name).replace(ICON_INK, colour)
    path = _cached_svg(name, colour, text)
    if path is not None:
        return QIcon(path)
    return _drawn_icon(text)


@lru_cache(maxsize=1)
def _icon_cache() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "icons"


def _cached_svg(name: str, colour: str, text: str) -> str | None:
    """The path of a file holding exactly `text` (written now if need be), or None if it cannot be."""
    data = text.encode("utf-8")
    path = _icon_cache() / f"{name}-{colour.lstrip('#')}-{zlib.crc32(data):08x}-{len(data)}.svg"
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            part.write_bytes(data)
            os.replace(part, path)
    except OSError:
        return None
    return str(path)


def _drawn_icon(text: str) -> QIcon:
    # Only without a writable cache folder: QtSvg and QPainter (with its large enums) are not needed at start.
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    result = QIcon()
    for side in (16, 20, 24, 32, 48, 64):
        pixmap = QPixmap(QSize(side, side))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def palette() -> QPalette:
    """A light palette matching the style sheet, so native parts (menus, tooltips) agree with it."""
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(COLOURS["window"]))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(COLOURS["text"]))
    pal.setColor(QPalette.ColorRole.Base, QColor(COLOURS["panel"]))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fb"))
    pal.setColor(QPalette.ColorRole.Text, QColor(COLOURS["text"]))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor(COLOURS["muted"]))
    pal.setColor(QPalette.ColorRole.Button, QColor(COLOURS["panel"]))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(COLOURS["text"]))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(COLOURS["selection"]))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor(COLOURS["text"]))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor(COLOURS["panel"]))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor(COLOURS["text"]))
    pal.setColor(QPalette.ColorRole.Link, QColor(COLOURS["accent"]))
    return pal


STYLE = "Fusion"


def application_arguments(program: str) -> list[str]:
    """Arguments for a new QApplication that give it the app's style (see `apply`)."""
    return [program, "-style", STYLE]


def apply(app: QApplication, *, set_style: bool = True) -> None:
    """Give the application its style, palette, fonts, style sheet and window icon.

    `set_style=False` when the QApplication was made with `application_arguments()`: Qt then applies the
    style itself, without `setStyle` handing a QStyle to Python, which makes PySide build the QStyle type
    and its large enums (about 5 ms) before the first window is painted."""
    register_fonts()
    if set_style:
        app.setStyle(STYLE)
    app.setPalette(palette())
    app.setStyleSheet(stylesheet(app.font()))
    app.setWindowIcon(icon("app"))
