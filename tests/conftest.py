"""Shared test setup: Qt renders offscreen so no test needs a display."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def shipped_fonts_only(monkeypatch):
    """PDFs print with the fonts shipped with the app only: no look-up of this computer's fonts, so a
    character outside them has no font at all, whatever is installed here."""
    from app.report import fonts, text

    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    fonts.forget_system_fonts()
    text.render.cache_clear()
    yield
    fonts.forget_system_fonts()
    text.render.cache_clear()
