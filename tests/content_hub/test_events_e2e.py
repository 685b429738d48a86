"""Renders -> buffered exposures and sticky documents -> results, and the SDK
payload of the real published rules, through create_app."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.live import render as live_render
from content_hub.settings import EventSettings, Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import hub_of, rows
from tests.content_hub.render_fixtures import build_offer
from variants import evaluate_feature


def customers() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(80):
        customer: dict[str, Any] = {"id": f"c-{i}", "attributes": {}, "segments": []}
        if i % 10 == 0:
            customer["attributes"]["tier"] = "gold"
        if i % 10 == 1:
            customer["segments"] = ["cart_abandoner"]
        out.append(customer)
    return out


def test_batch_renders_feed_results_and_match_the_sdk_payload(
    client: TestClient[Any], keys: Keys, settings: Settings
) -> None:
    build_offer(client, keys.headers("admin"))
    people = customers()
    response = client.post(
        "/render/v1/render/batch",
        params={"type": "offer", "key": "spring", "channel": "email"},
        json=[{"customer": c} for c in people],
        headers=keys.headers("render"),
    )
    assert response.status_code == 200, response.text
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert all(line["ok"] for line in lines)
    rendered = [line["render"]["variant"] for line in lines]

    hub = hub_of(client)
    assert client.blocking_portal is not None
    client.blocking_portal.call(hub.events.flush)

    # the SDK payload buckets every customer like the render path
    payload = client.get(f"/api/features/{keys.secrets['delivery']}").json()
    for customer, variant in zip(people, rendered, strict=True):
        context = {
            "attributes": {
                **customer["attributes"],
                "id": customer["id"],
                "segments": customer["segments"],
            },
            "features": payload["features"],
        }
        assert evaluate_feature(context, "offer.spring")["value"] == variant

    # experiment units are the customers the audience rules did not take
    in_test = [
        v for i, v in enumerate(rendered) if i % 10 not in (0, 1)
    ]  # gold -> premium, abandoners -> discount
    results = client.get(
        "/manage/v1/experiments/spring-headline/results",
        headers=keys.headers("manage"),
    ).json()
    assert results["known"] is True
    assert results["srm"]["weights_source"] == "rules"
    assert [(v["variant"], v["units"]) for v in results["variations"]] == [
        ("default", in_test.count("default")),
        ("discount", in_test.count("discount")),
    ]
    stored = rows(settings, "SELECT COUNT(*) FROM sticky_assignment")[0][0]
    assert stored == len(in_test)


@pytest.mark.parametrize("memory", [200_000, 3])
def test_a_returning_customer_queues_no_exposure_again(
    keys: Keys,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    memory: int,
) -> None:
    """Each render service remembers the exposures it recorded, so repeated
    renders of the same customers queue nothing (``memory`` 3: it forgets
    and starts over, which only re-queues what the store keeps once); the
    answers and the stored exposures are the same either way."""
    monkeypatch.setattr(live_render, "EXPOSED_MEMORY", memory)
    # Only this test flushes (the loop's timer would race the counts below).
    quiet = msgspec.structs.replace(
        settings, events=EventSettings(flush_interval=3600.0)
    )
    with TestClient(app_for(quiet)) as client:
        _returning_customers(client, keys, settings, memory)


def _returning_customers(
    client: TestClient[Any], keys: Keys, settings: Settings, memory: int
) -> None:
    build_offer(client, keys.headers("admin"))
    hub = hub_of(client)
    assert client.blocking_portal is not None
    people = [c for c in customers() if c["id"][-1] not in "01"]  # in the test

    def render_all(channel: str) -> list[tuple[str, bool]]:
        answers = []
        for customer in people:
            r = client.post(
                "/render/v1/render",
                json={
                    "type": "offer",
                    "key": "spring",
                    "channel": channel,
                    "customer": customer,
                },
                headers=keys.headers("render"),
            )
            assert r.status_code == 200, r.text
            decision = r.json()["decision"]
            answers.append((r.json()["variant"], decision["exposure_logged"]))
        return answers

    first = render_all("web")
    assert all(logged for _, logged in first)
    assert len(hub.events._exposures) == len(people)
    client.blocking_portal.call(hub.events.flush)
    for _ in range(2):
        assert render_all("web") == first
        queued = len(hub.events._exposures)
        assert queued == (0 if memory > len(people) else len(people))
        client.blocking_portal.call(hub.events.flush)
    render_all("email")  # another channel: other exposures
    client.blocking_portal.call(hub.events.flush)
    stored = rows(settings, "SELECT channel, COUNT(*) FROM exposure GROUP BY channel")
    assert sorted(tuple(r) for r in stored) == [
        ("email", len(people)),
        ("web", len(people)),
    ]
