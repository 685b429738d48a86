"""POST /render/v1/events and the buffered event recorder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar.testing import TestClient

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.live.exposures import EventRecorder
from content_hub.settings import EventSettings, Settings, parse_receipts
from content_hub.store.db import create_engine, create_session_factory
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import at, hub_of, rows


def exposure(event_id: str, unit: str = "u1", variation: int = 0) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "experiment_key": "hero-test",
        "variation_id": variation,
        "hash_value": unit,
        "at": at(0),
    }


def conversion(
    event_id: str, unit: str = "u1", value: float | None = None
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "goal": "purchase",
        "hash_value": unit,
        "value": value,
        "at": at(5),
    }


def exposure_struct(event_id: str, unit: str = "u1") -> Exposure:
    return Exposure(
        event_id=event_id,
        experiment_key="hero-test",
        variation_id=1,
        variant="bold",
        hash_attribute="id",
        hash_value=unit,
        entry_id="e1",
        channel="email",
        at=datetime.now(UTC),
    )


class TestEventsEndpoint:
    def test_accepts_and_counts_then_repeats_are_duplicates(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        body = {
            "exposures": [exposure("x1"), exposure("x2", "u2", 1), exposure("x1")],
            "conversions": [conversion("c1", value=9.5)],
        }
        first = client.post(
            "/render/v1/events", json=body, headers=keys.headers("render")
        )
        assert first.status_code == 202, first.text
        assert first.json() == {
            "accepted": 3,
            "duplicates": 1,
            "exposures": {"accepted": 2, "duplicates": 1},
            "conversions": {"accepted": 1, "duplicates": 0},
        }
        again = client.post(
            "/render/v1/events", json=body, headers=keys.headers("delivery")
        )
        assert again.status_code == 202
        assert again.json()["accepted"] == 0
        assert again.json()["duplicates"] == 4
        stored = rows(
            settings, "SELECT event_id, variant, source FROM exposure ORDER BY event_id"
        )
        assert [tuple(r) for r in stored] == [("x1", "0", "sdk"), ("x2", "1", "sdk")]
        assert [
            tuple(r) for r in rows(settings, "SELECT event_id, value FROM conversion")
        ] == [("c1", 9.5)]

    def test_needs_render_or_delivery_scope(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        body = {"exposures": [exposure("x1")]}
        response = client.post(
            "/render/v1/events", json=body, headers=keys.headers("manage")
        )
        assert response.status_code == 403
        assert response.json()["type"].endswith("/forbidden")
        assert client.post("/render/v1/events", json=body).status_code == 401

    def test_bad_input_is_a_problem_document_and_stores_nothing(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        missing = {
            "exposures": [{"event_id": "x1", "experiment_key": "k", "variation_id": 0}]
        }
        response = client.post(
            "/render/v1/events", json=missing, headers=keys.headers("render")
        )
        assert response.status_code == 400
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["errors"][0]["loc"][:3] == ["body", "exposures", 0]
        unknown = {"exposures": [], "clicks": []}
        response = client.post(
            "/render/v1/events", json=unknown, headers=keys.headers("render")
        )
        assert response.status_code == 400
        huge = {"conversions": [conversion("c1", value=1e300)]}
        response = client.post(
            "/render/v1/events", json=huge, headers=keys.headers("render")
        )
        assert response.status_code == 400
        naive = {"conversions": [{**conversion("c2"), "at": "2026-11-01T12:00:00"}]}
        response = client.post(
            "/render/v1/events", json=naive, headers=keys.headers("render")
        )
        assert response.status_code == 400
        edge = {
            "conversions": [{**conversion("c3"), "at": "0001-01-01T00:00:00+01:00"}]
        }
        response = client.post(
            "/render/v1/events", json=edge, headers=keys.headers("render")
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "conversions", 0, "at"]
        assert rows(settings, "SELECT COUNT(*) FROM conversion")[0][0] == 0


class TestRecorder:
    def test_buffered_exposures_are_written_on_shutdown(
        self, settings: Settings, keys: Keys
    ) -> None:
        settings = msgspec.structs.replace(
            settings, events=EventSettings(flush_interval=3600.0, receipts=1.0)
        )
        with TestClient(app_for(settings)) as client:
            recorder = hub_of(client).events
            assert client.blocking_portal is not None
            client.blocking_portal.call(
                recorder.record_exposures,
                [exposure_struct(f"e{i}", f"u{i}") for i in range(250)],
            )
            receipt = RenderReceipt(
                entry_id="e1",
                version=3,
                variant="bold",
                locale="de",
                channel="email",
                customer_id="u1",
                request_id="r1",
                at=datetime.now(UTC),
            )
            assert client.blocking_portal.call(recorder.record_receipt, receipt)
            assert recorder.depth == 251
            assert rows(settings, "SELECT COUNT(*) FROM exposure")[0][0] == 0
        assert rows(settings, "SELECT COUNT(*) FROM exposure")[0][0] == 250
        assert [
            tuple(r)
            for r in rows(
                settings,
                "SELECT entry_id, version, variant, customer_id FROM render_receipt",
            )
        ] == [("e1", 3, "bold", "u1")]

    def test_flush_is_idempotent_and_back_pressure_drops_nothing(
        self, settings: Settings
    ) -> None:
        async def scenario() -> int:
            engine = create_engine(settings.database.url)
            recorder = EventRecorder(
                create_session_factory(engine), EventSettings(buffer_size=10)
            )
            stop = asyncio.Event()
            loop = asyncio.create_task(recorder.loop(stop))
            try:
                for batch in range(5):
                    recorder.record_exposures(
                        exposure_struct(f"b{batch}-{i}") for i in range(8)
                    )
                    await asyncio.wait_for(recorder.room(), timeout=10)
                recorder.record_exposures([exposure_struct("b0-0")])  # a repeat
                await recorder.flush()
                assert recorder.depth == 0
            finally:
                stop.set()
                await loop
                await engine.dispose()
            return 0

        asyncio.run(scenario())
        assert rows(settings, "SELECT COUNT(*) FROM exposure")[0][0] == 40

    def test_receipt_setting(self) -> None:
        assert parse_receipts("off") == 0.0
        assert parse_receipts("on") == 1.0
        assert parse_receipts("sample:0.1") == 0.1
        for bad in ("sometimes", "sample:2", "sample:x"):
            try:
                parse_receipts(bad)
            except ValueError:
                continue
            raise AssertionError(bad)
        assert (
            Settings.from_env({"CONTENT_HUB_RECEIPTS": "sample:0.25"}).events.receipts
            == 0.25
        )
