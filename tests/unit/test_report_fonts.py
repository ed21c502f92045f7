"""Text in a script the shipped fonts do not cover: printed with a font on this computer, or marked.

A name must never stop a PDF from being made. The first choice is to print it, with an installed
TrueType font (found through fontconfig) embedded in the PDF; when no font has it, the PDF shows the
code points, marked, and says so.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app.report import AnswerLine, SectionBlock, fonts, make_case_pdf, make_run_pdf
from app.report.example import example_case_document, example_run_document
from app.report.text import render

THAI_NAME = "สมชาย ใจดี"  # Somchai Jaidee


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _embedded_fonts(pdf: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.add(str(font["/BaseFont"]).split("+")[-1])
    return found


@pytest.fixture
def forget_found_fonts():
    fonts.forget_system_fonts()
    render.cache_clear()
    yield
    fonts.forget_system_fonts()
    render.cache_clear()


def test_a_cjk_name_in_a_case_and_its_runs_makes_the_pdf_with_the_mark_visible(shipped_fonts_only):
    case = example_case_document(training=False)
    runs = [replace(run, child_name="김민준", sections=[SectionBlock("Household", True, "", [
        AnswerLine("who", "Who lives in the household?", "Mother 佐藤 花子 and her partner", "父親は不在", "")])])
        for run in case.runs]
    made = make_case_pdf(replace(case, child_name="김민준", runs=runs))
    assert made.unprintable[:3] == ("김", "민", "준")
    assert {"佐", "藤", "花", "子", "父", "親"} <= set(made.unprintable)
    text = _text(made.data)
    assert text.count("[characters not shown: U+AE40 U+BBFC U+C900]") >= 4  # title, grid, each run, footer
    assert "Mother [characters not shown: U+4F50 U+85E4] [characters not shown: U+82B1 U+5B50] and her partner" in text
    assert text.count("Some recorded text cannot be shown in this PDF") == 1  # once, on the first page
    assert "U+AE40 HANGUL SYLLABLE GIM" in text and "U+4F50 CJK UNIFIED IDEOGRAPH-4F50" in text
    assert "\ufffd" not in text


def test_the_notice_counts_what_it_does_not_name(shipped_fonts_only):
    many = "".join(chr(0x4E00 + i) for i in range(30))
    made = make_run_pdf(replace(example_run_document(1, training=False), child_name=many))
    assert len(made.unprintable) == 30
    assert "and 6 more characters." in _text(made.data)


def test_fontconfig_offers_only_truetype_fonts_plain_sans_first(monkeypatch):
    listed = "\n".join([
        "/fonts/NotoSansCJK-Regular.ttc\t0\tCFF\tNoto Sans CJK JP\t80\t0\t100",
        "/fonts/NotoSerifThai-Regular.ttf\t0\tTrueType\tNoto Serif Thai\t80\t0\t100",
        "/fonts/NotoSansThai-Bold.ttf\t0\tTrueType\tNoto Sans Thai\t200\t0\t100",
        "/fonts/DejaVuSans-Oblique.ttf\t0\tTrueType\tDejaVu Sans\t80\t100\t100",
        "/fonts/NotoSansThai-Regular.ttf\t0\tTrueType\tNoto Sans Thai\t80\t0\t100",
        "/fonts/Other.ttf\tnot-a-number\tTrueType\tOther\t80\t0\t100",
        "/fonts/NotoSansThaiLooped-VF.ttf\t0\tTrueType\tNoto Sans Thai Looped\t[40 210]\t0\t[62 100]",
    ]) + "\n"
    calls = []

    def fake_run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, stdout=listed, stderr="")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/fc-list" if name == "fc-list" else None)
    monkeypatch.setattr(subprocess, "run", fake_run)
    found = fonts._fontconfig_candidates(0x0E2A)
    assert calls[0][-1] == ":charset=e2a"
    assert [c.path for c in found] == ["/fonts/NotoSansThai-Bold.ttf", "/fonts/NotoSansThai-Regular.ttf",
                                       "/fonts/NotoSerifThai-Regular.ttf", "/fonts/NotoSansThaiLooped-VF.ttf",
                                       "/fonts/DejaVuSans-Oblique.ttf"]
    assert found[3].weight == 40  # a variable font's range, read from its lower end


def test_without_fontconfig_there_are_no_system_fonts(monkeypatch, forget_found_fonts):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert fonts._fontconfig_candidates(0x4E00) == []
    assert fonts.system_family(0x4E00) is None


def test_a_font_reportlab_cannot_use_is_passed_over_for_the_next(monkeypatch, forget_found_fonts):
    gurmukhi = fonts.FONT_DIR / "NotoSansGurmukhi-Regular.ttf"
    bold = fonts.FONT_DIR / "NotoSansGurmukhi-Bold.ttf"
    candidates = [
        fonts._Candidate(str(fonts.FONT_DIR / "OFL.txt"), 0, "Broken Sans", 80, (False,) * 5 + ("Broken Sans", "a")),
        fonts._Candidate(str(gurmukhi), 0, "Noto Sans Gurmukhi", 80, (False,) * 5 + ("Noto Sans Gurmukhi", "b")),
        fonts._Candidate(str(bold), 0, "Noto Sans Gurmukhi", 200, (False,) * 5 + ("Noto Sans Gurmukhi", "c")),
    ]
    monkeypatch.setattr(fonts, "_fontconfig_candidates", lambda codepoint: candidates)
    family = fonts.system_family(ord("ਗ"))
    assert family is not None and family.source == str(gurmukhi)
    assert fonts.covers(family, ord("ਗ"))
    assert family.needs_shaping == fonts.SHAPING_AVAILABLE  # Gurmukhi needs shaping when it can have it
    assert fonts.system_families() == (family,)
    assert fonts.system_family(ord("ਕ")) is family  # found again without asking fontconfig


def test_system_fonts_can_be_switched_off(monkeypatch, forget_found_fonts):
    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    monkeypatch.setattr(fonts, "_fontconfig_candidates", lambda codepoint: pytest.fail("fontconfig was asked"))
    assert fonts.system_family(0x0E2A) is None


def _installed_truetype_for(character: str) -> bool:
    return any(True for _ in fonts._fontconfig_candidates(ord(character)))


@pytest.mark.skipif(not _installed_truetype_for("ส"), reason="no TrueType font for Thai is installed here")
def test_a_thai_name_prints_with_an_installed_font_embedded_in_the_pdf(forget_found_fonts):
    made = make_run_pdf(replace(example_run_document(1, training=False), child_name=THAI_NAME))
    assert made.unprintable == ()
    family = fonts.family_for(ord("ส"))
    assert family is not None and family in fonts.system_families()
    assert family.source.endswith(".ttf") or family.source.endswith(".ttc")
    face_name = pdfmetrics.getFont(family.bold).face.name  # the child's name is printed bold
    face_name = face_name.decode() if isinstance(face_name, bytes) else str(face_name)
    assert face_name.split("+")[-1] in _embedded_fonts(made.data)  # embedded: the PDF stands on its own
    text = _text(made.data)
    assert "characters not shown" not in text
    assert all(ch in text for ch in THAI_NAME.replace(" ", ""))
