"""Names in every script the app promises print whole: right fonts, right order, nothing dropped."""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app.report import build_run_pdf, fonts
from app.report.bidi import BidiParagraph
from app.report.blocks import Writer
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


def _shown(markup: str) -> str:
    """The characters of one laid-out line, left to right as drawn (tags and escapes removed)."""
    return re.sub(r"<[^>]*>", "", markup).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _lines(text: str, width: float = 400, **para) -> list[str]:
    w = Writer()
    paragraph = w.para(text, para.pop("style", w.st.body), **para)
    assert isinstance(paragraph, BidiParagraph)
    paragraph.wrap(width, 1000)
    return [_shown(line) for line in paragraph.display_lines()]


@pytest.mark.parametrize("script,name", list(LTR_NAMES.items()))
def test_left_to_right_names_print_exactly(script, name):
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufffd" not in text
    assert name in text, script
    assert render(name).unprintable == ()
    regular = pdfmetrics.getFont(fonts.BASE.regular).face.charToGlyph
    assert all(ord(c) in regular for c in name)


@pytest.mark.parametrize("script,name", list(RTL_NAMES.items()))
def test_arabic_script_names_are_joined_reordered_and_covered(script, name):
    rendered = render(name)
    assert rendered.unprintable == () and not rendered.shaped and rendered.rtl
    [shown] = _lines(name)
    # Joined letters use presentation forms; display order is right to left.
    assert any(0xFB50 <= ord(c) <= 0xFEFF for c in shown)
    assert unicodedata.normalize("NFKC", shown)[::-1].replace(" ", "") == name.replace(" ", "")
    face = pdfmetrics.getFont(fonts.ARABIC.regular).face.charToGlyph
    assert all(ord(c) in face for c in shown), script
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufffd" not in text
    letters = set(unicodedata.normalize("NFKC", text))
    assert set(name) <= letters


@pytest.mark.skipif(not fonts.SHAPING_AVAILABLE, reason="uharfbuzz is not installed")
@pytest.mark.parametrize("script,name", list(SHAPED_NAMES.items()))
def test_gurmukhi_and_bengali_names_are_shaped_in_their_own_font(script, name):
    rendered = render(name)
    assert rendered.unprintable == () and rendered.shaped
    assert _fonts_in(rendered.markup) == {fonts.BASE.regular, f"NotoSans{script}-Regular"}
    reader = PdfReader(io.BytesIO(_pdf_for(name)))
    used = {f["/BaseFont"].split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert f"NotoSans{script}-Bold" in used  # the child's name is printed bold in the header
    assert "\ufffd" not in reader.pages[0].extract_text()


@pytest.mark.skipif(not fonts.SHAPING_AVAILABLE, reason="uharfbuzz is not installed")
def test_punctuation_touching_a_shaped_name_is_printed_in_the_names_font():
    # reportlab shapes a word with the font of its first letter: "(" in Noto Sans turned the name into boxes
    name = "(ਗੁਰਪ੍ਰੀਤ) Singh"
    rendered = render(name)
    assert rendered.markup.startswith('<font name="NotoSansGurmukhi-Regular">(ਗੁਰਪ੍ਰੀਤ)')
    assert rendered.markup.endswith("</font>Singh")
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\uffff" not in text and ") Singh" in text


def test_mixed_scripts_keep_each_run_in_its_font_and_punctuation_outside_rtl():
    rendered = render("Mother: فاطمة (Fatima), Tată: Ștefan")
    assert rendered.unprintable == () and rendered.rtl
    assert rendered.lines == (((fonts.BASE, "Mother: "), (fonts.ARABIC, "فاطمة"),
                               (fonts.BASE, " (Fatima), Tată: Ștefan")),)
    [shown] = _lines("Mother: فاطمة (Fatima), Tată: Ștefan")
    assert unicodedata.normalize("NFKC", shown) == "Mother: " + "فاطمة"[::-1] + " (Fatima), Tată: Ștefan"


def test_bold_text_uses_bold_faces_of_other_scripts():
    w = Writer()
    paragraph = w.para("فاطمة", w.st.cell_bold)
    paragraph.wrap(300, 100)
    assert '<font name="NotoSansArabic-Bold">' in paragraph.display_lines()[0]
    assert '<font name="NotoSansBengali-Bold">' in render("অনিন্দিতা", bold=True).markup


def test_characters_no_font_has_are_listed_and_shown_as_marked_code_points(shipped_fonts_only):
    rendered = render("Anna 李 Kowalska 🙂")
    assert rendered.unprintable == ("李", "🙂")
    assert "[characters not shown: U+674E]" in rendered.markup
    assert "[characters not shown: U+1F642]" in rendered.markup
    assert "李" not in rendered.markup and "🙂" not in rendered.markup
    assert 'backcolor="#E3E7EC"' in rendered.markup  # marked, not passed off as the text
    assert fonts.describe("李") == "U+674E CJK UNIFIED IDEOGRAPH-674E"


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
    assert rendered.shaped and rendered.unprintable == ()
    text = PdfReader(io.BytesIO(_pdf_for(name))).pages[0].extract_text()
    assert "\ufdf4" not in text  # the ornamental "Muhammad" ligature adds vowel marks the name did not have
    assert set("محمد") <= set(unicodedata.normalize("NFKC", text))
