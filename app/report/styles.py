"""Colours and paragraph styles for the PDFs, built once per process.

Severity colours are dark enough to carry white text and differ in lightness, so a greyscale
print still separates them; the severity is always printed in words as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from app.report import fonts

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1B2A41")
MUTED = colors.HexColor("#4A4A4A")
RULE = colors.HexColor("#9AA3AE")
PANEL = colors.HexColor("#EEF1F4")
WATERMARK = colors.Color(0.55, 0.55, 0.55, alpha=0.22)


@dataclass(frozen=True)
class SeverityLook:
    """How one severity prints: band colour, the word on the band and a sentence saying what it means."""

    colour: colors.Color
    tint: colors.Color
    word: str
    meaning: str


SEVERITY: dict[str, SeverityLook] = {
    "urgent": SeverityLook(colors.HexColor("#9E1B1B"), colors.HexColor("#FBEAEA"), "URGENT", "Act today"),
    "act": SeverityLook(colors.HexColor("#B8560B"), colors.HexColor("#FDF1E6"), "ACT", "Take action"),
    "consider": SeverityLook(colors.HexColor("#1F4E8C"), colors.HexColor("#EAF0F8"), "CONSIDER",
                             "Discuss and decide"),
    "info": SeverityLook(colors.HexColor("#5C6670"), colors.HexColor("#F1F2F3"), "INFORMATION",
                         "For your information"),
}


class Styles:
    """The named paragraph styles, as attributes."""

    def __init__(self) -> None:
        fonts.families()
        regular, bold = fonts.BASE.regular, fonts.BASE.bold
        body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK)
        self.body = body
        self.title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20,
                                    textColor=NAVY, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", parent=body, fontSize=11, leading=14, textColor=NAVY,
                                       spaceAfter=8)
        self.h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=12.5, leading=16, textColor=NAVY,
                                 spaceBefore=12, spaceAfter=5, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=10.5, leading=14, textColor=NAVY,
                                 spaceBefore=8, spaceAfter=1)
        self.question = ParagraphStyle("question", parent=body, fontName=bold, spaceBefore=6)
        self.answer = ParagraphStyle("answer", parent=body, leftIndent=12)
        self.not_answered = ParagraphStyle("not_answered", parent=self.answer, fontName=bold)
        self.meta = ParagraphStyle("meta", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED,
                                   leftIndent=12)
        self.small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED)
        self.skipped = ParagraphStyle("skipped", parent=body, textColor=MUTED, leftIndent=12)
        self.label = ParagraphStyle("label", parent=body, fontName=bold, fontSize=8.5, leading=11.5,
                                    textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.flag_message = ParagraphStyle("flag_message", parent=body, fontName=bold, fontSize=10, leading=13.5)
        self.flag_action = ParagraphStyle("flag_action", parent=body, fontName=bold, fontSize=10, leading=13.5,
                                          spaceBefore=3)
        self.band = ParagraphStyle("band", parent=body, fontName=bold, fontSize=9.5, leading=12,
                                   textColor=colors.white, alignment=TA_CENTER)
        self.band_small = ParagraphStyle("band_small", parent=self.band, fontName=regular, fontSize=8,
                                         leading=10)
        self.banner = ParagraphStyle("banner", parent=body, fontName=bold, fontSize=10, leading=13,
                                     alignment=TA_CENTER)
        self.footer = ParagraphStyle("footer", parent=body, fontSize=7.5, leading=9, textColor=MUTED)
        self._shaped: dict[str, ParagraphStyle] = {}

    def shaped(self, style: ParagraphStyle) -> ParagraphStyle:
        """The same style with HarfBuzz shaping switched on (for Gurmukhi and Bengali text)."""
        variant = self._shaped.get(style.name)
        if variant is None:
            variant = self._shaped[style.name] = ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)
        return variant


@lru_cache(maxsize=1)
def styles() -> Styles:
    """The shared styles (fonts are registered on first use)."""
    return Styles()
