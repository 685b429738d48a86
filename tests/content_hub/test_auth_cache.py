"""``CONTENT_HUB_AUTH_CACHE_SECONDS``: how long a worker trusts a key it
looked up, when the key changes behind its back (another process or host
revokes it: this process's cache is not told).

With 0 ("every request") the next request after the revocation is refused,
on the edge's routes (delivery GET, render POST) and the handlers' alike;
with a TTL the key keeps working until its entry expires, then one request
(the one that finds it expired, answered from the cache while the lookup
runs) later it is refused.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import msgspec
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.store.db import sync_url
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys

ROUTES = [
    ("GET", "/delivery/v1/entries/missing", "delivery", None),  # the edge's
    (
        "POST",
        "/render/v1/render",
        "render",
        {"entry_id": "x", "channel": "web", "customer": {"id": "c"}},
    ),
    ("GET", "/manage/v1/locales", "manage", None),  # a handler's
]


def _revoke_elsewhere(settings: Settings, name: str) -> None:
    engine = sa.create_engine(sync_url(settings.database.url))
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE api_key SET revoked_at = :t WHERE name = :n"),
            {"t": datetime.now(UTC), "n": name},
        )
    engine.dispose()


def _status(client: TestClient, keys: Keys, route: tuple) -> int:  # type: ignore[type-arg]
    method, path, scope, body = route
    return client.request(
        method, path, json=body, headers=keys.headers(scope)
    ).status_code


@pytest.mark.parametrize("route", ROUTES, ids=[r[1] for r in ROUTES])
def test_zero_seconds_refuses_the_next_request(
    settings: Settings,
    route: tuple,  # type: ignore[type-arg]
) -> None:
    settings = msgspec.structs.replace(settings, auth_cache_seconds=0.0)
    keys = Keys(settings)
    with TestClient(app_for(settings)) as client:
        for _ in range(3):  # known to the process, as valid
            assert _status(client, keys, route) != 401
        _revoke_elsewhere(settings, f"{route[2]}-key")
        assert _status(client, keys, route) == 401
        assert _status(client, keys, route) == 401


def test_a_ttl_trusts_the_key_until_it_expires(settings: Settings) -> None:
    settings = msgspec.structs.replace(settings, auth_cache_seconds=1.0)
    keys = Keys(settings)
    route = ROUTES[0]
    with TestClient(app_for(settings)) as client:
        assert _status(client, keys, route) == 404
        _revoke_elsewhere(settings, "delivery-key")
        assert _status(client, keys, route) == 404  # trusted: not expired yet
        deadline = time.monotonic() + 30
        while _status(client, keys, route) != 401:
            assert time.monotonic() < deadline, "the revocation was never seen"
            time.sleep(0.1)
