"""Grapheme segmentation is exact and linear on any input.

``regex``'s ``\\X`` on a whole string is the reference; the windowed scan must
split every generated text the same way, with windows small enough that
clusters straddle them all the time, and must stay linear where ``\\X`` alone
is quadratic (long runs of regional indicators: a push body of 5,000 flags
took longer than the 0.5 s render budget on a slow CI machine).
"""

from __future__ import annotations

import time

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import graphemes, truncate_graphemes

REFERENCE = regex.compile(r"\X", regex.DOTALL)

# Pieces that make clusters interact across boundaries: regional indicators
# (paired by parity), combining marks, ZWJ emoji, skin tones, CR LF, Hangul
# jamo, prepend and spacing marks, plain letters.
PIECES = [
    "\U0001f1e9",
    "\U0001f1ea",
    "\U0001f1f3",
    "\u0301",
    "\u0308",
    "\u200d",
    "\U0001f468",
    "\U0001f3fd",
    "\ufe0f",
    "\r",
    "\n",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\uac00",
    "\u0600",
    "\u0903",
    "a",
    " ",
    "\u0915\u094d",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120), st.integers(2, 9))
def test_windowed_segmentation_equals_the_reference(
    pieces: list[str], window: int
) -> None:
    text = "".join(pieces)
    assert graphemes(text, window=window) == REFERENCE.findall(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.integers(2, 40))
def test_any_text_is_split_like_the_reference(text: str, window: int) -> None:
    assert graphemes(text, window=window) == REFERENCE.findall(text)


@pytest.mark.parametrize(
    "unit",
    ["\U0001f1e9", "\U0001f1e9\U0001f1ea", "a\u0301", "\U0001f468\u200d", "\r\n"],
)
def test_segmentation_is_linear(unit: str) -> None:
    # Per code point, 40x the text costs about 40x the time; quadratic
    # segmentation (the whole string given to \X) is 40x slower again.
    def per_char(count: int) -> float:
        text = unit * count
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            graphemes(text)
            best = min(best, time.perf_counter() - start)
        return best / len(text)

    small, large = per_char(2_000), per_char(80_000)
    assert large < small * 8, (small, large)


def test_a_cluster_longer_than_the_window_stays_whole() -> None:
    zalgo = "e" + "\u0301" * 5_000
    assert graphemes(zalgo + "x" + zalgo) == [zalgo, "x", zalgo]
    assert truncate_graphemes(zalgo + "abc", 2) == zalgo + "\u2026"
