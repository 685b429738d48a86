"""A signed-in user's own password (``PUT /manage/v1/users/me/password``) and
a successful sign-in clearing its email's failures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.errors import InvalidCredentials
from content_hub.domain.rate_limits import TooManyRequests, parse_rate
from content_hub.services.commands import unit_of_work
from content_hub.services.rate_limits import RateLimits
from content_hub.services.sign_in import SignInThrottle, authenticate
from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.test_rate_limit import REDIS, redis_prefix  # noqa: F401
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    PASSWORD,
    cheap_passwords,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")
ME = "/manage/v1/users/me/password"
NEW = "a brand new passphrase"


@pytest.fixture
def viewer(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    make_user(settings, "v@example.com", "viewer")
    with TestClient(app_for(settings)) as client:
        yield client


class TestOwnPassword:
    def test_any_role_changes_its_own(self, viewer: TestClient[Any]) -> None:
        token = sign_in(viewer, "v@example.com")["csrf_token"]
        body = {"current_password": PASSWORD, "password": NEW}
        r = viewer.put(ME, json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 204, r.text
        bad = viewer.post(
            "/studio/sign-in", json={"email": "v@example.com", "password": PASSWORD}
        )
        assert bad.status_code == 401
        sign_in(viewer, "v@example.com", NEW)

    def test_the_current_password_must_be_right(
        self, viewer: TestClient[Any], keys: Keys
    ) -> None:
        token = sign_in(viewer, "v@example.com")["csrf_token"]
        body = {"current_password": "not it at all", "password": NEW}
        r = viewer.put(ME, json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 403
        assert r.json()["errors"][0]["loc"] == ["current_password"]
        sign_in(viewer, "v@example.com")  # unchanged
        audit = viewer.get(
            "/manage/v1/audit?action=change-password", headers=keys.headers("admin")
        )
        assert audit.json()["items"] == []

    def test_csrf_and_validation_apply(self, viewer: TestClient[Any]) -> None:
        sign_in(viewer, "v@example.com")
        body = {"current_password": PASSWORD, "password": NEW}
        assert viewer.put(ME, json=body).json()["type"].endswith("/csrf-failed")
        token = sign_in(viewer, "v@example.com")["csrf_token"]
        short = {"current_password": PASSWORD, "password": "short"}
        r = viewer.put(ME, json=short, headers={"X-CSRF-Token": token})
        assert r.status_code == 400 and "password" in r.text

    def test_a_key_has_no_password(self, viewer: TestClient[Any], keys: Keys) -> None:
        body = {"current_password": PASSWORD, "password": NEW}
        r = viewer.put(ME, json=body, headers=keys.headers("admin"))
        assert r.status_code == 403 and "no password" in r.json()["detail"]

    def test_admins_still_set_others_passwords(
        self, viewer: TestClient[Any], keys: Keys
    ) -> None:
        users = viewer.get("/manage/v1/users", headers=keys.headers("admin")).json()
        path = f"/manage/v1/users/{users['items'][0]['id']}/password"
        r = viewer.put(path, json={"password": NEW}, headers=keys.headers("admin"))
        assert r.status_code == 204
        sign_in(viewer, "v@example.com", NEW)


def _attempts(settings: Settings, throttle: SignInThrottle, plan: str) -> str:
    """Sign in once per letter of ``plan`` (``r``ight or ``w``rong password),
    each from a new address; the outcomes as letters (``o``k, ``x`` wrong,
    ``t``hrottled)."""

    async def run() -> str:
        out = ""
        for n, kind in enumerate(plan):
            password = PASSWORD if kind == "r" else "wrong password!"
            try:
                async with unit_of_work(settings) as deps:
                    await authenticate(
                        deps, "e@example.com", password, address=f"10.0.0.{n}",
                        throttle=throttle,
                    )  # fmt: skip
                out += "o"
            except InvalidCredentials:
                out += "x"
            except TooManyRequests:
                out += "t"
        return out

    return asyncio.run(run())


def test_a_success_clears_the_emails_failures(settings: Settings) -> None:
    make_user(settings, "e@example.com")
    rate = parse_rate("3/15 minutes")
    assert _attempts(settings, SignInThrottle(rate), "wwwr") == "xxxt"
    assert _attempts(settings, SignInThrottle(rate), "wwrwwr") == "xxoxxo"


def test_the_clearing_is_shared_through_redis(redis_prefix: str) -> None:  # noqa: F811
    async def run() -> tuple[object, object, object]:
        rate = parse_rate("2/15 minutes")
        one = RateLimits(None, rate, redis_url=REDIS, redis_prefix=redis_prefix)
        two = RateLimits(None, rate, redis_url=REDIS, redis_prefix=redis_prefix)
        await one.fail("e@example.com")
        await two.fail("e@example.com")
        full = await one.fail("e@example.com")
        await two.forgive("e@example.com")
        cleared = await one.blocked_shared("e@example.com")
        again = await one.fail("e@example.com")
        for limits in (one, two):
            await limits.stop()
        return full, cleared, again

    full, cleared, again = asyncio.run(run())
    assert cleared is None
    assert full is not None  # past the limit: refused
    assert again is None  # counted from zero after the other process forgave
