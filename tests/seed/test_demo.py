"""The demo world's stories, through the render and delivery APIs.

Customers are described as an orchestrator sends them: a purchaser is in
the segment ``purchaser`` (or has the attribute ``has_purchased: true``), a
cart abandoner in ``cart_abandoner``, a VIP has ``lead_score >= 80`` or
``loyalty_tier: gold``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.settings import DatabaseSettings, DeliverySettings, Settings
from content_hub.store.db import migrate
from seed.loader import SeedReport, entry_count, load_demo
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys

SPRING = {"type": "offer", "key": "spring-city-one"}
UNSUBSCRIBE = {"unsubscribe_url": "https://voltaro.example/u/abc"}
DISCOUNT_EN = "Your City One is waiting: 15 % off"
HEADLINES = {"default": "Spring into the City One", "headline_b": "80 km of spring"}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One migrated SQLite database for the module: the tests only read it."""
    path = tmp_path_factory.mktemp("demo")
    url = f"sqlite+aiosqlite:///{path / 'hub.sqlite3'}"
    migrate(url)
    return Settings(
        data_dir=path,
        database=DatabaseSettings(url=url),
        delivery=DeliverySettings(poll_interval=0.05),
        # keys change through the API, which clears the cache at once; a
        # change behind its back (another process) is test_auth_cache's
        auth_cache_seconds=3600.0,
    )


@pytest.fixture(scope="module")
def loads(settings: Settings) -> tuple[SeedReport, SeedReport]:
    first = asyncio.run(load_demo(settings))
    second = asyncio.run(load_demo(settings))
    return first, second


@pytest.fixture(scope="module")
def keys(settings: Settings, loads: tuple[SeedReport, SeedReport]) -> Keys:
    return Keys(settings)


@pytest.fixture(scope="module")
def hub(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    with TestClient(app_for(settings)) as client:
        yield client


def render(
    hub: TestClient[Any],
    keys: Keys,
    channel: str,
    customer: dict[str, Any],
    locale: str = "en",
    entry: dict[str, str] = SPRING,
) -> dict[str, Any]:
    r = hub.post(
        "/render/v1/render",
        json={
            **entry,
            "channel": channel,
            "locale": locale,
            "customer": customer,
            "context": UNSUBSCRIBE,
        },
        headers=keys.headers("render"),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def text_of(body: dict[str, Any]) -> str:
    return " ".join(str(v) for v in body["output"].values())


class TestLoad:
    def test_a_second_load_creates_nothing(
        self, settings: Settings, loads: tuple[SeedReport, SeedReport]
    ) -> None:
        first, second = loads
        assert first.created["entries"] == 40
        assert first.created["personalized_entries"] == 2
        assert second.created == {}
        assert second.existing == first.created  # every kind counted again
        assert asyncio.run(entry_count(settings)) == 40

    def test_every_entry_renders_on_every_channel_of_its_type(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        from seed.data import CONTENT_TYPES, ENTRIES

        channels = {t["key"]: t["channels"] for t in CONTENT_TYPES}
        for entry in ENTRIES:
            for channel in channels[entry["type"]]:
                for locale in ("en", "de-CH", "ar"):
                    target = {"type": entry["type"], "key": entry["key"]}
                    render(hub, keys, channel, {"id": "c-1"}, locale, target)


class TestCartAbandoner:
    @pytest.mark.parametrize("channel", ["email", "sms", "web", "push"])
    def test_gets_the_discount(
        self, hub: TestClient[Any], keys: Keys, channel: str
    ) -> None:
        body = render(
            hub, keys, channel, {"id": "c-cart", "segments": ["cart_abandoner"]}
        )
        assert body["variant"] == "discount"
        assert body["decision"]["rule_id"] == "cart-abandoners-discount"
        assert DISCOUNT_EN in text_of(body)

    def test_email_in_german_is_personal_and_has_the_discounted_price(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        customer = {
            "id": "c-cart",
            "segments": ["cart_abandoner"],
            "attributes": {"first_name": "Jonas"},
        }
        out = render(hub, keys, "email", customer, "de")["output"]
        assert out["subject"] == "Ihr City One wartet: 15 % Rabatt"
        assert "Hallo Jonas" in out["html"]
        assert "2.379,00" in out["html"]
        assert "https://voltaro.example/u/abc" in out["html"]

    def test_sms_states_price_and_discount(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        body = render(
            hub, keys, "sms", {"id": "c-cart", "segments": ["cart_abandoner"]}
        )
        text = body["output"]["text"]
        assert "€2,379.00" in text
        assert "-15%" in text


class TestPurchaser:
    @pytest.mark.parametrize("channel", ["email", "sms", "web", "push"])
    @pytest.mark.parametrize(
        "customer",
        [
            {"id": "c-buy", "segments": ["purchaser", "cart_abandoner"]},
            {
                "id": "c-buy",
                "segments": ["cart_abandoner"],
                "attributes": {"has_purchased": True},
            },
            {
                "id": "c-buy",
                "segments": ["purchaser"],
                "attributes": {"lead_score": 95},
            },
        ],
    )
    def test_gets_onboarding_and_never_the_discount(
        self, hub: TestClient[Any], keys: Keys, channel: str, customer: dict[str, Any]
    ) -> None:
        body = render(hub, keys, channel, customer)
        assert body["variant"] == "onboarding"
        assert body["decision"]["rule_id"] == "purchasers-get-onboarding"
        assert "Make the most of your City One" in text_of(body)
        assert "15 %" not in text_of(body)
        assert "15%" not in text_of(body)


class TestVip:
    @pytest.mark.parametrize(
        "attributes", [{"lead_score": 80}, {"loyalty_tier": "gold", "lead_score": 10}]
    )
    @pytest.mark.parametrize("channel", ["email", "push"])
    def test_gets_premium(
        self, hub: TestClient[Any], keys: Keys, attributes: dict[str, Any], channel: str
    ) -> None:
        body = render(hub, keys, channel, {"id": "c-vip", "attributes": attributes})
        assert body["variant"] == "premium"
        assert "Your private preview of the City One" in text_of(body)

    def test_just_below_the_score_is_not_vip(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        body = render(
            hub, keys, "web", {"id": "c-vip", "attributes": {"lead_score": 79}}
        )
        assert body["variant"] != "premium"


class TestExperiment:
    def test_everyone_else_splits_and_keeps_their_headline_on_every_channel(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        seen: dict[str, int] = {}
        for i in range(40):
            customer = {"id": f"customer-{i}"}
            bodies = [
                render(hub, keys, ch, customer) for ch in ("web", "email", "push")
            ]
            variants = {b["variant"] for b in bodies}
            assert len(variants) == 1, variants
            variant = variants.pop()
            assert variant in HEADLINES
            for body in bodies:
                assert HEADLINES[variant] in text_of(body)
            seen[variant] = seen.get(variant, 0) + 1
        assert set(seen) == set(HEADLINES)

    def test_the_two_spring_experiments_never_share_a_customer(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        hero = {"type": "hero_banner", "key": "spring-hero"}
        members = {"offer": 0, "banner": 0}
        for i in range(40):
            customer = {"id": f"customer-{i}"}
            offer = render(hub, keys, "web", customer)["decision"]
            banner = render(hub, keys, "web", customer, entry=hero)["decision"]
            in_offer = offer.get("rule_id") == "spring-headline-test"
            in_banner = banner.get("rule_id") == "spring-hero-image-test"
            assert not (in_offer and in_banner)
            members["offer"] += in_offer
            members["banner"] += in_banner
        assert members["offer"] > 5 and members["banner"] > 5, members


class TestLocales:
    def test_de_ch_falls_back_to_de_field_by_field(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        r = hub.get(
            "/delivery/v1/content-types/offer/entries/spring-city-one",
            params={"locale": "de-CH"},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["locale_chain"][:2] == ["de-CH", "de"]
        assert body["fields"]["title"] == "Mit em City One in Früelig"
        assert body["field_locales"]["title"] == "de-CH"
        assert body["fields"]["summary"].startswith("Zubehör im Wert von 200")
        assert body["field_locales"]["summary"] == "de"

    def test_de_ch_render_reports_which_fields_fell_back(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        body = render(hub, keys, "email", {"id": "customer-1"}, "de-CH")
        assert body["field_locales"]["summary"] == "de"
        assert "Zubehör im Wert von 200" in body["output"]["html"]
        assert "Hallo" in body["output"]["html"]

    def test_arabic_is_right_to_left(self, hub: TestClient[Any], keys: Keys) -> None:
        body = render(
            hub,
            keys,
            "email",
            {"id": "c-ar"},
            "ar",
            {"type": "offer", "key": "e5-launch-lease"},
        )
        assert 'dir="rtl"' in body["output"]["html"]
        assert "قد E5" in body["output"]["subject"]
