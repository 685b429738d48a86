"""Rate limits: per key (fast paths and handlers alike), per client address
for failed authentication (every way a key is checked), the 429 problem
document with Retry-After, and counts shared through Redis by two apps.

The limiter's clock is pinned so that no window ends mid-test; a test that
needs a fresh window moves the clock on by one."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.settings import CorsSettings, RateLimitSettings, Settings
from tests.content_hub.browser_support import (
    browser_client,
    fast_paths,
    publish_articles,
)
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import hub_of
from tests.content_hub.render_fixtures import build_offer

REDIS = os.environ.get("CONTENT_HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MINUTE = 60 * 29_000_000  # the start of some minute
NOW = MINUTE + 15.0  # 45 s before that minute ends


def pin(client: TestClient[Any], now: float = NOW) -> None:
    client.app.state.rate_limits.clock = lambda: now


def sync(client: TestClient[Any]) -> None:
    """Share this app's counts now (its background task does it every 0.2 s)."""
    client.blocking_portal.call(client.app.state.rate_limits.sync)


def assert_429(response: Any, limit: str, retry_after: int = 45) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == str(retry_after)
    if response.request.method == "HEAD":
        assert response.content == b""
        return
    problem = response.json()
    assert problem["type"] == "https://content-hub.dev/problems/too-many-requests"
    assert problem["status"] == 429
    assert problem["retry_after"] == retry_after
    assert problem["limit"] == limit
    assert f"retry in {retry_after} s" in problem["detail"]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own in the real Redis, removed afterwards."""
    prefix = f"test_browser_{uuid.uuid4().hex}"
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.RedisError as exc:  # like PostgreSQL in CI: absent is a failure
        client.close()
        pytest.fail(
            f"Redis at {REDIS} (CONTENT_HUB_TEST_REDIS_URL) is unreachable: {exc}"
        )
    yield prefix
    try:
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


class Call:
    """One request a test can repeat: method, URL, the scope of the key a
    valid call uses, and whether the key travels in the path."""

    def __init__(self, method: str, url: str, scope: str, body: Any = None) -> None:
        self.method, self.url, self.scope, self.body = method, url, scope, body
        self.in_path = "{secret}" in url

    def __repr__(self) -> str:
        return f"Call({self.method} {self.url})"

    def send(self, client: TestClient[Any], secret: str | None, **headers: str) -> Any:
        url = self.url
        if self.in_path:
            url = url.replace("{secret}", secret or "missing")
        elif secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        content = None
        if self.body is not None:
            content = json.dumps(self.body)
            headers["Content-Type"] = "application/json"
        return client.request(self.method, url, content=content, headers=headers)


def _calls(client: TestClient[Any], keys: Keys) -> list[Call]:
    build_offer(client, keys.headers("admin"))
    [entry] = publish_articles(client, keys, 1)
    render = {
        "type": "offer",
        "key": "spring",
        "channel": "web",
        "customer": {"id": "c"},
    }
    return [
        Call("GET", f"/delivery/v1/entries/{entry['id']}", "delivery"),  # fast path
        Call("HEAD", f"/delivery/v1/entries/{entry['id']}", "delivery"),
        Call("GET", "/delivery/v1/entries", "delivery"),
        Call("POST", "/render/v1/render", "render", render),  # fast path
        Call("GET", "/manage/v1/entries", "manage"),
        Call("GET", "/metrics", "metrics"),
        Call("GET", "/api/features/{secret}", "delivery"),  # the key in the path
    ]


class TestFailedAuthentication:
    def test_fifty_wrong_keys_get_twenty_401_then_429(
        self, settings: Settings, keys: Keys
    ) -> None:
        """The issue's example, with the default limit (20/minute)."""
        with browser_client(settings, rate_limit=RateLimitSettings()) as client:
            pin(client)
            delivery = keys.headers("delivery")
            assert (
                client.get("/delivery/v1/entries", headers=delivery).status_code == 200
            )
            statuses = [
                client.get(
                    "/delivery/v1/entries/x", headers={"Authorization": f"Bearer k{i}"}
                ).status_code
                for i in range(50)
            ]
            assert statuses == [401] * 20 + [429] * 30
            assert_429(client.get("/delivery/v1/entries"), "20/minute")
            # a key this worker already knows keeps working from that address;
            # one it has not looked up yet waits for the window (no lookup)
            assert (
                client.get("/delivery/v1/entries", headers=delivery).status_code == 200
            )
            assert_429(
                client.get("/delivery/v1/entries", headers=keys.headers("preview")),
                "20/minute",
            )

    @pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "handler"])
    def test_generated_sequences_follow_the_model(
        self, settings: Settings, keys: Keys, fast: bool
    ) -> None:
        limit = 5
        rate = RateLimitSettings(key="off", auth_failures=f"{limit}/minute")
        # a long key cache: no background refresh may re-learn a cleared key
        with browser_client(
            settings, rate_limit=rate, auth_cache_seconds=3600.0
        ) as client:
            calls = _calls(client, keys)
            windows = iter(range(1, 10_000))

            @settings_for_sequences
            @given(
                st.lists(
                    st.tuples(
                        st.sampled_from(calls),
                        st.sampled_from(["valid", "wrong", "none"]),
                    ),
                    min_size=1,
                    max_size=3 * limit,
                )
            )
            def run(sequence: list[tuple[Call, str]]) -> None:
                pin(client, NOW + 60 * next(windows))  # a fresh window
                hub_of(client).authenticator.clear()  # no key known yet
                failures = 0
                known: set[str] = set()
                for call, kind in sequence:
                    secret = {
                        "valid": keys.secrets[call.scope],
                        "wrong": "chk_" + "x" * 43,
                        "none": None,
                    }[kind]
                    r = call.send(client, secret)
                    assert r.status_code < 500, r.text
                    if kind == "valid" and secret in known:
                        assert r.status_code not in {401, 429}, (call, r.text)
                    elif failures >= limit:  # refused without a lookup
                        assert_429(r, f"{limit}/minute")
                    elif kind == "valid":
                        assert r.status_code not in {401, 429}, (call, r.text)
                        known.add(secret)
                    else:
                        failures += 1
                        assert r.status_code == (404 if call.in_path else 401), r.text

            with fast_paths(client, on=fast):
                run()


settings_for_sequences = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


class TestPerKey:
    @pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "handler"])
    def test_each_key_gets_its_rate_then_429_until_the_window_ends(
        self, settings: Settings, keys: Keys, fast: bool
    ) -> None:
        rate = RateLimitSettings(key="4/minute", auth_failures="off")
        cors = CorsSettings(origins=("https://shop.example",))
        with browser_client(settings) as unlimited:  # content first
            calls = [c for c in _calls(unlimited, keys) if c.method != "HEAD"]
        with (
            browser_client(settings, rate_limit=rate, cors=cors) as client,
            fast_paths(client, on=fast),
        ):
            for i, call in enumerate(calls):
                minute = 2 * i
                pin(client, NOW + 60 * minute)  # each call a fresh window
                secret = keys.secrets[call.scope]
                answers = [call.send(client, secret) for _ in range(4)]
                assert all(a.status_code not in {401, 429} for a in answers)
                refused = call.send(client, secret, Origin="https://shop.example")
                assert_429(refused, "4/minute")
                if call.url.startswith(("/delivery", "/render")):
                    origin = refused.headers["access-control-allow-origin"]
                    assert origin == "https://shop.example"
                other = "admin" if call.scope != "admin" else "manage"
                assert call.send(client, keys.secrets[other]).status_code != 429
                pin(client, NOW + 60 * minute + 44.5)
                assert_429(call.send(client, secret), "4/minute", retry_after=1)
                pin(client, NOW + 60 * (minute + 1))  # the next window
                assert call.send(client, secret).status_code != 429

    def test_off_means_no_limit(self, settings: Settings, keys: Keys) -> None:
        rate = RateLimitSettings(key="off", auth_failures="0")
        with browser_client(settings, rate_limit=rate) as client:
            pin(client)
            statuses = {
                client.get("/delivery/v1/entries").status_code for _ in range(60)
            }
            statuses |= {
                client.get(
                    "/delivery/v1/entries", headers=keys.headers("delivery")
                ).status_code
                for _ in range(60)
            }
        assert statuses == {401, 200}


class TestSharedThroughRedis:
    def _rate(self, prefix: str, **limits: str) -> RateLimitSettings:
        return RateLimitSettings(
            redis_url=REDIS, redis_prefix=prefix, sync_interval=60.0, **limits
        )

    def test_two_apps_share_a_keys_count(
        self, settings: Settings, keys: Keys, redis_prefix: str
    ) -> None:
        rate = self._rate(redis_prefix, key="10/minute", auth_failures="off")
        headers = keys.headers("delivery")
        url = "/delivery/v1/entries/missing"  # the fast path's 404
        with (
            browser_client(settings, rate_limit=rate) as a,
            browser_client(settings, rate_limit=rate) as b,
        ):
            pin(a)
            pin(b)
            assert [a.get(url, headers=headers).status_code for _ in range(6)] == [
                404
            ] * 6
            sync(a)
            # b counts on its own between syncs (no Redis round trip per request)
            assert [b.get(url, headers=headers).status_code for _ in range(4)] == [
                404
            ] * 4
            sync(b)  # learns a's 6: the key's 10 are used up
            assert_429(b.get(url, headers=headers), "10/minute")
            # a has not heard of b's 4 yet: one more passes (the documented
            # overshoot between syncs), and its next sync tells it
            assert a.get(url, headers=headers).status_code == 404
            sync(a)
            assert_429(a.get(url, headers=headers), "10/minute")
            other = keys.headers("preview")
            assert a.get(url, headers=other).status_code == 404

    def test_two_apps_share_failed_authentications_at_once(
        self, settings: Settings, keys: Keys, redis_prefix: str
    ) -> None:
        rate = self._rate(redis_prefix, key="off", auth_failures="5/minute")
        wrong = {"Authorization": "Bearer chk_wrong"}
        with (
            browser_client(settings, rate_limit=rate) as a,
            browser_client(settings, rate_limit=rate) as b,
        ):
            pin(a)
            pin(b)
            assert [
                a.get("/delivery/v1/entries", headers=wrong).status_code
                for _ in range(3)
            ] == [401] * 3
            statuses = [
                b.get("/manage/v1/entries", headers=wrong).status_code for _ in range(3)
            ]
            assert statuses == [
                401,
                401,
                429,
            ]  # no sync needed: failures count in Redis
            assert_429(a.get("/delivery/v1/entries", headers=wrong), "5/minute")
            assert_429(b.get("/delivery/v1/entries"), "5/minute")

    def test_without_redis_counting_goes_on_per_process(
        self, settings: Settings, keys: Keys, redis_prefix: str
    ) -> None:
        rate = RateLimitSettings(
            key="3/minute",
            auth_failures="2/minute",
            redis_url="redis://127.0.0.1:1/0",  # nothing listens there
            redis_prefix=redis_prefix,
        )
        with browser_client(settings, rate_limit=rate) as client:
            pin(client)
            headers = keys.headers("delivery")
            statuses = [
                client.get("/delivery/v1/entries", headers=headers).status_code
                for _ in range(4)
            ]
            assert statuses == [200, 200, 200, 429]
            wrong = {"Authorization": "Bearer chk_wrong"}
            statuses = [
                client.get("/delivery/v1/entries", headers=wrong).status_code
                for _ in range(3)
            ]
            assert statuses == [401, 401, 429]
            sync(client)  # fails quietly, keeps the counts
            assert (
                client.get("/delivery/v1/entries", headers=headers).status_code == 429
            )
