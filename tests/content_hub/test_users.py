"""Studio accounts: passwords, the users service and /manage/v1/users."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from content_hub.services.commands import unit_of_work
from content_hub.services.passwords import Passwords
from content_hub.services.sign_in import SignInThrottle, authenticate
from content_hub.settings import Settings
from content_hub.store.repositories.users import UserRepository
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_locale
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    CHEAP,
    PASSWORD,
    cheap_passwords,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")


class TestPasswords:
    def test_argon2id_with_the_default_parameters(self) -> None:
        stored = asyncio.run(Passwords().hash(PASSWORD))
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert asyncio.run(Passwords().verify(PASSWORD, stored)) == (True, None)
        assert asyncio.run(Passwords().verify(PASSWORD + "x", stored)) == (False, None)

    def test_unknown_or_broken_hashes_never_match(self) -> None:
        passwords = Passwords(CHEAP)
        for stored in (None, "", "$argon2id$garbage", "plain"):
            assert asyncio.run(passwords.verify(PASSWORD, stored)) == (False, None)

    def test_rehashed_at_sign_in_when_parameters_change(
        self, settings: Settings
    ) -> None:
        weak = Argon2Hasher(time_cost=1, memory_cost=512, parallelism=1)
        old = Passwords(weak)
        make_user(settings, "ed@example.com")

        async def run() -> tuple[str | None, str | None]:
            async with unit_of_work(settings) as deps:
                repo = UserRepository(deps.session)
                found = await repo.by_email("ed@example.com")
                assert found is not None
                await repo.set_password_hash(found[0].id, await old.hash(PASSWORD))
            async with unit_of_work(settings) as deps:
                before = await UserRepository(deps.session).by_email("ed@example.com")
                await authenticate(
                    deps,
                    "ed@example.com",
                    PASSWORD,
                    address="test",
                    throttle=SignInThrottle(None),
                    passwords=Passwords(CHEAP),
                )
            async with unit_of_work(settings) as deps:
                after = await UserRepository(deps.session).by_email("ed@example.com")
            assert before is not None and after is not None
            return before[1], after[1]

        before, after = asyncio.run(run())
        assert before is not None and "m=512,t=1" in before
        assert after is not None and after.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
        assert PasswordHash((CHEAP,)).verify(PASSWORD, after)


def _create(client: TestClient[Any], keys: Keys, **body: Any) -> Any:
    return client.post("/manage/v1/users", json=body, headers=keys.headers("admin"))


class TestUsersApi:
    def test_lifecycle(self, client: TestClient[Any], keys: Keys) -> None:
        add_locale(client, keys.headers("admin"), "de")
        created = _create(
            client, keys, email=" Tr@Example.COM", role="translator", locales=["de"]
        )
        assert created.status_code == 201, created.text
        user = created.json()
        assert user["email"] == "tr@example.com" and user["locales"] == ["de"]
        assert "password" not in created.text and "hash" not in created.text
        assert created.headers["etag"] == '"1"'
        admin = keys.headers("admin")
        listed = client.get("/manage/v1/users", headers=admin).json()["items"]
        assert [u["email"] for u in listed] == ["tr@example.com"]
        path = f"/manage/v1/users/{user['id']}"
        assert client.get(path, headers=admin).json() == user
        assert (
            client.patch(path, json={"role": "editor"}, headers=admin).status_code
            == 428
        )
        stale = client.patch(
            path, json={"role": "editor"}, headers={**admin, "If-Match": '"7"'}
        )
        assert stale.status_code == 412
        changed = client.patch(
            path, json={"role": "editor"}, headers={**admin, "If-Match": '"1"'}
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["locales"] == [] and changed.json()["version"] == 2
        password = client.put(
            f"{path}/password", json={"password": PASSWORD}, headers=admin
        )
        assert password.status_code == 204, password.text
        sign_in(client, "tr@example.com")
        client.cookies.clear()
        gone = client.delete(path, headers={**admin, "If-Match": '"2"'})
        assert gone.status_code == 204
        assert client.get(path, headers=admin).status_code == 404
        audit = client.get("/manage/v1/audit?resource=user", headers=admin).json()
        actions = [(a["action"], a["detail"]["email"]) for a in audit["items"]]
        assert actions == [
            ("delete", "tr@example.com"),
            ("sign-in", "tr@example.com"),
            ("set-password", "tr@example.com"),
            ("update", "tr@example.com"),
            ("create", "tr@example.com"),
        ]

    @pytest.mark.parametrize(
        ("body", "status"),
        [
            ({"email": "a@example.com", "role": "translator"}, 422),
            ({"email": "a@example.com", "role": "translator", "locales": ["fr"]}, 422),
            ({"email": "a@example.com", "role": "translator", "locales": ["x y"]}, 422),
            ({"email": "a@example.com", "role": "editor", "locales": ["en"]}, 422),
            ({"email": "a@example.com", "role": "owner"}, 400),
            ({"email": "not-an-email", "role": "editor"}, 400),
            ({"email": "a@example.com", "role": "editor", "password": "short"}, 400),
            ({"email": "a@example.com", "role": "editor", "extra": 1}, 400),
        ],
    )
    def test_bad_bodies(
        self, client: TestClient[Any], keys: Keys, body: dict[str, Any], status: int
    ) -> None:
        response = _create(client, keys, **body)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_duplicate_email_is_409(self, client: TestClient[Any], keys: Keys) -> None:
        assert (
            _create(client, keys, email="a@example.com", role="editor").status_code
            == 201
        )
        again = _create(client, keys, email="A@EXAMPLE.com", role="viewer")
        assert again.status_code == 409, again.text

    def test_last_admin_stays(self, client: TestClient[Any], keys: Keys) -> None:
        admin = keys.headers("admin")
        only = _create(client, keys, email="a@example.com", role="admin").json()
        path = f"/manage/v1/users/{only['id']}"
        refused = client.patch(
            path, json={"role": "editor"}, headers={**admin, "If-Match": '"1"'}
        )
        assert refused.status_code == 409, refused.text
        assert (
            client.delete(path, headers={**admin, "If-Match": '"1"'}).status_code == 409
        )
        _create(client, keys, email="b@example.com", role="admin")
        assert (
            client.delete(path, headers={**admin, "If-Match": '"1"'}).status_code == 204
        )

    def test_admin_scope_only(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        assert (
            client.get("/manage/v1/users", headers=keys.headers("manage")).status_code
            == 403
        )
        assert client.get("/manage/v1/users").status_code == 401
        make_user(settings, "ed@example.com")
        sign_in(client, "ed@example.com")
        assert client.get("/manage/v1/users").status_code == 403

    @hsettings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        body=st.one_of(
            st.dictionaries(
                st.sampled_from(
                    ["email", "role", "locales", "password", "disabled", "x"]
                ),
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(),
                    st.text(max_size=30),
                    st.lists(st.text(max_size=12), max_size=3),
                    st.sampled_from(["admin", "translator", "editor", "en", "a@b.c"]),
                ),
            ),
            st.lists(st.integers(), max_size=2),
            st.text(max_size=5),
        ),
        method=st.sampled_from(["POST", "PATCH"]),
    )
    def test_generated_bad_bodies_are_never_500(
        self, client: TestClient[Any], keys: Keys, body: Any, method: str
    ) -> None:
        headers = {**keys.headers("admin"), "If-Match": '"1"'}
        if method == "POST":
            response = client.post("/manage/v1/users", json=body, headers=headers)
        else:
            response = client.patch("/manage/v1/users/nope", json=body, headers=headers)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith(
                "application/problem+json"
            )
