"""Content type changes: safe additions, breaking changes refused with the
affected entries, and explicit migrations."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish

FIELDS: list[dict[str, Any]] = [
    {"key": "title", "type": "text", "localized": True, "required": True},
    {"key": "badge", "type": "text"},
    {"key": "price", "type": "number"},
]


@pytest.fixture
def manage(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    add_locale(client, keys.headers("admin"), "de")
    add_type(client, keys.headers("manage"), key="offer", fields=FIELDS)
    return keys.headers("manage")


def _put(
    client: TestClient[Any],
    manage: dict[str, str],
    fields: list[dict[str, Any]],
    version: int = 1,
    **extra: Any,
) -> Any:
    params = {"migrate": "true"} if extra.pop("migrate", False) else None
    return client.put(
        "/manage/v1/content-types/offer",
        json={"name": "Offer", "fields": fields, "channels": ["web"], **extra},
        params=params,
        headers={**manage, "If-Match": f'"{version}"'},
    )


def _offer(
    client: TestClient[Any], manage: dict[str, str], key: str, **fields: Any
) -> dict[str, Any]:
    return add_entry(
        client, manage, key, {"title": {"en": key}, **fields}, type_key="offer"
    )


class TestTypeChanges:
    def test_adding_fields_is_always_safe(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        _offer(client, manage, "a", badge="NEW")
        r = _put(client, manage, [*FIELDS, {"key": "extra", "type": "boolean"}])
        assert r.status_code == 200, r.text

    def test_breaking_changes_are_refused_with_the_entries(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        a = _offer(client, manage, "a", badge="NEW", price=5)
        b = _offer(client, manage, "b", price=500)
        _offer(client, manage, "c")
        cases = {
            "removed": [FIELDS[0], FIELDS[2]],
            "narrowed": [FIELDS[0], {"key": "badge", "type": "number"}, FIELDS[2]],
            "tightened": [
                FIELDS[0],
                FIELDS[1],
                {"key": "price", "type": "number", "validations": {"max": 100}},
            ],
        }
        expected = {"removed": {a["id"]}, "narrowed": {a["id"]}, "tightened": {b["id"]}}
        for name, fields in cases.items():
            r = _put(client, manage, fields)
            assert r.status_code == 409, (name, r.text)
            problem = r.json()
            assert problem["type"].endswith("/breaking-type-change")
            assert {e["id"] for e in problem["entries"]} == expected[name], name
            assert problem["affected_count"] == len(expected[name])
            assert "?migrate=true" in problem["detail"]
        tightened = _put(client, manage, cases["tightened"]).json()
        assert tightened["entries"][0]["errors"][0]["loc"] == ["fields", "price"]
        assert tightened["fields"] == ["price"]
        got = client.get("/manage/v1/content-types/offer", headers=manage)
        assert got.json()["version"] == 1  # nothing changed

    def test_making_a_field_required_checks_published_entries(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        live = publish(client, manage, _offer(client, manage, "live"))
        _offer(client, manage, "draft")  # drafts may be incomplete
        required = [FIELDS[0], {**FIELDS[1], "required": True}, FIELDS[2]]
        r = _put(client, manage, required)
        assert r.status_code == 409
        assert r.json()["entries"] == [
            {
                "id": live["id"],
                "key": "live",
                "copy": "published",
                "errors": [
                    {
                        "loc": ["fields", "badge"],
                        "msg": "field is required",
                        "type": "required",
                    }
                ],
            }
        ]

    def test_a_migration_with_defaults_rewrites_and_republishes(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        live = publish(
            client, manage, _offer(client, manage, "live", badge="NEW", price=500)
        )
        narrowed = [
            FIELDS[0],
            {"key": "price", "type": "number", "validations": {"max": 100}},
        ]
        missing = _put(client, manage, narrowed, migrate=True)
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["loc"] == ["migration_defaults", "price"]
        r = _put(
            client, manage, narrowed, migrate=True, migration_defaults={"price": 99}
        )
        assert r.status_code == 200, r.text
        entry = client.get(f"/manage/v1/entries/{live['id']}", headers=manage).json()
        assert entry["fields"] == {"title": {"en": "live"}, "price": 99}
        assert entry["version"] == 2
        assert entry["has_unpublished_changes"] is False
        delivered = client.get(
            f"/delivery/v1/entries/{live['id']}", headers=keys.headers("delivery")
        ).json()
        assert delivered["fields"] == {"title": "live", "price": 99}
        audit = client.get(
            "/manage/v1/audit",
            params={"resource": f"entry:{live['id']}", "action": "migrate"},
            headers=keys.headers("admin"),
        ).json()["items"]
        assert [(a["before_version"], a["after_version"]) for a in audit] == [(1, 2)]
