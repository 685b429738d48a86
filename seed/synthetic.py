# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Generated entries for load and benchmark work: ``synthetic-<i>`` is the
same entry on every run (seeded by ``i``), in every demo locale, with terms
and a personalised variant."""

from __future__ import annotations

import random
from typing import Any

TYPES = ("article", "offer", "hero_banner", "onboarding_tip")
MEDIA = ("city-one", "cargo-max", "volt-e5", "volt-e7", "spring-ride", "workshop")
TOPICS = ("city", "cargo", "electric", "financing", "e-bikes", "services")
STAGES = (
    "awareness",
    "consideration",
    "purchase",
    "onboarding",
    "retention",
    "win-back",
)
CAMPAIGNS = ("spring-2026", "summer-commute", "black-week", "loyalty")
LOCALES = ("en", "de", "nb", "zh-Hans", "ar")

# (locale -> words): a product, an adjective and a benefit per locale.
PRODUCTS = {
    "en": ["City One", "Cargo Max", "E5", "E7 Touring", "Trail S"],
    "de": ["City One", "Cargo Max", "E5", "E7 Touring", "Trail S"],
    "nb": ["City One", "Cargo Max", "E5", "E7 Touring", "Trail S"],
    "zh-Hans": ["City One", "Cargo Max", "E5", "E7 Touring", "Trail S"],
    "ar": ["سيتي ون", "كارجو ماكس", "E5", "E7 تورينج", "تريل إس"],
}
PHRASES = {
    "en": [
        "{p}: ride further",
        "Meet the new {p}",
        "{p} for every day",
        "Save on the {p}",
    ],
    "de": [
        "{p}: weiter fahren",
        "Das neue {p}",
        "{p} für jeden Tag",
        "Sparen beim {p}",
    ],
    "nb": ["{p}: kjør lenger", "Møt nye {p}", "{p} for hver dag", "Spar på {p}"],
    "zh-Hans": ["{p}：行得更远", "全新 {p}", "{p}，日常之选", "{p} 限时优惠"],
    "ar": ["{p}: انطلق أبعد", "تعرّف على {p} الجديد", "{p} لكل يوم", "وفّر على {p}"],
}
BODIES = {
    "en": "Quiet motor, long range and a service team that comes to you.",
    "de": "Leiser Motor, große Reichweite und ein Service, der zu Ihnen kommt.",
    "nb": "Stillegående motor, lang rekkevidde og service som kommer til deg.",
    "zh-Hans": "安静的电机、超长续航，以及上门服务团队。",
    "ar": "محرك هادئ ومدى طويل وفريق خدمة يأتي إليك.",
}
PREMIUM = {
    "en": "Your private preview: {p}",
    "de": "Ihre private Vorschau: {p}",
    "nb": "Din private forhåndsvisning: {p}",
    "zh-Hans": "专属预览：{p}",
    "ar": "معاينتك الخاصة: {p}",
}


def _localised(
    rng: random.Random, table: dict[str, list[str]], product: int
) -> dict[str, str]:
    choice = rng.randrange(len(table["en"]))
    return {
        code: table[code][choice].format(p=PRODUCTS[code][product]) for code in LOCALES
    }


def synthetic_entry(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Entry data and its personalisation for ``synthetic-<i>``."""
    rng = random.Random(i)
    type_key = TYPES[i % len(TYPES)]
    key = f"synthetic-{i}"
    product = rng.randrange(len(PRODUCTS["en"]))
    title = _localised(rng, PHRASES, product)
    for code in LOCALES:  # keep within the shortest title limit (60)
        title[code] = title[code][:60]
    body = dict(BODIES)
    url = f"https://voltaro.example/synthetic/{i}"
    image = {
        "hero_image"
        if type_key == "article"
        else "image": f"@media:{rng.choice(MEDIA)}"
    }
    fields: dict[str, Any]
    if type_key == "article":
        fields = {
            "title": title,
            "summary": body,
            "url": url,
            "reading_minutes": rng.randint(2, 12),
            **image,
        }
    elif type_key == "offer":
        fields = {
            "title": title,
            "summary": body,
            "price": rng.randrange(500, 6000, 10),
            "cta_url": url,
            "currency": "EUR",
            **image,
        }
    elif type_key == "hero_banner":
        fields = {
            "headline": title,
            "subline": body,
            "cta_url": url,
            "theme": rng.choice(["light", "dark"]),
            **image,
        }
    else:
        fields = {
            "title": title,
            "body": body,
            "step": rng.randint(1, 6),
            "deep_link": f"voltaro://synthetic/{i}",
        }
    terms = [
        f"topic:{rng.choice(TOPICS)}",
        f"journey_stage:{rng.choice(STAGES)}",
        f"campaign:{rng.choice(CAMPAIGNS)}",
    ]
    headline = "headline" if type_key == "hero_banner" else "title"
    premium = {
        code: PREMIUM[code].format(p=PRODUCTS[code][product]) for code in LOCALES
    }
    personalization = {
        "variants": {"premium": {"fields": {headline: premium}}},
        "rules": [
            {
                "type": "personalise",
                "id": "vip",
                "audiences": ["vip"],
                "variant": "premium",
            }
        ],
    }
    entry = {"type": type_key, "key": key, "fields": fields, "terms": terms}
    return entry, personalization
