"""Webhooks end to end: the app's dispatcher sends to a real receiver on
127.0.0.1 that verifies every signature with ``standardwebhooks``."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.domain.inputs import EntryUpdate
from content_hub.domain.keys import SYSTEM
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.settings import RetrySettings, Settings, WebhookSettings
from content_hub.store.db import commit, create_engine, create_session_factory
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.editorial import add_taxonomy, add_term
from tests.content_hub.factories import add_entry, add_locale, add_type, publish
from tests.content_hub.webhook_support import Receiver, serve

ALL = [
    "entry.published",
    "entry.unpublished",
    "entry.archived",
    "entry.deleted",
    "content_type.changed",
    "template.changed",
    "taxonomy.changed",
    "audience.changed",
    "experiment.changed",
]
W = "/manage/v1/webhooks"


def local(settings: Settings, **webhooks: Any) -> Settings:
    """Settings that allow a receiver on 127.0.0.1 over http, retry fast."""
    return msgspec.structs.replace(
        settings,
        webhooks=WebhookSettings(
            allow_http=True,
            allow_private=True,
            **{"retry_schedule": (0.05, 0.1, 0.2), **webhooks},
        ),
        retry=RetrySettings(initial=0.05, maximum=0.2, lease=0.2),
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from serve(Receiver())


def subscribe(
    client: TestClient[Any], admin: dict[str, str], receiver: Receiver, **extra: Any
) -> dict[str, Any]:
    body = {"url": receiver.url, "events": ALL, **extra}
    response = client.post(W, json=body, headers=admin)
    assert response.status_code == 201, response.text
    made = response.json()
    receiver.secret = made["secret"]
    return dict(made["webhook"])


def entry_with_type(client: TestClient[Any], admin: dict[str, str]) -> dict[str, Any]:
    add_locale(client, admin, "de")
    add_type(client, admin)
    return add_entry(client, admin, "hello", {"title": {"en": "Hi", "de": "Hallo"}})


class TestEvents:
    def test_entry_lifecycle_is_sent_signed_and_in_order(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver)
            entry = entry_with_type(client, admin)
            published = publish(client, admin, entry)
            archived = client.post(
                f"/manage/v1/entries/{entry['id']}/archive",
                headers={**admin, "If-Match": f'"{published["version"]}"'},
            )
            assert archived.status_code == 200, archived.text
            got = receiver.wait_for(4)
            log_of = f"{W}/{hook['id']}/deliveries"
            _wait(lambda: _statuses(client, admin, log_of) == ["delivered"] * 4)
            types = [r.body["type"] for r in got]
            assert types == [
                "content_type.changed",
                "entry.published",
                "entry.unpublished",
                "entry.archived",
            ]
            data = got[1].body["data"]
            assert data["id"] == entry["id"]
            assert data["type"] == "article"
            assert data["key"] == "hello"
            assert data["version"] == published["published_version"]
            assert data["locales"] == ["de", "en"]
            assert data["surrogate_keys"][:2] == [
                f"entry-{entry['id']}",
                "type-article",
            ]
            assert data["url"] == f"/delivery/v1/entries/{entry['id']}"
            assert receiver.bad_signatures == 0
            assert all(r.headers["user-agent"].startswith("content-hub") for r in got)
            log = client.get(f"{W}/{hook['id']}/deliveries", headers=admin).json()
            assert [d["status"] for d in log["items"]] == ["delivered"] * 4
            attempt = log["items"][0]["log"][0]
            assert attempt["status_code"] == 204 and attempt["error"] is None

    def test_filters_test_event_and_redelivery(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            add_type(client, admin)
            add_type(client, admin, "page", fields=[{"key": "title", "type": "text"}])
            hook = subscribe(client, admin, receiver, content_types=["page"])
            article = add_entry(client, admin, "a", {"title": {"en": "A"}})
            page = add_entry(client, admin, "p", {"title": "P"}, "page")
            publish(client, admin, article)
            publish(client, admin, page)
            tested = client.post(f"{W}/{hook['id']}/test", headers=admin)
            assert tested.status_code == 202, tested.text
            got = receiver.wait_for(2)
            assert sorted(r.body["type"] for r in got) == [
                "entry.published",
                "webhook.test",
            ]
            sent = next(r for r in got if r.body["type"] == "entry.published")
            log_of = f"{W}/{hook['id']}/deliveries"
            _wait(lambda: _statuses(client, admin, log_of) == ["delivered"] * 2)
            assert sent.body["data"]["id"] == page["id"]
            again = client.post(
                f"{W}/{hook['id']}/deliveries/{sent.id}/redeliver", headers=admin
            )
            assert again.status_code == 202, again.text
            _wait(lambda: [r.id for r in receiver.delivered()].count(sent.id) == 2)
            path = f"{W}/{hook['id']}/deliveries/{sent.id}"
            _wait(lambda: len(client.get(path, headers=admin).json()["log"]) == 2)
            one = client.get(path, headers=admin).json()
            assert one["status"] == "delivered" and one["id"] == sent.id


class TestRetries:
    def test_a_receiver_that_recovers_gets_it_after_growing_delays(
        self, settings: Settings, keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        schedule = (0.2, 0.6, 1.8, 3.6)
        gen = serve(Receiver(fail=lambda n: n < 3))
        receiver = next(gen)
        try:
            app = app_for(local(settings, retry_schedule=schedule))
            with TestClient(app) as client:
                hook = subscribe(client, admin, receiver)
                client.post(f"{W}/{hook['id']}/test", headers=admin)
                receiver.wait_for(1)
                log_of = f"{W}/{hook['id']}/deliveries"
                _wait(lambda: _statuses(client, admin, log_of) == ["delivered"])
                assert [r.status for r in receiver.requests] == [500, 500, 500, 204]
                log = client.get(log_of, headers=admin).json()
                attempts = log["items"][0]["log"]
                # when each attempt started (the retry is planned from there)
                times = [datetime.fromisoformat(a["at"]) for a in attempts]
                gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
                # Never before the jittered delay (-20%); late by at most the
                # dispatcher's poll and a busy machine's slack (CI saw a retry
                # 0.2 s late, so gaps of 0.41 then 0.39 for planned 0.2, 0.4:
                # the delays' growth is the schedule's, read at lower bounds).
                for gap, planned in zip(gaps, schedule, strict=False):
                    assert planned * 0.8 - 0.01 <= gap <= planned * 1.2 + 1.0, gaps
                assert [a["status_code"] for a in attempts] == [500, 500, 500, 204]
                assert attempts[0]["error"] == "HTTP 500"
                assert attempts[0]["response_excerpt"] == '{"ok": false}'
                webhook = client.get(f"{W}/{hook['id']}", headers=admin).json()
                assert webhook["active"] and webhook["consecutive_failures"] == 0
        finally:
            gen.close()

    def test_a_receiver_that_never_recovers_gets_the_subscription_disabled(
        self, settings: Settings, keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        gen = serve(Receiver(fail=lambda n: True))
        receiver = next(gen)
        try:
            app = app_for(local(settings, retry_schedule=(0.05, 0.05), disable_after=2))
            with TestClient(app) as client:
                hook = subscribe(client, admin, receiver)
                for _ in range(2):
                    client.post(f"{W}/{hook['id']}/test", headers=admin)

                def disabled() -> bool:
                    got = client.get(f"{W}/{hook['id']}", headers=admin).json()
                    return got["active"] is False

                _wait(disabled)
                webhook = client.get(f"{W}/{hook['id']}", headers=admin).json()
                assert "2 deliveries in a row failed" in webhook["disabled_reason"]
                assert "HTTP 500" in webhook["disabled_reason"]
                audit = client.get(
                    f"/manage/v1/audit?resource=webhook:{hook['id']}", headers=admin
                ).json()["items"]
                assert audit[0]["action"] == "disable"
                assert audit[0]["actor"] == "webhook-dispatcher"
                assert len(receiver.requests) == 6  # 2 deliveries x 3 attempts
                failed = client.get(
                    f"{W}/{hook['id']}/deliveries?status=failed", headers=admin
                ).json()["items"]
                assert len(failed) == 2
                # turned on again: the verdict is cleared
                body = {"url": receiver.url, "events": ALL, "active": True}
                on = client.put(
                    f"{W}/{hook['id']}",
                    json=body,
                    headers={**admin, "If-Match": f'"{webhook["version"]}"'},
                )
                assert on.status_code == 200, on.text
                assert on.json()["disabled_reason"] is None
        finally:
            gen.close()


def _wait(check: Any, seconds: float = 20) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.02)


def _statuses(client: TestClient[Any], admin: dict[str, str], path: str) -> list[str]:
    return [d["status"] for d in client.get(path, headers=admin).json()["items"]]


T = {"en": "Hi", "de": "Hallo"}
STEPS: list[tuple[dict[str, Any], list[str]]] = [
    ({"title": T}, ["de", "en"]),  # nothing was live: every locale with a value
    ({"title": {**T, "nb": "Hei"}}, ["nb"]),
    ({"title": {**T, "nb": "Hei", "en": "Hey"}}, ["en"]),
    ({"title": {**T, "nb": "Hei", "en": "Hey"}, "price": 3}, ["de", "en", "nb"]),
    ({"title": {**T, "nb": "Hei", "en": "Hey"}, "price": 3}, []),  # terms only
]


def test_publishes_fanned_out_together_each_say_their_own_version_and_locales(
    settings: Settings, keys: Keys, receiver: Receiver
) -> None:
    """Five publishes of one entry in one transaction reach the dispatcher
    at once: each event names the version its publish made live and the
    locales that publish changed (read at fan-out, every event carried the
    last version and every locale)."""
    admin = keys.headers("admin")
    with TestClient(app_for(local(settings))) as client:
        add_locale(client, admin, "de")
        add_locale(client, admin, "nb")
        add_type(client, admin)
        term = _term(client, admin)
        subscribe(client, admin, receiver, events=["entry.published"])
        entry = add_entry(client, admin, "hello", {"title": T})
        versions = asyncio.run(_publish_steps(settings, entry["id"], term))
        got = receiver.wait_for(len(STEPS))
    data = [r.body["data"] for r in got]
    assert [d["locales"] for d in data] == [want for _, want in STEPS]
    assert [d["version"] for d in data] == versions
    assert [d["surrogate_keys"][2:] for d in data] == [[]] * 4 + [[f"term-{term}"]]
    assert receiver.bad_signatures == 0


def _term(client: TestClient[Any], admin: dict[str, str]) -> str:
    add_taxonomy(client, admin)
    return str(add_term(client, admin, "bikes")["id"])


async def _publish_steps(settings: Settings, entry_id: str, term: str) -> list[int]:
    engine = create_engine(settings.database.url)
    published = []
    try:
        async with create_session_factory(engine)() as session:
            service = EntryService(Deps(session, SYSTEM, settings))
            for n, (fields, _) in enumerate(STEPS):
                current = await service.get(entry_id)
                terms = [term] if n == len(STEPS) - 1 else None
                saved = await service.replace(
                    entry_id,
                    EntryUpdate(key="hello", fields=fields, terms=terms),
                    current.version,
                )
                done = await service.publish(entry_id, saved.version)
                assert done.published_version is not None
                published.append(done.published_version)
            await commit(session)
    finally:
        await engine.dispose()
    return published
