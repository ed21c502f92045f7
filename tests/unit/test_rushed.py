"""Signs of a rushed run: many answers seconds apart, the same answer throughout, thin required text."""
import datetime as dt

import pytest

from app.domain.rushed import QUICK, SAME, SHORT_TEXT, RushedThresholds, TimedAnswer, duration_words, rushed_signs

START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)


def answers(gaps, values=None, types=None):
    """Rows answered `gaps` seconds after each other (first at START)."""
    rows, at = [], START
    for index, gap in enumerate([0, *gaps]):
        at += dt.timedelta(seconds=gap)
        value = values[index] if values else ("yes" if index % 2 else "no")
        kind = types[index] if types else "yes_no_unknown"
        rows.append(TimedAnswer(f"p{index}", at, value, False, kind))
    return rows


def kinds(signs):
    return [s.kind for s in signs]


def test_many_answers_seconds_apart_is_a_sign_naming_the_quick_ones():
    rows = answers([2, 3, 1, 2, 4, 2, 3, 2])
    [sign] = rushed_signs(rows)
    assert sign.kind == QUICK
    assert sign.prompt_ids == tuple(f"p{i}" for i in range(1, 9))
    assert "8 of 9 answers were given less than 5 seconds after the one before" in sign.message
    assert "within 19 seconds" in sign.message


def test_a_careful_pace_with_a_few_quick_answers_is_not_a_sign():
    rows = answers([40, 3, 65, 2, 90, 120, 4, 75, 30, 50, 2, 60])
    assert rushed_signs(rows) == []


def test_quick_answers_must_be_most_of_the_run_not_just_many():
    # 6 quick gaps among 20: enough in number but not half the run
    gaps = [2] * 6 + [60] * 14
    assert rushed_signs(answers(gaps)) == []
    assert kinds(rushed_signs(answers(gaps), RushedThresholds(quick_share=0.25))) == [QUICK]


def test_rows_out_of_order_are_put_in_time_order_first():
    rows = list(reversed(answers([1] * 8)))
    assert kinds(rushed_signs(rows)) == [QUICK]


def test_timestamps_may_be_stored_iso_text():
    rows = [TimedAnswer(r.prompt_id, r.answered_at.isoformat(), r.value, r.required, r.type)
            for r in answers([1] * 8)]
    assert kinds(rushed_signs(rows)) == [QUICK]


def test_the_same_answer_to_every_yes_no_question_is_a_sign():
    rows = answers([60] * 5, values=["no"] * 6)
    [sign] = rushed_signs(rows)
    assert sign.kind == SAME
    assert sign.message == "Every one of the 6 yes/no questions was answered 'No'."
    assert len(sign.prompt_ids) == 6


def test_one_different_answer_or_too_few_questions_is_not_a_sign():
    assert rushed_signs(answers([60] * 5, values=["no"] * 5 + ["yes"])) == []
    assert rushed_signs(answers([60] * 3, values=["no"] * 4)) == []


def test_same_answer_only_counts_yes_no_questions():
    values = ["no"] * 6
    types = ["yes_no_unknown"] * 4 + ["single_choice"] * 2
    assert rushed_signs(answers([60] * 5, values=values, types=types)) == []


def test_required_free_text_of_a_few_characters_is_a_sign_without_quoting_it():
    rows = [
        TimedAnswer("mark_description", START, "ok", True, "text"),
        TimedAnswer("explanation_text", START + dt.timedelta(minutes=2), "n/a", False, "text"),
        TimedAnswer("plan", START + dt.timedelta(minutes=5), "Seen at home with mother; bruise 1cm left shin.", True,
                    "text"),
    ]
    [sign] = rushed_signs(rows)
    assert sign.kind == SHORT_TEXT and sign.prompt_ids == ("mark_description",)
    assert sign.message.startswith("A required description is only 2 characters long")
    assert "ok" not in sign.message.split("long")[0].split()


def test_several_short_texts_are_listed_together():
    rows = [TimedAnswer("a", START, " - ", True, "text"), TimedAnswer("b", START + dt.timedelta(minutes=3), "fine", True,
                                                                      "text")]
    [sign] = rushed_signs(rows)
    assert sign.prompt_ids == ("a", "b")
    assert "2 required descriptions are only a few characters long (1, 4 characters)" in sign.message


def test_all_three_signs_come_in_a_fixed_order():
    rows = answers([1] * 7, values=["no"] * 8)
    rows.append(TimedAnswer("describe", rows[-1].answered_at + dt.timedelta(seconds=1), "x", True, "text"))
    assert kinds(rushed_signs(rows)) == [QUICK, SAME, SHORT_TEXT]


def test_unanswered_rows_and_an_empty_run_give_no_signs():
    assert rushed_signs([]) == []
    assert rushed_signs([TimedAnswer("a", START, None, True, "text")]) == []


@pytest.mark.parametrize("seconds, words", [
    (0, "0 seconds"), (1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (70, "1 minute 10 seconds"),
    (3600, "1 hour"), (7500, "2 hours 5 minutes"),
])
def test_durations_read_as_plain_words(seconds, words):
    assert duration_words(seconds) == words
