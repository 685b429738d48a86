"""CORS: generated requests over origins x routes x methods x keys, for three
policies, on the fast paths and the full handlers; every answer (200, 304,
401, 403, 404, 405, preflight) carries exactly the CORS headers the policy
gives its origin, and a preflight needs no key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.api.browser import EXPOSED
from content_hub.settings import CorsSettings, Settings
from tests.content_hub.browser_support import (
    browser_client,
    fast_paths,
    headers_of,
    publish_articles,
)
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer

SHOP = "https://shop.example"
LOCAL = "http://localhost:3000"
STUDIO = "https://studio.example"
POLICIES = {
    "wildcard": CorsSettings(origins=("*", SHOP), manage_origins=(STUDIO,)),
    "listed": CorsSettings(origins=(SHOP, LOCAL), max_age=60),
    "none": CorsSettings(),
}
ORIGINS = st.one_of(
    st.sampled_from([SHOP, LOCAL, STUDIO, "https://evil.example", "null", None]),
    st.from_regex(r"\Ahttps?://[a-z]{1,8}\.example(:[0-9]{2,4})?\Z"),
)


def _area(path: str) -> str | None:
    """The spec, written independently of content_hub.api.browser."""
    if path.startswith(("/delivery/", "/api/features/")):
        return "public"
    if path.startswith("/render/"):
        return "render"
    if path.startswith("/manage/"):
        return "manage"
    return None


def expected_origin(policy: CorsSettings, path: str, origin: str | None) -> str | None:
    area = _area(path)
    if area is None or origin is None:
        return None
    if area == "manage":
        return origin if origin in policy.manage_origins else None
    if area == "public" and "*" in policy.origins:
        return "*"
    return origin if origin in policy.origins else None


def expects_vary(policy: CorsSettings, path: str) -> bool:
    area = _area(path)
    if area == "manage":
        return bool(policy.manage_origins)
    if area == "public":
        return "*" not in policy.origins and bool(policy.origins)
    return area == "render" and bool(set(policy.origins) - {"*"})


class Route:
    def __init__(self, method: str, path: str, scope: str, body: Any = None) -> None:
        self.method, self.path, self.scope, self.body = method, path, scope, body

    def __repr__(self) -> str:
        return f"Route({self.method} {self.path})"


@pytest.fixture(params=list(POLICIES), ids=list(POLICIES))
def policy(request: pytest.FixtureRequest) -> CorsSettings:
    return POLICIES[request.param]


@pytest.fixture
def client(
    settings: Settings, keys: Keys, policy: CorsSettings
) -> Iterator[TestClient[Any]]:
    with browser_client(settings, cors=policy) as client:
        yield client


@pytest.fixture
def routes(client: TestClient[Any], keys: Keys) -> list[Route]:
    build_offer(client, keys.headers("admin"))
    [first, second] = publish_articles(client, keys, 2)
    render = {
        "type": "offer",
        "key": "spring",
        "channel": "web",
        "customer": {"id": "c"},
    }
    event = {"conversions": [{"id": "e1", "customer_id": "c", "goal": "buy"}]}
    return [
        Route("GET", f"/delivery/v1/entries/{first['id']}", "delivery"),
        Route(
            "GET",
            f"/delivery/v1/content-types/article/entries/{second['key']}",
            "delivery",
        ),
        Route("GET", "/delivery/v1/entries/missing", "delivery"),
        Route("GET", "/delivery/v1/entries?type=article", "delivery"),
        Route("GET", f"/delivery/v1/entries/{first['id']}/related", "delivery"),
        Route("GET", "/delivery/v1/sync", "delivery"),
        Route("GET", "/delivery/v1/search?q=Article", "delivery"),
        Route("GET", f"/api/features/{keys.secrets['delivery']}", "delivery"),
        Route("GET", "/api/features/not-a-client-key", "delivery"),
        Route("POST", "/render/v1/render", "render", render),
        Route("POST", "/render/v1/events", "delivery", event),
        Route("GET", "/manage/v1/entries", "manage"),
        Route("GET", "/manage/v1/keys", "admin"),
        Route("GET", "/health", "delivery"),
        Route("GET", "/metrics", "metrics"),
        Route("GET", "/delivery/v1/no-such-route", "delivery"),
    ]


def _call(
    client: TestClient[Any],
    keys: Keys,
    route: Route,
    how: str,
    key: str,
    origin: str | None,
) -> Any:
    headers: dict[str, str] = {"Origin": origin} if origin is not None else {}
    if key == "valid":
        headers.update(keys.headers(route.scope))
    elif key == "other-scope":
        headers.update(
            keys.headers("render" if route.scope != "render" else "delivery")
        )
    elif key == "wrong":
        headers["Authorization"] = "Bearer chk_wrong"
    method = route.method
    if how == "preflight":
        method = "OPTIONS"
        headers["Access-Control-Request-Method"] = route.method
        headers["Access-Control-Request-Headers"] = "authorization, content-type"
    elif how == "head":
        method = "HEAD"
    elif how == "wrong-method":
        method = "PATCH"
    content = None
    if route.body is not None and method == "POST":
        content = json.dumps(route.body)
        headers["Content-Type"] = "application/json"
    return client.request(method, route.path, content=content, headers=headers)


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "handler"])
def test_every_answer_carries_the_policys_cors_headers(
    client: TestClient[Any],
    keys: Keys,
    routes: list[Route],
    policy: CorsSettings,
    fast: bool,
) -> None:
    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        route=st.sampled_from(routes),
        how=st.sampled_from(["plain", "preflight", "head", "wrong-method"]),
        key=st.sampled_from(["valid", "other-scope", "wrong", "none"]),
        origin=ORIGINS,
    )
    def check(route: Route, how: str, key: str, origin: str | None) -> None:
        r = _call(client, keys, route, how, key, origin)
        path = route.path
        assert r.status_code < 500, r.text
        allowed = expected_origin(policy, path, origin)
        assert r.headers.get("access-control-allow-origin") == allowed, (r, route.path)
        vary = [v.strip().lower() for v in r.headers.get("vary", "").split(",")]
        assert ("origin" in vary) == expects_vary(policy, path)
        assert "access-control-allow-credentials" not in r.headers
        if how == "head" or r.request.method == "HEAD":
            assert r.content == b""
        routed = path != "/delivery/v1/no-such-route"
        if how == "preflight" and routed:
            assert r.status_code == 204, r.text  # no key needed
        if allowed is None:
            assert not any(h.startswith("access-control-") for h in r.headers)
        elif how == "preflight":
            if routed:
                methods = r.headers["access-control-allow-methods"].split(", ")
                assert route.method in methods
            asked = r.headers["access-control-allow-headers"].lower()
            assert "authorization" in asked and "content-type" in asked
            assert r.headers["access-control-max-age"] == str(policy.max_age)
        else:
            exposed = r.headers["access-control-expose-headers"]
            assert exposed == EXPOSED.decode()
            assert {"ETag", "Content-Language", "Surrogate-Key"} <= set(
                exposed.split(", ")
            )

    with fast_paths(client, on=fast):
        check()


def test_fast_path_and_handler_send_the_same_cors_headers(
    settings: Settings, keys: Keys
) -> None:
    """Byte for byte, origin by origin, on the two fast-path routes."""
    policy = POLICIES["listed"]
    with browser_client(settings, cors=policy) as client:
        build_offer(client, keys.headers("admin"))
        [entry] = publish_articles(client, keys, 1)

        def answers() -> list[tuple[int, dict[str, str], bytes]]:
            out = []
            for origin in (SHOP, LOCAL, "https://evil.example"):
                for url in (
                    f"/delivery/v1/entries/{entry['id']}",
                    "/delivery/v1/entries/missing",
                ):
                    headers = keys.headers("delivery", Origin=origin)
                    r = client.get(url, headers=headers)
                    out.append((r.status_code, headers_of(r), r.content))
                r = client.post(
                    "/render/v1/render",
                    json={"type": "offer", "key": "spring", "channel": "sms"},
                    headers=keys.headers("render", Origin=origin),
                )
                out.append((r.status_code, headers_of(r), b""))
            return out

        fast = answers()
        with fast_paths(client, on=False):
            full = answers()
    assert fast == full
    assert [a[1].get("access-control-allow-origin") for a in fast] == [
        SHOP,
        SHOP,
        SHOP,
        LOCAL,
        LOCAL,
        LOCAL,
        None,
        None,
        None,
    ]


def test_a_preflight_to_delivery_needs_no_key(settings: Settings, keys: Keys) -> None:
    """The issue's example: OPTIONS /delivery/v1/entries used to be a 401."""
    with browser_client(settings, cors=CorsSettings(origins=(SHOP,))) as client:
        r = client.options(
            "/delivery/v1/entries",
            headers={
                "Origin": SHOP,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == SHOP
    assert "Authorization" in r.headers["access-control-allow-headers"]
    assert set(r.headers["access-control-allow-methods"].split(", ")) >= {"GET", "HEAD"}
