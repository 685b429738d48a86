from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys


class TestScopes:
    def test_missing_or_invalid_key_is_401(self, client: TestClient[Any]) -> None:
        for headers in (
            {},
            {"Authorization": "Bearer chk_nope"},
            {"Authorization": "Basic abc"},
        ):
            r = client.get("/manage/v1/entries", headers=headers)
            assert r.status_code == 401
            assert r.headers["www-authenticate"].startswith("Bearer")
            assert r.json()["type"].endswith("/not-authenticated")

    @pytest.mark.parametrize(
        ("scope", "path", "status"),
        [
            ("delivery", "/manage/v1/entries", 403),
            ("render", "/delivery/v1/entries", 403),
            ("manage", "/manage/v1/locales", 200),
            ("delivery", "/manage/v1/locales/en", 200),
            ("metrics", "/manage/v1/locales", 403),
            ("manage", "/manage/v1/keys", 403),
            ("manage", "/delivery/v1/entries", 403),
            ("admin", "/manage/v1/keys", 200),
            ("admin", "/delivery/v1/entries", 200),
            ("preview", "/delivery/v1/entries", 200),
            ("manage", "/manage/v1/entries", 200),
        ],
    )
    def test_scopes(
        self, client: TestClient[Any], keys: Keys, scope: str, path: str, status: int
    ) -> None:
        r = client.get(path, headers=keys.headers(scope))
        assert r.status_code == status, r.text
        if status == 403:
            assert r.json()["type"].endswith("/forbidden")

    def test_health_and_schema_need_no_key(self, client: TestClient[Any]) -> None:
        assert client.get("/health").json()["status"] == "ok"
        schema = client.get("/schema/openapi.json")
        assert schema.status_code == 200
        assert "/delivery/v1/entries/{entry_id}" in schema.json()["paths"]


class TestKeys:
    def test_created_key_is_shown_once_and_works(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        r = client.post(
            "/manage/v1/keys",
            json={"name": "website", "scopes": ["delivery"]},
            headers=admin,
        )
        assert r.status_code == 201
        created = r.json()
        secret = created["secret"]
        assert secret.startswith("chk_")
        listed = client.get("/manage/v1/keys", headers=admin).text
        assert secret not in listed
        assert created["prefix"] in listed
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.get("/delivery/v1/entries", headers=headers).status_code == 200
        assert (
            client.delete(f"/manage/v1/keys/{created['id']}", headers=admin).status_code
            == 204
        )
        assert client.get("/delivery/v1/entries", headers=headers).status_code == 401

    def test_unknown_scope_is_rejected(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        r = client.post(
            "/manage/v1/keys",
            json={"name": "x", "scopes": ["root"]},
            headers=keys.headers("admin"),
        )
        assert r.status_code == 400
        assert r.json()["errors"][0]["loc"] == ["body", "scopes", 0]
