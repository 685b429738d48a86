"""Webhook events end to end at the receiver, for the events the lifecycle
tests do not deliver: ``entry.deleted``, ``taxonomy.changed``,
``experiment.changed``, and a subscription's term filter (its descendants
included; ``entry.deleted`` only where the entry's earlier events went).

Every receiver verifies every signature (``standardwebhooks``). A test is
done waiting when the receiver has the events and the subscription's
delivery log is all delivered; then the receiver must hold exactly the
log's events, so nothing unexpected was sent either."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psycopg
import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.store.db import libpq_dsn
from content_hub.workers.lease import NAMESPACE, FileLease, lease_for, lock_key
from content_hub.workers.webhooks.dispatcher import LEASE
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.editorial import add_taxonomy, add_term
from tests.content_hub.factories import add_entry, add_type, publish
from tests.content_hub.test_webhooks_delivery import (
    W,
    _wait,
    entry_with_type,
    local,
    subscribe,
)
from tests.content_hub.webhook_support import Received, Receiver, serve

T = "/manage/v1/taxonomies/topic/terms"
TAXONOMY_DATA: dict[str, Any] = {
    "type": None,
    "surrogate_keys": [],
    "purge_all": True,
    "url": "/delivery/v1/entries",
}
"""``data`` of a ``taxonomy.changed`` event, but its ``seq``."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from serve(Receiver())


@pytest.fixture
def second() -> Iterator[Receiver]:
    yield from serve(Receiver())


class PausedDispatcher:
    """Holds the ``webhook-dispatcher`` lease (or lease ``name``), as another
    worker would, from before the app starts until :meth:`resume`: changes
    made meanwhile are fanned out together, in one batch, once the app's
    dispatcher takes it."""

    def __init__(self, settings: Settings, name: str = LEASE) -> None:
        lease = lease_for(settings.database.url, settings.data_dir, name)
        self._file: IO[str] | None = None
        self._conn: psycopg.Connection[Any] | None = None
        if isinstance(lease, FileLease):
            path: Path = lease.path
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a")
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            self._conn = psycopg.connect(
                libpq_dsn(settings.database.url), autocommit=True
            )
            self._conn.execute(
                "SELECT pg_advisory_lock(%s, %s)", (NAMESPACE, lock_key(LEASE))
            )

    def resume(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            file.close()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.execute("SELECT pg_advisory_unlock_all()")
            conn.close()


@pytest.fixture
def paused(settings: Settings) -> Iterator[PausedDispatcher]:
    pause = PausedDispatcher(settings)
    try:
        yield pause
    finally:
        pause.resume()


def _matched(headers: dict[str, str], version: int | str) -> dict[str, str]:
    return {**headers, "If-Match": f'"{version}"'}


def _log(
    client: TestClient[Any], admin: dict[str, str], hook: dict[str, Any]
) -> list[dict[str, Any]]:
    response = client.get(f"{W}/{hook['id']}/deliveries?limit=100", headers=admin)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _settled(
    client: TestClient[Any],
    admin: dict[str, str],
    hook: dict[str, Any],
    receiver: Receiver,
    count: int,
) -> list[Received]:
    """Wait for ``count`` events at the receiver and for the subscription's
    log to be all delivered; the receiver's events, each once (exactly the
    log's: nothing else was queued for it), in change-log order.

    Only one entry's events arrive in order (checked here): the dispatcher
    sends different entries' events side by side, so a configuration event
    may arrive after a later entry event (CI saw it)."""
    receiver.wait_for(count)

    def done() -> bool:
        log = _log(client, admin, hook)
        return bool(log) and all(d["status"] == "delivered" for d in log)

    _wait(done)
    log = _log(client, admin, hook)
    got = _unique(receiver)
    assert sorted(r.id for r in got) == sorted(d["id"] for d in log)
    assert len(got) == count, [_brief(r) for r in got]
    assert receiver.bad_signatures == 0
    arrived: dict[str, list[int]] = {}
    for r in got:
        arrived.setdefault(str(r.body["data"].get("id")), []).append(
            r.body["data"]["seq"]
        )
    for seqs in arrived.values():
        assert seqs == sorted(seqs), "one entry's events arrived out of order"
    return sorted(got, key=lambda r: int(r.body["data"]["seq"]))  # stable


def _brief(r: Received) -> tuple[Any, ...]:
    data = r.body["data"]
    return (
        r.body["type"],
        data.get("seq"),
        data.get("version"),
        data.get("experiments"),
    )


def _unique(receiver: Receiver) -> list[Received]:
    """Verified, delivered events, the first copy of each ``webhook-id``."""
    seen: dict[str, Received] = {}
    for r in receiver.delivered():
        seen.setdefault(r.id, r)
    return list(seen.values())


def _types(got: list[Received]) -> list[str]:
    return [str(r.body["type"]) for r in got]


def _by_seq(got: list[Received]) -> list[tuple[str, str | None]]:
    """(type, entry id) of each event, in change-log order."""
    ordered = sorted(got, key=lambda r: (r.body["data"]["seq"], r.at))
    return [(str(r.body["type"]), r.body["data"].get("id")) for r in ordered]


def _of_entry(got: list[Received], entry_id: str) -> list[str]:
    """Types of one entry's events, in arrival order."""
    return [str(r.body["type"]) for r in got if r.body["data"].get("id") == entry_id]


def _tagged(
    client: TestClient[Any],
    admin: dict[str, str],
    key: str,
    terms: list[str],
    *,
    live: bool = True,
) -> dict[str, Any]:
    """An article tagged with ``terms`` (published unless ``live`` is false)."""
    entry = add_entry(client, admin, key, {"title": {"en": key}}, terms=terms)
    return publish(client, admin, entry) if live else entry


def _delete(
    client: TestClient[Any], admin: dict[str, str], entry: dict[str, Any]
) -> None:
    response = client.delete(
        f"/manage/v1/entries/{entry['id']}",
        headers=_matched(admin, entry["version"]),
    )
    assert response.status_code == 204, response.text


def _personalise(
    client: TestClient[Any],
    admin: dict[str, str],
    entry: dict[str, Any],
    rules: list[dict[str, Any]],
) -> dict[str, Any]:
    """Save rules (and a variant ``b``) as the entry's draft personalization
    with If-Match, then publish it; the published entry."""
    current = client.get(f"/manage/v1/entries/{entry['id']}", headers=admin).json()
    saved = client.put(
        f"/manage/v1/entries/{entry['id']}/personalization",
        json={"variants": {"b": {"fields": {"title": {"en": "B"}}}}, "rules": rules},
        headers=_matched(admin, current["version"]),
    )
    assert saved.status_code == 200, saved.text
    published = client.post(
        f"/manage/v1/entries/{entry['id']}/publish",
        headers={**admin, "If-Match": saved.headers["etag"]},
    )
    assert published.status_code == 200, published.text
    return dict(published.json())


def _experiment(rule_id: str, key: str | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "type": "experiment",
        "id": rule_id,
        "variations": ["default", "b"],
        "weights": [0.5, 0.5],
    }
    if key is not None:
        rule["key"] = key
    return rule


class TestEntryDeleted:
    def test_deleting_a_published_entry_sends_entry_deleted_after_its_events(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver)
            entry = entry_with_type(client, admin)
            published = publish(client, admin, entry)
            _delete(client, admin, published)
            gone = client.get(f"/manage/v1/entries/{entry['id']}", headers=admin)
            assert gone.status_code == 404
            got = _settled(client, admin, hook, receiver, 3)
            assert _types(got) == [
                "content_type.changed",
                "entry.published",
                "entry.deleted",
            ]
            assert _of_entry(got, entry["id"]) == ["entry.published", "entry.deleted"]
            first, deleted = got[1].body, got[2].body
            assert deleted["data"]["id"] == entry["id"]
            assert deleted["data"]["type"] == "article"
            assert deleted["data"]["seq"] > first["data"]["seq"]
            assert deleted["data"]["url"] == f"/delivery/v1/entries/{entry['id']}"
            assert deleted["data"]["surrogate_keys"][:2] == [
                f"entry-{entry['id']}",
                "type-article",
            ]
            assert deleted["timestamp"] >= first["timestamp"]
            logged = sorted(d["event_type"] for d in _log(client, admin, hook))
            assert logged == [  # (queued in one round, the log's order is open)
                "content_type.changed",
                "entry.deleted",
                "entry.published",
            ]


class TestTaxonomyChanged:
    def test_term_create_rename_move_delete_each_send_taxonomy_changed(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            add_taxonomy(client, admin)  # before the subscription: not sent
            hook = subscribe(client, admin, receiver)
            mobility = add_term(client, admin, "mobility")
            leisure = add_term(client, admin, "leisure")
            bikes = add_term(client, admin, "bikes", parent=mobility["id"])
            renamed = client.put(
                f"{T}/bikes",
                json={
                    "key": "cycles",
                    "labels": {"en": "Cycles"},
                    "parent": mobility["id"],
                },
                headers=_matched(admin, bikes["version"]),
            )
            assert renamed.status_code == 200, renamed.text
            assert renamed.json()["key"] == "cycles"
            moved = client.put(
                f"{T}/cycles",
                json={
                    "key": "cycles",
                    "labels": {"en": "Cycles"},
                    "parent": leisure["id"],
                },
                headers=_matched(admin, renamed.json()["version"]),
            )
            assert moved.status_code == 200, moved.text
            assert moved.json()["parent_id"] == leisure["id"]
            deleted = client.delete(
                f"{T}/{bikes['id']}", headers=_matched(admin, moved.json()["version"])
            )
            assert deleted.status_code == 204, deleted.text
            got = _settled(client, admin, hook, receiver, 6)
            assert _types(got) == ["taxonomy.changed"] * 6
            seqs = [r.body["data"]["seq"] for r in got]
            assert seqs == sorted(seqs) and len(set(seqs)) == 6
            for r in got:
                assert r.body["data"] == {"seq": r.body["data"]["seq"], **TAXONOMY_DATA}

    def test_a_term_filtered_subscription_still_gets_taxonomy_changed(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            add_taxonomy(client, admin)
            mobility = add_term(client, admin, "mobility")
            hook = subscribe(
                client,
                admin,
                receiver,
                events=["taxonomy.changed"],
                terms=[mobility["id"]],
            )
            add_term(client, admin, "cars", parent=mobility["id"])
            got = _settled(client, admin, hook, receiver, 1)
            assert _types(got) == ["taxonomy.changed"]
            assert got[0].body["data"]["purge_all"] is True


class TestExperimentChanged:
    def test_publishing_experiment_rules_sends_experiment_changed_with_their_keys(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver)
            entry = entry_with_type(client, admin)
            publish(client, admin, entry)  # no rules yet: no experiment event
            # (an event says what the entry is when the change is fanned out)
            receiver.wait_for(2)
            rules = [
                _experiment("headline", "spring-headline"),
                {
                    "type": "personalise",
                    "id": "everyone",
                    "condition": {"tier": "gold"},
                    "variant": "b",
                },
                _experiment("colour", "button-colour"),
            ]
            live = _personalise(client, admin, entry, rules)
            receiver.wait_for(4)
            # the hub knows the experiments by these keys while they are live
            for key in ("spring-headline", "button-colour"):
                results = client.get(
                    f"/manage/v1/experiments/{key}/results", headers=admin
                )
                assert results.status_code == 200, results.text
                assert results.json()["known"] is True
            _personalise(client, admin, entry, [])  # rules gone: no experiment event
            got = _settled(client, admin, hook, receiver, 5)
            assert _types(got) == [
                "content_type.changed",
                "entry.published",
                "entry.published",
                "experiment.changed",
                "entry.published",
            ]
            published, changed = got[2].body, got[3].body
            assert changed["data"]["experiments"] == [
                "spring-headline",
                "button-colour",
            ]
            assert changed["data"]["seq"] == published["data"]["seq"]
            assert changed["timestamp"] == published["timestamp"]
            assert changed["data"]["version"] == live["published_version"]
            assert {
                k: v for k, v in changed["data"].items() if k != "experiments"
            } == published["data"]
            assert published["data"]["id"] == entry["id"]

    def test_an_experiment_without_a_key_is_named_by_its_rule_set_key(
        self, settings: Settings, keys: Keys, receiver: Receiver
    ) -> None:
        """An experiment rule's key defaults to the rule set's key, the
        entry's feature ``<type>.<key>`` (``ExperimentRule.key``; the render
        decision, exposures and results use it): the event must name it so."""
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver, events=["experiment.changed"])
            entry = entry_with_type(client, admin)
            _personalise(client, admin, entry, [_experiment("headline")])
            got = _settled(client, admin, hook, receiver, 1)
            assert _types(got) == ["experiment.changed"]
            results = client.get(
                "/manage/v1/experiments/article.hello/results", headers=admin
            )
            assert results.status_code == 200, results.text
            assert results.json()["known"] is True
            assert got[0].body["data"]["experiments"] == ["article.hello"]


class TestEventsDescribeTheirChange:
    def test_events_fanned_out_late_describe_the_publish_that_made_them(
        self,
        settings: Settings,
        keys: Keys,
        paused: PausedDispatcher,
        receiver: Receiver,
    ) -> None:
        """A publish without rules, then one with an experiment, fanned out
        together (the dispatcher was busy, down, or changing hands): the
        first publish's event must not carry the second's version, nor an
        ``experiment.changed`` for rules it did not publish."""
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver)
            entry = entry_with_type(client, admin)
            first = publish(client, admin, entry)
            second = _personalise(
                client, admin, entry, [_experiment("headline", "spring-headline")]
            )
            assert second["published_version"] > first["published_version"]
            paused.resume()
            got = _settled(client, admin, hook, receiver, 4)
            assert [_brief(r) for r in got] == [
                ("content_type.changed", got[0].body["data"]["seq"], None, None),
                ("entry.published", got[1].body["data"]["seq"], 1, None),
                ("entry.published", got[2].body["data"]["seq"], 2, None),
                (
                    "experiment.changed",
                    got[2].body["data"]["seq"],
                    2,
                    ["spring-headline"],
                ),
            ]
            assert first["published_version"] == 1
            assert second["published_version"] == 2


SCRIPTS: dict[str, list[str]] = {
    "published": ["publish", "delete"],
    "renamed and republished": ["publish", "rename", "publish", "delete"],
    "renamed as a draft": ["publish", "rename", "delete"],
    "unpublished": ["publish", "unpublish", "delete"],
    "renamed, unpublished": ["publish", "rename", "publish", "unpublish", "delete"],
    "never published": ["rename", "delete"],
}
"""What happens to each entry before the dispatcher fans anything out."""


def _act(
    client: TestClient[Any],
    admin: dict[str, str],
    entry: dict[str, Any],
    action: str,
    n: int,
) -> dict[str, Any]:
    """Do ``action`` to ``entry``; its state after (a delete: the last)."""
    at = f"/manage/v1/entries/{entry['id']}"
    matched = _matched(admin, entry["version"])
    if action == "publish":
        return publish(client, admin, entry)
    if action == "rename":
        r = client.patch(at, json={"key": f"{entry['key']}-{n}"}, headers=matched)
    elif action == "unpublish":
        r = client.post(f"{at}/unpublish", headers=matched)
    else:
        _delete(client, admin, entry)
        return entry
    assert r.status_code == 200, r.text
    return dict(r.json())


class TestEntriesGoneBeforeFanOut:
    def test_their_events_still_name_the_key_and_version_of_each_change(
        self,
        settings: Settings,
        keys: Keys,
        paused: PausedDispatcher,
        receiver: Receiver,
    ) -> None:
        """Entries published, renamed, unpublished and deleted while the
        dispatcher was away: their revisions are gone when it fans the
        changes out, yet each event names the key (and a publish the
        version) the entry had at that change — the live key for a delete
        or unpublish, not a draft's rename."""
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            hook = subscribe(client, admin, receiver)
            add_type(client, admin)
            expected: list[tuple[str, str, str | None, int | None]] = []
            for n, (name, script) in enumerate(SCRIPTS.items()):
                entry = add_entry(client, admin, f"e{n}", {"title": {"en": name}})
                live: str | None = None
                for step, action in enumerate(script):
                    before = entry
                    entry = _act(client, admin, entry, action, step)
                    if action == "publish":
                        live = entry["key"]
                        expected.append(
                            ("entry.published", entry["id"], live, entry["version"])
                        )
                    elif action == "unpublish":
                        expected.append(("entry.unpublished", entry["id"], live, None))
                        live = None
                    elif action == "delete":
                        key = live or before["key"]
                        expected.append(("entry.deleted", entry["id"], key, None))
            paused.resume()
            got = _settled(client, admin, hook, receiver, len(expected) + 1)
            assert _types(got)[0] == "content_type.changed"
            assert [
                (
                    str(r.body["type"]),
                    r.body["data"]["id"],
                    r.body["data"]["key"],
                    r.body["data"]["version"],
                )
                for r in got[1:]
            ] == expected


class TestTermFilter:
    def test_entry_events_reach_only_subscriptions_of_their_terms(
        self, settings: Settings, keys: Keys, receiver: Receiver, second: Receiver
    ) -> None:
        admin = keys.headers("admin")
        with TestClient(app_for(local(settings))) as client:
            add_type(client, admin)
            add_taxonomy(client, admin)
            mobility = add_term(client, admin, "mobility")
            bikes = add_term(client, admin, "bikes", parent=mobility["id"])
            add_term(client, admin, "e-bikes", parent=bikes["id"])
            cars = add_term(client, admin, "cars", parent=mobility["id"])
            on_bikes = subscribe(client, admin, receiver, terms=[bikes["id"]])
            on_cars = subscribe(client, admin, second, terms=[cars["id"]])
            untagged = _tagged(client, admin, "untagged", [])
            broad = _tagged(client, admin, "broad", ["topic:mobility"])  # ancestor
            bike = _tagged(client, admin, "bike", ["topic:bikes"])
            ebike = _tagged(client, admin, "ebike", ["topic:e-bikes"])  # descendant
            car = _tagged(client, admin, "car", ["topic:cars"])
            draft = _tagged(client, admin, "draft", ["topic:bikes"], live=False)
            # every publish fanned out (in seq order) before any delete
            receiver.wait_for(2)
            second.wait_for(1)
            for entry in (ebike, car, untagged, broad, draft):
                _delete(client, admin, entry)
            add_term(client, admin, "trams", parent=mobility["id"])  # for both
            to_bikes = _settled(client, admin, on_bikes, receiver, 4)
            to_cars = _settled(client, admin, on_cars, second, 3)
            assert _by_seq(to_bikes) == [
                ("entry.published", bike["id"]),
                ("entry.published", ebike["id"]),
                ("entry.deleted", ebike["id"]),
                ("taxonomy.changed", None),
            ]
            assert _of_entry(to_bikes, ebike["id"]) == [
                "entry.published",
                "entry.deleted",
            ]
            assert _by_seq(to_cars) == [
                ("entry.published", car["id"]),
                ("entry.deleted", car["id"]),
                ("taxonomy.changed", None),
            ]
            assert _of_entry(to_cars, car["id"]) == ["entry.published", "entry.deleted"]
            terms = {
                r.body["data"]["id"]: r.body["data"]["surrogate_keys"]
                for r in to_bikes
                if r.body["type"] == "entry.published"
            }
            assert f"term-{bikes['id']}" in terms[bike["id"]]
            assert f"term-{bikes['id']}" not in terms[ebike["id"]]
            sent = {r.body["data"].get("id") for r in to_bikes + to_cars}
            assert not sent & {untagged["id"], broad["id"], draft["id"]}
