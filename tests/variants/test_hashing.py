"""Hashing details beyond the conformance file: UTF-16 code units, JS number text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from variants import gb_hash
from variants._hashing import FNV_OFFSET, fnv1a32, fnv1a32_pair
from variants._js import js_to_string


def _reference_fnv(text: str) -> int:
    """FNV-1a 32 over UTF-16 code units, written out independently."""
    units = []
    for ch in text:
        cp = ord(ch)
        if cp > 0xFFFF:
            cp -= 0x10000
            units += [0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)]
        else:
            units.append(cp)
    h = 0x811C9DC5
    for u in units:
        h ^= u
        h = (h * 0x01000193) % 2**32
    return h


def test_non_ascii_uses_utf16_code_units() -> None:
    assert fnv1a32("é") == 1812687940  # UTF-8 bytes would give 513665217


@given(st.text(max_size=50))
def test_fnv_matches_reference(text: str) -> None:
    assert fnv1a32(text) == _reference_fnv(text)


@given(st.text(max_size=50), st.integers(0, 2**32 - 1))
def test_pair_equals_two_runs(text: str, state: int) -> None:
    assert fnv1a32_pair(text, FNV_OFFSET, state) == (
        fnv1a32(text),
        fnv1a32(text, state),
    )


def test_non_string_hash_values_use_javascript_text() -> None:
    assert js_to_string(123) == "123"
    assert js_to_string(1.5) == "1.5"
    assert js_to_string(1.0) == "1"
    assert js_to_string(True) == "true"
    assert js_to_string(1e21) == "1e+21"
    assert js_to_string(1e-7) == "1e-7"
    assert gb_hash("seed", 123, 2) == gb_hash("seed", "123", 2)
    assert gb_hash("seed", 1.0, 1) == gb_hash("seed", "1", 1)
