"""The batch's processes fail loudly and leave nothing behind: results come
back in order; a child that dies, stalls or raises fails its jobs with a 503
problem instead of hanging the request; a request that ends, fails or loses
its client kills and reaps its children. The pool on its own, then through
the app and over a real socket."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.live import batch_chunk
from content_hub.live.batch_pool import ChunkPool, RenderWorkerLost
from content_hub.settings import BatchSettings, Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer
from tests.content_hub.test_batch_live import Raw, _line, serve

pytestmark = pytest.mark.timeout(180)


def children() -> set[int]:
    """Live (not yet reaped) child processes of this process (with the
    worker's session servers among them: Meilisearch, Chromium; compare with
    what was there before)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def reverse(data: bytes, progress: Callable[[], None]) -> bytes:
    progress()
    if data == b"die":
        os._exit(3)
    if data == b"hang":
        time.sleep(600)
    if data == b"raise":
        raise ValueError("boom")
    return data[::-1]


async def _pool(processes: int = 2, stall_s: float = 30.0) -> ChunkPool:
    pool = ChunkPool(reverse, processes, stall_s)
    await pool.start()
    return pool


def test_results_come_back_for_each_job_and_close_reaps_the_children() -> None:
    async def main() -> None:
        pool = await _pool(3)
        pids = {c.pid for c in pool.children}
        assert pids <= children()
        jobs = [f"job-{i}".encode() * (i * 997 % 5000 + 1) for i in range(60)]
        tickets = [await pool.submit(job) for job in jobs]
        assert [await pool.result(t) for t in tickets] == [j[::-1] for j in jobs]
        await pool.close()
        assert not pids & children()

    asyncio.run(main())


@pytest.mark.parametrize("job", [b"die", b"hang"])
def test_a_child_that_dies_or_stalls_fails_its_jobs_promptly(job: bytes) -> None:
    async def main() -> None:
        pool = await _pool(1, stall_s=1.0)
        pid = pool.children[0].pid
        started = time.monotonic()
        bad = await pool.submit(job)
        after = await pool.submit(b"fine")
        for ticket in (bad, after):
            with pytest.raises(RenderWorkerLost):
                await pool.result(ticket)
        assert time.monotonic() - started < 10
        with pytest.raises(RenderWorkerLost):
            await pool.submit(b"more")
        await pool.close()
        assert pid not in children()

    asyncio.run(main())


def test_a_job_that_raises_is_reported_and_the_child_goes_on() -> None:
    async def main() -> None:
        pool = await _pool(1)
        with pytest.raises(RenderWorkerLost, match="boom"):
            await pool.result(await pool.submit(b"raise"))
        assert await pool.result(await pool.submit(b"abc")) == b"cba"
        await pool.close()

    asyncio.run(main())


def test_close_during_a_job_kills_the_child() -> None:
    async def main() -> None:
        pool = await _pool(2)
        pids = {c.pid for c in pool.children}
        ticket = await pool.submit(b"hang")
        started = time.monotonic()
        await pool.close()
        assert time.monotonic() - started < 5
        assert not pids & children()
        with pytest.raises(RenderWorkerLost):
            await pool.result(ticket)

    asyncio.run(main())


def _dies_at(index: int) -> Callable[..., bytes]:
    work = batch_chunk.ChunkWork.__call__

    def dying(self: batch_chunk.ChunkWork, data: bytes, progress: object) -> bytes:
        job = batch_chunk.decode_job(data)
        if any(i >= index for i, _ in job.items):
            os._exit(9)
        return work(self, data, progress)  # type: ignore[arg-type]

    return dying


def test_a_child_crash_mid_batch_ends_the_stream_with_a_503_line(
    settings: Settings, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_chunk.ChunkWork, "__call__", _dies_at(1000))
    app_settings = msgspec.structs.replace(settings, batch=BatchSettings(processes=2))
    body = b"\n".join(_line(i) for i in range(3000))
    before = children()
    with TestClient(app_for(app_settings)) as client:
        offer = build_offer(client, keys.headers("admin"))
        started = time.monotonic()
        r = client.post(
            f"/render/v1/render/batch?entry_id={offer['id']}&channel=email",
            content=body,
            headers=keys.headers("render", **{"Content-Type": "application/x-ndjson"}),
        )
        assert time.monotonic() - started < 60
    lines = [json.loads(x) for x in r.content.splitlines()]
    *rendered, last = lines
    assert r.status_code == 200
    assert [line["index"] for line in lines] == list(range(len(lines)))
    assert all(line["ok"] for line in rendered) and len(rendered) == 1000
    assert last["ok"] is False and last["error"]["status"] == 503
    assert last["error"]["type"].endswith("/render-worker-lost")
    assert not children() - before


def test_a_client_that_hangs_up_leaves_no_process_behind(settings: Settings) -> None:
    limits = BatchSettings(max_line_bytes=4096, max_body_bytes=10 << 20, processes=2)
    before = children()
    with serve(settings, limits) as live:
        raw = Raw(live)
        raw.send(b"".join(_line(i) + b"\n" for i in range(1200)))
        raw.read_until(b'"ok":true', 600)  # the children are rendering
        assert children() - before
        raw.close()  # mid-stream: the body never ends
        deadline = time.monotonic() + 20
        while children() - before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not children() - before


def test_without_fork_the_batch_renders_on_the_event_loop(
    settings: Settings, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    app_settings = msgspec.structs.replace(settings, batch=BatchSettings(processes=2))
    with TestClient(app_for(app_settings)) as client:
        offer = build_offer(client, keys.headers("admin"))
        monkeypatch.setattr(os, "fork", no_fork)
        r = client.post(
            f"/render/v1/render/batch?entry_id={offer['id']}&channel=email",
            content=b"\n".join(_line(i) for i in range(700)),
            headers=keys.headers("render", **{"Content-Type": "application/x-ndjson"}),
        )
    lines = [json.loads(x) for x in r.content.splitlines()]
    assert [line["index"] for line in lines if line["ok"]] == list(range(700))
