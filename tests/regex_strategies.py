"""Hypothesis strategies for regular expressions a backtracking engine chokes on."""

from __future__ import annotations

from hypothesis import strategies as st

_ATOMS = ["a", "b", "[a-z]", "\\w", ".", "(?:a|aa)", "(?:a|a?)", "(?:a|b)", "\\d"]
_QUANTIFIERS = ["+", "*", "?", "{1,3}", "{0,5}", "{2,}"]


@st.composite
def catastrophic(draw: st.DrawFn, depth: int = 0) -> str:
    """A nested-quantifier / alternation pattern of the ``(a+)+`` family."""
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        atom = draw(st.sampled_from(_ATOMS))
    else:
        parts = draw(st.lists(catastrophic(depth + 1), min_size=1, max_size=3))
        joiner = draw(st.sampled_from(["", "|"]))
        atom = "(" + joiner.join(parts) + ")"
    return atom + draw(st.sampled_from(_QUANTIFIERS))
