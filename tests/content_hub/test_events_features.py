"""GET /api/features/{client_key} and sticky bucketing in the database."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.live.exposures import EventRecorder
from content_hub.live.sticky import StickyStore, sticky_pairs
from content_hub.settings import EventSettings, Settings
from content_hub.store.db import create_engine, create_session_factory
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import fake_render, hub_of
from tests.content_hub.factories import add_entry, add_type, publish
from variants import Customer, ExperimentRule, RuleSet, decide, evaluate_feature

RULES: list[dict[str, Any]] = [
    {
        "type": "personalise",
        "id": "vip",
        "condition": {"segments": "vip"},
        "variant": "vip",
    },
    {
        "type": "experiment",
        "id": "exp",
        "key": "hero-test",
        "variations": ["default", "bold"],
        "weights": [0.3, 0.7],
    },
]
VARIANTS = {"bold": {"fields": {}}, "vip": {"fields": {}}}


@pytest.fixture
def published(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    manage = keys.headers("manage")
    add_type(client, manage)
    entry = publish(
        client, manage, add_entry(client, manage, "hero", {"title": {"en": "Hi"}})
    )
    fake_render(client, {entry["id"]: {"variants": VARIANTS, "rules": RULES}})
    return entry


@pytest.mark.usefixtures("published")
class TestSdkPayload:
    def test_an_sdk_buckets_every_customer_like_decide(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        response = client.get(f"/api/features/{keys.secrets['delivery']}")
        assert response.status_code == 200, response.text
        # CORS comes from CONTENT_HUB_CORS_ORIGINS only (tests/content_hub/test_cors.py)
        assert "access-control-allow-origin" not in response.headers
        payload = response.json()
        assert list(payload["features"]) == ["article.hero"]
        [ruleset] = hub_of(client).features.rules().rulesets
        seen = set()
        for i in range(300):
            segments = ["vip"] if i % 10 == 0 else []
            customer = Customer(id=f"u{i}", segments=segments)
            context = {
                "attributes": {"id": f"u{i}", "segments": segments},
                "features": payload["features"],
            }
            sdk = evaluate_feature(context, "article.hero")["value"]
            assert sdk == decide(ruleset, customer).variant, i
            seen.add(sdk)
        assert seen == {"default", "bold", "vip"}

    def test_etag_and_304(self, client: TestClient[Any], keys: Keys) -> None:
        url = f"/api/features/{keys.secrets['preview']}"
        first = client.get(url)
        assert first.status_code == 200
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_only_delivery_keys_are_client_keys(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        for secret in ("chk_nope", keys.secrets["manage"], keys.secrets["render"]):
            response = client.get(f"/api/features/{secret}")
            assert response.status_code == 404
            assert response.headers["content-type"].startswith(
                "application/problem+json"
            )


class TestStickyStore:
    def test_assignments_survive_a_weight_change_and_merge_per_identifier(
        self, settings: Settings
    ) -> None:
        def ruleset(weights: list[float], key: str = "hero-test") -> RuleSet:
            rule = ExperimentRule(
                id="exp", key=key, variations=["default", "bold"], weights=weights
            )
            return RuleSet(
                key="article.hero", baseline="default", variants=["bold"], rules=[rule]
            )

        customers = [Customer(id=f"u{i}") for i in range(40)]

        async def scenario() -> tuple[list[str], list[str], dict[str, str]]:
            engine = create_engine(settings.database.url)
            sessions = create_session_factory(engine)
            recorder = EventRecorder(sessions, EventSettings())
            store = StickyStore(sessions, recorder)
            try:
                before_rules = ruleset([0.5, 0.5])
                sticky = await store.load(sticky_pairs(before_rules, customers))
                before = [
                    decide(before_rules, c, sticky=sticky).variant for c in customers
                ]
                assert store.save_changed(sticky) == 40
                await recorder.flush()
                after_rules = ruleset([0.0, 1.0])  # everyone new would get "bold"
                fresh = StickyStore(sessions, recorder)
                sticky = await fresh.load(sticky_pairs(after_rules, customers))
                after = [
                    decide(after_rules, c, sticky=sticky).variant for c in customers
                ]
                assert fresh.save_changed(sticky) == 0
                other = ruleset([1.0, 0.0], key="other-test")
                sticky = await fresh.load(sticky_pairs(other, customers[:1]))
                decide(other, customers[0], sticky=sticky)
                fresh.save_changed(sticky)
                await recorder.stop()
                merged = await fresh.load([("id", "u0")])
                doc = merged.get_assignments("id", "u0")
                assert doc is not None
                return before, after, doc["assignments"]
            finally:
                await engine.dispose()

        before, after, assignments = asyncio.run(scenario())
        assert after == before
        assert set(before) == {"default", "bold"}
        assert assignments == {"hero-test__0": before[0], "other-test__0": "default"}

    def test_concurrent_reads_share_queries_and_each_gets_its_own_documents(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from content_hub.store.repositories.events import EventRepository

        queries: list[list[str]] = []
        read = EventRepository.sticky_docs

        async def counted(
            self: EventRepository, keys: list[str]
        ) -> dict[str, dict[str, str]]:
            queries.append(list(keys))
            return await read(self, keys)

        monkeypatch.setattr(EventRepository, "sticky_docs", counted)

        async def scenario() -> list[dict[str, str] | None]:
            engine = create_engine(settings.database.url)
            sessions = create_session_factory(engine)
            recorder = EventRecorder(sessions, EventSettings())
            try:
                recorder.save_sticky(
                    {f"id||s{i}": {"exp__0": f"v{i}"} for i in range(0, 50, 2)}
                )
                await recorder.flush()
                store = StickyStore(sessions, recorder)
                loads = await asyncio.gather(
                    *(store.load([("id", f"s{i}")]) for i in range(50))
                )
                return [
                    (doc or {}).get("assignments")
                    for i, sticky in enumerate(loads)
                    for doc in [sticky.get_assignments("id", f"s{i}")]
                ]
            finally:
                await engine.dispose()

        found = asyncio.run(scenario())
        assert found == [{"exp__0": f"v{i}"} if i % 2 == 0 else None for i in range(50)]
        # all 50 asked before the reader task's first turn: one query
        assert len(queries) == 1
        assert sorted(k for q in queries for k in q) == sorted(
            f"id||s{i}" for i in range(50)
        )

    def test_a_failed_grouped_read_fails_every_waiter_and_the_next_read_works(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from content_hub.store.repositories.events import EventRepository

        read = EventRepository.sticky_docs
        fail = [True]

        async def flaky(
            self: EventRepository, keys: list[str]
        ) -> dict[str, dict[str, str]]:
            if fail[0]:
                raise ConnectionError("database went away")
            return await read(self, keys)

        monkeypatch.setattr(EventRepository, "sticky_docs", flaky)

        async def scenario() -> tuple[list[BaseException | object], bool]:
            engine = create_engine(settings.database.url)
            sessions = create_session_factory(engine)
            store = StickyStore(sessions, EventRecorder(sessions, EventSettings()))
            try:
                results = await asyncio.gather(
                    *(store.load([("id", f"f{i}")]) for i in range(5)),
                    return_exceptions=True,
                )
                fail[0] = False
                again = await store.load([("id", "f0")])
                return results, again.get_assignments("id", "f0") is None
            finally:
                await engine.dispose()

        results, read_again = asyncio.run(scenario())
        assert all(isinstance(r, ConnectionError) for r in results)
        assert read_again

    def test_sqlite_point_reads_agree_with_sessions_and_fall_back_on_failure(
        self, settings: Settings
    ) -> None:
        from content_hub.store.sqlite_reads import SqlitePointReader

        reader = SqlitePointReader.for_url(settings.database.url)
        if not settings.database.is_sqlite:
            assert reader is None  # PostgreSQL reads through its sessions
            return
        assert reader is not None
        failing: list[list[str]] = []

        def broken(keys: Any) -> None:
            failing.append(list(keys))

        async def scenario() -> tuple[Any, Any, Any, Any]:
            engine = create_engine(settings.database.url)
            sessions = create_session_factory(engine)
            # wired as the hub wires them: a commit of sticky documents tells
            # the reader's key filter to look at the table again
            recorder = EventRecorder(
                sessions, EventSettings(), sticky_committed=reader.expire_sticky
            )
            try:
                recorder.save_sticky({"id||p1": {"exp__0": "bold"}})
                await recorder.flush()
                keys = ["id||p1", "id||p2"]
                direct = reader.sticky_docs(keys)
                via_store = await StickyStore(
                    sessions, recorder, point_reader=reader.sticky_docs
                ).load([("id", "p1"), ("id", "p2")])
                fallback = await StickyStore(
                    sessions, recorder, point_reader=broken
                ).load([("id", "p1")])
                # a write after the reader's connection opened is seen at once
                recorder.save_sticky({"id||p2": {"exp__0": "default"}})
                await recorder.flush()
                return direct, via_store, fallback, reader.sticky_docs(keys)
            finally:
                reader.close()
                await engine.dispose()

        direct, via_store, fallback, later = asyncio.run(scenario())
        assert direct == {"id||p1": {"exp__0": "bold"}}
        assert via_store.get_assignments("id", "p1") == {
            "attributeName": "id",
            "attributeValue": "p1",
            "assignments": {"exp__0": "bold"},
        }
        assert via_store.get_assignments("id", "p2") is None
        assert failing == [["id||p1"]]
        doc = fallback.get_assignments("id", "p1")
        assert doc is not None
        assert doc["assignments"] == {"exp__0": "bold"}
        assert later == {
            "id||p1": {"exp__0": "bold"},
            "id||p2": {"exp__0": "default"},
        }

    def test_a_sqlite_point_reader_that_cannot_open_returns_none(
        self, tmp_path: Any
    ) -> None:
        from content_hub.store.sqlite_reads import SqlitePointReader

        missing = SqlitePointReader(str(tmp_path / "no-such-dir" / "hub.sqlite3"))
        assert missing.sticky_docs(["id||x"]) is None
        assert SqlitePointReader.for_url("sqlite+aiosqlite:///:memory:") is None
