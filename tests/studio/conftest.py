"""Fixtures of the Studio tests: the app with a signed-in user (the
``studio_principal`` dependency overridden through Litestar's dependency
mechanism), the demo data, and (``browser.py``) a real server and Chromium.

The ``settings`` fixture is the service tests' one: SQLite, and PostgreSQL
again when ``CONTENT_HUB_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import unittest.mock
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from litestar.di import Provide
from litestar.testing import TestClient

import content_hub.app
from content_hub.cli import _create_user, _reindex
from content_hub.domain.keys import Principal, Scope
from content_hub.search import FTS5_FILENAME
from content_hub.settings import DatabaseSettings, Settings
from content_hub.store.db import migrate, sync_url
from content_hub.studio.routes import studio_routes
from seed.loader import load_demo
from tests.app_cache import app_for
from tests.content_hub.conftest import (  # noqa: F401 - fixtures used here
    PG_ENV,
    Keys,
    postgres_url,
    settings,
    sqlite_template,
)
from tests.content_hub.users_support import (  # noqa: F401 - a fixture used here
    PASSWORD,
    cheap_passwords,
)

EDITOR = Principal("user-editor", "editor@example.com", frozenset({Scope.MANAGE}))
T = TypeVar("T")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OTHER_EDITOR = Principal("user-other", "other@example.com", frozenset({Scope.MANAGE}))


def signed_in_as(principal: Principal) -> Provide:
    def provide() -> Principal:
        return principal

    return Provide(provide, sync_to_thread=False)


def studio_app(hub_settings: Settings, principal: Principal | None) -> Any:
    """``create_app`` with the Studio's ``studio_principal`` overridden (no
    override, ``None``: nobody is signed in)."""
    overrides = (
        {} if principal is None else {"studio_principal": signed_in_as(principal)}
    )

    def build(for_settings: Settings) -> Any:
        with unittest.mock.patch.object(
            content_hub.app,
            "studio_routes",
            functools.partial(studio_routes, overrides),
        ):
            return content_hub.app.create_app(for_settings)

    return app_for(hub_settings, ("studio", principal), build)


def in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion in a thread of its own: Playwright's
    sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


@pytest.fixture
def keys(request: pytest.FixtureRequest, settings: Settings) -> Keys:  # noqa: F811
    """One key per scope (made in a thread: see :func:`in_thread`), after the
    demo data when the test has it (:func:`demo` replaces the database)."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(Keys, settings).result()


@pytest.fixture(scope="session")
def demo_sqlite(
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,  # noqa: F811 - the imported fixture
) -> Path:
    """A SQLite database with the demo loaded once per test process."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "hub.sqlite3"
    shutil.copy(sqlite_template, db)
    _load_and_index(folder, f"sqlite+aiosqlite:///{db}")
    return db


@pytest.fixture(scope="session")
def demo_postgres(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,  # noqa: F811 - the imported fixture
) -> tuple[str, Path]:
    """The name of a PostgreSQL database with the demo loaded once per test
    process (the template each test's database is copied from) and the folder
    of its search index."""
    base = sa.make_url(postgres_url)
    name = f"{base.database}_demo"
    with _maintenance() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    migrate(url)
    folder = tmp_path_factory.mktemp("demo-postgres")
    _load_and_index(folder, url)
    return name, folder


def _load_and_index(folder: Path, url: str) -> None:
    """The demo data in the database at ``url`` and its search documents in
    ``folder``, as the indexer would leave them: a hub started on a copy has
    no search documents to repair."""
    demo_settings = Settings(data_dir=folder, database=DatabaseSettings(url=url))

    async def load() -> None:
        await load_demo(demo_settings)
        await _reindex(demo_settings)

    in_thread(load)


@contextlib.contextmanager
def _maintenance() -> Iterator[sa.Connection]:
    """An autocommit connection to the server's ``postgres`` database."""
    url = sa.make_url(sync_url(os.environ[PG_ENV])).set(database="postgres")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@pytest.fixture
def demo(request: pytest.FixtureRequest, settings: Settings) -> Settings:  # noqa: F811
    """The test's database holds the demo data and its data dir the demo's
    search index: copies of the ones made per test process (loading the demo
    takes 2 s on SQLite and 6 s on PostgreSQL, a copy milliseconds), taken
    before anything else writes to them."""
    url = sa.make_url(settings.database.url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        db: Path = request.getfixturevalue("demo_sqlite")
        shutil.copy(db, url.database)
        shutil.copy(db.parent / FTS5_FILENAME, settings.data_dir / FTS5_FILENAME)
        return settings
    template, folder = request.getfixturevalue("demo_postgres")
    shutil.copy(folder / FTS5_FILENAME, settings.data_dir / FTS5_FILENAME)
    with _maintenance() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname IN (:db, :template) AND pid <> pg_backend_pid()"
            ),
            {"db": url.database, "template": template},
        )
        conn.execute(sa.text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"'))
    return settings


@pytest.fixture
def studio(
    demo: Settings,
) -> Iterator[TestClient[Any]]:
    """A client signed in as an editor, over the demo data."""
    with TestClient(studio_app(demo, EDITOR)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT  # pages, as a browser asks
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium from the system, through Playwright (skips when missing)."""
    from tests.studio.browser import chromium_path

    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path)
        yield instance
        instance.close()


PEOPLE = [
    ("ed@example.com", "editor", []),
    ("other@example.com", "editor", []),
    ("tina@example.com", "translator", ["nb"]),
]
"""Accounts of the browser tests (made with the CLI's function)."""


@pytest.fixture
def live(demo: Settings, cheap_passwords: None) -> Iterator[Any]:  # noqa: F811
    """A real hub server over the demo data, with the accounts of
    :data:`PEOPLE` (password ``users_support.PASSWORD``)."""
    from tests.studio.browser import LiveServer

    for email, role, locales in PEOPLE:
        in_thread(
            lambda e=email, r=role, codes=locales: _create_user(
                demo, e, r, codes, PASSWORD
            )
        )
    with LiveServer(app_for(demo)) as server:
        yield server


@pytest.fixture
def page(browser: Any, live: Any) -> Iterator[Any]:
    """A fresh browser context, signed in as the editor ed@example.com."""
    from tests.studio.browser import signed_in

    tab = signed_in(browser, live, "ed@example.com")
    yield tab
    tab.context.close()
