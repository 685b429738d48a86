"""Typed helpers that create content through the API, asserting success."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

ARTICLE_FIELDS: list[dict[str, Any]] = [
    {
        "key": "title",
        "type": "text",
        "localized": True,
        "required": True,
        "validations": {"max_length": 80},
    },
    {"key": "summary", "type": "text", "localized": True},
    {"key": "body", "type": "rich_text", "localized": True},
    {"key": "cta_url", "type": "url"},
    {"key": "price", "type": "number", "validations": {"min": 0}},
    {"key": "tag", "type": "text", "validations": {"enum": ["new", "sale"]}},
    {
        "key": "related",
        "type": "references",
        "validations": {"allowed_types": ["article"]},
    },
]


def add_locale(
    client: TestClient[Any], headers: dict[str, str], code: str, **extra: Any
) -> dict[str, Any]:
    response = client.post(
        "/manage/v1/locales", json={"code": code, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def add_type(
    client: TestClient[Any],
    headers: dict[str, str],
    key: str = "article",
    fields: list[dict[str, Any]] | None = None,
    channels: list[str] | None = None,
) -> dict[str, Any]:
    body = {
        "key": key,
        "name": key.title(),
        "fields": fields if fields is not None else ARTICLE_FIELDS,
        "channels": channels if channels is not None else ["web", "email"],
    }
    response = client.post("/manage/v1/content-types", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def add_entry(
    client: TestClient[Any],
    headers: dict[str, str],
    key: str,
    fields: dict[str, Any],
    type_key: str = "article",
    terms: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": type_key, "key": key, "fields": fields}
    if terms is not None:
        body["terms"] = terms
    response = client.post("/manage/v1/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def publish(
    client: TestClient[Any], headers: dict[str, str], entry: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(
        f"/manage/v1/entries/{entry['id']}/publish",
        headers={**headers, "If-Match": f'"{entry["version"]}"'},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def save_template(
    client: TestClient[Any],
    headers: dict[str, str],
    type_key: str,
    channel: str,
    parts: dict[str, Any],
) -> dict[str, Any]:
    """Save a template draft (not live yet), asserting success."""
    response = client.put(
        f"/manage/v1/content-types/{type_key}/templates/{channel}",
        json={"parts": parts},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def publish_template(
    client: TestClient[Any],
    headers: dict[str, str],
    type_key: str,
    channel: str,
    parts: dict[str, Any],
) -> dict[str, Any]:
    """Save a template draft and publish it (renders use it), asserting
    success; the published state."""
    draft = save_template(client, headers, type_key, channel, parts)
    response = client.post(
        f"/manage/v1/content-types/{type_key}/templates/{channel}/publish",
        headers={**headers, "If-Match": f'"{draft["version"]}"'},
    )
    assert response.status_code == 200, response.text
    published = dict(response.json())
    assert published["published_version"] == draft["version"]
    return published
