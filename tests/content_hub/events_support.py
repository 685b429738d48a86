"""Helpers for the event, results, payload and observability tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from content_hub.hub import Hub
from content_hub.live.generation import Generation
from content_hub.live.render_state import RenderState
from content_hub.settings import Settings
from content_hub.store.db import sync_url
from tests.app_cache import app_for

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def hub_of(client: TestClient[Any]) -> Hub:
    hub: Hub = client.app.state.hub
    return hub


def rows(settings: Settings, sql: str) -> list[Any]:
    """Read the database outside the app (a plain synchronous engine)."""
    url = sync_url(settings.database.url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)))
    finally:
        engine.dispose()


def fake_render(client: TestClient[Any], personalization: dict[str, Any]) -> None:
    """Swap in a generation whose published personalisation (by entry id) is
    ``personalization``, as if those rules had been published."""
    hub = hub_of(client)
    current = hub.published.generation
    render = RenderState(
        seq=current.seq,
        personalization=personalization,
        audiences=(),
        renderers=current.render.renderers,
        template_versions=current.render.template_versions,
    )
    hub.published.swap(Generation(current.delivery, render), None)


def observed_app(settings: Settings) -> Litestar:
    """``create_app`` (it carries the observability plugin)."""
    return app_for(settings)


@contextmanager
def observed_client(settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(observed_app(settings)) as client:
        yield client
