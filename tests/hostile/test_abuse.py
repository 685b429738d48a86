"""Browsers and abusers (issue 13, section 5), as hostile input: preflights
with odd origins and request headers on every route, HEAD on every delivery
GET, a flood of wrong keys from one address, and ``/metrics`` asked without
the ``metrics`` scope. The promises hold whatever the CORS, rate-limit and
metrics settings: no 5xx, problem documents, management routes never allow
any origin, a flood is answered with 429 and ``Retry-After``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.attack import checked
from tests.hostile.conftest import budget
from tests.hostile.routes import Route, app_routes, get_routes
from tests.hostile.strategies import header_value
from tests.hostile.world import World, assert_problem

PATHS = sorted({r.template: r for r in app_routes()}.values(), key=lambda r: r.template)
DELIVERY_GETS = [r for r in get_routes() if r.template.startswith("/delivery/")]

origins = st.one_of(
    st.sampled_from(
        [
            b"null",
            b"*",
            b"https://evil.example",
            b"http://localhost:3000",
            b"https://shop.example.evil.example",
            b"file://",
            b"https://" + b"a" * 5000 + b".example",
            b"https://\xc3\xa9.example",
            b"https://shop.example, https://evil.example",
        ]
    ),
    st.binary(max_size=40).map(header_value),
)
request_methods = st.sampled_from(
    [b"GET", b"POST", b"PUT", b"DELETE", b"TRACE", b"", b"G\xffT"]
)
request_headers = st.sampled_from(
    [
        b"authorization",
        b"content-type, authorization",
        b"x-" + b"a" * 5000,
        b"\xff",
        b"",
    ]
)


@pytest.mark.parametrize("route", PATHS, ids=lambda r: r.template)
@budget(6)
@given(origin=origins, method=request_methods, headers=request_headers)
def test_hostile_preflight(
    world: World, route: Route, origin: bytes, method: bytes, headers: bytes
) -> None:
    """An ``OPTIONS`` preflight without a key: never a 5xx, and a management
    route never answers ``Access-Control-Allow-Origin: *``."""
    sent = [
        (b"origin", origin),
        (b"access-control-request-method", method),
        (b"access-control-request-headers", headers),
    ]
    path = route.path(world)
    response = checked(
        world,
        f"OPTIONS {path} from {origin[:80]!r}",
        lambda: world.raw("OPTIONS", path, headers=sent),
        read=True,
    )
    if route.template.startswith("/manage/"):
        assert response.headers.get("access-control-allow-origin") != "*", path


@pytest.mark.parametrize("route", DELIVERY_GETS, ids=lambda r: r.label)
def test_head_answers_like_get_without_a_body(world: World, route: Route) -> None:
    """``HEAD`` on a delivery GET: the GET's status and headers, no body
    (a 405 today is the bug)."""
    path = route.path(world)
    key = world.auth(route.scope)["Authorization"].encode()
    get = world.raw("GET", path, headers=[(b"authorization", key)])
    head = checked(
        world,
        f"HEAD {path}",
        lambda: world.raw("HEAD", path, headers=[(b"authorization", key)]),
        read=True,
    )
    assert head.status == get.status, (head.status, get.status)
    assert head.body == b""
    assert head.headers.get("etag") == get.headers.get("etag")


@pytest.mark.parametrize("scope", [None, "delivery", "render", "manage"])
def test_metrics_need_the_metrics_scope(world: World, scope: str | None) -> None:
    """``/metrics`` lists routes and latencies: not for anyone without the
    ``metrics`` scope (or it is bound elsewhere and this path is a 404)."""
    key = world.auth(scope).get("Authorization")
    headers = [(b"authorization", key.encode())] if key else []
    response = checked(
        world,
        f"GET /metrics as {scope}",
        lambda: world.raw("GET", "/metrics", headers=headers),
        read=True,
    )
    assert response.status in (401, 403, 404), response.status


def test_a_flood_of_wrong_keys_is_throttled(world: World) -> None:
    """Wrong keys from one address: 401s, then 429 problems with a
    ``Retry-After`` before long (today all 401). Last in the module: the
    address stays throttled for a while."""
    statuses = []
    for attempt in range(120):
        response = world.raw(
            "GET",
            "/delivery/v1/entries",
            headers=[(b"authorization", f"Bearer chk_wrong{attempt}".encode())],
        )
        assert_problem(response, "a wrong key")
        statuses.append(response.status)
        if response.status == 429:
            assert int(response.headers["retry-after"]) > 0
            break
    assert 429 in statuses, f"120 wrong keys, no 429: {sorted(set(statuses))}"
