"""A translator (locales: de) on the management API with a session: their
locale's values of localised fields only, in entries and variant overrides;
every refusal is a 403 naming each refused field and locale, and changes
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    cheap_passwords,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("cheap_passwords")
FIELDS = {
    "title": {"en": "Spring offer", "de": "Frühlingsangebot", "nb": "Vårtilbud"},
    "body": {"en": "<p>Ride <strong>now</strong></p>"},
    "price": 10,
    "cta_url": "https://shop.example/spring",
}


class Desk:
    """The translator's client, the admin's key and one entry."""

    def __init__(self, client: TestClient[Any], keys: Keys, token: str) -> None:
        self.client, self.admin, self.token = client, keys.headers("admin"), token
        self.entry = add_entry(client, self.admin, "spring", FIELDS)
        self.path = f"/manage/v1/entries/{self.entry['id']}"

    def current(self) -> dict[str, Any]:
        r = self.client.get(self.path, headers=self.admin)
        assert r.status_code == 200
        return dict(r.json())

    def send(self, method: str, tail: str = "", json: Any = None) -> Any:
        version = self.current()["version"]
        headers = {"X-CSRF-Token": self.token, "If-Match": f'"{version}"'}
        return self.client.request(method, self.path + tail, json=json, headers=headers)

    def refused(
        self, method: str, json: Any, *where: tuple[Any, ...]
    ) -> dict[str, Any]:
        """A 403 listing exactly ``where``, with the entry as it was."""
        before = self.current()
        r = self.send(method, json=json)
        assert r.status_code == 403, r.text
        problem = dict(r.json())
        assert problem["type"].endswith("/permission-denied")
        assert [tuple(e["loc"]) for e in problem["errors"]] == list(where)
        assert all(e["type"] == "forbidden" for e in problem["errors"])
        for loc in where:
            assert ".".join(map(str, loc)) in problem["detail"]
        assert self.current() == before
        return problem


@pytest.fixture
def desk(settings: Settings, keys: Keys) -> Iterator[Desk]:
    with TestClient(app_for(settings)) as client:
        admin = keys.headers("admin")
        add_locale(client, admin, "de")
        add_locale(client, admin, "nb")
        add_type(client, admin)
        make_user(settings, "tr@example.com", "translator", ["de"])
        yield Desk(client, keys, sign_in(client, "tr@example.com")["csrf_token"])


class TestEntries:
    def test_own_locale(self, desk: Desk) -> None:
        r = desk.send("PATCH", json={"fields": {"title": {"de": "Neu"}}})
        assert r.status_code == 200, r.text
        assert r.json()["fields"]["title"] == {**FIELDS["title"], "de": "Neu"}
        r = desk.send("PATCH", json={"fields": {"title": {"de": None}}})
        assert r.status_code == 200, r.text  # removing their own value
        assert "de" not in r.json()["fields"]["title"]

    def test_a_full_form_post_with_the_other_locales_unchanged(
        self, desk: Desk
    ) -> None:
        stored = desk.current()
        fields = {**stored["fields"], "title": {**stored["fields"]["title"], "de": "X"}}
        fields["summary"] = {"de": "Kurz"}
        r = desk.send("PUT", json={"key": "spring", "fields": fields})
        assert r.status_code == 200, r.text
        assert r.json()["fields"]["summary"] == {"de": "Kurz"}
        assert r.json()["fields"]["body"] == stored["fields"]["body"]

    def test_another_locale(self, desk: Desk) -> None:
        """The issue's story: a hand-made request for another locale."""
        problem = desk.refused(
            "PATCH", {"fields": {"title": {"en": "Hacked"}}}, ("fields", "title", "en")
        )
        assert "tr@example.com" in problem["detail"] and "de" in problem["detail"]
        desk.refused(
            "PATCH", {"fields": {"summary": {"nb": "Ny"}}}, ("fields", "summary", "nb")
        )

    def test_a_non_localised_field(self, desk: Desk) -> None:
        desk.refused("PATCH", {"fields": {"price": 1}}, ("fields", "price"))
        desk.refused("PATCH", {"fields": {"cta_url": None}}, ("fields", "cta_url"))

    def test_every_refused_field_is_listed_and_nothing_is_applied(
        self, desk: Desk
    ) -> None:
        stored = desk.current()["fields"]
        fields = {
            "title": {"de": "Neu", "nb": "Ny"},  # en and nb dropped, nb changed
            "body": stored["body"],
            "price": 11,
        }  # cta_url dropped
        desk.refused(
            "PUT",
            {"key": "spring", "fields": fields},
            ("fields", "cta_url"),
            ("fields", "price"),
            ("fields", "title", "en"),
            ("fields", "title", "nb"),
        )
        desk.refused("PUT", {"key": "autumn", "fields": stored}, ("key",))

    @pytest.mark.parametrize(
        ("method", "tail"),
        [("POST", "/publish"), ("POST", "/archive"), ("DELETE", ""),
         ("PUT", "/schedule"), ("POST", "/revert")],
    )  # fmt: skip
    def test_no_publishing_or_other_writes(
        self, desk: Desk, method: str, tail: str
    ) -> None:
        before = desk.current()
        body = {"version": 1} if tail == "/revert" else {} if tail else None
        r = desk.send(method, tail, body)
        assert r.status_code == 403, r.text
        assert r.json()["role"] == "translator"
        assert desk.current() == before
        created = desk.client.post(
            "/manage/v1/entries",
            json={"type": "article", "key": "mine", "fields": {}},
            headers={"X-CSRF-Token": desk.token},
        )
        assert created.status_code == 403


VIP_RULE = {
    "type": "personalise",
    "id": "vip",
    "audiences": ["vip"],
    "variant": "premium",
}
PREMIUM = {"fields": {"title": {"en": "Premium", "de": "Prämie"}, "price": 5}}


class TestVariants:
    def _set(self, desk: Desk, variants: Any, rules: Any = ()) -> Any:
        return desk.send(
            "PUT", "/personalization", {"variants": variants, "rules": list(rules)}
        )

    def test_own_locale_overrides_only(self, desk: Desk) -> None:
        audience = {"key": "vip", "condition": {"vip": True}}
        desk.client.post("/manage/v1/audiences", json=audience, headers=desk.admin)
        admin = {**desk.admin, "If-Match": f'"{desk.current()["version"]}"'}
        r = desk.client.put(
            desk.path + "/personalization",
            json={"variants": {"premium": PREMIUM}, "rules": []},
            headers=admin,
        )
        assert r.status_code == 200, r.text
        mine = {"fields": {**PREMIUM["fields"], "title": {"en": "Premium", "de": "P"}}}
        r = self._set(desk, {"premium": mine})
        assert r.status_code == 200, r.text
        assert r.json()["variants"]["premium"]["fields"]["title"]["de"] == "P"
        version = desk.current()["version"]
        other = {"fields": {"title": {"en": "X", "de": "P"}, "price": 6}}
        r = self._set(desk, {"premium": other})
        assert r.status_code == 403, r.text
        assert [e["loc"] for e in r.json()["errors"]] == [
            ["variants", "premium", "fields", "price"],
            ["variants", "premium", "fields", "title", "en"],
        ]
        for variants, rules, loc in [
            ({"premium": mine, "new": {}}, (), ["variants", "new"]),
            ({}, (), ["variants", "premium"]),
            ({"premium": {**mine, "description": "d"}}, (),
             ["variants", "premium", "description"]),
            ({"premium": mine}, [VIP_RULE], ["rules"]),
        ]:  # fmt: skip
            r = self._set(desk, variants, rules)
            assert r.status_code == 403, r.text
            assert r.json()["errors"][0]["loc"] == loc
        assert desk.current()["version"] == version
