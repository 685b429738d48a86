"""GET /sub/{client_key}: the GrowthBook SDK event stream, served for real
(uvicorn on a thread, one worker) on SQLite and PostgreSQL.

- the current payload at once, the next one within 1 s of a publish through
  the API, pings while idle, nothing for a publish that leaves the rules;
- auth and CORS as /api/features; a revoked key's stream ends;
- at most ``CONTENT_HUB_SSE_MAX_CONNECTIONS`` streams (then 503, Retry-After);
- 200 streams opened and dropped leave no subscription and no task behind;
- encrypted payloads (``/manage/v1/keys/{id}/encryption``) on /api/features
  and on the stream, decrypting to the plain payload.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest

from content_hub.domain.payload_crypto import decrypt_payload
from content_hub.settings import CorsSettings, Settings, SseSettings
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import RULES, build_offer
from tests.content_hub.sse_support import (
    FEATURE,
    LiveHub,
    SseClient,
    change_rules,
    first_rule_variant,
    live_hub,
)

STREAM_TASKS = ("RequestResponseCycle.run_asgi", "TaskHandle._run_coro")
"""The tasks an open stream runs on (uvicorn's request, anyio's sender)."""
PING = 0.3


@pytest.fixture
def live(settings: Settings, keys: Keys) -> Iterator[tuple[LiveHub, dict[str, Any]]]:
    settings = msgspec.structs.replace(
        settings,
        sse=SseSettings(ping_interval=PING, max_connections=250),
        cors=CorsSettings(origins=("*",)),
    )
    with live_hub(settings) as hub:
        with httpx.Client(base_url=hub.url, timeout=30) as client:
            offer = build_offer(client, keys.headers("admin"))  # type: ignore[arg-type]
        yield hub, offer


def test_the_payload_at_once_then_each_publish_within_a_second(
    live: tuple[LiveHub, dict[str, Any]], keys: Keys
) -> None:
    hub, offer = live
    secret = keys.secrets["delivery"]
    admin = keys.headers("admin")
    with httpx.Client(base_url=hub.url, timeout=30) as client:
        plain = client.get(f"/api/features/{secret}")
        assert plain.headers["x-sse-support"] == "enabled"
        stream = SseClient(hub.url, f"/sub/{secret}", {"Origin": "https://shop.test"})
        try:
            assert stream.status == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert stream.headers["cache-control"] == "no-cache"
            assert stream.headers["access-control-allow-origin"] == "*"
            first = stream.next()
            assert first.name == "features"
            assert first.data == plain.json()  # the same document as /api/features
            assert first_rule_variant(first.data) == "premium"
            for variant in ("discount", "premium", "discount"):
                rules = [{**RULES[0], "variant": variant}, *RULES[1:]]
                published = change_rules(client, admin, offer["id"], rules)
                event = stream.until(lambda p, v=variant: first_rule_variant(p) == v, 1)
                assert event.at - published < 1.0
                assert event.data["dateUpdated"] != first.data["dateUpdated"]
                assert event.data == client.get(f"/api/features/{secret}").json()
            # idle: pings, and a publish that leaves the rules sends nothing
            pings = len(stream.pings)
            other = client.post(
                "/manage/v1/entries",
                json={
                    "type": "offer",
                    "key": "other",
                    "fields": {"title": {"en": "O"}},
                },
                headers=admin,
            ).json()
            client.post(
                f"/manage/v1/entries/{other['id']}/publish",
                headers={**admin, "If-Match": '"1"'},
            ).raise_for_status()
            time.sleep(PING * 3)
            assert len(stream.pings) >= pings + 2
            assert stream.events.empty()
        finally:
            stream.close()


def test_auth_and_bounds(live: tuple[LiveHub, dict[str, Any]], keys: Keys) -> None:
    hub, _ = live
    for secret in ("chk_nope", keys.secrets["manage"], keys.secrets["render"]):
        refused = SseClient(hub.url, f"/sub/{secret}")
        assert refused.status == 404
        assert refused.headers["content-type"].startswith("application/problem+json")
    hub.call(lambda: setattr(hub.hub.streams, "max_connections", 2))
    streams = [SseClient(hub.url, f"/sub/{keys.secrets['preview']}") for _ in range(2)]
    try:
        full = SseClient(hub.url, f"/sub/{keys.secrets['delivery']}")
        assert full.status == 503
        assert full.headers["retry-after"] == "5"
        assert json.loads(full.body)["type"].endswith("/too-many-streams")
    finally:
        for stream in streams:
            stream.close()
    deadline = time.monotonic() + 5
    while hub.call(lambda: hub.hub.streams.count) and time.monotonic() < deadline:
        time.sleep(0.05)
    again = SseClient(hub.url, f"/sub/{keys.secrets['delivery']}")
    assert again.status == 200
    again.close()


def test_a_revoked_key_ends_its_stream(
    live: tuple[LiveHub, dict[str, Any]], keys: Keys, settings: Settings
) -> None:
    hub, _ = live
    with httpx.Client(base_url=hub.url, timeout=30) as client:
        created = client.post(
            "/manage/v1/keys",
            json={"name": "sdk", "scopes": ["delivery"]},
            headers=keys.headers("admin"),
        ).json()
        stream = SseClient(hub.url, f"/sub/{created['secret']}")
        try:
            assert stream.next().name == "features"
            client.delete(
                f"/manage/v1/keys/{created['id']}", headers=keys.headers("admin")
            ).raise_for_status()
            assert stream.ended.wait(PING * 5), "the stream outlived its key"
        finally:
            stream.close()


def test_two_hundred_streams_opened_and_dropped_leave_nothing(
    live: tuple[LiveHub, dict[str, Any]], keys: Keys
) -> None:
    hub, _ = live
    url = f"{hub.url}/sub/{keys.secrets['delivery']}"

    def tasks() -> Counter[str]:
        """The server loop's tasks, by coroutine."""
        return Counter(
            getattr(t.get_coro(), "__qualname__", "?") for t in asyncio.all_tasks()
        )

    before = hub.call(tasks)

    async def open_and_drop(count: int) -> int:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            streams = [client.stream("GET", url) for _ in range(count)]
            responses = await asyncio.gather(*(s.__aenter__() for s in streams))
            readers = [r.aiter_lines() for r in responses]  # kept: a dropped
            firsts = [await anext(lines) for lines in readers]  # one closes
            assert {r.status_code for r in responses} == {200}
            assert set(firsts) == {"event: features"}
            assert hub.call(lambda: hub.hub.streams.count) == count
            during = hub.call(tasks) - before
            assert all(during[kind] >= count for kind in STREAM_TASKS), during
            for stream in streams:
                await stream.__aexit__(None, None, None)
        return len(firsts)

    assert asyncio.run(open_and_drop(200)) == 200

    def left() -> list[str]:
        return [kind for kind in STREAM_TASKS if (hub.call(tasks) - before)[kind]]

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if hub.call(lambda: hub.hub.streams.count) == 0 and not left():
            break
        time.sleep(0.05)
    assert hub.call(lambda: hub.hub.streams.count) == 0
    assert not left(), hub.call(tasks) - before


def test_encrypted_payloads(live: tuple[LiveHub, dict[str, Any]], keys: Keys) -> None:
    hub, offer = live
    admin = keys.headers("admin")
    with httpx.Client(base_url=hub.url, timeout=30, headers=admin) as client:
        created = client.post(
            "/manage/v1/keys", json={"name": "sdk", "scopes": ["delivery"]}
        ).json()
        secret, key_id = created["secret"], created["id"]
        plain = client.get(f"/api/features/{secret}").json()
        stream = SseClient(hub.url, f"/sub/{secret}")
        try:
            assert stream.next().data == plain
            assert client.get(f"/manage/v1/keys/{key_id}/encryption").status_code == 404
            made = client.post(f"/manage/v1/keys/{key_id}/encryption")
            assert made.status_code == 201, made.text
            decryption_key = made.json()["decryption_key"]
            assert made.json()["key_id"] == key_id
            shown = client.get(f"/manage/v1/keys/{key_id}/encryption").json()
            assert shown["decryption_key"] == decryption_key
            listed = client.get("/manage/v1/keys").json()["items"]
            assert [k["encrypted_payload"] for k in listed if k["id"] == key_id] == [
                True
            ]

            def decrypted(payload: dict[str, Any]) -> dict[str, Any]:
                assert payload["features"] == {}
                assert "savedGroups" not in payload
                text = decrypt_payload(payload["encryptedFeatures"], decryption_key)
                return {**plain, "features": json.loads(text)}

            served = client.get(f"/api/features/{secret}").json()
            assert decrypted(served) == plain
            # the open stream re-sends the payload encrypted (next wake)
            event = stream.until(lambda p: "encryptedFeatures" in p, PING * 5)
            assert decrypted(event.data) == plain
            # a publish reaches it encrypted
            rules = [{**RULES[0], "variant": "discount"}, *RULES[1:]]
            published = change_rules(client, admin, offer["id"], rules)
            event = stream.until(lambda p: p["dateUpdated"] != plain["dateUpdated"], 1)
            assert event.at - published < 1.0
            features = json.loads(
                decrypt_payload(event.data["encryptedFeatures"], decryption_key)
            )
            assert features[FEATURE]["rules"][0]["force"] == "discount"
            # a new key replaces the old; DELETE serves it plain again
            other = client.post(f"/manage/v1/keys/{key_id}/encryption").json()
            assert other["decryption_key"] != decryption_key
            deleted = client.delete(f"/manage/v1/keys/{key_id}/encryption")
            assert deleted.status_code == 204
            again = client.get(f"/api/features/{secret}").json()
            assert "encryptedFeatures" not in again
            assert again["features"] == features
        finally:
            stream.close()


def test_encryption_api_refuses_what_it_cannot_do(
    live: tuple[LiveHub, dict[str, Any]], keys: Keys
) -> None:
    hub, _ = live
    with httpx.Client(base_url=hub.url, timeout=30) as client:
        admin = keys.headers("admin")
        listed = client.get("/manage/v1/keys", headers=admin).json()["items"]
        by_name = {k["name"]: k["id"] for k in listed}
        cases = [
            ("post", by_name["render-key"], admin, 409),  # no delivery scope
            ("post", "nope", admin, 404),
            ("get", "nope", admin, 404),
            ("delete", "nope", admin, 404),
            ("post", by_name["delivery-key"], keys.headers("manage"), 403),
            ("get", by_name["delivery-key"], keys.headers("delivery"), 403),
        ]
        for method, key_id, headers, status in cases:
            url = f"/manage/v1/keys/{key_id}/encryption"
            response = client.request(method, url, headers=headers)
            assert response.status_code == status, (method, key_id, response.text)
            assert response.headers["content-type"].startswith(
                "application/problem+json"
            )
        revoked = by_name["metrics-key"]
        client.delete(f"/manage/v1/keys/{revoked}", headers=admin).raise_for_status()
        response = client.post(f"/manage/v1/keys/{revoked}/encryption", headers=admin)
        assert response.status_code == 409
        delivery = client.get(f"/api/features/{keys.secrets['delivery']}")
        assert "encryptedFeatures" not in delivery.json()
