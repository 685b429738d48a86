"""Delivery: related entries, reference includes, media, caching headers."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.editorial import add_media, add_taxonomy, add_term
from tests.content_hub.factories import (
    ARTICLE_FIELDS,
    add_locale,
    add_type,
    publish,
)


@pytest.fixture
def manage(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    add_locale(client, keys.headers("admin"), "de")
    manage = keys.headers("manage")
    fields = [*ARTICLE_FIELDS, {"key": "hero", "type": "media"}]
    add_type(client, manage, fields=fields, channels=["web"])
    add_type(
        client,
        manage,
        key="push",
        fields=[{"key": "title", "type": "text", "localized": True}],
        channels=["push"],
    )
    add_taxonomy(client, manage)
    add_term(client, manage, "mobility")
    add_term(client, manage, "bikes", parent="mobility")
    add_term(client, manage, "e-bikes", parent="bikes")
    add_term(client, manage, "cars", parent="mobility")
    add_taxonomy(client, manage, "journey_stage")
    add_term(client, manage, "onboarding", taxonomy="journey_stage")
    return manage


def _entry(
    client: TestClient[Any],
    manage: dict[str, str],
    key: str,
    terms: list[str] = (),  # type: ignore[assignment]
    type_key: str = "article",
    fields: dict[str, Any] | None = None,
    published: bool = True,
) -> dict[str, Any]:
    r = client.post(
        "/manage/v1/entries",
        json={
            "type": type_key,
            "key": key,
            "fields": fields or {"title": {"en": key}},
            "terms": list(terms),
        },
        headers=manage,
    )
    assert r.status_code == 201, r.text
    return publish(client, manage, r.json()) if published else dict(r.json())


def _set_related(
    client: TestClient[Any],
    manage: dict[str, str],
    entry: dict[str, Any],
    *targets: str,
) -> dict[str, Any]:
    current = client.get(f"/manage/v1/entries/{entry['id']}", headers=manage).json()
    r = client.patch(
        f"/manage/v1/entries/{entry['id']}",
        json={"fields": {"related": [{"type": "entry", "id": t} for t in targets]}},
        headers={**manage, "If-Match": f'"{current["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return publish(client, manage, r.json())


class TestRelated:
    def test_ranked_by_shared_specificity_and_filtered_by_channel(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        email = _entry(
            client, manage, "email", ["topic:e-bikes", "journey_stage:onboarding"]
        )
        push = _entry(client, manage, "push-ebike", ["topic:e-bikes"], type_key="push")
        _entry(client, manage, "web-bikes", ["topic:bikes"])
        _entry(client, manage, "web-cars", ["topic:cars"])
        _entry(client, manage, "web-onboarding", ["journey_stage:onboarding"])
        _entry(client, manage, "unrelated", [])
        delivery = keys.headers("delivery")
        url = f"/delivery/v1/entries/{email['id']}/related"
        r = client.get(url, headers=delivery)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        keys_ranked = [i["entry"]["key"] for i in items]
        assert keys_ranked[0] == "push-ebike"  # shares the deepest term
        assert keys_ranked.index("web-bikes") < keys_ranked.index("web-cars")
        assert "unrelated" not in keys_ranked
        scores = [i["score"] for i in items]
        assert scores == sorted(scores, reverse=True)
        assert items[0]["shared_terms"] == [
            "topic:bikes",
            "topic:e-bikes",
            "topic:mobility",
        ]
        pushes = client.get(url, params={"channel": "push"}, headers=delivery).json()
        assert [i["entry"]["id"] for i in pushes["items"]] == [push["id"]]
        typed = client.get(
            url, params={"type": "article", "limit": 1}, headers=delivery
        ).json()
        assert [i["entry"]["key"] for i in typed["items"]] == ["web-bikes"]

    def test_related_of_an_unpublished_entry_is_a_404(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        draft = _entry(client, manage, "draft", ["topic:bikes"], published=False)
        r = client.get(
            f"/delivery/v1/entries/{draft['id']}/related",
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 404
        assert r.json()["type"].endswith("/not-found")


class TestReferences:
    def test_include_depth_and_cycles(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        a = _entry(client, manage, "a")
        b = _entry(client, manage, "b")
        c = _entry(client, manage, "c")
        _set_related(client, manage, a, b["id"])
        _set_related(client, manage, b, c["id"])
        _set_related(client, manage, c, a["id"])  # a -> b -> c -> a
        delivery = keys.headers("delivery")
        url = f"/delivery/v1/entries/{a['id']}"

        default = client.get(url, headers=delivery).json()
        ref = default["fields"]["related"][0]
        assert ref["entry"]["key"] == "b"
        assert ref["entry"]["fields"]["related"] == [{"type": "entry", "id": c["id"]}]

        none = client.get(url, params={"include": 0}, headers=delivery).json()
        assert none["fields"]["related"] == [{"type": "entry", "id": b["id"]}]

        deep = client.get(url, params={"include": 5}, headers=delivery).json()
        b_in = deep["fields"]["related"][0]["entry"]
        c_in = b_in["fields"]["related"][0]["entry"]
        assert c_in["key"] == "c"
        assert c_in["fields"]["related"] == [
            {"type": "entry", "id": a["id"], "unresolved": "cycle"}
        ]
        too_deep = client.get(url, params={"include": 6}, headers=delivery)
        assert too_deep.status_code == 400

    def test_unpublished_references_are_left_out_with_a_marker(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        hidden = _entry(client, manage, "hidden", published=False)
        a = _entry(client, manage, "a")
        _set_related(client, manage, a, hidden["id"])
        url = f"/delivery/v1/entries/{a['id']}"
        public = client.get(url, headers=keys.headers("delivery")).json()
        assert public["fields"]["related"] == [
            {"type": "entry", "id": hidden["id"], "unresolved": "unpublished"}
        ]
        preview = client.get(url, headers=keys.headers("preview")).json()
        inner = preview["fields"]["related"][0]["entry"]
        assert inner["key"] == "hidden"
        assert inner["stage"] == "draft"
        # publishing the target changes the response (the cache follows)
        publish(client, manage, hidden)
        later = client.get(url, headers=keys.headers("delivery")).json()
        assert later["fields"]["related"][0]["entry"]["key"] == "hidden"

    def test_media_references_resolve_with_localised_alt_text(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        media = add_media(client, manage)
        a = _entry(
            client,
            manage,
            "with-hero",
            fields={
                "title": {"en": "Hero"},
                "hero": {"type": "media", "id": media["id"]},
            },
        )
        r = client.get(
            f"/delivery/v1/entries/{a['id']}",
            params={"locale": "de"},
            headers=keys.headers("delivery"),
        )
        hero = r.json()["fields"]["hero"]
        tags = r.headers["surrogate-key"].split()
        assert f"media-{media['id']}" in tags  # named as media, not entry-
        assert f"entry-{media['id']}" not in tags
        assert hero["media"] == {
            "url": "https://cdn.example.com/bike.jpg",
            "mime_type": "image/jpeg",
            "title": "",
            "alt": "Ein Fahrrad",
            "width": 1200,
            "height": 800,
            "focal_point": {"x": 0.5, "y": 0.3},
        }
        changed = client.put(
            f"/manage/v1/media/{media['id']}",
            json={"url": "https://cdn.example.com/b2.jpg", "mime_type": "image/png"},
            headers={**manage, "If-Match": '"1"'},
        )
        assert changed.status_code == 200, changed.text
        again = client.get(
            f"/delivery/v1/entries/{a['id']}", headers=keys.headers("delivery")
        )
        assert again.json()["fields"]["hero"]["media"]["url"].endswith("b2.jpg")


class TestCaching:
    def test_etag_304_and_surrogate_keys_naming_terms(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        b = _entry(client, manage, "b")
        a = _entry(client, manage, "a", ["topic:e-bikes"])
        a = _set_related(client, manage, a, b["id"])
        terms = {
            t["key"]: t["id"]
            for t in client.get(
                "/manage/v1/taxonomies/topic/terms", headers=manage
            ).json()["items"]
        }
        delivery = keys.headers("delivery")
        url = f"/delivery/v1/entries/{a['id']}"
        first = client.get(url, params={"locale": "en"}, headers=delivery)
        tags = first.headers["surrogate-key"].split()
        assert tags[:2] == [f"entry-{a['id']}", "type-article"]
        for key in ("mobility", "bikes", "e-bikes"):
            assert f"term-{terms[key]}" in tags
        assert f"entry-{b['id']}" in tags  # embedded: its publish purges this
        assert first.headers["cache-tag"] == ",".join(tags)
        assert "s-maxage=" in first.headers["cache-control"]
        assert "stale-while-revalidate=" in first.headers["cache-control"]
        etag = first.headers["etag"]
        second = client.get(
            url, params={"locale": "en"}, headers={**delivery, "If-None-Match": etag}
        )
        assert second.status_code == 304
        assert second.content == b""
        assert second.headers["etag"] == etag
        # a publish of the embedded entry changes the representation
        current = client.get(f"/manage/v1/entries/{b['id']}", headers=manage).json()
        r = client.patch(
            f"/manage/v1/entries/{b['id']}",
            json={"fields": {"title": {"en": "b2"}}},
            headers={**manage, "If-Match": f'"{current["version"]}"'},
        )
        publish(client, manage, r.json())
        third = client.get(
            url, params={"locale": "en"}, headers={**delivery, "If-None-Match": etag}
        )
        assert third.status_code == 200
        assert third.headers["etag"] != etag
        assert third.json()["fields"]["related"][0]["entry"]["fields"]["title"] == "b2"
