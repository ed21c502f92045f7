"""Names in every script the app promises print whole: right fonts, right order, nothing dropped."""
from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app.report import build_run_pdf, fonts
from app.report.example import example_run_document
from app.report.text import render

LTR_NAMES = {
    "Polish": "Małgorzata Żółkiewska-Łęcka",
    "Romanian": "Ștefan Țăranu-Bălășescu",
    "Lithuanian": "Gintarė Žemaitytė-Ąžuolienė",
    "Cyrillic": "Олександра Ковальчук",
    "Greek": "Αικατερίνη Παπαδοπούλου",
}
RTL_NAMES = {"Arabic": "محمد عبد الرحمن", "Urdu": "ثناء ٹھاکر یوسف"}
SHAPED_NAMES = {"Gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "Bengali": "অনিন্দিতা রায়চৌধুরী"}


def _fonts_in(markup: str) -> set[str]:
    names = {fonts.BASE.regular}
    for part in markup.split('<font name="')[1:]:
        names.add(part.split('"')[0])
    return names


def _pdf_for(name: str) -> bytes:
    return build_run_pdf(replace(example_run_document(1, training=False), child_name=name))


@pytest.mark.parametrize("script,name", list(LTR_NAMES.items()))
def test_left_to_right_names_print_exactly(script, name):
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufffd" not in text
    assert name in text, script
    assert render(name).missing == ()
    regular = pdfmetrics.getFont(fonts.BASE.regular).face.charToGlyph
    assert all(ord(c) in regular for c in name)


@pytest.mark.parametrize("script,name", list(RTL_NAMES.items()))
def test_arabic_script_names_are_joined_reordered_and_covered(script, name):
    rendered = render(name)
    assert rendered.missing == () and not rendered.shaped
    inner = rendered.markup.split(">", 1)[1].rsplit("<", 1)[0]
    # Joined letters use presentation forms; display order is right to left.
    assert any(0xFB50 <= ord(c) <= 0xFEFF for c in inner)
    assert unicodedata.normalize("NFKC", inner)[::-1].replace(" ", "") == name.replace(" ", "")
    face = pdfmetrics.getFont(fonts.ARABIC.regular).face.charToGlyph
    assert all(ord(c) in face for c in inner), script
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufffd" not in text
    letters = set(unicodedata.normalize("NFKC", text))
    assert set(name) <= letters


@pytest.mark.skipif(not fonts.SHAPING_AVAILABLE, reason="uharfbuzz is not installed")
@pytest.mark.parametrize("script,name", list(SHAPED_NAMES.items()))
def test_gurmukhi_and_bengali_names_are_shaped_in_their_own_font(script, name):
    rendered = render(name)
    assert rendered.missing == () and rendered.shaped
    assert _fonts_in(rendered.markup) == {fonts.BASE.regular, f"NotoSans{script}-Regular"}
    reader = PdfReader(io.BytesIO(_pdf_for(name)))
    used = {f["/BaseFont"].split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert f"NotoSans{script}-Bold" in used  # the child's name is printed bold in the header
    assert "\ufffd" not in reader.pages[0].extract_text()


def test_mixed_scripts_keep_each_run_in_its_font_and_punctuation_outside_rtl():
    rendered = render("Mother: فاطمة (Fatima), Tată: Ștefan")
    assert rendered.missing == ()
    assert rendered.markup.startswith("Mother: <font name=\"NotoSansArabic-Regular\">")
    assert "</font> (Fatima), Tată: Ștefan" in rendered.markup


def test_bold_text_uses_bold_faces_of_other_scripts():
    assert '<font name="NotoSansArabic-Bold">' in render("فاطمة", bold=True).markup


def test_missing_characters_are_listed_not_dropped():
    rendered = render("Anna 李 Kowalska 🙂")
    assert rendered.missing == ("李", "🙂")
    with pytest.raises(fonts.MissingGlyphs, match="U\\+1F642"):
        raise fonts.MissingGlyphs(list(rendered.missing))


def test_every_shipped_font_has_its_licence():
    licence = (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence
    for family in fonts.families():
        for face in (family.regular, family.bold):
            assert (fonts.FONT_DIR / f"{face}.ttf").is_file()


@pytest.mark.skipif(not fonts.SHAPING_AVAILABLE, reason="uharfbuzz is not installed")
def test_arabic_beside_bengali_is_shaped_without_decorative_ligatures():
    name = "محمد / অনিন্দিতা"
    rendered = render(name)
    assert rendered.shaped and rendered.missing == ()
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufdf4" not in text  # the ornamental "Muhammad" ligature adds vowel marks the name did not have
    assert set("محمد") <= set(unicodedata.normalize("NFKC", text))
