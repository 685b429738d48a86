"""Grapheme segmentation is exact and linear on any input.

``regex``'s ``\\X`` on a whole string is the reference; the windowed scan must
split every generated text the same way, with windows small enough that
clusters straddle them all the time, and must stay linear where ``\\X`` alone
is quadratic (long runs of regional indicators: a push body of 5,000 flags
took longer than the 0.5 s render budget on a slow CI machine).
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import _graphemes, graphemes, truncate_graphemes

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
@pytest.mark.parametrize("count", [2_000, 80_000])
def test_segmentation_is_linear(
    unit: str, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``\\X`` is given each code point a bounded number of times, in slices
    no longer than the window unless one cluster is (a ZWJ chain is one
    cluster: the window doubles until it holds it). Each slice then costs at
    most the window squared and the whole text linear time; ``\\X`` on the
    whole text (quadratic on regional indicators: 16,000 took 0.8 s) gives
    it one slice as long as the text. Counted, not timed: a timed ratio
    failed on a loaded machine."""
    real = _graphemes._CLUSTER
    slices: list[int] = []

    class Counting:
        def findall(self, text: str) -> list[str]:
            slices.append(len(text))
            return real.findall(text)

    monkeypatch.setattr(_graphemes, "_CLUSTER", Counting())
    text = unit * count
    clusters = graphemes(text)
    assert "".join(clusters) == text
    window = _graphemes._WINDOW
    longest = max(len(cluster) for cluster in clusters)
    assert sum(slices) <= 4 * len(text) + window, (sum(slices), len(text))
    if longest <= window // 2:
        assert max(slices) <= window, max(slices)
    else:  # one cluster longer than the window: slices grow to hold it
        assert longest == len(text) and max(slices) < 2 * len(text) + window


def test_a_cluster_longer_than_the_window_stays_whole() -> None:
    zalgo = "e" + "\u0301" * 5_000
    assert graphemes(zalgo + "x" + zalgo) == [zalgo, "x", zalgo]
    assert truncate_graphemes(zalgo + "abc", 2) == zalgo + "\u2026"
