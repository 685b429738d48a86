"""``$regex`` / ``$regexi`` run on RE2: linear time for any pattern an editor saves.

Catastrophic patterns for a backtracking engine (nested quantifiers,
overlapping alternations) are generated and run against long attributes; the
tests finish under pytest-timeout instead of taking minutes. On short inputs,
where backtracking is harmless, the answer is checked against Python's ``re``
(JavaScript, Python and RE2 agree on the generated syntax for ASCII text
without line breaks); the ``regex`` module's timeout keeps that oracle itself
from backtracking for minutes.
"""

from __future__ import annotations

from typing import Any

import pytest
import regex
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from tests.regex_strategies import catastrophic
from variants import evaluate_condition
from variants._js import js_to_number
from variants._js_regex import MAX_PROGRAM, js_regex, js_regex_problem, translate
from variants._validate_condition import condition_problems


def patterns() -> st.SearchStrategy[str]:
    return st.builds(
        lambda body, head, tail: head + body + tail,
        catastrophic(),
        st.sampled_from(["", "^"]),
        st.sampled_from(["", "$", "!", "b$"]),
    )


@pytest.mark.timeout(120)
@settings(max_examples=150, deadline=None)
@given(
    pattern=patterns(),
    insensitive=st.booleans(),
    unit=st.sampled_from(["a", "ab", "aab", "1a", "A"]),
    repeat=st.integers(5_000, 30_000),
    end=st.sampled_from(["", "!", "b", "\u00e9"]),
)
def test_catastrophic_patterns_on_long_attributes_finish(
    pattern: str, insensitive: bool, unit: str, repeat: int, end: str
) -> None:
    text = unit * repeat + end
    op = "$regexi" if insensitive else "$regex"
    compiled = js_regex(pattern, insensitive)
    result = evaluate_condition({"ua": {op: pattern}}, {"ua": text})
    assert result is (compiled is not None and compiled.test(text))
    if compiled is None:  # only a too-large program is refused here
        assert "too complex" in (js_regex_problem(pattern, insensitive) or "")


@settings(max_examples=200, deadline=None)
@given(
    pattern=patterns(),
    insensitive=st.booleans(),
    text=st.text(alphabet="aAb1!", max_size=8),
)
def test_answers_agree_with_a_backtracking_engine_on_short_input(
    pattern: str, insensitive: bool, text: str
) -> None:
    compiled = js_regex(pattern, insensitive)
    if compiled is None:
        return
    try:
        expected = regex.search(
            pattern, text, regex.IGNORECASE if insensitive else 0, timeout=0.2
        )
    except TimeoutError:
        reject()
    assert compiled.test(text) is (expected is not None)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=a)b", "lookahead"),
        ("a(?!b)", "lookahead"),
        ("(?<=a)b", "lookbehind"),
        ("(?<!a)b", "lookbehind"),
        ("(a)\\1", "backreference"),
        ("(?<n>a)\\k<n>", "backreference"),
        ("/???***[)", ""),
        ("(", ""),
        ("(?:[a-z]{1,100}){1,10}", "too complex"),
    ],
)
def test_refused_patterns_are_reported_and_never_match(
    pattern: str, reason: str
) -> None:
    problems = condition_problems({"name": {"$regex": pattern}})
    assert [p.type for p in problems] == ["invalid_regex"]
    assert reason in problems[0].msg
    assert not evaluate_condition({"name": {"$regex": pattern}}, {"name": "ab" * 50})


@pytest.mark.parametrize(
    ("pattern", "flags", "text", "expected"),
    [
        ("^a\\sb$", "", "a\u00a0b", True),  # JavaScript's \s is Unicode
        ("^a\\sb$", "", "a\vb", True),
        ("^a\\Sb$", "", "a\u2003b", False),
        ("^[\\s]$", "", "\ufeff", True),
        ("^a.b$", "", "a\rb", False),  # . never matches a line terminator
        ("^a.b$", "", "a\u2028b", False),
        ("^a.b$", "", "a\u00e9b", True),
        ("^a[^]b$", "", "a\nb", True),  # [^] is anything, [] nothing
        ("a[]", "", "a", False),
        ("^\\u00e9$", "", "\u00e9", True),
        ("^\\cJ$", "", "\n", True),
        ("^(?<year>\\d{4})-12-25$", "", "1980-12-25", True),
        ("^\\d+$", "", "\u0661\u0662", False),  # \d is ASCII in JavaScript
        ("abc$", "", "abc\n", False),  # $ is the end of input
        ("STRASSE", "i", "strasse", True),
        ("[.]", "", "x", False),
        ("^a\\/b$", "", "a/b", True),
    ],
)
def test_javascript_semantics(
    pattern: str, flags: str, text: str, expected: bool
) -> None:
    op = "$regexi" if "i" in flags else "$regex"
    assert evaluate_condition({"v": {op: pattern}}, {"v": text}) is expected


def test_translation_keeps_escaped_brackets_and_classes() -> None:
    assert translate("\\[a]") == "\\[a]"
    assert translate("[\\]]x") == "[\\]]x"
    assert translate("[.]") == "[.]"
    assert translate("(?<=a)") == "(?<=a)"  # left for RE2 to refuse


def test_a_large_program_is_refused_with_its_size() -> None:
    problem = js_regex_problem("(?:[a-z]{1,100}){1,10}")
    assert problem is not None and str(MAX_PROGRAM) in problem


@pytest.mark.parametrize("value", [12, None, True, ["ab"], {"a": 1}])
def test_non_string_attributes_are_stringified(value: Any) -> None:
    cond = {"v": {"$regex": "^(12|null|true|ab|\\[object Object\\])$"}}
    assert evaluate_condition(cond, {"v": value})


def test_a_lone_surrogate_never_raises() -> None:
    assert evaluate_condition({"v": {"$regex": "^a"}}, {"v": "a\ud800"})


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "1" * 200_000 + "x",
        "1" * 100_000 + "." + "1" * 100_000 + "x",
        "." + "1" * 200_000 + "e",
        "1e" + "1" * 200_000 + "x",
    ],
)
def test_number_parsing_of_long_digit_strings_is_linear(text: str) -> None:
    assert js_to_number(text) != js_to_number(text)  # NaN
    assert not evaluate_condition({"n": {"$gt": 5}}, {"n": text})


def test_a_huge_hexadecimal_string_is_infinity() -> None:
    assert js_to_number("0x" + "f" * 300) == float("inf")
    assert evaluate_condition({"n": {"$gt": 5}}, {"n": "0x" + "f" * 300})
