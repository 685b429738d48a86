"""Helpers of the release tests: a type with a web template, entries with an
old published and a new draft version, and release calls."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.store.db import sync_url
from tests.content_hub.factories import add_entry, add_type, publish

R = "/manage/v1/releases"
FIELDS = [{"key": "title", "type": "text", "localized": True, "required": True}]


def web(prefix: str) -> dict[str, Any]:
    return {"type": "web", "html": prefix + ":{{ fields.title }}"}


def if_match(headers: dict[str, str], doc: dict[str, Any]) -> dict[str, str]:
    return {**headers, "If-Match": f'"{doc["version"]}"'}


def setup_offers(
    client: Any, headers: dict[str, str], count: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``count`` offers published as "old i" (v1), each with a draft "new i"
    (v2); the web template "OLD" published (v1) and "NEW" saved (v2).
    Returns the entries (at v2) and the template draft."""
    add_type(client, headers, key="offer", fields=FIELDS, channels=["web"])
    tpl = "/manage/v1/content-types/offer/templates/web"
    v1 = ok(client.put(tpl, json={"parts": web("OLD")}, headers=headers))
    ok(client.post(f"{tpl}/publish", headers=if_match(headers, v1)))
    draft = ok(client.put(tpl, json={"parts": web("NEW")}, headers=headers))
    entries = []
    for i in range(count):
        entry = add_entry(
            client, headers, f"o{i}", {"title": {"en": f"old {i}"}}, type_key="offer"
        )
        entry = publish(client, headers, entry)
        entry = ok(
            client.put(
                f"/manage/v1/entries/{entry['id']}",
                json={"key": f"o{i}", "fields": {"title": {"en": f"new {i}"}}},
                headers=if_match(headers, entry),
            )
        )
        entries.append(entry)
    return entries, draft


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


def create_release(
    client: TestClient[Any] | Any,
    headers: dict[str, str],
    entries: list[dict[str, Any]],
    template_version: int | None = None,
    audiences: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    items: dict[str, Any] = {
        "entries": [{"entry": e["id"], "version": e["version"]} for e in entries]
    }
    if template_version is not None:
        items["templates"] = [
            {"type": "offer", "channel": "web", "version": template_version}
        ]
    if audiences:
        items["audiences"] = audiences
    body = {"name": "Summer sale", "description": "All offers", "items": items}
    return ok(client.post(R, json=body, headers=headers), 201)


def change_log(settings: Settings) -> list[tuple[int, str]]:
    """Every change-log row (seq, kind), in order."""
    engine = sa.create_engine(sync_url(settings.database.url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT seq, kind FROM change_log ORDER BY seq")
            )
            return [(int(s), str(k)) for s, k in rows]
    finally:
        engine.dispose()
