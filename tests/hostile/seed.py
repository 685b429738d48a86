"""The hostile suite's world, created through the API of any hub (an
in-process test client or a served one): every resource kind exists once, so
every route has a real target and a hostile request reaches as deep as its
body lets it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.content_hub.factories import (
    add_entry,
    add_locale,
    add_type,
    publish,
    publish_template,
)

#: One field of every type, with the validations that apply to it.
FIELDS: list[dict[str, Any]] = [
    {
        "key": "title",
        "type": "text",
        "localized": True,
        "required": True,
        "validations": {"max_length": 200, "pattern": "^[^<>]*$"},
    },
    {"key": "body", "type": "rich_text", "localized": True},
    {"key": "notes", "type": "markdown"},
    {"key": "price", "type": "number", "validations": {"min": 0, "max": 1e9}},
    {"key": "tag", "type": "text", "validations": {"enum": ["new", "sale"]}},
    {"key": "active", "type": "boolean"},
    {"key": "day", "type": "date"},
    {"key": "at", "type": "datetime"},
    {"key": "link", "type": "url"},
    {"key": "image", "type": "media"},
    {"key": "parent", "type": "entry", "validations": {"allowed_types": ["article"]}},
    {"key": "related", "type": "references"},
    {"key": "data", "type": "json"},
]

TEMPLATES: dict[str, dict[str, Any]] = {
    "web": {"type": "web", "html": "<h1>{{ fields.title }}</h1>{{ fields.body }}"},
    "email": {
        "type": "email",
        "subject": "{{ fields.title }}",
        "html": "<html><body><h1>{{ fields.title }}</h1></body></html>",
        "text": "{{ fields.title }}",
    },
    "push": {"type": "push", "title": "{{ fields.title }}", "body": "Hi"},
    "in_app": {"type": "in_app", "title": "{{ fields.title }}", "body": "Hi"},
    "sms": {"type": "sms", "text": "{{ fields.title }}"},
}

CHANNELS = list(TEMPLATES)
EXPERIMENT = "headline"


def fields(media_id: str) -> dict[str, Any]:
    """Valid values for every field of the article type."""
    return {
        "title": {"en": "Hello", "de": "Hallo"},
        "body": {"en": "<p>Hi <b>there</b></p>"},
        "notes": "*notes*",
        "price": 12.5,
        "tag": "new",
        "active": True,
        "day": "2026-05-01",
        "at": "2026-05-01T10:00:00+00:00",
        "link": "https://shop.example/a",
        "image": {"type": "media", "id": media_id},
        "related": [],
        "data": {"a": [1, 2, {"b": None}]},
    }


def personalization() -> dict[str, Any]:
    """A variant, a personalise rule and a running experiment."""
    return {
        "variants": {"vip": {"fields": {"title": {"en": "Hello, VIP"}}}},
        "rules": [
            {"type": "personalise", "id": "v", "audiences": ["vip"], "variant": "vip"},
            {
                "type": "experiment",
                "id": "e",
                "key": EXPERIMENT,
                "variations": ["default", "vip"],
                "weights": [0.5, 0.5],
            },
        ],
    }


def seed(client: httpx.Client, admin: dict[str, str]) -> dict[str, str]:
    """Create the world; the ids of what path parameters point at."""

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = client.post(path, json=body, headers=admin)
        assert r.status_code == 201, r.text
        return dict(r.json())

    for code in ("de", "ar"):
        add_locale(client, admin, code)
    add_type(client, admin, key="article", fields=FIELDS, channels=CHANNELS)
    for channel, parts in TEMPLATES.items():
        publish_template(client, admin, "article", channel, parts)
    post("/manage/v1/taxonomies", {"key": "topic", "name": "Topic"})
    term = post(
        "/manage/v1/taxonomies/topic/terms",
        {"key": "bikes", "labels": {"en": "Bikes", "de": "Räder"}},
    )
    media = post(
        "/manage/v1/media",
        {"url": "https://cdn.example/a.jpg", "mime_type": "image/jpeg"},
    )
    post(
        "/manage/v1/audiences",
        {"key": "vip", "condition": {"lead_score": {"$gte": 80}}},
    )
    post(
        "/manage/v1/sample-customers",
        {"key": "greta", "customer": {"attributes": {"lead_score": 90}}},
    )
    entry = add_entry(client, admin, "hello", fields(media["id"]))
    r = client.put(
        f"/manage/v1/entries/{entry['id']}/personalization",
        headers={**admin, "If-Match": '"1"'},
        json=personalization(),
    )
    assert r.status_code == 200, r.text
    entry = client.get(f"/manage/v1/entries/{entry['id']}", headers=admin).json()
    publish(client, admin, entry)
    draft = add_entry(client, admin, "draft", {"title": {"en": "Draft"}})
    # a key of its own for {key_id}: a DELETE that gets through revokes only it
    victim = post("/manage/v1/keys", {"name": "victim", "scopes": ["delivery"]})
    # and a Studio user of its own for {user_id}
    user = post("/manage/v1/users", {"email": "victim@example.com", "role": "viewer"})
    # a webhook (a public address: no DNS needed) and a delivery of its test
    # event for {webhook_id} and {delivery_id}
    hook = post(
        "/manage/v1/webhooks",
        {"url": "https://93.184.215.14/hook", "events": ["entry.published"]},
    )
    hook = hook["webhook"]
    r = client.post(f"/manage/v1/webhooks/{hook['id']}/test", headers=admin)
    assert r.status_code == 202, r.text
    # a release holding the draft entry for {release_id} ({kind}/{ref}: it)
    release = post(
        "/manage/v1/releases",
        {
            "name": "Spring",
            "items": {"entries": [{"entry": draft["id"], "version": 1}]},
        },
    )
    return {
        "release": release["id"],
        "webhook": hook["id"],
        "delivery": r.json()["id"],
        "user": user["id"],
        "entry": entry["id"],
        "draft": draft["id"],
        "media": media["id"],
        "term": term["id"],
        "key": victim["id"],
    }
