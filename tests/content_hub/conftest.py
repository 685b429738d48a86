"""Fixtures for service tests: a migrated database per test, on SQLite and,
when ``CONTENT_HUB_TEST_DATABASE_URL`` is set, again on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from content_hub.domain.inputs import KeyCreate
from content_hub.domain.keys import Scope
from content_hub.services.commands import unit_of_work
from content_hub.services.keys import KeyService
from content_hub.settings import DatabaseSettings, DeliverySettings, Settings
from content_hub.store.db import migrate, sync_url
from tests.app_cache import app_for

PG_ENV = "CONTENT_HUB_TEST_DATABASE_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hub.sqlite3"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ[PG_ENV]
    engine = sa.create_engine(sync_url(url).replace("+aiosqlite", ""))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as exc:  # CI sets the URL: unreachable is a failure
        pytest.fail(f"PostgreSQL at {url} is unreachable: {exc}")
    finally:
        engine.dispose()
    migrate(url)
    return url


def _reset_postgres(url: str) -> None:
    """Empty every table. Connections a previous test left behind (a killed
    server's, a background loop's still closing) are ended first: one reading
    while the reset waits for its locks deadlocked it.

    ``DELETE`` rather than ``TRUNCATE``: the tables of a test hold a few rows,
    and ``TRUNCATE`` gives each table (and index) a new file, about 95 ms for
    the schema against 4 ms. Foreign-key triggers are off for the transaction
    (``session_replication_role``), as every row goes; the sequences start
    over, as ``RESTART IDENTITY`` made them."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        tables = [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            )
        ]
        sequences = [
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
                )
            )
        ]
        conn.exec_driver_sql(
            "; ".join(
                [
                    "SET LOCAL session_replication_role = replica",
                    *(f'DELETE FROM "{table}"' for table in tables),
                    *(f'ALTER SEQUENCE "{name}" RESTART' for name in sequences),
                ]
            )
        )
        conn.execute(
            sa.text("INSERT INTO counter (name, value) VALUES ('publish_seq', 0)")
        )
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Settings:
    if request.param == "sqlite":
        db = tmp_path / "hub.sqlite3"
        shutil.copy(sqlite_template, db)
        url = f"sqlite+aiosqlite:///{db}"
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
    return Settings(
        data_dir=tmp_path,
        database=DatabaseSettings(url=url),
        delivery=DeliverySettings(poll_interval=0.05),
        # keys change through the API, which clears the cache at once; a
        # change behind its back (another process) is test_auth_cache's
        auth_cache_seconds=3600.0,
    )


async def _create_keys(settings: Settings) -> dict[str, str]:
    """One key per scope, by the service the CLI's ``keys create`` uses, in
    one unit of work (a database opened once: most tests start with this)."""
    async with unit_of_work(settings) as deps:
        service = KeyService(deps)
        secrets: dict[str, str] = {}
        for scope in Scope:
            _, secrets[scope.value] = await service.create(
                KeyCreate(name=f"{scope.value}-key", scopes=[scope])
            )
        return secrets


class Keys:
    """Secrets of one key per scope."""

    def __init__(self, settings: Settings) -> None:
        self.secrets: dict[str, str] = asyncio.run(_create_keys(settings))

    def headers(self, scope: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[scope]}", **extra}


@pytest.fixture
def keys(settings: Settings) -> Keys:
    return Keys(settings)


@pytest.fixture
def client(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    with TestClient(app_for(settings)) as test_client:
        yield test_client
