"""Fixtures of the Studio tests: the app with a signed-in user (the
``studio_principal`` dependency overridden through Litestar's dependency
mechanism), the demo data, and (``browser.py``) a real server and Chromium.

The ``settings`` fixture is the service tests' one: SQLite, and PostgreSQL
again when ``CONTENT_HUB_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from litestar.di import Provide
from litestar.testing import TestClient

import content_hub.app
from content_hub.app import create_app
from content_hub.cli import _create_user
from content_hub.domain.keys import Principal, Scope
from content_hub.settings import Settings
from content_hub.studio.routes import studio_routes
from seed.loader import load_demo
from tests.content_hub.conftest import (  # noqa: F401 - fixtures used here
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


def studio_app(
    hub_settings: Settings, monkeypatch: pytest.MonkeyPatch, principal: Principal | None
) -> Any:
    """``create_app`` with the Studio's ``studio_principal`` overridden (no
    override, ``None``: nobody is signed in)."""
    overrides = (
        {} if principal is None else {"studio_principal": signed_in_as(principal)}
    )
    monkeypatch.setattr(
        content_hub.app, "studio_routes", functools.partial(studio_routes, overrides)
    )
    return create_app(hub_settings)


def in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion in a thread of its own: Playwright's
    sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


@pytest.fixture
def keys(settings: Settings) -> Keys:  # noqa: F811 - the imported fixture
    """One key per scope (made in a thread: see :func:`in_thread`)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(Keys, settings).result()


@pytest.fixture
def demo(settings: Settings) -> Settings:  # noqa: F811 - the imported fixture
    in_thread(lambda: load_demo(settings))
    return settings


@pytest.fixture
def studio(
    demo: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient[Any]]:
    """A client signed in as an editor, over the demo data."""
    with TestClient(studio_app(demo, monkeypatch, EDITOR)) as client:
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
    with LiveServer(create_app(demo)) as server:
        yield server


@pytest.fixture
def page(browser: Any, live: Any) -> Iterator[Any]:
    """A fresh browser context, signed in as the editor ed@example.com."""
    from tests.studio.browser import signed_in

    tab = signed_in(browser, live, "ed@example.com")
    yield tab
    tab.context.close()
