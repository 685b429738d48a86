"""ReDoS: ``validations.pattern`` of a content type against hostile values.

A pattern with nested or overlapping quantifiers (``(a+)+$``) takes
exponential time in a backtracking engine on a value such as ``"a" * 40 +
"!"``. Whatever the pattern, a save is a 201 or a 422 (a pattern the engine
refuses) and an entry save with any value answers promptly with 201 or 422:
the hub runs in its own process here, so a stalled worker shows up as a
client timeout (and is replaced) instead of hanging the test run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.content_hub.conftest import BACKENDS
from tests.hostile.conftest import backend_url, hub_settings
from tests.hostile.server import ServedHub
from tests.hostile.state import assert_unchanged
from tests.hostile.world import RawResponse, assert_problem

#: Long enough that a backtracking engine never finishes (2**40 steps and
#: more), short enough for any field length limit.
EVIL_VALUES = [
    "a" * 40 + "!",
    "a" * 40 + "\n",
    " " * 40 + "!",
    "ab" * 25 + "!",
    "0" * 40 + "x",
    "<" * 40 + "!",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.@",
]
#: Seconds an entry save may take before the worker counts as stalled.
PATIENCE = 10.0

KNOWN_EVIL = [
    "(a+)+$",
    "(a|aa)+$",
    "(a|a?)+$",
    "(a*)*b",
    "(.*a){20}",
    "([a-zA-Z]+)*$",
    "(\\w+\\s?)*$",
    "^(([a-z])+.)+[A-Z]([a-z])+$",
    "(x+x+)+y",
    "^(\\d+)*$",
    "(<+)+!?$",
    "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
]
#: Patterns some engines refuse: a 422 at save, never a 500.
ODD = [
    "(a)\\1",
    "(?=a)a",
    "(?<=a)b",
    "(?>a+)b",
    "a++b",
    "\\p{L}+",
    "a{1000000}",
    "(a{1000}){1000}",
    "a{99999999999999999999}",
    "(?P<x>a)(?P=x)",
    "(?i)A",
    "[",
    "(",
    "\\",
    "*",
    "\x00",
    "[\\ud800-\\udfff]",
    "(?#comment)",
    "(" * 250 + ")" * 250,
    "a|" * 250,
]

_atoms = st.sampled_from(
    ["a", "a?", "\\w", "[a-z]", ".", "\\s", "a|aa", "a|a", "\\d", "<"]
)
_quants = st.sampled_from(["+", "*", "{1,}", "{2,}", "{1,40}", "?"])
generated_patterns = st.builds(
    lambda a, q1, q2, anchor: f"^({a}{q1}){q2}{anchor}",
    _atoms,
    _quants,
    _quants,
    st.sampled_from(["$", "!", "b", ""]),
)

_counter = itertools.count()


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedHub]:
    data_dir = tmp_path_factory.mktemp(f"served-{request.param}")
    hub = ServedHub(
        hub_settings(data_dir, backend_url(request, request.param, data_dir))
    )
    try:
        yield hub
    finally:
        hub.stop()


def _check(served: ServedHub, response: httpx.Response, what: str) -> RawResponse:
    raw = RawResponse.of(response)
    assert_problem(raw, what)
    return raw


def _try(served: ServedHub, pattern: str) -> None:
    """Save a content type with the pattern, then entries with evil values."""
    served.restart_if_stalled()
    key = f"re_{next(_counter)}"
    manage = served.headers("manage")
    before = served.state()
    response = httpx.post(
        f"{served.url}/manage/v1/content-types",
        headers=manage,
        json={
            "key": key,
            "name": key,
            "fields": [
                {"key": "v", "type": "text", "validations": {"pattern": pattern}}
            ],
        },
        timeout=PATIENCE,
    )
    what = f"a content type with pattern {pattern!r}"
    raw = _check(served, response, what)
    if raw.status != 201:
        assert raw.status in (400, 422), f"{what}: {raw.status} {raw.body[:300]!r}"
        assert_unchanged(before, served.state(), what)
        return
    for value in EVIL_VALUES:
        what = f"an entry value {value!r} against {pattern!r}"
        try:
            response = httpx.post(
                f"{served.url}/manage/v1/entries",
                headers=manage,
                json={
                    "type": key,
                    "key": f"e-{next(_counter)}",
                    "fields": {"v": value},
                },
                timeout=PATIENCE,
            )
        except httpx.TimeoutException:
            served.restart_if_stalled()
            pytest.fail(f"{what} stalled the worker for more than {PATIENCE} s")
        assert _check(served, response, what).status in (201, 422), what


@pytest.mark.slow
@pytest.mark.parametrize("pattern", KNOWN_EVIL)
def test_known_evil_pattern(served: ServedHub, pattern: str) -> None:
    _try(served, pattern)


@pytest.mark.parametrize("pattern", ODD)
def test_pattern_an_engine_may_refuse(served: ServedHub, pattern: str) -> None:
    _try(served, pattern)


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    phases=[
        Phase.explicit,
        Phase.generate,
    ],  # a stalled worker makes shrinking hopeless
)
@given(pattern=generated_patterns)
def test_generated_nested_quantifiers(served: ServedHub, pattern: str) -> None:
    _try(served, pattern)
