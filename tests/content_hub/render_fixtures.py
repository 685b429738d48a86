"""A small personalised world for render tests: an offer with variants,
audiences, rules and one template per channel, all through the API."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.factories import (
    add_entry,
    add_locale,
    add_type,
    publish,
    publish_template,
)

OFFER_FIELDS: list[dict[str, Any]] = [
    {"key": "title", "type": "text", "localized": True, "required": True},
    {"key": "body", "type": "text", "localized": True},
    {"key": "price", "type": "number"},
    {"key": "url", "type": "url"},
]

TEMPLATES: dict[str, dict[str, Any]] = {
    "web": {
        "type": "web",
        "html": "<h1>{{ fields.title }}</h1><p>{{ fields.body }}</p>",
    },
    "email": {
        "type": "email",
        "subject": "{{ fields.title }}, {{ customer.first_name | default('there') }}",
        "preheader": "{{ fields.body }}",
        "html": "<html><body><h1>{{ fields.title }}</h1><p>{{ fields.price | currency('EUR') }}</p>"
        "<a href='{{ fields.url }}'>Shop</a></body></html>",
        "text": "{{ fields.title }}\n{{ fields.url }}",
    },
    "push": {
        "type": "push",
        "title": "{{ fields.title }}",
        "body": "{{ fields.body }}",
        "deep_link": "app://offer",
    },
    "sms": {"type": "sms", "text": "{{ fields.title }} {{ fields.url }}"},
}

RULES: list[dict[str, Any]] = [
    {"type": "personalise", "id": "vip", "audiences": ["vip"], "variant": "premium"},
    {
        "type": "personalise",
        "id": "abandoners",
        "audiences": ["cart_abandoner"],
        "variant": "discount",
    },
    {
        "type": "experiment",
        "id": "headline-test",
        "key": "spring-headline",
        "variations": ["default", "discount"],
        "weights": [0.5, 0.5],
        "seed": "spring-2026",
    },
]


def build_offer(
    client: TestClient[Any],
    admin: dict[str, str],
    rules: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    for code in ("de", "ar"):
        add_locale(client, admin, code)
    add_type(
        client,
        admin,
        key="offer",
        fields=OFFER_FIELDS,
        channels=["web", "email", "push", "sms"],
    )
    for channel, parts in TEMPLATES.items():
        publish_template(client, admin, "offer", channel, parts)
    for key, condition in {
        "vip": {"$or": [{"lead_score": {"$gte": 80}}, {"tier": "gold"}]},
        "cart_abandoner": {"segments": {"$elemMatch": {"$eq": "cart_abandoner"}}},
    }.items():
        r = client.post(
            "/manage/v1/audiences",
            json={"key": key, "condition": condition},
            headers=admin,
        )
        assert r.status_code == 201, r.text
    entry = add_entry(
        client,
        admin,
        "spring",
        {
            "title": {
                "en": "Spring offer",
                "de": "Frühlingsangebot",
                "ar": "عرض الربيع",
            },
            "body": {"en": "New e-bikes are here", "de": "Neue E-Bikes sind da"},
            "price": 1999,
            "url": "https://shop.example/spring",
        },
        type_key="offer",
    )
    r = client.put(
        f"/manage/v1/entries/{entry['id']}/personalization",
        headers={**admin, "If-Match": '"1"'},
        json={
            "variants": {
                "discount": {
                    "fields": {
                        "title": {
                            "en": "Spring offer: 15% off",
                            "de": "Frühlingsangebot: 15 % Rabatt",
                        }
                    }
                },
                "premium": {
                    "fields": {
                        "title": {"en": "Your private spring preview"},
                        "price": 2499,
                    }
                },
            },
            "rules": RULES if rules is None else rules,
        },
    )
    assert r.status_code == 200, r.text
    entry = client.get(f"/manage/v1/entries/{entry['id']}", headers=admin).json()
    return publish(client, admin, entry)
