"""Two hosts: two ``content-hub serve --workers 2`` process groups, each with
its own data dir and port, against one PostgreSQL and one Meilisearch.

- a publish through one is served by the other within 1 s (delivery polls
  only every 30 s here: the change arrives by LISTEN/NOTIFY);
- its search document (shared Meilisearch) is found through the other;
- the indexer and the scheduler run once: of the four workers exactly one
  ever takes each lease (their logs say so), PostgreSQL shows one holder of
  each advisory lock, and a scheduled publish happens once;
- exposures rendered on both hosts are each stored once;
- ``kill -9`` of the group holding the indexer's lease: a worker of the other
  host takes it over within seconds and indexes the next publish.

Real processes: slow, and run by CI all the same.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import DatabaseSettings, Settings
from content_hub.workers.lease import NAMESPACE
from tests.content_hub.conftest import BACKENDS, _reset_postgres
from tests.content_hub.render_fixtures import build_offer
from tests.content_hub.serve_support import ServeGroup, search_env
from tests.search.conftest import meili_server  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        "postgresql" not in BACKENDS, reason="needs CONTENT_HUB_TEST_DATABASE_URL"
    ),
]
LEASES = ("search-indexer", "scheduler", "webhook-dispatcher")
"""Every loop that runs once across all hosts (each holds one advisory lock)."""


def _wait(check: Callable[[], bool], what: str, seconds: float) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"{what}: not within {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - started


def _takes(groups: list[ServeGroup], lease: str) -> list[tuple[str, str]]:
    """(group, holder) of every "lease taken" log line, in all groups."""
    return [
        (g.name, r["msg"].rsplit(" ", 1)[-1])
        for g in groups
        for r in g.log_records()
        if r.get("msg", "").startswith(f"lease {lease} taken by ")
    ]


@pytest.fixture
def hosts(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ServeGroup, ServeGroup, dict[str, str], sa.Engine]]:
    url = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    settings = Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))
    secrets = {
        s.value: asyncio.run(_create_key(settings, f"h-{s.value}", [s])) for s in Scope
    }
    env = {
        **search_env("meilisearch", request),
        "CONTENT_HUB_POLL_INTERVAL": "30",
        "CONTENT_HUB_SCHEDULE_INTERVAL": "0.5",
        "CONTENT_HUB_LEASE_INTERVAL": "0.5",
    }
    groups = [
        ServeGroup(settings, data_dir=tmp_path / n, extra_env=env, name=n)
        for n in ("a", "b")
    ]
    engine = sa.create_engine(url)
    try:
        for group in groups:
            group.data_dir.mkdir()
            group.start()
        yield groups[0], groups[1], secrets, engine
    finally:
        for group in groups:
            group.stop()
        engine.dispose()


def test_two_hosts_share_one_generation_and_run_the_loops_once(
    hosts: tuple[ServeGroup, ServeGroup, dict[str, str], sa.Engine],
) -> None:
    a, b, secrets, engine = hosts

    def client(group: ServeGroup, scope: str) -> httpx.Client:
        auth = {"Authorization": f"Bearer {secrets[scope]}"}
        return httpx.Client(base_url=group.url, headers=auth, timeout=30)

    with (
        client(a, "admin") as admin_a,
        client(b, "admin") as admin_b,
        client(b, "delivery") as delivery_b,
        client(a, "render") as render_a,
        client(b, "render") as render_b,
    ):
        offer = build_offer(admin_a, {})  # type: ignore[arg-type]
        # -- a publish on A is served by B within 1 s --------------------------
        url = f"/delivery/v1/entries/{offer['id']}"
        _wait(lambda: delivery_b.get(url).status_code == 200, "served by B", 1.0)
        note = admin_a.post(
            "/manage/v1/entries",
            json={
                "type": "offer",
                "key": "autumn",
                "fields": {"title": {"en": "Autumn"}},
            },
        ).json()
        admin_a.post(
            f"/manage/v1/entries/{note['id']}/publish", headers={"If-Match": '"1"'}
        ).raise_for_status()
        url = f"/delivery/v1/entries/{note['id']}"
        _wait(lambda: delivery_b.get(url).status_code == 200, "served by B", 1.0)

        # -- its search document is found through B ----------------------------
        def found(q: str) -> bool:
            hits = delivery_b.get("/delivery/v1/search", params={"q": q}).json()
            return any(h["entry_id"] == note["id"] for h in hits["hits"])

        _wait(lambda: found("autumn"), "search on B", 10.0)

        # -- a scheduled publish made on B runs once ---------------------------
        later = admin_b.post(
            "/manage/v1/entries",
            json={
                "type": "offer",
                "key": "winter",
                "fields": {"title": {"en": "Winter"}},
            },
        ).json()
        at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
        admin_b.put(
            f"/manage/v1/entries/{later['id']}/schedule", json={"publish_at": at}
        ).raise_for_status()
        url = f"/delivery/v1/entries/{later['id']}"
        _wait(lambda: delivery_b.get(url).status_code == 200, "scheduled publish", 10)

        # -- exposures rendered on both hosts are stored once -------------------
        logged = 0
        for n in range(60):
            render = render_a if n % 2 else render_b
            body = {
                "entry_id": offer["id"],
                "channel": "web",
                "customer": {"id": f"c{n}"},
            }
            response = render.post("/render/v1/render", json=body)
            assert response.status_code == 200, response.text
            logged += bool(response.json()["decision"]["exposure_logged"])
        assert logged > 10

        def stored() -> int:
            with engine.connect() as conn:
                return int(
                    conn.execute(
                        sa.text("SELECT count(*) FROM exposure WHERE source = 'render'")
                    ).scalar_one()
                )

        _wait(lambda: stored() == logged, f"{logged} exposures stored", 10)
        time.sleep(1.5)  # a later flush would show a duplicate
        assert stored() == logged

    with engine.connect() as conn:
        scheduled = conn.execute(
            sa.text(
                "SELECT count(*) FROM audit_log WHERE action = 'scheduled_publish'"
                " AND resource_id = :id"
            ),
            {"id": later["id"]},
        ).scalar_one()
        holders = conn.execute(
            sa.text(
                "SELECT objid, count(*) FROM pg_locks WHERE locktype = 'advisory'"
                " AND classid = :ns AND granted AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())"
                " GROUP BY objid"
            ),
            {"ns": NAMESPACE},
        ).all()
    assert scheduled == 1
    assert sorted(count for _, count in holders) == [1] * len(LEASES), holders
    # -- of four workers on two hosts, one took each lease --------------------
    for lease in LEASES:
        assert len(_takes([a, b], lease)) == 1, _takes([a, b], lease)

    # -- kill -9 of the indexer's host: the other takes over -----------------
    [(holder_group, _)] = _takes([a, b], "search-indexer")
    dead, alive = (a, b) if holder_group == "a" else (b, a)
    dead.kill()
    with client(alive, "admin") as admin, client(alive, "delivery") as delivery:
        entry = admin.post(
            "/manage/v1/entries",
            json={
                "type": "offer",
                "key": "spring-2",
                "fields": {"title": {"en": "Crocus"}},
            },
        ).json()
        admin.post(
            f"/manage/v1/entries/{entry['id']}/publish", headers={"If-Match": '"1"'}
        ).raise_for_status()

        def indexed() -> bool:
            hits = delivery.get("/delivery/v1/search", params={"q": "crocus"}).json()
            return any(h["entry_id"] == entry["id"] for h in hits["hits"])

        took = _wait(indexed, "indexed after the holder's host died", 15.0)
    assert [g for g, _ in _takes([a, b], "search-indexer")] == [
        holder_group,
        alive.name,
    ]
    print(f"indexer taken over and the publish indexed {took:.1f} s after kill -9")
