"""/metrics needs a key with the ``metrics`` scope (``admin`` implies it);
a ``metrics`` key reads nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys


@pytest.mark.parametrize(
    ("scope", "status"),
    [
        (None, 401),
        ("delivery", 403),
        ("preview", 403),
        ("render", 403),
        ("manage", 403),
        ("metrics", 200),
        ("admin", 200),
    ],
)
def test_metrics_needs_the_metrics_scope(
    client: TestClient[Any], keys: Keys, scope: str | None, status: int
) -> None:
    headers = keys.headers(scope) if scope else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == status, response.text
    if status == 200:
        assert "content_hub_http_requests_total" in response.text
    else:
        assert response.headers["content-type"] == "application/problem+json"
        assert "content_hub_http" not in response.text


def test_a_metrics_key_made_through_the_api_scrapes_and_reads_nothing_else(
    client: TestClient[Any], keys: Keys
) -> None:
    created = client.post(
        "/manage/v1/keys",
        json={"name": "prometheus", "scopes": ["metrics"]},
        headers=keys.headers("admin"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == ["metrics"]
    scraper = {"Authorization": f"Bearer {created.json()['secret']}"}
    assert client.get("/metrics", headers=scraper).status_code == 200
    for path in ("/delivery/v1/entries", "/manage/v1/entries", "/manage/v1/keys"):
        assert client.get(path, headers=scraper).status_code == 403, path
    listed = client.get("/manage/v1/keys", headers=keys.headers("admin")).json()
    assert ["metrics"] in [k["scopes"] for k in listed["items"]]
