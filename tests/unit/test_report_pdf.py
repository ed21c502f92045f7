"""The one-run and whole-case PDFs: what they print, in what order, on every page."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from app.report import (
    AnswerLine,
    FlagLine,
    FlagResponseLine,
    ReviewLine,
    SectionBlock,
    build_case_pdf,
    build_run_pdf,
    make_run_pdf,
)
from app.report.example import example_case_document, example_run_document

PRINTED = datetime(2026, 3, 4, 9, 5)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def long_run_pdf() -> bytes:
    return build_run_pdf(example_run_document(60, training=False), printed_at=PRINTED)


def test_header_shows_case_child_checklist_practitioner_dates_and_status(long_run_pdf):
    first = flat(pages_text(long_run_pdf)[0])
    for expected in ("CASE-2026-0142", "Maja Wiśniewska", "Bruising and injuries in babies who are not independently",
                     "Checklist version 3", "Ruth Adeyemi", "Health Visiting, Sandwell North",
                     "Date of birth 1 December 2025", "Started 3 March 2026 at 10:15",
                     "Submitted 3 March 2026 at 10:55", "Submitted, awaiting review", "Printed 4 March 2026 at 09:05"):
        assert expected in first, expected


def test_expected_delivery_date_replaces_date_of_birth_for_an_unborn_baby():
    doc = replace(example_run_document(2, training=False), date_of_birth=None,
                  expected_delivery_date=date(2026, 6, 20))
    first = flat(pages_text(build_run_pdf(doc))[0])
    assert "Expected delivery date 20 June 2026" in first
    assert "Date of birth" not in first


def test_every_page_is_marked_and_numbered(long_run_pdf):
    texts = pages_text(long_run_pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, number
        assert f"Page {number} of {len(texts)}" in text
        assert "Printed 4 March 2026 at 09:05" in text


def test_metadata_names_the_record():
    reader = PdfReader(io.BytesIO(build_run_pdf(example_run_document(3, training=False))))
    meta = reader.metadata
    assert meta.title == "Bruising and injuries in babies who are not independently mobile: case CASE-2026-0142"
    assert meta.author == "Ruth Adeyemi"
    assert "OFFICIAL-SENSITIVE" in meta.subject


def test_flags_come_first_most_urgent_first_with_actions_and_words_for_severity():
    flags = [
        FlagLine("f_info", "info", "Info message here.", "Note it.", ()),
        FlagLine("f_consider", "consider", "Consider message here.", "Discuss it.", ()),
        FlagLine("f_urgent", "urgent", "Urgent message here.", "Refer today.", ()),
        FlagLine("f_act", "act", "Act message here.", "Act this week.", ()),
    ]
    doc = replace(example_run_document(6, training=False), flags=flags)
    text = flat("".join(pages_text(build_run_pdf(doc))))
    positions = [text.index(m) for m in ("Urgent message here.", "Act message here.", "Consider message here.",
                                         "Info message here.")]
    assert positions == sorted(positions)
    assert positions[-1] < text.index("Answers by section")
    for word in ("URGENT Act today", "ACT Take action", "CONSIDER Discuss and decide", "INFORMATION"):
        assert word in text
    assert "Recommended action: Refer today." in text


def test_only_shown_sections_print_answers_and_skipped_ones_say_why():
    sections = [
        SectionBlock("Age and mobility", True, "", [AnswerLine("mobility", "What can the baby do on their own?",
                                                               "Rolls over only", "Rolled twice.", "Seen by me")]),
        SectionBlock("Crawling and walking", False, "the child is independently mobile",
                     [AnswerLine("gait", "Hidden prompt about walking?", "Walks", "", "")]),
    ]
    doc = replace(example_run_document(1, training=False), sections=sections)
    text = flat("".join(pages_text(build_run_pdf(doc))))
    assert "What can the baby do on their own? Rolls over only" in text
    assert "How known: Seen by me" in text and "Note: Rolled twice." in text
    assert "Not asked: the child is independently mobile" in text
    assert "Hidden prompt about walking?" not in text


def test_unanswered_prompt_says_so():
    sections = [SectionBlock("Household", True, "", [AnswerLine("who", "Who lives in the household?", "")])]
    doc = replace(example_run_document(1, training=False), sections=sections)
    assert "Who lives in the household? Not answered" in flat("".join(pages_text(build_run_pdf(doc))))


def test_responses_to_flags_are_printed_and_a_missing_one_stands_out():
    flags = [FlagLine("a", "urgent", "First flag.", "Do it.", (), response=FlagResponseLine(
                 "Referred to MASH.", "Ruth Adeyemi", date(2026, 3, 3))),
             FlagLine("b", "act", "Second flag.", "Do that.", (), response=FlagResponseLine(
                 reason_not_acting="Already done by the GP.")),
             FlagLine("c", "consider", "Third flag.", "Think.", ())]
    doc = replace(example_run_document(1, training=False), flags=flags)
    text = flat("".join(pages_text(build_run_pdf(doc))))
    section = text[text.index("Response to each flag"):]
    assert "Action taken Referred to MASH. By whom Ruth Adeyemi By when 3 March 2026" in section
    assert "Not acting because Already done by the GP." in section
    assert "NO RESPONSE RECORDED" in section


def test_sources_review_and_fingerprint_follow_the_answers():
    doc = example_run_document(4, training=False, reviewed=True)
    text = flat("".join(pages_text(build_run_pdf(doc))))
    order = [text.index(s) for s in ("Answers by section", "Sources of the learning", "Supervisor review and sign-off",
                                     "Record fingerprint: 3f9a 1c2e 77b0 52d1…")]
    assert order == sorted(order)
    assert "The Myth of Invisible Men (2021)" in text
    assert "Decision Agreed Supervisor Priya Natarajan, Safeguarding Lead" in text
    assert "Signature" not in text
    assert "checked against the record held in the app" in text


def test_unreviewed_record_has_a_block_to_sign_by_hand():
    doc = replace(example_run_document(2, training=False), reviews=[])
    text = flat("".join(pages_text(build_run_pdf(doc))))
    for label in ("Not yet reviewed", "Supervisor name", "Signature", "Date", "Comment"):
        assert label in text


def test_several_reviews_all_print():
    reviews = [ReviewLine("Returned for more work", "Sam Okafor", datetime(2026, 3, 3, 15, 0), "See the partner."),
               ReviewLine("Agreed", "Sam Okafor", datetime(2026, 3, 5, 11, 30), "")]
    doc = replace(example_run_document(2, training=False), reviews=reviews)
    text = flat("".join(pages_text(build_run_pdf(doc))))
    assert "Returned for more work" in text and "3 March 2026 at 15:00" in text
    assert "5 March 2026 at 11:30" in text and "No comment recorded." in text


def test_markup_characters_in_answers_print_literally():
    sections = [SectionBlock("Notes", True, "", [AnswerLine("n", "Anything else?", "Mum & partner <b>argued</b>")])]
    doc = replace(example_run_document(1, training=False), sections=sections)
    assert "Mum & partner <b>argued</b>" in flat("".join(pages_text(build_run_pdf(doc))))


def _rotated_text(pdf: bytes) -> list[str]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        def visit(text, cm, tm, _font, _size, found=found):
            if text.strip() and abs(cm[1]) > 0.5 and abs(cm[2]) > 0.5:
                found.append(text.strip())
        page.extract_text(visitor_text=visit)
    return found


def test_training_records_carry_a_diagonal_watermark_and_banner_on_every_page():
    pdf = build_run_pdf(example_run_document(60, training=True))
    texts = pages_text(pdf)
    assert all("Made in the training workspace: not a real child or case." in t for t in texts)
    assert _rotated_text(pdf) == ["TRAINING — FICTIONAL DATA"] * len(texts)


def test_real_records_have_no_training_marks(long_run_pdf):
    assert "TRAINING" not in "".join(pages_text(long_run_pdf))
    assert _rotated_text(long_run_pdf) == []


def test_characters_no_font_has_still_make_the_pdf_shown_as_marked_code_points(shipped_fonts_only):
    doc = replace(example_run_document(1, training=False), child_name="李小龍", practitioner_name="Ann ☃")
    made = make_run_pdf(doc, printed_at=PRINTED)
    assert made.unprintable == ("李", "小", "龍", "☃")
    first = flat(pages_text(made.data)[0])
    assert "Child [characters not shown: U+674E U+5C0F U+9F8D]" in first
    assert "Practitioner Ann [characters not shown: U+2603]" in first
    assert "Some recorded text cannot be shown in this PDF" in first
    assert ("Characters not shown: U+674E CJK UNIFIED IDEOGRAPH-674E; U+5C0F CJK UNIFIED IDEOGRAPH-5C0F; "
            "U+9F8D CJK UNIFIED IDEOGRAPH-9F8D; U+2603 SNOWMAN.") in first
    assert "\ufffd" not in first and "李" not in first
    assert flat(pages_text(build_run_pdf(doc, printed_at=PRINTED))[0]) == first


def test_a_pdf_whose_text_every_font_has_carries_no_notice(long_run_pdf):
    assert "cannot be shown" not in "".join(pages_text(long_run_pdf))


def test_whole_case_opens_with_flags_over_time_then_every_run():
    case = example_case_document(training=False)
    texts = pages_text(build_case_pdf(case, printed_at=PRINTED))
    first = flat(texts[0])
    assert "Flags across all checklists, over time" in first
    assert first.index("2 February 2026") < first.index("3 March 2026 Bruising")
    # within a date, most severe first
    feb = first[first.index("Flags across"):first.index("3 March 2026 Bruising")]
    assert feb.index("URGENT") < feb.index("ACT") < feb.index("CONSIDER")
    whole = flat("".join(texts))
    assert whole.count("CHECKLIST RECORD, STARTED") == 2
    assert whole.count("Answers by section") == 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text and text.count("OFFICIAL-SENSITIVE") == 2


def test_whole_case_metadata_and_no_flags_message():
    case = replace(example_case_document(training=False), cumulative_flags=[])
    pdf = build_case_pdf(case)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Whole-case record: case CASE-2026-0142"
    assert meta.author == "Ruth Adeyemi"
    assert "No checklist for this case raised a flag." in pages_text(pdf)[0]


def test_pdf_is_made_without_any_text_logged(caplog):
    doc = replace(example_run_document(2, training=False), child_name="Secret Childname")
    with caplog.at_level("DEBUG"):
        build_run_pdf(doc)
    assert "Secret Childname" not in caplog.text
