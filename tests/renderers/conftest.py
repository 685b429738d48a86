"""Shared fixtures: realistic content in English, German, Simplified Chinese and
Arabic, as the service would pass it (fields already resolved per locale)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from markupsafe import Markup

from renderers import Customer, RenderContext, RenderRequest

LOCALES = ("en", "de-DE", "zh-Hans", "ar")

CONTENT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Summer sale",
        "lead": "Everything must go: up to half price this week.",
        "cta": "Shop now",
        "greeting": "Hello",
        "fallback_name": "there",
        "unsubscribe": "Unsubscribe",
    },
    "de-DE": {
        "title": "Sommerschlussverkauf",
        "lead": "Alles muss raus: diese Woche bis zu 50 % günstiger.",
        "cta": "Jetzt einkaufen",
        "greeting": "Hallo",
        "fallback_name": "du",
        "unsubscribe": "Abmelden",
    },
    "zh-Hans": {
        "title": "夏季特卖",
        "lead": "本周全场低至五折，售完即止。",  # noqa: RUF001
        "cta": "立即购买",
        "greeting": "你好",
        "fallback_name": "朋友",
        "unsubscribe": "退订",
    },
    "ar": {
        "title": "تخفيضات الصيف",
        "lead": "كل شيء يجب أن يباع: خصم يصل إلى النصف هذا الأسبوع.",
        "cta": "تسوق الآن",
        "greeting": "مرحبا",
        "fallback_name": "صديقي",
        "unsubscribe": "إلغاء الاشتراك",
    },
}

NAMES = {"en": "Jane", "de-DE": "Jürgen", "zh-Hans": "王芳", "ar": "فاطمة"}


def _make_request(
    locale: str = "en",
    *,
    first_name: str | None = "default",
    products: int = 3,
    **context: Any,
) -> RenderRequest:
    content = CONTENT[locale]
    attributes: dict[str, Any] = {"tier": "gold"}
    if first_name == "default":
        attributes["first_name"] = NAMES[locale]
    elif first_name is not None:
        attributes["first_name"] = first_name
    fields = dict(content)
    fields.update(
        body=Markup(f"<p>{content['lead']}</p>"),
        price=1234.5,
        ends_at="2026-08-31T22:00:00Z",
        cta_url="https://shop.example/sale?ref=hub",
        hero_image="https://cdn.example/hero.jpg",
        products=[
            {
                "name": f"{content['title']} {n}",
                "price": 19.9 + n,
                "url": f"https://shop.example/p/{n}",
                "image": f"https://cdn.example/p/{n}.jpg",
            }
            for n in range(products)
        ],
    )
    ctx: dict[str, Any] = {
        "utm": {"source": "hub", "medium": "email", "campaign": "summer"},
        "unsubscribe_url": "https://shop.example/unsubscribe?u=42",
        "unsubscribe_mailto": "unsubscribe@shop.example",
        "timezone": "Europe/Berlin",
        "now": dt.datetime(2026, 8, 28, 12, 0, tzinfo=dt.UTC),
    }
    ctx.update(context)
    return RenderRequest(
        fields=fields,
        customer=Customer(id="cust-42", attributes=attributes, segments=["vip"]),
        locale=locale,
        context=RenderContext(**ctx),
    )


RequestFactory = Callable[..., RenderRequest]


@pytest.fixture
def make_request() -> RequestFactory:
    """``make_request(locale, first_name=..., products=..., **context)``."""
    return _make_request


@pytest.fixture
def content() -> dict[str, dict[str, Any]]:
    return CONTENT


@pytest.fixture
def names() -> dict[str, str]:
    return NAMES


@pytest.fixture(params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    return str(request.param)
