"""Helpers for the editorial tests: taxonomies, terms, media."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient


def add_taxonomy(
    client: TestClient[Any], headers: dict[str, str], key: str = "topic"
) -> dict[str, Any]:
    r = client.post(
        "/manage/v1/taxonomies", json={"key": key, "name": key.title()}, headers=headers
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def add_term(
    client: TestClient[Any],
    headers: dict[str, str],
    key: str,
    parent: str | None = None,
    taxonomy: str = "topic",
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"key": key, "labels": labels or {"en": key.title()}}
    if parent is not None:
        body["parent"] = parent
    r = client.post(
        f"/manage/v1/taxonomies/{taxonomy}/terms", json=body, headers=headers
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def add_media(
    client: TestClient[Any], headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    body = {
        "url": "https://cdn.example.com/bike.jpg",
        "mime_type": "image/jpeg",
        "alt": {"en": "A bike", "de": "Ein Fahrrad"},
        "width": 1200,
        "height": 800,
        "focal_point": {"x": 0.5, "y": 0.3},
        **extra,
    }
    r = client.post("/manage/v1/media", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())
