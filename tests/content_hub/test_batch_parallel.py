"""The batch on several processes against the batch on the event loop: the
same recipients, from the same stored state, give the same bytes, the same
sticky documents, the same exposures, receipts and metric counts — on SQLite
and PostgreSQL. Recipients are generated to meet across chunks: repeated ids,
shared fallback attributes (GrowthBook's anonymous-to-known stickiness),
stored documents that contradict the hash, error lines, locales, contexts."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from content_hub.live import metrics
from content_hub.settings import BatchSettings, EventSettings, Settings
from content_hub.store.db import sync_url
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer

pytestmark = pytest.mark.timeout(600)
EXPERIMENT = {
    "type": "experiment",
    "id": "headline-test",
    "key": "spring-headline",
    "variations": ["default", "discount", "premium"],
    "weights": [0.34, 0.33, 0.33],
    "seed": "spring-2026",
    "hash_attribute": "id",
    "fallback_attribute": "device",
}
RULES: list[dict[str, Any]] = [
    {"type": "personalise", "id": "vip", "audiences": ["vip"], "variant": "premium"},
    EXPERIMENT,
]
SEEDED = {  # stored before the batch: stickiness must win over the hash
    "id||c-3": {"spring-headline__0": "premium"},
    "id||c-250": {"spring-headline__0": "discount"},
    "device||d-7": {"spring-headline__0": "premium"},
}
TABLES = ("exposure", "sticky_assignment", "render_receipt")


def recipients(count: int, seed: int) -> bytes:
    """Lines whose customers meet across chunks of 200."""
    rng = random.Random(seed)
    lines: list[bytes] = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.03:
            lines.append(rng.choice([b"not json", b'{"customer": {"id": 5}}', b"[]"]))
            continue
        customer: dict[str, Any] = {
            "attributes": {
                "first_name": rng.choice(["Kim", "Ana", "Jo", "Émile", "李"]),
                "lead_score": rng.randint(0, 100),
                "device": f"d-{rng.randint(0, 40)}",
            },
            "segments": rng.sample(["cart_abandoner", "newsletter", "b2b"], 1),
        }
        if roll < 0.15:  # anonymous: hashed (and kept) by its device
            customer["anonymous_id"] = f"a-{i}"
        else:  # ids repeat within and across chunks
            customer["id"] = f"c-{rng.randint(0, count // 3)}"
        item: dict[str, Any] = {"customer": customer}
        if rng.random() < 0.5:
            item["context"] = {"unsubscribe_url": f"https://shop.example/u/{i}"}
        if rng.random() < 0.2:
            item["locale"] = rng.choice(["de", "ar", "en"])
        lines.append(json.dumps(item).encode())
    return b"\n".join(lines) + b"\n"


def reset_events(settings: Settings) -> None:
    """The event tables as they were before any batch: the seeded documents."""
    engine = sa.create_engine(sync_url(settings.database.url))
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.text(f"DELETE FROM {table}"))
        for key, assignments in SEEDED.items():
            conn.execute(
                sa.text(
                    "INSERT INTO sticky_assignment (attribute_key, assignments, "
                    "updated_at) VALUES (:k, :a, :t)"
                ),
                {"k": key, "a": json.dumps(assignments), "t": datetime.now(UTC)},
            )
    engine.dispose()


def stored(settings: Settings) -> dict[str, Any]:
    engine = sa.create_engine(sync_url(settings.database.url))
    with engine.connect() as conn:
        exposures = sorted(
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT event_id, experiment_key, variation_id, variant, "
                    "hash_attribute, hash_value, entry_id, channel, source "
                    "FROM exposure"
                )
            )
        )
        sticky = {
            str(k): v if isinstance(v, dict) else json.loads(v)
            for k, v in conn.execute(
                sa.text("SELECT attribute_key, assignments FROM sticky_assignment")
            )
        }
        receipts = Counter(
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT entry_id, version, variant, locale, channel, "
                    "customer_id FROM render_receipt"
                )
            )
        )
    engine.dispose()
    return {"exposures": exposures, "sticky": sticky, "receipts": receipts}


def counts() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for metric in (metrics.RENDERS, metrics.DECISIONS):
        for family in metric.collect():
            for s in family.samples:
                if s.name.endswith("_total"):
                    out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def run_batch(
    settings: Settings, keys: Keys, offer: dict[str, Any], body: bytes, processes: int
) -> tuple[bytes, dict[str, Any], dict[Any, float]]:
    """One batch on a fresh app (fresh caches) from the seeded state; checks
    that ``processes`` children were forked (none for 0)."""
    forks: list[int] = []
    fork = os.fork

    def counted_fork() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    reset_events(settings)
    app_settings = msgspec.structs.replace(
        settings,
        batch=BatchSettings(processes=processes),
        events=EventSettings(receipts=1.0),
    )
    before = counts()
    with (
        TestClient(app_for(app_settings)) as client,
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(os, "fork", counted_fork)
        r = client.post(
            f"/render/v1/render/batch?entry_id={offer['id']}&channel=email",
            content=body,
            headers=keys.headers("render", **{"Content-Type": "application/x-ndjson"}),
        )
        assert r.status_code == 200, r.text
        out = r.content
    assert len(forks) == processes
    after = counts()  # the app stopped: every event is written
    delta = {k: v - before.get(k, 0.0) for k, v in after.items()}
    return out, stored(settings), {k: v for k, v in delta.items() if v}


@pytest.mark.parametrize("seed", [1, 2])
def test_processes_render_what_the_event_loop_renders(
    settings: Settings, keys: Keys, seed: int
) -> None:
    with TestClient(app_for(settings)) as client:
        offer = build_offer(client, keys.headers("admin"), rules=RULES)
    body = recipients(1900, seed)
    one, state_one, counted_one = run_batch(settings, keys, offer, body, 0)
    two, state_two, counted_two = run_batch(settings, keys, offer, body, 2)
    three, state_three, _ = run_batch(settings, keys, offer, body, 3)

    lines = one.splitlines()
    assert len(lines) == body.count(b"\n")
    assert [json.loads(line)["index"] for line in lines] == list(range(len(lines)))
    assert two == one
    assert three == one
    assert state_two == state_one
    assert state_three == state_one
    assert counted_two == counted_one
    # the batch did meet what it was built to meet
    decisions = [json.loads(line) for line in lines]
    sticky_used = [
        d
        for d in decisions
        if d["ok"]
        and any(
            step.get("sticky_bucket_used") for step in d["render"]["decision"]["trace"]
        )
    ]
    assert len(sticky_used) > 100
    assert sum(not d["ok"] for d in decisions) > 10
    assert len(state_one["exposures"]) > 100
    assert state_one["sticky"]["id||c-3"] == SEEDED["id||c-3"]
