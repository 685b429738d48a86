"""Hostile bodies on every route that reads one (found in the app's route
handlers): the wrong type in every position of a valid body, bodies nested
thousands deep, huge strings and numbers, broken JSON and bytes that are not
UTF-8. Every answer is below 500, every 4xx a problem document, and a refused
body stores nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.attack import attack
from tests.hostile.bases import base_body
from tests.hostile.conftest import budget
from tests.hostile.routes import Route, body_routes
from tests.hostile.strategies import huge, leaves, nesting, positions, splice
from tests.hostile.world import World

ROUTES = body_routes()
IDS = [r.label for r in ROUTES]
#: One wrong type per position, in turn, for the exhaustive sweep.
SWAPS = ["null", "true", "1.5", '"s"', "[]", "{}", "-1", '"\\u0000"', '"\\ud800"']


def _base(route: Route, world: World) -> Any:
    base = base_body(route, world)
    return {} if base is None else base


def test_every_body_route_is_attacked() -> None:
    """The discovery finds the write routes (a broken discovery would make
    every test below vacuous)."""
    labels = set(IDS)
    assert "POST /manage/v1/entries" in labels
    assert "POST /render/v1/render" in labels
    assert "POST /render/v1/render/batch" in labels
    assert len(ROUTES) >= 25


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_a_wrong_type_in_every_position(world: World, route: Route) -> None:
    """Each position of a valid body (and one unknown key per object) gets a
    value of another type, in turn: null, bool, float for int, a string, an
    array where an object belongs, NUL, a lone surrogate."""
    base = _base(route, world)
    failures: list[str] = []
    for index, path in enumerate(positions(base)):
        body = splice(base, path, SWAPS[index % len(SWAPS)]).encode()
        try:
            attack(world, route, body)
        except AssertionError as exc:  # every position is reported, not the first
            failures.append(f"at {list(path)}: {str(exc)[:400]}")
    assert not failures, f"{len(failures)} position(s) failed:\n" + "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@budget(20)
@given(data=st.data())
def test_hostile_value_anywhere(
    world: World, route: Route, data: st.DataObject
) -> None:
    """Edge numbers (past int64, 5,000 digits, 1e999, NaN), strings with NUL,
    lone surrogates, template and SQL syntax, and random text and numbers, at
    any position of a valid body."""
    base = _base(route, world)
    path = data.draw(st.sampled_from(list(positions(base))), label="position")
    fragment = data.draw(leaves, label="value")
    attack(world, route, splice(base, path, fragment).encode())


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@budget(8)
@given(data=st.data())
def test_deeply_nested_body(world: World, route: Route, data: st.DataObject) -> None:
    """10 to 20,000 levels of arrays and objects, as the whole body or at any
    position of a valid one: a 400 problem past the nesting limit, never a
    ``RecursionError`` 500."""
    base = _base(route, world)
    path = data.draw(st.sampled_from(list(positions(base))), label="position")
    attack(
        world, route, splice(base, path, data.draw(nesting, label="nested")).encode()
    )


@pytest.mark.slow
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@budget(3)
@given(data=st.data())
def test_huge_values(world: World, route: Route, data: st.DataObject) -> None:
    """Strings up to 1 MB, arrays and objects of 10,000s of members, integers
    of 100,000 digits, at any position."""
    base = _base(route, world)
    path = data.draw(st.sampled_from(list(positions(base))), label="position")
    attack(world, route, splice(base, path, data.draw(huge, label="value")).encode())


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@budget(10)
@given(data=st.data())
def test_broken_json_and_bytes(world: World, route: Route, data: st.DataObject) -> None:
    """A valid body cut short, with bytes inserted (invalid UTF-8 among them),
    behind a byte-order mark, followed by garbage, or nothing at all."""
    valid = json.dumps(_base(route, world)).encode()
    cut = data.draw(st.integers(0, len(valid)), label="at")
    noise = data.draw(
        st.one_of(
            st.sampled_from(
                [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"}", b"]]"]
            ),
            st.binary(min_size=1, max_size=8),
        ),
        label="noise",
    )
    kind = data.draw(
        st.sampled_from(["truncate", "insert", "bom", "trailing", "empty", "comment"]),
        label="kind",
    )
    body = {
        "truncate": valid[:cut],
        "insert": valid[:cut] + noise + valid[cut:],
        "bom": b"\xef\xbb\xbf" + valid,
        "trailing": valid + b" " + noise,
        "empty": b"",
        "comment": b"/* c */" + valid,
    }[kind]
    attack(world, route, body)


#: Media types a JSON route must refuse with 415, with a body of that kind.
FOREIGN = [
    (None, None),
    (b"text/plain", None),
    (b"application/xml", b"<entry><key>x</key></entry>"),
    (b"text/xml", None),
    (b"application/x-www-form-urlencoded", b"key=x&type=article"),
    (
        b"multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
    ),
    (b"application/jsonx", None),
    (b"text/html", None),
    (b"application/octet-stream", None),
    (b"", None),
]


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.body_type is not None or "batch" in r.label],
    ids=lambda r: r.label,
)
def test_foreign_content_types_are_415(world: World, route: Route) -> None:
    """Anything but JSON (and NDJSON on the batch) is a 415 problem and
    changes nothing, even when the bytes happen to be valid JSON; JSON with a
    charset parameter is still JSON."""
    valid = json.dumps(_base(route, world)).encode()
    wrong: list[str] = []
    for content_type, own in FOREIGN:
        response = attack(world, route, own or valid, content_type=content_type)
        if response.status != 415:
            wrong.append(f"{content_type!r}: {response.status}")
    for content_type in (b"application/json; charset=utf-8", b"Application/JSON"):
        response = attack(world, route, valid, content_type=content_type)
        if response.status == 415:
            wrong.append(f"{content_type!r} refused as 415")
    assert not wrong, f"{route.label}: " + "; ".join(wrong)
