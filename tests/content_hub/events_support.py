"""Helpers for the event, results, payload and observability tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from content_hub.app import create_app
from content_hub.hub import Hub
from content_hub.settings import Settings
from content_hub.store.db import sync_url

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


def fake_render(seq: int, personalization: dict[str, Any]) -> Any:
    """Stands in for the render snapshot: published personalisation by entry id."""
    return SimpleNamespace(
        state=SimpleNamespace(seq=seq, personalization=personalization, audiences=())
    )


def observed_app(settings: Settings) -> Litestar:
    """``create_app`` (it carries the observability plugin)."""
    return create_app(settings)


@contextmanager
def observed_client(settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(observed_app(settings)) as client:
        yield client
