"""Renders -> buffered exposures and sticky documents -> results, and the SDK
payload of the real published rules, through create_app."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient

from content_hub.settings import Settings
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
