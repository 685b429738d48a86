"""Studio sign-in, sessions and CSRF, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest
import redis
import sqlalchemy as sa
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.testing import TestClient

from content_hub.app import create_app
from content_hub.domain.keys import Principal
from content_hub.settings import RateLimitSettings, Settings, StudioSettings
from content_hub.store.db import sync_url
from content_hub.studio.sessions import StudioSessionBackend
from tests.content_hub.conftest import Keys
from tests.content_hub.test_rate_limit import REDIS, redis_prefix

__all__ = ["redis_prefix"]  # the real Redis under a prefix of its own (a fixture)
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    PASSWORD,
    cheap_passwords,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")
COOKIE = "content_hub_session"


@get("/studio/_probe", sync_to_thread=False)
def probe(
    studio_principal: NamedDependency[Principal], x: FromQuery[str | None] = None
) -> dict[str, Any]:
    """A stand-in for a Studio page (the UI's own pages come separately)."""
    return {"name": studio_principal.name, "role": studio_principal.role}


def _app(settings: Settings, **studio: Any) -> Any:
    if studio:
        settings = msgspec.structs.replace(settings, studio=StudioSettings(**studio))
    app = create_app(settings)
    app.register(probe)
    return app


@pytest.fixture
def studio(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    make_user(settings, "ed@example.com", "editor")
    with TestClient(_app(settings)) as client:
        yield client


def _set_cookie(response: Any) -> str:
    return str(response.headers.get("set-cookie", ""))


class TestSignIn:
    def test_form_sign_in_redirects_to_a_studio_next(
        self, studio: TestClient[Any]
    ) -> None:
        response = studio.post(
            "/studio/sign-in",
            data={
                "email": "ED@example.com ",
                "password": PASSWORD,
                "next": "/studio/x?a=1",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/studio/x?a=1"
        assert studio.get("/studio/_probe").json() == {
            "name": "ed@example.com",
            "role": "editor",
        }

    @pytest.mark.parametrize(
        "target",
        [
            "https://evil.example/studio",
            "//evil.example/studio",
            "/manage/v1/keys",
            "/studiox",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
        ],
    )
    def test_next_outside_the_studio_goes_home(
        self, studio: TestClient[Any], target: str
    ) -> None:
        response = studio.post(
            "/studio/sign-in",
            data={"email": "ed@example.com", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/studio"

    def test_next_in_the_query_and_oversized_fields(
        self, studio: TestClient[Any]
    ) -> None:
        response = studio.post(
            "/studio/sign-in?next=%2Fstudio%2Fq",
            data={"email": "ed@example.com", "password": PASSWORD},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/studio/q"
        for email, password in [("ed@example.com", PASSWORD * 100), ("e" * 5000, "x")]:
            refused = studio.post(
                "/studio/sign-in",
                data={"email": email, "password": password},
                follow_redirects=False,
            )
            assert refused.headers["location"].startswith(
                "/studio/sign-in?error=credentials"
            )

    def test_failure_is_the_same_for_unknown_email_and_wrong_password(
        self, studio: TestClient[Any]
    ) -> None:
        wrong = studio.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": "x" * 12}
        )
        unknown = studio.post(
            "/studio/sign-in",
            json={"email": "nobody@example.com", "password": PASSWORD},
        )
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == {**unknown.json(), "instance": wrong.json()["instance"]}
        assert "ed@example.com" not in wrong.text and "nobody" not in unknown.text
        form_wrong = studio.post(
            "/studio/sign-in",
            data={"email": "ed@example.com", "password": "bad", "next": "/studio/e"},
            follow_redirects=False,
        )
        form_unknown = studio.post(
            "/studio/sign-in",
            data={"email": "no@example.com", "password": "bad", "next": "/studio/e"},
            follow_redirects=False,
        )
        expected = "/studio/sign-in?error=credentials&next=%2Fstudio%2Fe"
        assert form_wrong.headers["location"] == expected
        assert form_unknown.headers["location"] == expected
        assert COOKIE not in _set_cookie(form_wrong)

    def test_throttled_after_five_failures_per_email(
        self, studio: TestClient[Any]
    ) -> None:
        for _ in range(5):
            bad = {"email": "ed@example.com", "password": "wrong password!"}
            assert studio.post("/studio/sign-in", json=bad).status_code == 401
        right = {"email": "ed@example.com", "password": PASSWORD}
        refused = studio.post("/studio/sign-in", json=right)
        assert refused.status_code == 429, refused.text
        assert int(refused.headers["retry-after"]) > 0
        form = studio.post("/studio/sign-in", data=right, follow_redirects=False)
        assert form.headers["location"].startswith("/studio/sign-in?error=throttled")

    def test_throttled_per_address_across_emails(self, studio: TestClient[Any]) -> None:
        for i in range(5):
            bad = {"email": f"u{i}@example.com", "password": "wrong password!"}
            assert studio.post("/studio/sign-in", json=bad).status_code == 401
        right = {"email": "ed@example.com", "password": PASSWORD}
        assert studio.post("/studio/sign-in", json=right).status_code == 429

    def test_disabled_user_cannot_sign_in_and_is_signed_out(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        user = sign_in(studio, "ed@example.com")["user"]
        assert studio.get("/studio/_probe").status_code == 200
        changed = studio.patch(
            f"/manage/v1/users/{user['id']}",
            json={"disabled": True},
            headers=keys.headers("admin", **{"If-Match": '"1"'}),
        )
        assert changed.status_code == 200, changed.text
        assert studio.get("/studio/_probe").status_code == 401
        again = {"email": "ed@example.com", "password": PASSWORD}
        assert studio.post("/studio/sign-in", json=again).status_code == 401

    @pytest.mark.parametrize(
        "body",
        [b"", b"{", b"[]", b'{"email": 1}', b'{"email": "a@b", "password": null}'],
    )
    def test_bad_json_bodies_are_4xx(
        self, studio: TestClient[Any], body: bytes
    ) -> None:
        response = studio.post(
            "/studio/sign-in",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500, response.text

    def test_other_media_types_are_415(self, studio: TestClient[Any]) -> None:
        response = studio.post(
            "/studio/sign-in", content=b"x", headers={"Content-Type": "text/plain"}
        )
        assert response.status_code == 415


class TestSessionCookie:
    def test_flags_on_http(self, studio: TestClient[Any]) -> None:
        response = studio.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": PASSWORD}
        )
        cookie = _set_cookie(response)
        assert cookie.startswith(f"{COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie and "Max-Age" not in cookie

    def test_secure_on_https(self, settings: Settings, keys: Keys) -> None:
        make_user(settings, "ed@example.com")
        with TestClient(_app(settings), base_url="https://testserver.local") as client:
            response = client.post(
                "/studio/sign-in",
                json={"email": "ed@example.com", "password": PASSWORD},
            )
            assert "Secure" in _set_cookie(response)

    def test_secure_by_setting(self, settings: Settings, keys: Keys) -> None:
        make_user(settings, "ed@example.com")
        with TestClient(_app(settings, secure_cookie=True)) as client:
            response = client.post(
                "/studio/sign-in",
                json={"email": "ed@example.com", "password": PASSWORD},
            )
            assert "Secure" in _set_cookie(response)

    def test_bearer_and_other_requests_get_no_cookie(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        for path, headers in [
            ("/manage/v1/content-types", keys.headers("admin")),
            ("/delivery/v1/content-types/x/entries/y", keys.headers("delivery")),
            ("/health", {}),
            ("/studio/_probe", {}),
        ]:
            response = studio.get(path, headers=headers)
            assert "set-cookie" not in response.headers, path

    def test_rotated_on_sign_in(self, studio: TestClient[Any]) -> None:
        # an anonymous session (a CSRF token, say) exists before sign-in
        studio.cookies.set(COOKIE, "planted-by-an-attacker")
        response = studio.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": PASSWORD}
        )
        first = re.match(rf"{COOKIE}=([^;]+)", _set_cookie(response))
        assert first and first[1] != "planted-by-an-attacker"
        studio.cookies.clear()
        studio.cookies.set(COOKIE, first[1])
        again = studio.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": PASSWORD}
        )
        second = re.match(rf"{COOKIE}=([^;]+)", _set_cookie(again))
        assert second and second[1] != first[1]
        studio.cookies.clear()
        studio.cookies.set(COOKIE, first[1])  # the id before the second sign-in
        assert studio.get("/studio/_probe").status_code == 401
        studio.cookies.set(COOKIE, second[1])
        assert studio.get("/studio/_probe").status_code == 200


class TestTimeouts:
    def _clock(self, client: TestClient[Any]) -> list[float]:
        backend: StudioSessionBackend = client.app.state.studio_sessions
        now = [backend.clock()]
        backend.clock = lambda: now[0]
        return now

    def test_idle_timeout(self, settings: Settings, keys: Keys) -> None:
        make_user(settings, "ed@example.com")
        app = _app(settings, idle_timeout=600, absolute_timeout=3600)
        with TestClient(app) as client:
            now = self._clock(client)
            sign_in(client, "ed@example.com")
            for _ in range(10):  # active: each use moves the idle deadline
                now[0] += 400
                if now[0] > 3000:
                    break
                assert client.get("/studio/_probe").status_code == 200
            now[0] += 601
            assert client.get("/studio/_probe").status_code == 401

    def test_absolute_timeout(self, settings: Settings, keys: Keys) -> None:
        make_user(settings, "ed@example.com")
        app = _app(settings, idle_timeout=600, absolute_timeout=1000)
        with TestClient(app) as client:
            now = self._clock(client)
            sign_in(client, "ed@example.com")
            now[0] += 500
            assert client.get("/studio/_probe").status_code == 200
            now[0] += 499
            assert client.get("/studio/_probe").status_code == 200
            now[0] += 2  # active all along, but 1001 s after sign-in
            response = client.get("/studio/_probe")
            assert response.status_code == 401
            assert "expires=" in _set_cookie(response).lower()


class TestCsrf:
    def test_write_refused_without_token_accepted_with(
        self, studio: TestClient[Any]
    ) -> None:
        token = sign_in(studio, "ed@example.com")["csrf_token"]
        body = {"key": "topic", "name": "Topic"}
        for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": ""}):
            refused = studio.post("/manage/v1/taxonomies", json=body, headers=headers)
            assert refused.status_code == 403, refused.text
            assert refused.json()["type"].endswith("/csrf-failed")
        done = studio.post(
            "/manage/v1/taxonomies", json=body, headers={"X-CSRF-Token": token}
        )
        assert done.status_code == 201, done.text
        audit = studio.get("/manage/v1/audit?resource=taxonomy")
        assert audit.status_code == 403  # audit is admin only; editor reads manage

    def test_sign_out_form_field(self, studio: TestClient[Any]) -> None:
        token = sign_in(studio, "ed@example.com")["csrf_token"]
        refused = studio.post("/studio/sign-out", data={"_csrf": "nope"})
        assert refused.status_code == 403
        out = studio.post(
            "/studio/sign-out", data={"_csrf": token}, follow_redirects=False
        )
        assert out.status_code == 303 and out.headers["location"] == "/studio/sign-in"
        assert studio.get("/studio/_probe").status_code == 401
        assert studio.get("/manage/v1/content-types").status_code == 401

    def test_bearer_writes_need_no_token(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        sign_in(studio, "ed@example.com")  # a cookie is there too
        response = studio.post(
            "/manage/v1/taxonomies",
            json={"key": "topic", "name": "Topic"},
            headers=keys.headers("manage"),
        )
        assert response.status_code == 201


class TestSessionOnTheManageApi:
    def test_roles(self, settings: Settings, keys: Keys) -> None:
        make_user(settings, "v@example.com", "viewer")
        make_user(settings, "r@example.com", "reviewer")
        make_user(settings, "a@example.com", "admin")
        with TestClient(_app(settings)) as client:
            for email in ("v@example.com", "r@example.com"):
                token = sign_in(client, email)["csrf_token"]
                assert client.get("/manage/v1/content-types").status_code == 200
                refused = client.post(
                    "/manage/v1/taxonomies",
                    json={"key": "t", "name": "T"},
                    headers={"X-CSRF-Token": token},
                )
                assert refused.status_code == 403, refused.text
                assert client.get("/manage/v1/users").status_code == 403
            publish = client.post(
                "/manage/v1/entries/nope/publish", headers={"X-CSRF-Token": token}
            )
            assert publish.status_code == 404  # a reviewer may try to publish
            token = sign_in(client, "a@example.com")["csrf_token"]
            assert client.get("/manage/v1/users").status_code == 200
            audit = client.get("/manage/v1/audit?action=sign-in").json()["items"]
            assert [a["actor"] for a in audit][:3] == [
                "a@example.com",
                "r@example.com",
                "v@example.com",
            ]

    def test_html_pages_redirect_to_sign_in(self, studio: TestClient[Any]) -> None:
        html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        page = studio.get("/studio/_probe?x=1", headers=html, follow_redirects=False)
        assert page.status_code == 303
        assert (
            page.headers["location"]
            == "/studio/sign-in?next=%2Fstudio%2F_probe%3Fx%3D1"
        )
        api = studio.get("/studio/_probe")
        assert api.status_code == 401 and api.json()["type"].endswith(
            "/sign-in-required"
        )
        htmx = studio.get("/studio/_probe", headers={"HX-Request": "true", **html})
        assert htmx.status_code == 401 and htmx.headers["hx-redirect"].startswith(
            "/studio/sign-in?next="
        )


def test_sessions_in_redis_when_it_is_set(
    settings: Settings, keys: Keys, redis_prefix: str
) -> None:
    """With CONTENT_HUB_REDIS_URL sessions live in Redis (and nothing in the
    web_session table); two apps (workers) share them."""
    settings = msgspec.structs.replace(
        settings,
        rate_limit=RateLimitSettings(redis_url=REDIS, redis_prefix=redis_prefix),
    )
    make_user(settings, "ed@example.com")
    shared = redis.Redis.from_url(REDIS)
    try:
        with TestClient(_app(settings)) as one, TestClient(_app(settings)) as two:
            token = sign_in(one, "ed@example.com")["csrf_token"]
            stored = list(shared.scan_iter(f"{redis_prefix}:studio-session:*"))
            assert len(stored) == 1
            two.cookies.update(one.cookies)
            assert two.get("/studio/_probe").json()["name"] == "ed@example.com"
            out = two.post(
                "/studio/sign-out",
                headers={"X-CSRF-Token": token},
                follow_redirects=False,
            )
            assert out.status_code == 303
            assert not list(shared.scan_iter(f"{redis_prefix}:studio-session:*"))
            assert one.get("/studio/_probe").status_code == 401
        engine = sa.create_engine(sync_url(settings.database.url))
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM web_session")).scalar()
        engine.dispose()
        assert count == 0
    finally:
        shared.close()


def _jar(client: TestClient[Any]) -> httpx.Cookies:
    return httpx.Cookies(client.cookies)


def _as(client: TestClient[Any], jar: httpx.Cookies) -> TestClient[Any]:
    """The client with a browser's cookies (one app, several browsers)."""
    client.cookies = httpx.Cookies(jar)
    return client


@pytest.mark.parametrize("store", ["database", "redis"])
def test_password_change_and_reset_end_the_other_sessions(
    settings: Settings, keys: Keys, request: pytest.FixtureRequest, store: str
) -> None:
    """PUT /manage/v1/users/me/password ends every other session of the user
    and keeps this one; an admin's reset or disabling ends them all (the
    admin's own session stays), in the database store and in Redis."""
    if store == "redis":
        prefix = request.getfixturevalue("redis_prefix")
        settings = msgspec.structs.replace(
            settings, rate_limit=RateLimitSettings(redis_url=REDIS, redis_prefix=prefix)
        )
    make_user(settings, "ed@example.com")
    make_user(settings, "a@example.com", "admin")
    with TestClient(_app(settings)) as c:
        token = sign_in(c, "ed@example.com")["csrf_token"]
        here = _jar(c)
        c.cookies.clear()
        user_id = sign_in(c, "ed@example.com")["user"]["id"]
        there = _jar(c)
        changed = _as(c, here).put(
            "/manage/v1/users/me/password",
            json={"current_password": PASSWORD, "password": "n" * 14},
            headers={"X-CSRF-Token": token},
        )
        assert changed.status_code == 204, changed.text
        assert c.get("/studio/_probe").status_code == 200
        assert _as(c, there).get("/studio/_probe").status_code == 401
        old = {"email": "ed@example.com", "password": PASSWORD}
        assert c.post("/studio/sign-in", json=old).status_code == 401
        sign_in(c, "ed@example.com", "n" * 14)
        there = _jar(c)
        c.cookies.clear()
        signed = sign_in(c, "a@example.com")
        boss, admin_token = _jar(c), signed["csrf_token"]
        csrf = {"X-CSRF-Token": admin_token}
        reset = c.put(
            f"/manage/v1/users/{user_id}/password",
            json={"password": "r" * 14},
            headers=csrf,
        )
        assert reset.status_code == 204
        assert _as(c, here).get("/studio/_probe").status_code == 401
        assert _as(c, there).get("/studio/_probe").status_code == 401
        own = _as(c, boss).put(
            f"/manage/v1/users/{signed['user']['id']}/password",
            json={"password": "b" * 14},
            headers=csrf,
        )
        assert own.status_code == 204 and c.get("/studio/_probe").status_code == 200
        c.cookies.clear()
        sign_in(c, "ed@example.com", "r" * 14)
        here = _jar(c)
        etag = _as(c, boss).get(f"/manage/v1/users/{user_id}").headers["etag"]
        for disabled in (True, False):
            done = c.patch(
                f"/manage/v1/users/{user_id}",
                json={"disabled": disabled},
                headers={**csrf, "If-Match": etag},
            )
            assert done.status_code == 200, done.text
            etag = done.headers["etag"]
        assert _as(c, here).get("/studio/_probe").status_code == 401  # not back
