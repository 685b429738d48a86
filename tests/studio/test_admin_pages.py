"""The admin screens over HTTP with real sessions: locales, users, API keys,
the audit log and my account; every action, its refusals (no CSRF token,
not an admin) and the messages of the services' rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.studio.admin_support import (
    PASSWORD,
    client_as,
    make_accounts,
    post_page_form,
    shown_secret,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")


@pytest.fixture
def hub(demo: Settings) -> Settings:
    make_accounts(demo)
    return demo


@pytest.fixture
def admin(hub: Settings) -> Iterator[TestClient[Any]]:
    client = client_as(hub, "admin@example.com")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def editor(hub: Settings) -> Iterator[TestClient[Any]]:
    client = client_as(hub, "ed@example.com")
    yield client
    client.__exit__(None, None, None)


def _user_id(client: TestClient[Any], email: str) -> str:
    found = re.search(
        rf'href="/studio/users/(\w+)">{re.escape(email)}<',
        client.get("/studio/users").text,
    )
    assert found, email
    return found.group(1)


class TestNavigation:
    def test_admin_links_only_for_admins(
        self, admin: TestClient[Any], editor: TestClient[Any]
    ) -> None:
        for path in ("/studio/users", "/studio/keys", "/studio/audit"):
            assert f'href="{path}"' in admin.get("/studio").text
            assert f'href="{path}"' not in editor.get("/studio").text
        for client in (admin, editor):
            home = client.get("/studio").text
            assert 'href="/studio/locales"' in home
            assert 'href="/studio/account"' in home

    @pytest.mark.parametrize("path", ["/studio/users", "/studio/keys", "/studio/audit"])
    def test_non_admins_get_a_403_page(
        self, editor: TestClient[Any], path: str
    ) -> None:
        r = editor.get(path)
        assert r.status_code == 403 and r.headers["content-type"].startswith(
            "text/html"
        )
        assert "Your role does not allow this" in r.text


class TestLocales:
    def test_everyone_reads_admin_adds_edits_and_sets_default(
        self, admin: TestClient[Any], editor: TestClient[Any]
    ) -> None:
        listed = editor.get("/studio/locales")
        assert listed.status_code == 200 and 'id="locale-new"' not in listed.text
        added = post_page_form(
            admin, "/studio/locales", "locale-new", {"code": "es-mx"}
        )
        assert (
            added.status_code == 303 and added.headers["location"] == "/studio/locales"
        )
        page = admin.get("/studio/locales").text
        assert "Locale added." in page
        row = page.split('href="/studio/locales/es-MX">es-MX</a>')[1].split("</tr>")[0]
        assert "<td>es-419 → es</td>" in row  # the CLDR parents
        saved = post_page_form(
            admin, "/studio/locales/es-MX", "locale-edit", {"fallbacks": "pt, es"}
        )
        assert saved.status_code == 303
        assert "pt → es" in editor.get("/studio/locales").text
        made = post_page_form(admin, "/studio/locales/es-MX", "locale-default")
        assert made.status_code == 303
        api = admin.get("/manage/v1/locales/es-MX").json()
        assert api["is_default"] is True and api["fallbacks"] == ["pt", "es"]
        assert 'id="locale-edit"' not in editor.get("/studio/locales/es-MX").text

    def test_refusals(self, admin: TestClient[Any], editor: TestClient[Any]) -> None:
        bad = post_page_form(
            admin, "/studio/locales", "locale-new", {"code": "klingon-XX"}
        )
        assert bad.status_code == 422 and 'role="alert"' in bad.text
        assert 'value="klingon-XX"' in bad.text  # the input is shown again
        twice = post_page_form(admin, "/studio/locales", "locale-new", {"code": "en"})
        assert twice.status_code == 409 and "already exists" in twice.text
        self_ref = post_page_form(
            admin, "/studio/locales/en", "locale-edit", {"fallbacks": "en"}
        )
        assert self_ref.status_code == 422 and "fall back to itself" in self_ref.text
        forged = post_page_form(
            admin, "/studio/locales", "locale-new", {"code": "fr"}, drop=("_csrf",)
        )
        assert forged.status_code == 403 and "csrf" in forged.text.lower()
        token = re.search(
            r'name="csrf-token" content="([^"]+)"', editor.get("/studio").text
        )
        assert token
        refused = editor.post(
            "/studio/locales",
            data={"_csrf": token.group(1), "code": "fr"},
            follow_redirects=False,
        )
        assert (
            refused.status_code == 403
            and "Your role does not allow this" in refused.text
        )
        codes = [loc["code"] for loc in admin.get("/manage/v1/locales").json()["items"]]
        assert "fr" not in codes


class TestUsers:
    def test_create_shows_a_one_time_password_that_signs_in(
        self, hub: Settings, admin: TestClient[Any]
    ) -> None:
        made = post_page_form(
            admin,
            "/studio/users",
            "user-new",
            {"email": "Nora@Example.com", "role": "translator", "locales": ["en"]},
        )
        assert made.status_code == 201, made.text
        password = shown_secret(made.text)
        assert password not in admin.get("/studio/users").text  # shown once
        nora = client_as(hub, None)
        try:
            r = nora.post(
                "/studio/sign-in",
                data={"email": "nora@example.com", "password": password},
                follow_redirects=False,
            )
            assert r.headers["location"] == "/studio"
            assert "nora@example.com" in nora.get("/studio").text
        finally:
            nora.__exit__(None, None, None)

    def test_role_locales_rules_and_last_admin(self, admin: TestClient[Any]) -> None:
        uid = _user_id(admin, "tina@example.com")
        no_locale = post_page_form(
            admin,
            f"/studio/users/{uid}",
            "user-edit",
            {"role": "translator", "locales": []},
        )
        assert no_locale.status_code == 422 and "at least one locale" in no_locale.text
        ok = post_page_form(
            admin,
            f"/studio/users/{uid}",
            "user-edit",
            {"role": "translator", "locales": ["en"]},
        )
        assert ok.status_code == 303
        assert admin.get(f"/manage/v1/users/{uid}").json()["locales"] == ["en"]
        me = _user_id(admin, "admin@example.com")
        last = post_page_form(
            admin, f"/studio/users/{me}", "user-edit", {"role": "editor"}
        )
        assert last.status_code == 409 and "last active admin" in last.text
        stale = post_page_form(
            admin,
            f"/studio/users/{uid}",
            "user-edit",
            {"role": "viewer", "version": "1"},
        )
        assert stale.status_code == 412

    def test_disable_enable_reset_delete(
        self, hub: Settings, admin: TestClient[Any]
    ) -> None:
        tina = client_as(hub, "tina@example.com")
        try:
            uid = _user_id(admin, "tina@example.com")
            off = post_page_form(admin, f"/studio/users/{uid}", "user-access")
            assert (
                off.status_code == 303
                and "disabled" in admin.get(off.headers["location"]).text
            )
            assert tina.get("/studio", follow_redirects=False).status_code == 303
            on = post_page_form(admin, f"/studio/users/{uid}", "user-access")
            assert on.status_code == 303
            assert (
                tina.get("/studio", follow_redirects=False).status_code == 303
            )  # stays out
            tina.__exit__(None, None, None)
            tina = client_as(hub, "tina@example.com")
            reset = post_page_form(admin, f"/studio/users/{uid}", "user-password")
            assert reset.status_code == 200
            password = shown_secret(reset.text)
            assert tina.get("/studio", follow_redirects=False).status_code == 303
            old = tina.post(
                "/studio/sign-in",
                json={"email": "tina@example.com", "password": PASSWORD},
            )
            assert old.status_code == 401
            new = tina.post(
                "/studio/sign-in",
                json={"email": "tina@example.com", "password": password},
            )
            assert new.status_code == 200
            gone = post_page_form(admin, f"/studio/users/{uid}", "user-delete")
            assert (
                gone.status_code == 303 and gone.headers["location"] == "/studio/users"
            )
            assert "tina@example.com" not in admin.get("/studio/users").text
            assert tina.get("/studio", follow_redirects=False).status_code == 303
        finally:
            tina.__exit__(None, None, None)

    def test_admin_resetting_own_password_keeps_this_session(
        self, admin: TestClient[Any]
    ) -> None:
        me = _user_id(admin, "admin@example.com")
        reset = post_page_form(admin, f"/studio/users/{me}", "user-password")
        assert reset.status_code == 200
        assert admin.get("/studio/users").status_code == 200

    @pytest.mark.parametrize(
        ("form_id", "page"),
        [
            ("user-new", "/studio/users"),
            ("user-edit", "/studio/users/{uid}"),
            ("user-access", "/studio/users/{uid}"),
            ("user-password", "/studio/users/{uid}"),
            ("user-delete", "/studio/users/{uid}"),
        ],
    )
    def test_refused_without_csrf_and_for_editors(
        self, admin: TestClient[Any], editor: TestClient[Any], form_id: str, page: str
    ) -> None:
        uid = _user_id(admin, "tina@example.com")
        url = page.format(uid=uid)
        changes = {"email": "x@example.com"} if form_id == "user-new" else {}
        forged = post_page_form(admin, url, form_id, changes, drop=("_csrf",))
        assert forged.status_code == 403
        html = admin.get(url).text
        action = re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}"', html)
        assert action
        token = re.search(
            r'name="csrf-token" content="([^"]+)"', editor.get("/studio").text
        )
        assert token
        refused = editor.post(
            action.group(1),
            data={
                "_csrf": token.group(1),
                "version": "1",
                "role": "admin",
                "email": "y@example.com",
            },
            follow_redirects=False,
        )
        assert refused.status_code == 403, refused.text
        emails = [u["email"] for u in admin.get("/manage/v1/users").json()["items"]]
        assert "tina@example.com" in emails and "x@example.com" not in emails
        assert admin.get(f"/manage/v1/users/{uid}").json()["version"] == 1


class TestKeys:
    def test_create_shows_secret_once_and_revoke(self, admin: TestClient[Any]) -> None:
        made = post_page_form(
            admin, "/studio/keys", "key-new", {"name": "shop", "scopes": ["delivery"]}
        )
        assert made.status_code == 201, made.text
        secret = shown_secret(made.text)
        listed = admin.get("/studio/keys").text
        assert "shop" in listed and secret not in listed
        bearer = {"Authorization": f"Bearer {secret}"}
        assert admin.get("/delivery/v1/entries", headers=bearer).status_code == 200
        revoke = re.search(
            r'action="(/studio/keys/\w+/revoke)"[^>]*>\s*<input[^>]*>\s*<button[^>]*>Revoke shop<',
            listed,
        )
        assert revoke, listed
        html = admin.get("/studio/keys").text
        token = re.search(r'name="_csrf" value="([^"]+)"', html)
        assert token
        done = admin.post(
            revoke.group(1), data={"_csrf": token.group(1)}, follow_redirects=False
        )
        assert done.status_code == 303
        assert admin.get("/delivery/v1/entries", headers=bearer).status_code == 401
        assert "revoked" in admin.get("/studio/keys").text

    def test_refusals(self, admin: TestClient[Any], editor: TestClient[Any]) -> None:
        empty = post_page_form(
            admin, "/studio/keys", "key-new", {"name": "x", "scopes": []}
        )
        assert empty.status_code == 422 and 'role="alert"' in empty.text
        forged = post_page_form(
            admin,
            "/studio/keys",
            "key-new",
            {"name": "x", "scopes": ["delivery"]},
            drop=("_csrf",),
        )
        assert forged.status_code == 403
        token = re.search(
            r'name="csrf-token" content="([^"]+)"', editor.get("/studio").text
        )
        assert token
        for action in ("/studio/keys", "/studio/keys/nope/revoke"):
            refused = editor.post(
                action,
                data={"_csrf": token.group(1), "name": "x", "scopes": "admin"},
                follow_redirects=False,
            )
            assert refused.status_code == 403
        assert "x" not in [
            k["name"] for k in admin.get("/manage/v1/keys").json()["items"]
        ]


class TestAudit:
    def test_filters_and_pages(self, admin: TestClient[Any]) -> None:
        post_page_form(admin, "/studio/locales", "locale-new", {"code": "fr"})
        first = admin.get("/studio/audit")
        assert first.status_code == 200
        rows = re.findall(r"<tr>\s*<th scope=\"row\">", first.text)
        assert len(rows) == 50 and 'rel="next"' in first.text
        older = re.search(
            r'href="(/studio/audit\?cursor=[^"]+)" rel="next"', first.text
        )
        assert older
        second = admin.get(older.group(1).replace("&amp;", "&"))
        assert second.status_code == 200 and "Newest" in second.text
        only = admin.get(
            "/studio/audit?action=create&type=locale&id=fr&actor=admin@example.com"
        )
        assert (
            only.text.count('<th scope="row">') == 1 and "<code>fr</code>" in only.text
        )
        today = only.text.split('<th scope="row">')[1][:10]
        dated = admin.get(f"/studio/audit?type=locale&from={today}&to={today}")
        assert "<code>fr</code>" in dated.text
        before = admin.get("/studio/audit?type=locale&to=2000-01-01")
        assert "No records match." in before.text
        bad = admin.get("/studio/audit?from=yesterday")
        assert bad.status_code == 422 and "not a date" in bad.text
        unknown = admin.get("/studio/audit?bogus=1")
        assert unknown.status_code == 400


class TestAccount:
    def test_change_password_ends_other_sessions_keeps_this_one(
        self, hub: Settings, editor: TestClient[Any]
    ) -> None:
        other = client_as(hub, "ed@example.com")
        try:
            wrong = post_page_form(
                editor,
                "/studio/account",
                "password-change",
                {
                    "current_password": "x" * 12,
                    "password": "n" * 14,
                    "confirm": "n" * 14,
                },
            )
            assert (
                wrong.status_code == 403 and "current password is wrong" in wrong.text
            )
            differ = post_page_form(
                editor,
                "/studio/account",
                "password-change",
                {
                    "current_password": PASSWORD,
                    "password": "n" * 14,
                    "confirm": "m" * 14,
                },
            )
            assert differ.status_code == 422
            short = post_page_form(
                editor,
                "/studio/account",
                "password-change",
                {"current_password": PASSWORD, "password": "short", "confirm": "short"},
            )
            assert short.status_code == 422
            forged = post_page_form(
                editor,
                "/studio/account",
                "password-change",
                {
                    "current_password": PASSWORD,
                    "password": "n" * 14,
                    "confirm": "n" * 14,
                },
                drop=("_csrf",),
            )
            assert forged.status_code == 403
            assert other.get("/studio", follow_redirects=False).status_code == 200
            done = post_page_form(
                editor,
                "/studio/account",
                "password-change",
                {
                    "current_password": PASSWORD,
                    "password": "n" * 14,
                    "confirm": "n" * 14,
                },
            )
            assert done.status_code == 303
            assert (
                "your other sessions are signed out"
                in editor.get("/studio/account").text
            )
            assert other.get("/studio", follow_redirects=False).status_code == 303
        finally:
            other.__exit__(None, None, None)
