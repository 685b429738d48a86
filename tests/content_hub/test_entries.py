from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


@pytest.fixture
def manage(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    add_locale(client, keys.headers("admin"), "de")
    add_type(client, keys.headers("manage"))
    return keys.headers("manage")


class TestValidation:
    def test_errors_name_each_field_path_and_nothing_is_saved(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.post(
            "/manage/v1/entries",
            json={
                "type": "article",
                "key": "bad",
                "fields": {
                    "title": {"en": "x" * 81, "fr": "Bonjour"},
                    "price": -1,
                    "tag": "old",
                    "cta_url": "javascript:alert(1)",
                    "colour": "red",
                    "related": [{"type": "entry"}],
                },
            },
            headers=manage,
        )
        assert r.status_code == 422
        problem = r.json()
        assert problem["type"] == "https://content-hub.dev/problems/validation-failed"
        locs = {tuple(e["loc"]): e["type"] for e in problem["errors"]}
        assert locs == {
            ("fields", "colour"): "unknown_field",
            ("fields", "title", "en"): "length",
            ("fields", "title", "fr"): "unknown_locale",
            ("fields", "price"): "range",
            ("fields", "tag"): "enum",
            ("fields", "cta_url"): "url",
            ("fields", "related", 0): "reference",
        }
        assert client.get("/manage/v1/entries", headers=manage).json()["items"] == []

    def test_required_fields_are_checked_at_publish(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(
            client, manage, "draft-only", {"title": {"de": "Nur Entwurf"}}
        )
        r = client.post(
            f"/manage/v1/entries/{entry['id']}/publish",
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 422
        assert r.json()["errors"] == [
            {
                "loc": ["fields", "title", "en"],
                "msg": "required in the default locale",
                "type": "required",
            }
        ]
        assert (
            client.get(f"/manage/v1/entries/{entry['id']}", headers=manage).json()[
                "status"
            ]
            == "draft"
        )

    def test_references_must_exist_and_have_an_allowed_type(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        add_type(
            client,
            manage,
            key="banner",
            fields=[{"key": "title", "type": "text"}],
            channels=["web"],
        )
        banner = add_entry(client, manage, "b", {"title": "Banner"}, type_key="banner")
        r = client.post(
            "/manage/v1/entries",
            json={
                "type": "article",
                "key": "a",
                "fields": {
                    "related": [
                        {"type": "entry", "id": "missing"},
                        {"type": "entry", "id": banner["id"]},
                    ]
                },
            },
            headers=manage,
        )
        assert r.status_code == 422
        assert [(e["loc"], e["type"]) for e in r.json()["errors"]] == [
            (["fields", "related", 0], "reference"),
            (["fields", "related", 1], "reference_type"),
        ]

    def test_rich_text_is_sanitised_on_write(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(
            client,
            manage,
            "xss",
            {
                "title": {"en": "t"},
                "body": {"en": '<p onclick="x()">Hi<script>alert(1)</script></p>'},
            },
        )
        assert entry["fields"]["body"]["en"] == "<p>Hi</p>"

    def test_duplicate_key_per_type_conflicts(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        add_entry(client, manage, "same", {"title": {"en": "a"}})
        r = client.post(
            "/manage/v1/entries",
            json={"type": "article", "key": "same"},
            headers=manage,
        )
        assert r.status_code == 409

    def test_unknown_type_is_a_validation_error(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.post(
            "/manage/v1/entries", json={"type": "nope", "key": "x"}, headers=manage
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["type"]


class TestVersions:
    def test_missing_if_match_is_428_and_stale_is_412(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "v", {"title": {"en": "one"}})
        url = f"/manage/v1/entries/{entry['id']}"
        r = client.put(
            url, json={"key": "v", "fields": {"title": {"en": "two"}}}, headers=manage
        )
        assert r.status_code == 428
        assert r.json()["type"].endswith("/version-required")
        r = client.put(
            url,
            json={"key": "v", "fields": {"title": {"en": "two"}}},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200
        assert r.headers["etag"] == '"2"'
        r = client.put(
            url,
            json={"key": "v", "fields": {"title": {"en": "lost"}}},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 412
        assert r.json()["current_version"] == 2
        assert client.get(url, headers=manage).json()["fields"]["title"] == {
            "en": "two"
        }

    def test_patch_changes_only_the_given_locales(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(
            client, manage, "p", {"title": {"en": "Hello", "de": "Hallo"}, "price": 5}
        )
        r = client.patch(
            f"/manage/v1/entries/{entry['id']}",
            json={"fields": {"title": {"de": "Servus"}, "price": None}},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200, r.text
        assert r.json()["fields"] == {"title": {"en": "Hello", "de": "Servus"}}

    def test_malformed_if_match_is_400(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "m", {"title": {"en": "x"}})
        r = client.delete(
            f"/manage/v1/entries/{entry['id']}",
            headers={**manage, "If-Match": "yesterday"},
        )
        assert r.status_code == 400
        assert (
            client.get(f"/manage/v1/entries/{entry['id']}", headers=manage).status_code
            == 200
        )


class TestListing:
    def test_cursor_pagination_visits_every_entry_once(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        created = {
            add_entry(client, manage, f"e{i}", {"title": {"en": str(i)}})["id"]
            for i in range(7)
        }
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {
                "limit": 3,
                **({"cursor": cursor} if cursor else {}),
            }
            page = client.get(
                "/manage/v1/entries", params=params, headers=manage
            ).json()
            seen += [e["id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(created)
        assert len(seen) == len(created)

    def test_filters_by_type_status_and_channel(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        add_type(
            client,
            manage,
            key="sms_tip",
            fields=[{"key": "text", "type": "text"}],
            channels=["sms"],
        )
        a = add_entry(client, manage, "a", {"title": {"en": "a"}})
        add_entry(client, manage, "tip", {"text": "hi"}, type_key="sms_tip")
        publish(client, manage, a)

        def ids(**params: str) -> list[str]:
            return [
                e["key"]
                for e in client.get(
                    "/manage/v1/entries", params=params, headers=manage
                ).json()["items"]
            ]

        assert ids(type="sms_tip") == ["tip"]
        assert ids(status="published") == ["a"]
        assert ids(channel="sms") == ["tip"]
        assert ids(channel="email") == ["a"]
        r = client.get(
            "/manage/v1/entries", params={"status": "nonsense"}, headers=manage
        )
        assert r.status_code == 400
