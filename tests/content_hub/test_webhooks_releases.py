"""A release's publish and rollback reach webhook subscribers: one
``release.*`` event, then an event per entry, template and audience it
changed (one change-log row: well over 8 events of one change, the old cap),
each signed, sent once, one entry's events in order."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry
from tests.content_hub.release_support import (
    R,
    create_release,
    if_match,
    ok,
    setup_offers,
)
from tests.content_hub.test_webhooks_delivery import (  # noqa: F401 - a fixture
    ALL,
    W,
    local,
    receiver,
    subscribe,
)
from tests.content_hub.webhook_support import Received, Receiver

RELEASE_EVENTS = ["release.published", "release.rolled_back"]


def test_a_release_sends_an_event_per_item_in_order_per_entry(
    settings: Settings,
    keys: Keys,
    receiver: Receiver,  # noqa: F811 - the imported fixture
) -> None:
    admin = keys.headers("admin")
    with TestClient(app_for(local(settings))) as client:
        live, draft = setup_offers(client, admin, 14)  # published v1, draft v2
        fresh = [
            add_entry(client, admin, f"f{i}", {"title": {"en": f"F{i}"}}, "offer")
            for i in range(6)
        ]  # never published: the rollback unpublishes them
        audience = {"key": "vip", "name": "VIP", "condition": {"tier": "gold"}}
        release = create_release(
            client, admin, [*live, *fresh], draft["version"], [audience]
        )
        hook = subscribe(client, admin, receiver, events=[*ALL, *RELEASE_EVENTS])
        entries = [e["id"] for e in [*live, *fresh]]
        assert len(entries) == 20

        release = ok(
            client.post(
                f"{R}/{release['id']}/publish", headers=if_match(admin, release)
            )
        )
        published = receiver.wait_for(23)  # release, 20 entries, template, audience
        release = ok(
            client.post(
                f"{R}/{release['id']}/rollback", headers=if_match(admin, release)
            )
        )
        got = receiver.wait_for(46)

        assert receiver.bad_signatures == 0  # every one verified by the receiver
        ids = [r.id for r in got]
        assert len(ids) == len(set(ids)) == 46  # each sent once
        first, second = got[:23], got[23:]
        assert {r.id for r in first} == {r.id for r in published}
        for batch, kind in (
            (first, "release.published"),
            (second, "release.rolled_back"),
        ):
            own = _only(batch, kind)
            assert own.body["data"]["id"] == release["id"]
            assert own.body["data"]["name"] == "Summer sale"
            assert own.body["data"]["entries"] == entries
            assert own.body["data"]["templates"] == [
                {"type": "offer", "channel": "web"}
            ]
            assert own.body["data"]["audiences"] == ["vip"]
            template = _only(batch, "template.changed").body["data"]
            assert template["type"] == "offer" and template["channel"] == "web"
            assert _only(batch, "audience.changed").body["data"]["key"] == "vip"
            # the events of the configuration (entry "*") in the release's order
            assert [r.body["type"] for r in batch if "id" not in _entry_data(r)] == [
                kind,
                "template.changed",
                "audience.changed",
            ]
            seqs = {r.body["data"]["seq"] for r in batch}
            assert len(seqs) == 1  # one change-log row each
            items = [r for r in batch if r is not own]
            assert all(r.body["data"]["release"] == release["id"] for r in items)

        per_entry: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        for r in got:  # in arrival order
            if r.body["type"].startswith("entry."):
                data = r.body["data"]
                per_entry[data["id"]].append((r.body["type"], data["version"]))
        assert sorted(per_entry) == sorted(entries)
        for entry in live:  # v2 live, then v1 again
            assert per_entry[entry["id"]] == [
                ("entry.published", 2),
                ("entry.published", 1),
            ]
        for entry in fresh:  # its draft live, then nothing
            assert [t for t, _ in per_entry[entry["id"]]] == [
                "entry.published",
                "entry.unpublished",
            ]

        log = client.get(
            f"{W}/{hook['id']}/deliveries", params={"limit": 100}, headers=admin
        ).json()["items"]
        assert len(log) == 46
        assert {d["seq"] for d in log} == {r.body["data"]["seq"] for r in got}


def _only(batch: list[Received], kind: str) -> Received:
    found = [r for r in batch if r.body["type"] == kind]
    assert len(found) == 1, [r.body["type"] for r in batch]
    return found[0]


def _entry_data(r: Received) -> dict[str, Any]:
    return dict(r.body["data"]) if r.body["type"].startswith("entry.") else {}
