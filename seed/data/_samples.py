"""The demo's sample customers: who editors preview content as (made up)."""

from __future__ import annotations

from typing import Any

SAMPLE_CUSTOMERS: list[dict[str, Any]] = [
    {
        "key": "vip_de",
        "name": "Greta, VIP (gold tier, de)",
        "description": "A returning gold-tier customer with a high lead score.",
        "customer": {
            "id": "sample-vip-de",
            "attributes": {
                "first_name": "Greta",
                "loyalty_tier": "gold",
                "lead_score": 92,
            },
            "segments": ["vip", "purchaser"],
        },
        "locale": "de",
    },
    {
        "key": "vip_nb",
        "name": "Ola, VIP (high lead score, nb)",
        "description": "A Norwegian customer whose lead score makes them a VIP.",
        "customer": {
            "id": "sample-vip-nb",
            "attributes": {"first_name": "Ola", "lead_score": 85},
            "segments": ["vip"],
        },
        "locale": "nb",
    },
    {
        "key": "cart_en",
        "name": "Sam, cart abandoner (en)",
        "description": "Left a basket yesterday; has bought before.",
        "customer": {
            "id": "sample-cart-en",
            "attributes": {
                "first_name": "Sam",
                "lead_score": 40,
                "has_purchased": True,
            },
            "segments": ["cart_abandoner"],
        },
        "locale": "en",
    },
    {
        "key": "new_visitor",
        "name": "New visitor (anonymous)",
        "description": "First visit, nothing known but an anonymous id.",
        "customer": {"anonymous_id": "sample-anon-1", "attributes": {"lead_score": 5}},
    },
]
