"""A bounded schemathesis pass over the OpenAPI document: no 5xx, and every
documented response matches its schema. The hub runs for real (uvicorn, with
its lifespan) on a free port with some content in it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from content_hub.app import create_app
from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import DatabaseSettings, Settings
from content_hub.store.db import migrate
from tests.content_hub.factories import ARTICLE_FIELDS
from tests.threaded_server import served


class LiveHub:
    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {secret}"}


def _seed(hub: LiveHub) -> None:
    with httpx.Client(base_url=hub.url, headers=hub.headers) as c:
        c.post("/manage/v1/locales", json={"code": "de"}).raise_for_status()
        c.post(
            "/manage/v1/content-types",
            json={
                "key": "article",
                "name": "Article",
                "fields": ARTICLE_FIELDS,
                "channels": ["web"],
            },
        ).raise_for_status()
        entry = c.post(
            "/manage/v1/entries",
            json={
                "type": "article",
                "key": "hello",
                "fields": {"title": {"en": "Hello", "de": "Hallo"}},
            },
        ).json()
        c.post(
            f"/manage/v1/entries/{entry['id']}/publish", headers={"If-Match": '"1"'}
        ).raise_for_status()


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    data: Path = tmp_path_factory.mktemp("live")
    url = f"sqlite+aiosqlite:///{data / 'hub.sqlite3'}"
    migrate(url)
    hub_settings = Settings(data_dir=data, database=DatabaseSettings(url=url))
    secret = asyncio.run(_create_key(hub_settings, "schemathesis", [Scope.ADMIN]))
    with served(create_app(hub_settings)) as port:
        hub = LiveHub(f"http://127.0.0.1:{port}", secret)
        _seed(hub)
        yield hub


@pytest.mark.timeout(600)
def test_api_never_fails_with_5xx_and_matches_its_schema(live_hub: LiveHub) -> None:
    api = schemathesis.openapi.from_url(f"{live_hub.url}/schema/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                base_url=live_hub.url,
                headers=live_hub.headers,
                checks=[not_a_server_error, response_schema_conformance],
            )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then fail once
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
