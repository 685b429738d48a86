"""Fixtures of the Studio tests: the app with a signed-in user (the
``studio_principal`` dependency overridden through Litestar's dependency
mechanism), the demo data, and (``browser.py``) a real server and Chromium.

The ``settings`` fixture is the service tests' one: SQLite, and PostgreSQL
again when ``CONTENT_HUB_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.di import Provide
from litestar.testing import TestClient

import content_hub.app
from content_hub.app import create_app
from content_hub.domain.keys import Principal, Scope
from content_hub.settings import Settings
from content_hub.studio.routes import studio_router
from seed.loader import load_demo
from tests.content_hub.conftest import (  # noqa: F401 - fixtures used here
    Keys,
    keys,
    postgres_url,
    settings,
    sqlite_template,
)

EDITOR = Principal("user-editor", "editor@example.com", frozenset({Scope.MANAGE}))
OTHER_EDITOR = Principal("user-other", "other@example.com", frozenset({Scope.MANAGE}))


def signed_in_as(principal: Principal) -> Provide:
    def provide() -> Principal:
        return principal

    return Provide(provide, sync_to_thread=False)


def studio_app(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, principal: Principal | None
) -> Any:
    """``create_app`` with the Studio's ``studio_principal`` overridden (no
    override, ``None``: nobody is signed in)."""
    overrides = {} if principal is None else {"studio_principal": signed_in_as(principal)}
    monkeypatch.setattr(
        content_hub.app, "studio_router", functools.partial(studio_router, overrides)
    )
    return create_app(settings)


@pytest.fixture
def demo(settings: Settings) -> Settings:
    asyncio.run(load_demo(settings))
    return settings


@pytest.fixture
def studio(demo: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient[Any]]:
    """A client signed in as an editor, over the demo data."""
    with TestClient(studio_app(demo, monkeypatch, EDITOR)) as client:
        yield client
