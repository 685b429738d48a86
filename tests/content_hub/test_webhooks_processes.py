"""Webhooks from real ``content-hub serve`` process groups: ``kill -9`` of
the whole group mid-delivery loses nothing (after the restart every event
arrives, at least once); two workers, and on PostgreSQL two hosts, run one
dispatcher between them (one lease holder, each event sent once)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.content_hub.factories import ARTICLE_FIELDS
from tests.content_hub.serve_support import ServeGroup
from tests.content_hub.webhook_support import Receiver, serve

pytestmark = pytest.mark.slow
ENV = {
    "CONTENT_HUB_WEBHOOKS_ALLOW_HTTP": "1",
    "CONTENT_HUB_WEBHOOKS_ALLOW_PRIVATE": "1",
    "CONTENT_HUB_WEBHOOKS_RETRY_SCHEDULE": "0.2,0.5,1,2",
    "CONTENT_HUB_LEASE_INTERVAL": "0.5",
}
EVENTS = ["entry.published", "content_type.changed"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from serve(Receiver())


def _wait(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.05)


def _setup(url: str, secret: str, receiver: Receiver, entries: int) -> set[str]:
    """A type, a subscription, ``entries`` published entries; their ids."""
    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        made = client.post(
            "/manage/v1/webhooks", json={"url": receiver.url, "events": EVENTS}
        )
        assert made.status_code == 201, made.text
        receiver.secret = made.json()["secret"]
        body = {"key": "article", "name": "A", "fields": ARTICLE_FIELDS}
        assert client.post("/manage/v1/content-types", json=body).status_code == 201
        ids: set[str] = set()
        for n in range(entries):
            e = client.post(
                "/manage/v1/entries",
                json={
                    "type": "article",
                    "key": f"e{n}",
                    "fields": {"title": {"en": "T"}},
                },
            ).json()
            r = client.post(
                f"/manage/v1/entries/{e['id']}/publish", headers={"If-Match": '"1"'}
            )
            assert r.status_code == 200, r.text
            ids.add(e["id"])
        return ids


def _published(receiver: Receiver) -> set[str]:
    return {
        r.body["data"]["id"]
        for r in receiver.delivered()
        if r.body["type"] == "entry.published"
    }


def _holders(groups: list[ServeGroup]) -> set[str]:
    return {
        r["msg"].rsplit(" ", 1)[-1]
        for g in groups
        for r in g.log_records()
        if r.get("msg", "").startswith("lease webhook-dispatcher taken by ")
    }


def test_kill_9_mid_delivery_then_restart_delivers_everything(
    settings: Settings, receiver: Receiver
) -> None:
    secret = asyncio.run(_create_key(settings, "hook-admin", [Scope.ADMIN]))
    group = ServeGroup(settings, extra_env=ENV).start()
    try:
        receiver.delay = 2.0  # in flight when the group dies
        ids = _setup(group.url, secret, receiver, 30)
        _wait(lambda: len(receiver.requests) >= 5, "first deliveries")
        group.kill()
        seen_before = {r.id for r in receiver.requests}
        receiver.delay = 0.0
        group.start()
        _wait(lambda: _published(receiver) == ids, "every publish after the restart")
        unique = receiver.unique_ids()
        assert len(unique) == len(ids) + 1  # and the content type's change
        # at-least-once: what was received before the kill but never
        # acknowledged to the hub arrived again, under the same webhook-id
        again = [r.id for r in receiver.delivered() if r.id in seen_before]
        assert len(again) >= len(seen_before)
        assert receiver.bad_signatures == 0
    finally:
        group.stop()


def test_two_workers_run_one_dispatcher(
    settings: Settings, receiver: Receiver, tmp_path: Path
) -> None:
    secret = asyncio.run(_create_key(settings, "hook-admin", [Scope.ADMIN]))
    groups = [ServeGroup(settings, workers=2, extra_env=ENV, name="a")]
    if "postgresql" in settings.database.url:  # and a second host
        groups.append(
            ServeGroup(
                settings, workers=2, extra_env=ENV, name="b", data_dir=tmp_path / "b"
            )
        )
        (tmp_path / "b").mkdir()
    for g in groups:
        g.start()
    try:
        ids = _setup(groups[-1].url, secret, receiver, 40)
        _wait(lambda: _published(receiver) == ids, "every publish")
        time.sleep(1.0)  # a second dispatcher would send them again by now
        sent = [r.id for r in receiver.delivered()]
        assert len(sent) == len(set(sent)) == len(ids) + 1, "an event was sent twice"
        assert len(_holders(groups)) == 1, _holders(groups)
    finally:
        for g in groups:
            g.stop()
