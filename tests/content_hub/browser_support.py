"""Helpers for the browser-facing tests: apps with given CORS and rate-limit
settings, the fast paths switched off, and a few published articles."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import msgspec
from litestar.testing import TestClient

from content_hub.settings import CorsSettings, RateLimitSettings, Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish

NO_LIMITS = RateLimitSettings(key="off", auth_failures="off")


@contextmanager
def browser_client(
    settings: Settings,
    *,
    cors: CorsSettings | None = None,
    rate_limit: RateLimitSettings = NO_LIMITS,
    **changes: Any,
) -> Iterator[TestClient[Any]]:
    """A client of an app with these CORS and rate-limit settings (and any
    other ``changes`` to the settings)."""
    changed = msgspec.structs.replace(
        settings, cors=cors or CorsSettings(), rate_limit=rate_limit, **changes
    )
    with TestClient(app_for(changed)) as client:
        yield client


def fast_handlers(client: TestClient[Any]) -> list[Any]:
    return [
        handler
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", ())
        if "fast_path" in handler.opt
    ]


@contextmanager
def fast_paths(client: TestClient[Any], on: bool) -> Iterator[None]:
    """Run the block with the fast paths on (as always) or off (every request
    through the full handlers)."""
    handlers = [] if on else fast_handlers(client)
    saved = [h.opt.pop("fast_path") for h in handlers]
    try:
        yield
    finally:
        for handler, fast in zip(handlers, saved, strict=True):
            handler.opt["fast_path"] = fast  # opt may be shared with other apps


def publish_articles(
    client: TestClient[Any], keys: Keys, count: int
) -> list[dict[str, Any]]:
    """``count`` published articles in en and de, each referencing the one
    before it (so that ``include`` has something to embed)."""
    admin = keys.headers("admin")
    if client.get("/manage/v1/locales/de", headers=admin).status_code == 404:
        add_locale(client, admin, "de")
    manage = keys.headers("manage")
    add_type(client, manage)
    entries: list[dict[str, Any]] = []
    for i in range(count):
        fields: dict[str, Any] = {
            "title": {"en": f"Article {i}", "de": f"Artikel {i}"},
            "summary": {"en": "x" * (i * 37 % 500)},
            "price": i,
        }
        if entries:
            fields["related"] = [{"type": "entry", "id": entries[-1]["id"]}]
        entries.append(
            publish(client, manage, add_entry(client, manage, f"a-{i}", fields))
        )
    return entries


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``check`` until it is truthy (the search index follows publishes)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def headers_of(response: Any) -> dict[str, str]:
    """Response headers without the per-request id."""
    return {k: v for k, v in response.headers.items() if k != "x-request-id"}
