"""The hostile-input suite: one seeded hub per test module and backend
(SQLite always, PostgreSQL when ``CONTENT_HUB_TEST_DATABASE_URL`` is set).

A module-scoped world keeps hypothesis cheap (no hub per example); every
example checks for itself that a refused request changed nothing, so examples
cannot hide each other's damage. ``HOSTILE_EXAMPLES_SCALE`` multiplies every
example budget (e.g. ``10`` for a long run by hand).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient

from content_hub.settings import (
    DatabaseSettings,
    DeliverySettings,
    EventSettings,
    Settings,
    WorkflowSettings,
)
from content_hub.store.db import migrate
from tests.app_cache import app_for
from tests.content_hub.conftest import BACKENDS, PG_ENV, Keys, _reset_postgres
from tests.hostile.world import World

SCALE = float(os.environ.get("HOSTILE_EXAMPLES_SCALE", "1"))


def budget(examples: int) -> settings:
    """Hypothesis settings for one hostile test: ``examples`` cases (scaled),
    no deadline (a refused 1 MB body may take a while), no example database
    (the world differs per run), and every health check that a deliberately
    huge or slow input trips is off."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


@pytest.fixture(scope="session")
def hostile_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-template") / "hub.sqlite3"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def hostile_postgres() -> str:
    url = os.environ[PG_ENV]
    migrate(url)  # idempotent: the schema may already be at head
    return url


def hub_settings(data_dir: Path, url: str) -> Settings:
    """Background work that could write while a test compares the stored
    state is slowed to a crawl: no schedules fire, buffered events are written
    only when the world flushes them itself."""
    return Settings(
        data_dir=data_dir,
        database=DatabaseSettings(url=url),
        delivery=DeliverySettings(poll_interval=0.05),
        workflow=WorkflowSettings(schedule_interval=3600),
        events=EventSettings(flush_interval=3600),
        auth_cache_seconds=60.0,
    )


def backend_url(request: pytest.FixtureRequest, backend: str, data_dir: Path) -> str:
    if backend == "sqlite":
        db = data_dir / "hub.sqlite3"
        shutil.copy(request.getfixturevalue("hostile_sqlite"), db)
        return f"sqlite+aiosqlite:///{db}"
    url: str = request.getfixturevalue("hostile_postgres")
    _reset_postgres(url)
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp(f"hostile-{request.param}")
    settings_ = hub_settings(data_dir, backend_url(request, request.param, data_dir))
    keys = Keys(settings_)
    client: TestClient[Any]
    with TestClient(app_for(settings_)) as client:
        world = World(client, keys.secrets)
        yield world
        world.reader.close()
