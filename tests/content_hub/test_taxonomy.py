"""Taxonomies: hierarchical terms, descendant filters, rename/move, delete."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.editorial import add_taxonomy, add_term
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


@pytest.fixture
def manage(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    add_locale(client, keys.headers("admin"), "de")
    add_type(client, keys.headers("manage"))
    manage = keys.headers("manage")
    add_taxonomy(client, manage)
    mobility = add_term(client, manage, "mobility")
    bikes = add_term(client, manage, "bikes", parent=mobility["id"])
    add_term(client, manage, "e-bikes", parent="bikes")
    add_term(client, manage, "cars", parent="topic:mobility")
    assert bikes["depth"] == 2
    return manage


def _tagged(
    client: TestClient[Any], manage: dict[str, str], key: str, terms: list[str]
) -> dict[str, Any]:
    entry = add_entry(client, manage, key, {"title": {"en": key}}, terms=terms)
    return publish(client, manage, entry)


def _keys(items: list[dict[str, Any]]) -> list[str]:
    return sorted(i["key"] for i in items)


class TestTerms:
    def test_terms_form_a_tree_with_localised_labels(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.get("/manage/v1/taxonomies/topic/terms", headers=manage)
        terms = {t["key"]: t for t in r.json()["items"]}
        assert terms["e-bikes"]["depth"] == 3
        assert terms["e-bikes"]["parent_id"] == terms["bikes"]["id"]
        assert terms["e-bikes"]["ref"] == "topic:e-bikes"
        assert terms["bikes"]["labels"] == {"en": "Bikes"}

    def test_unknown_terms_on_an_entry_are_a_422_with_their_path(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.post(
            "/manage/v1/entries",
            json={
                "type": "article",
                "key": "x",
                "terms": ["topic:bikes", "topic:nope"],
            },
            headers=manage,
        )
        assert r.status_code == 422
        assert r.json()["errors"] == [
            {"loc": ["terms", 1], "msg": "no term 'topic:nope'", "type": "unknown"}
        ]

    def test_a_term_cannot_move_under_its_own_descendant(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.put(
            "/manage/v1/taxonomies/topic/terms/mobility",
            json={"key": "mobility", "parent": "e-bikes"},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["msg"] == "would create a cycle"


class TestFiltering:
    def test_a_term_filter_includes_descendants_in_manage_and_delivery(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        _tagged(client, manage, "ebike-email", ["topic:e-bikes"])
        _tagged(client, manage, "bike-web", ["topic:bikes"])
        _tagged(client, manage, "car-push", ["topic:cars"])
        _tagged(client, manage, "untagged", [])
        delivery = keys.headers("delivery")
        for url, headers in (
            ("/manage/v1/entries", manage),
            ("/delivery/v1/entries", delivery),
            ("/delivery/v1/entries", keys.headers("preview")),
        ):
            by = {}
            for term in ("topic:mobility", "topic:bikes", "topic:e-bikes"):
                r = client.get(url, params={"term": term}, headers=headers)
                assert r.status_code == 200, r.text
                by[term] = _keys(r.json()["items"])
            assert by == {
                "topic:mobility": ["bike-web", "car-push", "ebike-email"],
                "topic:bikes": ["bike-web", "ebike-email"],
                "topic:e-bikes": ["ebike-email"],
            }, url
        one = client.get(
            "/delivery/v1/entries", params={"term": "topic:e-bikes"}, headers=delivery
        ).json()["items"][0]
        assert one["terms"] == ["topic:e-bikes"]

    def test_an_unknown_filter_term_is_a_400_problem(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        for url, headers in (
            ("/manage/v1/entries", manage),
            ("/delivery/v1/entries", keys.headers("delivery")),
        ):
            r = client.get(url, params={"term": "topic:zeppelins"}, headers=headers)
            assert r.status_code == 400
            assert "topic:zeppelins" in r.json()["detail"]


class TestRenameMoveDelete:
    def test_renaming_and_moving_keep_assignments(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = _tagged(client, manage, "ebike-email", ["topic:e-bikes"])
        r = client.put(
            "/manage/v1/taxonomies/topic/terms/e-bikes",
            json={"key": "pedelecs", "labels": {"en": "Pedelecs"}, "parent": "cars"},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200, r.text
        delivery = keys.headers("delivery")
        got = client.get(f"/delivery/v1/entries/{entry['id']}", headers=delivery)
        assert got.json()["terms"] == ["topic:pedelecs"]
        under_cars = client.get(
            "/delivery/v1/entries", params={"term": "topic:cars"}, headers=delivery
        )
        assert _keys(under_cars.json()["items"]) == ["ebike-email"]
        under_bikes = client.get(
            "/manage/v1/entries", params={"term": "topic:bikes"}, headers=manage
        )
        assert under_bikes.json()["items"] == []

    def test_deleting_a_term_in_use_is_refused_with_the_entries(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = _tagged(client, manage, "ebike-email", ["topic:e-bikes"])
        r = client.delete(
            "/manage/v1/taxonomies/topic/terms/e-bikes",
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 409
        problem = r.json()
        assert problem["entries"] == [
            {"id": entry["id"], "type": "article", "key": "ebike-email"}
        ]
        assert "reassign_to" in problem["detail"]
        parent = client.delete(
            "/manage/v1/taxonomies/topic/terms/bikes",
            headers={**manage, "If-Match": '"1"'},
        )
        assert parent.status_code == 409
        assert "child terms" in parent.json()["detail"]

    def test_deleting_with_reassign_moves_drafts_and_published_copies(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = _tagged(client, manage, "ebike-email", ["topic:e-bikes"])
        r = client.delete(
            "/manage/v1/taxonomies/topic/terms/e-bikes",
            params={"reassign_to": "topic:bikes"},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 204, r.text
        terms = client.get("/manage/v1/taxonomies/topic/terms", headers=manage).json()
        assert "e-bikes" not in {t["key"] for t in terms["items"]}
        delivery = keys.headers("delivery")
        got = client.get(f"/delivery/v1/entries/{entry['id']}", headers=delivery)
        assert got.json()["terms"] == ["topic:bikes"]
        for url, headers in (
            ("/manage/v1/entries", manage),
            ("/delivery/v1/entries", delivery),
        ):
            r = client.get(url, params={"term": "topic:bikes"}, headers=headers)
            assert _keys(r.json()["items"]) == ["ebike-email"], url
        # the key is free again, and an unused term is simply deleted
        fresh = add_term(client, manage, "e-bikes", parent="bikes")
        gone = client.delete(
            f"/manage/v1/taxonomies/topic/terms/{fresh['id']}",
            headers={**manage, "If-Match": '"1"'},
        )
        assert gone.status_code == 204
