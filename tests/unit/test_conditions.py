"""The condition language: parsing, evaluation semantics, references and readable errors."""
import pytest

from app.domain.conditions import ConditionSyntaxError, parse_condition
from app.domain.settings import Settings

CASE = {"age_months": 3, "unborn": False, "mobility": None, "independently_mobile": None, "male_carers": 1}
SETTINGS = Settings({"wnb_pattern_count": 2})


def holds(text, answers=None, case=None):
    return parse_condition(text).holds(answers or {}, CASE if case is None else case, SETTINGS)


@pytest.mark.parametrize("text, answers, expected", [
    ("a == 'yes'", {"a": "yes"}, True),
    ("a == 'yes'", {"a": "no"}, False),
    ("a != 'yes'", {"a": "no"}, True),
    ("n >= 2 and n < 5", {"n": 4}, True),
    ("n >= 2 and n < 5", {"n": 5}, False),
    ("n > 1.5", {"n": 2}, True),
    ("sites has 'ear'", {"sites": ["neck", "ear"]}, True),
    ("sites has 'ear'", {"sites": ["neck"]}, False),
    ("sites has_any ['torso', 'ear']", {"sites": ["ear"]}, True),
    ("sites has_any ['torso', 'ear']", {"sites": ["shin"]}, False),
    ("m in ['not_rolling', 'rolls']", {"m": "rolls"}, True),
    ("m in ['not_rolling', 'rolls']", {"m": "walks"}, False),
    ("selected(sites) >= 2", {"sites": ["ear", "neck"]}, True),
    ("selected(sites) >= 2", {"sites": ["ear"]}, False),
    ("count(a == 'yes', b == 'yes', c == 'yes') >= 2", {"a": "yes", "c": "yes"}, True),
    ("count(a == 'yes', b == 'yes', c == 'yes') >= 2", {"a": "yes"}, False),
    ("answered(x)", {"x": "anything"}, True),
    ("not answered(x)", {}, True),
    ("not (a == 'yes' or b == 'yes')", {"a": "no", "b": "no"}, True),
    ("a == 'yes' or b == 'yes' and c == 'yes'", {"a": "yes"}, True),  # and binds tighter than or
    ("(a == 'yes' or b == 'yes') and c == 'yes'", {"a": "yes"}, False),
    ("d < '2026-01-31'", {"d": "2025-12-01"}, True),
    ("missed >= settings.wnb_pattern_count", {"missed": 2}, True),
    ("missed >= settings.wnb_pattern_count", {"missed": 1}, False),
    ("case.age_months < 12 and case.male_carers == 1", {}, True),
    ("case.unborn == false", {}, True),
    ('a == "yes"', {"a": "yes"}, True),
    ("a ==\n  'yes'", {"a": "yes"}, True),
])
def test_evaluates(text, answers, expected):
    assert holds(text, answers) is expected


@pytest.mark.parametrize("text", [
    "a == 'yes'", "a != 'yes'", "n < 3", "n >= 0", "sites has 'ear'", "sites has_any ['ear']",
    "m in ['rolls']", "selected(sites) >= 0", "selected(sites) == 0", "answered(a)", "d > '2000-01-01'",
])
def test_a_comparison_with_an_unanswered_or_hidden_prompt_is_false(text):
    assert holds(text, {}) is False


def test_not_of_a_missing_comparison_is_true_so_gaps_can_be_acted_on():
    assert holds("not (a == 'yes')", {}) is True


@pytest.mark.parametrize("text", ["case.mobility == 'rolls'", "case.mobility != 'rolls'",
                                  "case.independently_mobile == false", "case.independently_mobile",
                                  "case.pregnancy_weeks > 1"])
def test_unknown_case_facts_make_comparisons_false(text):
    assert holds(text, {}, {"mobility": None, "independently_mobile": None, "pregnancy_weeks": None}) is False


def test_values_of_different_kinds_never_compare_true():
    assert holds("n == 1", {"n": "1"}) is False
    assert holds("n < 1", {"n": "0"}) is False
    assert holds("a has 'x'", {"a": "x"}) is False  # has needs a list, never a substring test


def test_references_lists_prompts_case_facts_and_settings_in_order():
    refs = parse_condition(
        "count(b == 'yes', answered(a), selected(c) > 1) >= 2 and case.age_days < settings.late_booking_week "
        "and foo.bar == 1 and b == 'no'").references()
    assert refs.prompts == ("b", "a", "c")
    assert refs.case == ("age_days",)
    assert refs.settings == ("late_booking_week",)
    assert refs.unknown_scopes == ("foo.bar",)


@pytest.mark.parametrize("text, fragment, column", [
    ("a ==", "expected a value after '=='", 5),
    ("a == == 'yes'", "expected a value after '=='", 6),
    ("(a == 'yes'", "expected ')'", 12),
    ("sites has_any ['ear'", "expected ']'", 21),
    ("a = 'yes'", "to compare, write '=='", 3),
    ("a == 'yes", "not closed", 6),
    ("A == 'yes'", "lower case", 1),
    ("a == 'yes' b == 'no'", "join conditions with 'and' or 'or'", 12),
    ("and", "expected a value at the start", 1),
    ("", "the condition is empty", 1),
    ("   ", "the condition is empty", 1),
    ("open('x')", "only answered(), selected() and count() can be called", 5),
    ("__import__('os')", "unexpected character '_'", 1),
    ("a.b.c == 1", "unexpected '.'", 4),
])
def test_syntax_errors_are_readable_with_position(text, fragment, column):
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert fragment in str(info.value)
    assert info.value.column == column
    assert "Token" not in str(info.value) and "Expected one of" not in str(info.value)


def test_syntax_error_reports_line_within_a_multi_line_condition():
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition("a == 'yes'\n  and b ==\n  or c == 'no'")
    assert (info.value.line, info.value.column) == (3, 3)


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')", "a.__class__ == 1", "exec('1')", "eval('1')",
    "lambda: 1", "a if b else c", "[x for x in y]", "a + 1 == 2", "a[0] == 1",
])
def test_python_is_never_accepted(text):
    with pytest.raises(ConditionSyntaxError):
        parse_condition(text)


def test_non_text_is_a_syntax_error_not_a_crash():
    with pytest.raises(ConditionSyntaxError, match="must be text"):
        parse_condition(3)  # type: ignore[arg-type]


def test_keywords_are_whole_words_so_ids_may_start_with_them():
    assert holds("has_ear == 'yes' and notes_done == 'yes' and inside == 'no'",
                 {"has_ear": "yes", "notes_done": "yes", "inside": "no"}) is True
