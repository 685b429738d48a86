"""Scheduled publish and unpublish: fired by the running service, kept across
a restart, claimed by exactly one of several workers."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from litestar.testing import TestClient

from content_hub.hub import Hub
from content_hub.settings import Settings, WorkflowSettings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type


def _fast(settings: Settings, interval: float = 0.1) -> Settings:
    return msgspec.structs.replace(
        settings, workflow=WorkflowSettings(schedule_interval=interval)
    )


def _at(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def _wait_for(check: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the schedule did not fire in time"
        time.sleep(0.05)


def _schedule(
    client: TestClient[Any], manage: dict[str, str], entry_id: str, **times: Any
) -> dict[str, Any]:
    r = client.put(
        f"/manage/v1/entries/{entry_id}/schedule", json=times, headers=manage
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


class TestSchedules:
    def test_publish_and_unpublish_fire_in_the_running_service(
        self, settings: Settings, keys: Keys
    ) -> None:
        manage, delivery = keys.headers("manage"), keys.headers("delivery")
        with TestClient(app_for(_fast(settings))) as client:
            add_type(client, manage)
            entry = add_entry(client, manage, "launch", {"title": {"en": "Launch"}})
            out = _schedule(
                client, manage, entry["id"], publish_at=_at(0.5), unpublish_at=_at(2)
            )
            assert out["publish_at"] is not None and out["unpublish_at"] is not None
            url = f"/delivery/v1/entries/{entry['id']}"
            assert client.get(url, headers=delivery).status_code == 404
            _wait_for(lambda: client.get(url, headers=delivery).status_code == 200)
            shown = client.get(f"/manage/v1/entries/{entry['id']}", headers=manage)
            assert shown.json()["status"] == "published"
            assert shown.json()["publish_at"] is None
            _wait_for(lambda: client.get(url, headers=delivery).status_code == 404)
            audit = client.get(
                "/manage/v1/audit",
                params={"resource": f"entry:{entry['id']}"},
                headers=keys.headers("admin"),
            ).json()["items"]
            actions = [(a["action"], a["actor"]) for a in audit]
            assert actions[:2] == [
                ("scheduled_unpublish", "scheduler"),
                ("scheduled_publish", "scheduler"),
            ]

    def test_a_schedule_survives_a_restart(
        self, settings: Settings, keys: Keys
    ) -> None:
        manage, delivery = keys.headers("manage"), keys.headers("delivery")
        with TestClient(app_for(_fast(settings, interval=3600))) as first:
            add_type(first, manage)
            entry = add_entry(first, manage, "later", {"title": {"en": "Later"}})
            _schedule(first, manage, entry["id"], publish_at=_at(1))
        time.sleep(1.2)  # due while no hub is running
        with TestClient(app_for(_fast(settings))) as second:
            url = f"/delivery/v1/entries/{entry['id']}"
            _wait_for(lambda: second.get(url, headers=delivery).status_code == 200)

    def test_two_workers_publish_a_due_entry_once(
        self, settings: Settings, keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        with TestClient(app_for(_fast(settings, interval=3600))) as client:
            add_type(client, manage)
            entry = add_entry(client, manage, "once", {"title": {"en": "Once"}})
            _schedule(client, manage, entry["id"], publish_at=_at(0.3))
        time.sleep(0.5)

        async def race() -> list[int]:
            hubs = [Hub.build(settings) for _ in range(2)]
            try:
                return list(
                    await asyncio.gather(*(h.scheduler.run_due() for h in hubs))
                )
            finally:
                for hub in hubs:
                    await hub.engine.dispose()
                    await hub.read_engine.dispose()
                    hub.search.close()

        assert sorted(asyncio.run(race())) == [0, 1]
        with TestClient(app_for(_fast(settings, interval=3600))) as client:
            audit = client.get(
                "/manage/v1/audit",
                params={"action": "scheduled_publish"},
                headers=keys.headers("admin"),
            ).json()["items"]
            assert [a["resource_id"] for a in audit] == [entry["id"]]

    def test_bad_schedules_are_422_problems(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        add_type(client, manage)
        entry = add_entry(client, manage, "x", {"title": {"en": "X"}})
        url = f"/manage/v1/entries/{entry['id']}/schedule"
        r = client.put(
            url, json={"publish_at": _at(100), "unpublish_at": _at(50)}, headers=manage
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["unpublish_at"]
        naive = client.put(
            url, json={"publish_at": "2030-01-01T10:00:00"}, headers=manage
        )
        assert naive.status_code == 400
