"""Shared pytest configuration.

Under pytest-xdist (``-n N``, as ``scripts/test.sh`` runs the suite) every
worker gets a PostgreSQL database of its own: ``CONTENT_HUB_TEST_DATABASE_URL``
names the base database, and worker ``gwK`` rewrites it to ``<base>_gwK``,
creating that database if it does not exist. Advisory locks and
``LISTEN/NOTIFY`` channels are per database, so workers never see each other's
leases or notifications. Meilisearch servers and the quickstart servers that
tests start pick free ports, so they need nothing of the kind.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from tests import app_cache

PG_ENV = "CONTENT_HUB_TEST_DATABASE_URL"


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = os.environ.get(PG_ENV)
    if not worker or not base:
        return
    url = make_url(base)
    name = f"{url.database}_{worker}"
    _create_database(url, name)
    os.environ[PG_ENV] = url.set(database=name).render_as_string(hide_password=False)


def _create_database(base: URL, name: str) -> None:
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:  # CI sets the URL: unreachable is a failure
        raise pytest.UsageError(f"PostgreSQL at {base} is unreachable: {exc}") from exc


@contextmanager
def _no_playwright_loop(item: pytest.Item) -> Iterator[None]:
    """Playwright's sync API (the session-scoped ``browser`` of the Studio's
    browser tests) leaves its event loop marked as running in the test thread
    for the rest of the worker's session, so any later test of that worker
    that calls ``asyncio.run`` (fixtures such as ``keys`` do) is refused
    ("cannot be called from a running event loop"), depending on how xdist
    happened to hand out the tests. Tests that do not use the browser run
    with no loop marked as running; the mark is put back afterwards."""
    loop = asyncio.events._get_running_loop()
    if loop is None or "browser" in getattr(item, "fixturenames", ()):
        yield
        return
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


# Around each phase, not in a function-scoped fixture: a module-scoped fixture
# (the hostile tests' ``world``) is set up before any function-scoped one, and
# met the mark when a browser test had run before it on the same worker.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _no_playwright_loop(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _no_playwright_loop(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    with _no_playwright_loop(item):
        yield
    app_cache.release()  # the test's apps may serve the next test
