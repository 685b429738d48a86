"""Bad input gets a problem document and changes nothing."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys


def _is_problem(r: Any, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"] == f"https://content-hub.dev/problems/{slug}"
    assert body["title"] and body["detail"]
    return body


def test_unknown_query_parameter_is_400(client: TestClient[Any], keys: Keys) -> None:
    body = _is_problem(
        client.get(
            "/manage/v1/entries", params={"limt": 5}, headers=keys.headers("manage")
        ),
        400,
        "unknown-query-parameter",
    )
    assert body["unknown"] == ["limt"]
    _is_problem(client.get("/health", params={"x": 1}), 400, "unknown-query-parameter")


def test_malformed_json_is_400(client: TestClient[Any], keys: Keys) -> None:
    r = client.post(
        "/manage/v1/content-types",
        content=b"{not json",
        headers=keys.headers("manage", **{"Content-Type": "application/json"}),
    )
    _is_problem(r, 400, "invalid-request")


def test_unknown_body_field_names_its_path(client: TestClient[Any], keys: Keys) -> None:
    r = client.post(
        "/manage/v1/content-types",
        json={
            "key": "a",
            "name": "A",
            "fields": [{"key": "t", "type": "text", "colour": 1}],
        },
        headers=keys.headers("manage"),
    )
    body = _is_problem(r, 400, "invalid-request")
    assert body["errors"][0]["loc"] == ["body", "fields", 0]
    assert "colour" in body["errors"][0]["msg"]
    assert (
        client.get("/manage/v1/content-types", headers=keys.headers("manage")).json()[
            "items"
        ]
        == []
    )


def test_invalid_content_type_definition(client: TestClient[Any], keys: Keys) -> None:
    r = client.post(
        "/manage/v1/content-types",
        json={
            "key": "a",
            "name": "A",
            "fields": [
                {"key": "t", "type": "text", "validations": {"pattern": "("}},
                {"key": "t", "type": "boolean", "validations": {"min": 1}},
            ],
        },
        headers=keys.headers("manage"),
    )
    body = _is_problem(r, 422, "validation-failed")
    assert [e["loc"] for e in body["errors"]] == [
        ["fields", 0, "validations", "pattern"],
        ["fields", 1, "key"],
        ["fields", 1, "validations", "min"],
    ]


def test_unknown_route_and_method(client: TestClient[Any], keys: Keys) -> None:
    _is_problem(client.get("/nope"), 404, "not-found")
    _is_problem(client.put("/health"), 405, "method-not-allowed")


def test_content_type_with_entries_cannot_be_deleted(
    client: TestClient[Any], keys: Keys
) -> None:
    from tests.content_hub.factories import add_entry, add_type

    manage = keys.headers("manage")
    add_type(client, manage)
    add_entry(client, manage, "x", {"title": {"en": "x"}})
    body = _is_problem(
        client.delete(
            "/manage/v1/content-types/article", headers={**manage, "If-Match": '"1"'}
        ),
        409,
        "conflict",
    )
    assert body["entries"] == 1
