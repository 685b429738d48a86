"""Webhook benchmark: dispatch rate to a local receiver, and publish latency
with 0 and with 10 active subscriptions.

    .venv/bin/python -m bench.bench_webhooks [--entries 1000] [--subs 10]
        [--publishes 200] [--rounds 3] [--pg postgresql+psycopg://postgres@127.0.0.1/DB]

1. Dispatch: ``--entries`` entries are published with ``--subs`` active
   subscriptions (``entries x subs`` deliveries queued by the fan-out), then
   one :class:`~content_hub.workers.webhooks.WebhookDispatcher` sends them to
   a receiver in another process (a minimal keep-alive HTTP server answering
   204) until none is left: deliveries per second, signing, sending and
   recording included; ``--rounds`` times, and the median. Target (issue
   18): >= 500/s.
2. Publish latency: ``POST .../publish`` through the app (its dispatcher
   running, as in a worker), ``--publishes`` times with no subscription and
   again with ``--subs`` subscriptions to the receiver: median and p95 ms.
   Target: unchanged (the fan-out is off the request path).

SQLite in a temporary folder unless ``--pg`` (that database is emptied).
Prints the figures and the load average; no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
from litestar.testing import TestClient

from content_hub.app import create_app
from content_hub.cli import _create_key
from content_hub.domain.keys import SYSTEM, Scope
from content_hub.domain.webhooks import EventType, WebhookIn
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.webhooks import WebhookService
from content_hub.settings import Settings, WebhookSettings
from content_hub.store.db import commit, create_engine, create_session_factory, migrate
from content_hub.store.repositories.webhook_queue import DeliveryQueueRepository
from content_hub.workers.webhooks import WebhookDispatcher


def _receiver(sock: socket.socket) -> None:
    """A keep-alive HTTP/1.1 server answering 204 to everything."""

    class Protocol(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                head, _, rest = self.buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                if len(rest) < length:
                    return
                self.buffer = rest[length:]
                self.transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Protocol, sock=sock)
        await server.serve_forever()

    asyncio.run(main())


def _settings(data: Path, pg: str | None) -> Settings:
    env = {**os.environ, "CONTENT_HUB_DATA_DIR": str(data)}
    if pg:
        env["CONTENT_HUB_DATABASE_URL"] = pg
    settings = Settings.from_env(env)
    return msgspec.structs.replace(
        settings,
        webhooks=WebhookSettings(allow_http=True, allow_private=True),
        auth_cache_seconds=60.0,
    )


async def _empty(url: str) -> None:
    import sqlalchemy as sa

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        await conn.execute(sa.text("CREATE SCHEMA public"))
    await engine.dispose()


async def _entries(settings: Settings, count: int, publish: bool) -> list[str]:
    from content_hub.domain.inputs import ContentTypeCreate, EntryCreate
    from content_hub.services.content_types import ContentTypeService
    from content_hub.services.locales import LocaleService

    engine = create_engine(settings.database.url)
    sessions = create_session_factory(engine)
    ids = []
    async with sessions() as session:
        deps = Deps(session, SYSTEM, settings)
        await LocaleService(deps).ensure_default()
        types = ContentTypeService(deps)
        try:
            await types.get("note")
        except Exception:
            await types.create(
                msgspec.convert(
                    {"key": "note", "name": "Note", "fields": [
                        {"key": "title", "type": "text", "localized": True}
                    ]},
                    ContentTypeCreate,
                )
            )  # fmt: skip
        service = EntryService(deps)
        for n in range(count):
            key = f"n{time.time_ns()}{n}"
            made = await service.create(
                EntryCreate(type="note", key=key, fields={"title": {"en": key}})
            )
            if publish:
                await service.publish(made.id, made.version)
            ids.append(made.id)
        await commit(session)
    await engine.dispose()
    return ids


async def _subscribe(settings: Settings, url: str, count: int) -> None:
    engine = create_engine(settings.database.url)
    async with create_session_factory(engine)() as session:
        for _ in range(count):
            await WebhookService(Deps(session, SYSTEM, settings)).create(
                WebhookIn(url=url, events=[EventType.ENTRY_PUBLISHED])
            )
        await commit(session)
    await engine.dispose()


async def _dispatch(settings: Settings) -> tuple[int, float]:
    engine = create_engine(settings.database.url)
    sessions = create_session_factory(engine)
    dispatcher = WebhookDispatcher(sessions, settings)
    async with dispatcher.client() as client:
        started = time.perf_counter()  # fan-out, signing, sending, recording
        while await dispatcher.run_once(client):
            pass
        elapsed = time.perf_counter() - started
    async with sessions() as session:
        assert await DeliveryQueueRepository(session).next_due() is None
    await engine.dispose()
    return dispatcher.sent, elapsed


def _publish_latency(settings: Settings, ids: list[str], secret: str) -> list[float]:
    headers = {"Authorization": f"Bearer {secret}"}
    times = []
    with TestClient(create_app(settings)) as client:
        for entry_id in ids:
            version = client.get(f"/manage/v1/entries/{entry_id}", headers=headers)
            tag = version.headers["etag"]
            started = time.perf_counter()
            r = client.post(
                f"/manage/v1/entries/{entry_id}/publish",
                headers={**headers, "If-Match": tag},
            )
            times.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200, r.text
    return times


def _summary(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--subs", type=int, default=10)
    parser.add_argument("--publishes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg")
    args = parser.parse_args()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    receiver = multiprocessing.Process(target=_receiver, args=(sock,), daemon=True)
    receiver.start()
    with tempfile.TemporaryDirectory(prefix="bench-webhooks-") as tmp:
        settings = _settings(Path(tmp), args.pg)
        if args.pg:
            asyncio.run(_empty(args.pg))
        migrate(settings.database.url)
        secret = asyncio.run(_create_key(settings, "bench", [Scope.ADMIN]))
        print(f"database: {settings.database.url.split('://')[0]}")
        # 2. publish latency without, then with, subscriptions
        ids = asyncio.run(_entries(settings, args.publishes * 2, publish=False))
        none = _publish_latency(settings, ids[: args.publishes], secret)
        asyncio.run(_subscribe(settings, url, args.subs))
        some = _publish_latency(settings, ids[args.publishes :], secret)
        print(f"publish, 0 subscriptions: {_summary(none)}")
        print(f"publish, {args.subs} subscriptions: {_summary(some)}")
        # 1. dispatch rate (the publishes above were delivered by the app),
        # --rounds times: on 2 cores shared with the receiver it varies a lot
        rates = []
        for _ in range(args.rounds):
            asyncio.run(_entries(settings, args.entries, publish=True))
            sent, elapsed = asyncio.run(_dispatch(settings))
            rates.append(sent / elapsed)
            print(
                f"dispatch: {sent} deliveries in {elapsed:.2f} s = {rates[-1]:,.0f}/s"
            )
        print(
            f"dispatch, median of {args.rounds}: {statistics.median(rates):,.0f}/s "
            f"({args.entries} publishes x {args.subs} subscriptions, target >= 500/s)"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    receiver.terminate()


if __name__ == "__main__":
    main()
