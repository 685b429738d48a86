"""Hostile query strings, headers and path values on every route the app
answers (found in its route handlers): huge, repeated, non-ASCII, invalid
UTF-8 and NUL, sent as raw bytes straight into the ASGI app so that nothing
cleans them up on the way. No 5xx, every 4xx a problem document, nothing
stored.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.attack import attack, checked
from tests.hostile.bases import base_body
from tests.hostile.conftest import budget
from tests.hostile.routes import Route, app_routes, get_routes
from tests.hostile.strategies import header_sets, query_strings
from tests.hostile.world import World

GETS = get_routes()
ALL = list(app_routes())


def _body(route: Route, world: World) -> bytes:
    base = base_body(route, world)
    return b"" if base is None else json.dumps(base).encode()


def test_every_get_route_is_attacked() -> None:
    labels = {r.label for r in GETS}
    assert {"GET /delivery/v1/entries", "GET /health", "GET /manage/v1/audit"} <= labels
    assert len(GETS) >= 30


@pytest.mark.parametrize("route", GETS, ids=lambda r: r.label)
@budget(12)
@given(data=st.data())
def test_hostile_query_string(world: World, route: Route, data: st.DataObject) -> None:
    """The route's own parameters with values of every odd kind, unknown and
    nameless parameters, a parameter repeated up to 1,000 times, 100 KB
    values, and bytes that are not a query string at all."""
    query = data.draw(query_strings(route.query), label="query")
    attack(world, route, b"", content_type=None, query=query)


@pytest.mark.parametrize("route", GETS, ids=lambda r: r.label)
@budget(12)
@given(data=st.data())
def test_hostile_headers(world: World, route: Route, data: st.DataObject) -> None:
    """Authorization, Accept-Language, If-None-Match, If-Match and the rest
    with huge, repeated, non-ASCII and invalid UTF-8 values, before or after
    the route's valid key."""
    key = world.auth(route.scope).get("Authorization")
    secret = (b"authorization", key.encode()) if key else None
    headers = data.draw(header_sets(secret), label="headers")
    path = route.path(world)
    checked(
        world,
        f"{route.label} with headers {headers!r:.300}",
        lambda: world.raw(route.method, path, headers=headers),
        read=True,
    )


@pytest.mark.parametrize("route", ALL, ids=lambda r: r.label)
@budget(6)
@given(data=st.data())
def test_hostile_path_values(world: World, route: Route, data: st.DataObject) -> None:
    """Every path parameter replaced by NUL, invalid UTF-8 (as escapes),
    ``..``, 10,000 characters or other scripts: a 4xx (mostly 404), never a
    5xx, on every route and method."""
    segment = data.draw(
        st.one_of(
            st.sampled_from(
                [
                    "%00",
                    "%ff%fe",
                    "..",
                    ".",
                    "%2e%2e%2f",
                    "\x00",
                    "\udc80",
                    "a" * 10_000,
                    "中文",
                    "-1",
                    "99999999999999999999",
                    "1e999",
                    "%",
                    " ",
                    "null",
                ]
            ),
            st.text(min_size=1, max_size=20).filter(
                lambda s: "/" not in s and "?" not in s
            ),
        ),
        label="segment",
    )
    segment = quote(segment.encode("utf-8", "surrogatepass"), safe="%")
    path = route.path(world)
    real = route.template.split("/")
    parts = path.split("/")
    parts = [segment if "{" in t else p for t, p in zip(real, parts, strict=True)]
    hostile = "/".join(parts)
    if hostile == path:  # a route without parameters: attack a suffix
        hostile = path.rstrip("/") + "/" + segment
    sent = [(b"content-type", b"application/json")]
    key = world.auth(route.scope).get("Authorization")
    if key:
        sent.append((b"authorization", key.encode()))
    body = _body(route, world)
    checked(
        world,
        f"{route.method} {hostile[:200]!r}",
        lambda: world.raw(route.method, hostile, headers=sent, body=body),
        read=route.method == "GET",
    )


@pytest.mark.parametrize(
    "route", [r for r in ALL if r.versioned], ids=lambda r: r.label
)
def test_hostile_if_match(world: World, route: Route) -> None:
    """Versioned writes with an If-Match that is not a version: a 4xx that
    changes nothing."""
    for value in (
        b"abc",
        b'"1.5"',
        b"-1",
        b'"99999999999999999999"',
        b'W/""',
        b"\xff\xfe",
        b"1" * 1000,
        b'"x1"',
        b"\x00",
        b"\xe4\xb8\xad",
    ):
        response = attack(
            world,
            route,
            _body(route, world),
            headers=[(b"if-match", value)],
            with_version=False,
        )
        assert response.status >= 400, f"{route.label} took If-Match {value!r}"
