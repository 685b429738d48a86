"""POST /render/v1/preview: the unpublished state through the render code,
recording nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from content_hub.services.preview_render import draft_template, published_template
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import hub_of, rows
from tests.content_hub.render_fixtures import build_offer

FIELDS = {
    "title": {"en": "Unsaved spring title", "de": "Ungespeichert"},
    "body": {"en": "Not saved yet"},
    "price": 999,
    "url": "https://shop.example/unsaved",
}


@pytest.fixture
def offer(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    return build_offer(client, keys.headers("admin"))


def preview(
    client: TestClient[Any], keys: Keys, scope: str = "admin", **body: Any
) -> Any:
    return client.post(
        "/render/v1/preview",
        json={"type": "offer", "key": "spring", **body},
        headers=keys.headers(scope),
    )


def template_version(settings: Settings, stage: str, channel: str) -> int:
    """The version the repository functions name for ``stage``."""

    async def read() -> int:
        engine = create_async_engine(settings.database.url)
        try:
            async with async_sessionmaker(engine)() as session:
                read = draft_template if stage == "draft" else published_template
                found = await read(session, "offer", channel)
                assert found is not None
                return found.version
        finally:
            await engine.dispose()

    return asyncio.run(read())


class TestPreview:
    def test_unsaved_fields_render_and_are_not_stored(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = preview(client, keys, channel="web", fields=FIELDS)
        assert r.status_code == 200, r.text
        body = r.json()
        assert "Unsaved spring title" in body["render"]["output"]["html"]
        assert body["unsaved"] == ["fields"]
        stored = client.get(
            f"/manage/v1/entries/{offer['id']}", headers=keys.headers("admin")
        ).json()
        assert stored["version"] == offer["version"]
        assert stored["fields"]["title"]["en"] == "Spring offer"
        bad = preview(client, keys, channel="web", fields={"price": "lots"})
        assert bad.status_code == 422
        assert bad.json()["errors"]

    def test_unsaved_personalization_is_validated_and_used(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        personalization = {
            "variants": {"summer": {"fields": {"title": {"en": "Summer!"}}}},
            "rules": [
                {
                    "type": "personalise",
                    "id": "all-gold",
                    "audiences": ["vip"],
                    "variant": "summer",
                }
            ],
        }
        r = preview(
            client,
            keys,
            channel="web",
            personalization=personalization,
            customer={"attributes": {"tier": "gold"}},
        )
        assert r.status_code == 200, r.text
        assert r.json()["render"]["variant"] == "summer"
        assert "Summer!" in r.json()["render"]["output"]["html"]
        personalization["rules"][0]["variant"] = "autumn"
        r = preview(client, keys, channel="web", personalization=personalization)
        assert r.status_code == 422

    def test_a_forced_variant(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = preview(client, keys, channel="email", variant="premium", locale="en")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["render"]["variant"] == "premium"
        assert body["render"]["decision"]["reason"] == "forced"
        assert body["render"]["output"]["subject"].startswith(
            "Your private spring preview"
        )
        assert "forced" in body["explanation"][0]
        assert preview(client, keys, channel="email", variant="nope").status_code == 422

    def test_the_trace_names_the_rules_in_words(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        body = preview(
            client,
            keys,
            channel="web",
            customer={"id": "c-2", "segments": ["cart_abandoner"]},
        ).json()
        assert body["render"]["variant"] == "discount"
        assert [s["reason"] for s in body["render"]["decision"]["trace"]] == [
            "condition_false",
            "applied",
        ]
        assert body["explanation"][0].startswith("Rule 'vip' (personalise) did not")
        assert "'abandoners'" in body["explanation"][1]
        assert "applied" in body["explanation"][1]
        experiment = preview(client, keys, channel="web", customer={"id": "x-7"})
        words = experiment.json()["explanation"][-1]
        assert "spring-headline" in words and "bucket" in words and "x-7" in words

    def test_draft_and_published_templates(
        self,
        client: TestClient[Any],
        keys: Keys,
        offer: dict[str, Any],
        settings: Settings,
    ) -> None:
        r = client.put(
            "/manage/v1/content-types/offer/templates/web",
            headers=keys.headers("admin"),
            json={"parts": {"type": "web", "html": "<h2>v2 {{ fields.title }}</h2>"}},
        )
        assert r.status_code == 200, r.text
        draft = preview(client, keys, channel="web", templates="draft").json()
        assert draft["templates"] == "draft"
        assert draft["template_version"] == template_version(settings, "draft", "web")
        assert "<h2>v2 Spring offer</h2>" in draft["render"]["output"]["html"]
        published = preview(client, keys, channel="web", templates="published").json()
        assert published["templates"] == "published"
        live_version = template_version(settings, "published", "web")
        assert published["template_version"] == live_version
        assert ("<h2>v2" in published["render"]["output"]["html"]) == (
            live_version == draft["template_version"]
        )

    def test_a_missing_customer_variable_names_part_and_line(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        client.put(
            "/manage/v1/content-types/offer/templates/sms",
            headers=keys.headers("admin"),
            json={
                "parts": {
                    "type": "sms",
                    "text": "{{ fields.title }}\nHi {{ customer.first_name }}",
                }
            },
        )
        r = preview(client, keys, channel="sms")
        assert r.status_code == 422
        problem = r.json()
        assert problem["type"].endswith("/missing-customer-data")
        assert (problem["variable"], problem["line"], problem["part"]) == (
            "customer.first_name",
            2,
            "text",
        )
        ok = preview(
            client, keys, channel="sms", customer={"attributes": {"first_name": "Ada"}}
        )
        assert ok.status_code == 200, ok.text


def recorded(client: TestClient[Any], settings: Settings) -> int:
    """Exposures, receipts and sticky buckets, stored after the buffer is
    written (counting the buffer and the tables apart raced the background
    flush: a batch counted in neither)."""
    client.blocking_portal.call(hub_of(client).events.flush)
    return sum(
        rows(settings, f"select count(*) from {table}")[0][0]
        for table in ("exposure", "render_receipt", "sticky_assignment")
    )


class TestRecordsNothing:
    def test_previews_write_no_exposure_receipt_or_sticky_bucket(
        self,
        client: TestClient[Any],
        keys: Keys,
        offer: dict[str, Any],
        settings: Settings,
    ) -> None:
        before = recorded(client, settings)
        for i in range(12):
            customer = {"id": f"customer-{i}"}
            for channel in ("web", "email", "push", "sms"):
                r = preview(client, keys, channel=channel, customer=customer)
                assert r.status_code == 200, r.text
            assert r.json()["render"]["decision"]["exposure_logged"] is False
        assert recorded(client, settings) == before
        # the same customers through the live render do record (the count works)
        for i in range(12):
            client.post(
                "/render/v1/render",
                json={
                    "type": "offer",
                    "key": "spring",
                    "channel": "web",
                    "customer": {"id": f"customer-{i}"},
                },
                headers=keys.headers("render"),
            )
        assert recorded(client, settings) > before


class TestWho:
    def test_scopes_and_unsaved_state(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        assert preview(client, keys, "preview", channel="web").status_code == 200
        for scope in ("render", "delivery"):
            assert preview(client, keys, scope, channel="web").status_code == 403
        r = preview(client, keys, "preview", channel="web", fields=FIELDS)
        assert r.status_code == 403
        r = preview(client, keys, "preview", channel="web", personalization={})
        assert r.status_code == 403
        assert (
            preview(client, keys, "manage", channel="web", fields=FIELDS).status_code
            == 200
        )
        r = client.post("/render/v1/preview", json={"channel": "web", "entry_id": "x"})
        assert r.status_code == 401


KEYS = [
    "entry_id",
    "type",
    "key",
    "version",
    "fields",
    "personalization",
    "templates",
    "variant",
    "channel",
    "locale",
    "customer",
    "sample",
    "context",
    "junk",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
VALUES = st.one_of(
    JSON,
    st.sampled_from(
        [
            "web",
            "email",
            "sms",
            "draft",
            "published",
            "spring",
            "offer",
            "de",
            "premium",
            0,
            -1,
            2**31,
            "\x00",
        ]
    ),
)


class TestBadBodies:
    @hsettings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(body=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6))
    def test_never_a_500(
        self,
        client: TestClient[Any],
        keys: Keys,
        offer: dict[str, Any],
        body: dict[str, Any],
    ) -> None:
        r = client.post("/render/v1/preview", json=body, headers=keys.headers("admin"))
        assert r.status_code in (200, 400, 403, 404, 422), r.text
        if r.status_code != 200:
            assert r.headers["content-type"].startswith("application/problem+json")
