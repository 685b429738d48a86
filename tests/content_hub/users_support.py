"""Helpers for the Studio account and session tests: cheap argon2 parameters
(still argon2id), users made with the CLI's function, signing in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from litestar.testing import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from content_hub.cli import _create_user
from content_hub.services.passwords import DEFAULT
from content_hub.settings import Settings

PASSWORD = "correct horse battery staple"
CHEAP = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def cheap_passwords() -> Iterator[None]:
    """argon2id with small parameters: tests sign in many times."""
    saved, saved_dummy = DEFAULT.context, DEFAULT._dummy
    DEFAULT.context, DEFAULT._dummy = PasswordHash((CHEAP,)), None
    try:
        yield
    finally:
        DEFAULT.context, DEFAULT._dummy = saved, saved_dummy


def make_user(
    settings: Settings,
    email: str,
    role: str = "editor",
    locales: list[str] | None = None,
    password: str = PASSWORD,
) -> None:
    """Create a user through the CLI's function, on a thread of its own: a
    Playwright test earlier in the same worker leaves an event loop running
    in this thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            asyncio.run, _create_user(settings, email, role, locales or [], password)
        ).result()


def sign_in(
    client: TestClient[Any], email: str, password: str = PASSWORD
) -> dict[str, Any]:
    """Sign in with JSON; the client keeps the cookie. The user and token."""
    response = client.post(
        "/studio/sign-in", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())
