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


class TestDraftAndPublished:
    def test_drafts_are_hidden_from_delivery_but_shown_to_preview(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "draft", {"title": {"en": "Draft"}})
        url = f"/delivery/v1/entries/{entry['id']}"
        r = client.get(url, headers=keys.headers("delivery"))
        assert r.status_code == 404
        assert r.json()["type"].endswith("/not-found")
        preview = client.get(url, headers=keys.headers("preview"))
        assert preview.status_code == 200
        assert preview.json()["stage"] == "draft"
        assert preview.headers["cache-control"] == "private, no-store"

    def test_editing_after_publish_keeps_delivery_on_the_published_copy(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = publish(
            client,
            manage,
            add_entry(client, manage, "live", {"title": {"en": "Live v1"}}),
        )
        r = client.put(
            f"/manage/v1/entries/{entry['id']}",
            json={"key": "live", "fields": {"title": {"en": "Draft v2"}}},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200
        assert r.json()["has_unpublished_changes"] is True
        url = f"/delivery/v1/entries/{entry['id']}"
        assert (
            client.get(url, headers=keys.headers("delivery")).json()["fields"]["title"]
            == "Live v1"
        )
        assert (
            client.get(url, headers=keys.headers("preview")).json()["fields"]["title"]
            == "Draft v2"
        )
        publish(client, manage, r.json())
        assert (
            client.get(url, headers=keys.headers("delivery")).json()["fields"]["title"]
            == "Draft v2"
        )

    def test_unpublish_and_delete_remove_from_delivery(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        a = publish(
            client, manage, add_entry(client, manage, "a", {"title": {"en": "A"}})
        )
        b = publish(
            client, manage, add_entry(client, manage, "b", {"title": {"en": "B"}})
        )
        delivery = keys.headers("delivery")
        assert (
            client.get(f"/delivery/v1/entries/{a['id']}", headers=delivery).status_code
            == 200
        )
        r = client.post(
            f"/manage/v1/entries/{a['id']}/unpublish",
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200
        assert r.json()["status"] == "draft"
        assert (
            client.get(f"/delivery/v1/entries/{a['id']}", headers=delivery).status_code
            == 404
        )
        assert (
            client.delete(
                f"/manage/v1/entries/{b['id']}", headers={**manage, "If-Match": '"1"'}
            ).status_code
            == 204
        )
        assert (
            client.get(f"/delivery/v1/entries/{b['id']}", headers=delivery).status_code
            == 404
        )


class TestLookups:
    def test_by_type_and_key_and_list_by_type_and_channel(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        add_type(
            client,
            manage,
            key="push_tip",
            fields=[{"key": "text", "type": "text", "localized": True}],
            channels=["push"],
        )
        publish(
            client,
            manage,
            add_entry(
                client, manage, "spring", {"title": {"en": "Spring", "de": "Frühling"}}
            ),
        )
        publish(
            client,
            manage,
            add_entry(
                client, manage, "tip", {"text": {"en": "Tip"}}, type_key="push_tip"
            ),
        )
        add_entry(client, manage, "unpublished", {"title": {"en": "x"}})
        delivery = keys.headers("delivery")
        r = client.get(
            "/delivery/v1/content-types/article/entries/spring",
            params={"locale": "de"},
            headers=delivery,
        )
        assert r.status_code == 200
        assert r.json()["fields"]["title"] == "Frühling"
        assert r.headers["content-language"] == "de"
        assert (
            client.get(
                "/delivery/v1/content-types/article/entries/nope", headers=delivery
            ).status_code
            == 404
        )
        keys_of = lambda **p: [
            e["key"]
            for e in client.get(
                "/delivery/v1/entries", params=p, headers=delivery
            ).json()["items"]
        ]
        assert keys_of(type="article") == ["spring"]
        assert keys_of(channel="push") == ["tip"]
        assert sorted(keys_of()) == ["spring", "tip"]
        assert sorted(
            keys_of(limit="1")
            + keys_of(
                cursor=client.get(
                    "/delivery/v1/entries", params={"limit": 1}, headers=delivery
                ).json()["next_cursor"]
            )
        ) == ["spring", "tip"]

    def test_accept_language_is_negotiated_and_varies(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = publish(
            client,
            manage,
            add_entry(client, manage, "n", {"title": {"en": "Hello", "de": "Hallo"}}),
        )
        r = client.get(
            f"/delivery/v1/entries/{entry['id']}",
            headers=keys.headers("delivery", **{"Accept-Language": "de-AT,en;q=0.5"}),
        )
        assert r.json()["locale"] == "de"
        assert r.json()["fields"]["title"] == "Hallo"
        assert r.headers["vary"] == "Accept-Language"
        r = client.get(
            f"/delivery/v1/entries/{entry['id']}",
            headers=keys.headers("delivery", **{"Accept-Language": "fr"}),
        )
        assert r.json()["locale"] == "en"

    def test_an_unconfigured_locale_is_a_400_problem(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = publish(
            client, manage, add_entry(client, manage, "l", {"title": {"en": "x"}})
        )
        r = client.get(
            f"/delivery/v1/entries/{entry['id']}",
            params={"locale": "fr"},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 400
        assert r.json()["type"].endswith("/locale-not-configured")
        assert r.json()["configured"] == ["de", "en"]


class TestCaching:
    def test_etag_and_304(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = publish(
            client,
            manage,
            add_entry(client, manage, "c", {"title": {"en": "Cache me"}}),
        )
        url = f"/delivery/v1/entries/{entry['id']}?locale=en"
        first = client.get(url, headers=keys.headers("delivery"))
        tag = first.headers["etag"]
        assert first.headers["cache-control"].startswith("public")
        assert "s-maxage=" in first.headers["cache-control"]
        assert first.headers["surrogate-key"] == f"entry-{entry['id']} type-article"
        again = client.get(
            url, headers=keys.headers("delivery", **{"If-None-Match": tag})
        )
        assert again.status_code == 304
        assert again.content == b""
        de = client.get(
            url.replace("locale=en", "locale=de"),
            headers=keys.headers("delivery", **{"If-None-Match": tag}),
        )
        assert de.status_code == 200
        assert de.headers["etag"] != tag
