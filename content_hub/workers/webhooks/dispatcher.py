"""The webhook dispatcher: follows the change log (the outbox) to receivers.

Every worker of every host runs :meth:`WebhookDispatcher.loop`; the one
holding the ``webhook-dispatcher`` lease (:mod:`content_hub.workers.lease`,
as the search indexer) works, and a dead holder is replaced within about
``CONTENT_HUB_LEASE_INTERVAL``. Its rounds:

1. fan-out (:mod:`.fanout`): new changes become queued deliveries, with
   the cursor moved in the same transaction;
2. send the due deliveries, at most ``CONTENT_HUB_WEBHOOKS_CONCURRENCY`` at
   once, each the first pending one of its (subscription, entry), so one
   entry's events arrive in order; each attempt is signed afresh (Standard
   Webhooks: ``webhook-id`` = the delivery's id, the same on every retry);
3. record every attempt, then mark deliveries delivered, due again later
   (the retry schedule, jittered) or failed for good. A subscription with
   ``CONTENT_HUB_WEBHOOKS_DISABLE_AFTER`` deliveries in a row failed for good
   is turned off, with an audit record saying why.

At-least-once: a holder killed between a send and its record sends that
delivery again after the takeover; receivers de-duplicate on ``webhook-id``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook as Signer

from content_hub.retry import JITTER, retry_until_stopped
from content_hub.settings import Settings
from content_hub.store.repositories.audit import AuditRepository
from content_hub.store.repositories.webhook_dispatch import DispatchRepository
from content_hub.store.repositories.webhook_queue import (
    DeliveryQueueRepository,
    DueDelivery,
    Outcome,
)
from content_hub.store.repositories.webhooks import WebhookRepository
from content_hub.workers.lease import Lease, lease_for, run_leased
from content_hub.workers.webhooks.fanout import CursorMoved, fan_out
from content_hub.workers.webhooks.secrets import (
    SecretBox,
    SecretUnreadable,
    new_master_key,
)
from content_hub.workers.webhooks.ssrf import (
    GuardedClient,
    Refused,
    Resolver,
    system_resolver,
)

log = logging.getLogger(__name__)
LEASE = "webhook-dispatcher"
ACTOR = "webhook-dispatcher"
FAN_OUT_BATCH = 500
EXCERPT_BYTES = 4096
MAX_WAIT = 0.25
"""Longest pause between looks for new changes and due retries. A look is a
cheap probe (one read; on SQLite without a session); a full round runs only
when it finds work, or when this worker was woken after a write."""
USER_AGENT = "content-hub-webhooks/1"
SIGNERS = 1024
"""Subscriptions whose decrypted signer the dispatcher keeps."""


def _clean(text: str, limit: int) -> str:
    """Storable text (no NUL: PostgreSQL refuses it), at most ``limit``."""
    return text.replace("\x00", "\ufffd")[:limit]


async def secret_box(session: AsyncSession, settings: Settings) -> SecretBox:
    """The box secrets are sealed with: ``CONTENT_HUB_SECRET_KEY`` first, the
    generated key kept in the database as the fallback (or the only key)."""
    generated = await WebhookRepository(session).generated_key(new_master_key)
    if settings.secret_key:
        return SecretBox(settings.secret_key, generated)
    return SecretBox(generated)


class WebhookDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        lease: Lease | None = None,
        resolver: Resolver = system_resolver,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        probe: Callable[[datetime], bool | None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.probe = probe
        """A synchronous idle probe (SQLite's point reader); ``None`` from it,
        or no probe, reads through a session."""
        self.settings = settings
        self.config = settings.webhooks
        self.lease = lease or lease_for(settings.database.url, settings.data_dir, LEASE)
        self.resolver = resolver
        self.clock = clock
        self._wake = asyncio.Event()
        self._box: SecretBox | None = None
        self._signers: OrderedDict[str, Signer] = OrderedDict()
        self.sent = 0
        """Attempts made by this process (for tests and the benchmark)."""

    def wake(self) -> None:
        """Look for new changes and due deliveries now."""
        self._wake.set()

    def client(self) -> GuardedClient:
        """The sender, for ``async with``: its connections live as long."""
        return GuardedClient(
            self.resolver,
            allow_private=self.config.allow_private,
            allow_http=self.config.allow_http,
            concurrency=self.config.concurrency,
            per_host=min(self.config.per_host, self.config.concurrency),
            timeout=self.config.timeout,
        )

    async def loop(self, stop: asyncio.Event) -> None:
        await run_leased(
            self.lease, self._follow, stop, interval=self.settings.retry.lease
        )

    async def _follow(self, until: asyncio.Event) -> None:
        async with self.client() as client:

            async def round_() -> int:  # a coroutine function, as tenacity needs
                return await self.run_once(client)

            full = True  # the first round, and after work or a wake: a full one
            while not until.is_set():
                self._wake.clear()
                if full or not await self._idle():
                    busy = await retry_until_stopped(
                        round_,
                        until,
                        self.settings.retry,
                        name="webhook dispatch",
                    )
                    if busy is None:
                        return
                    if busy:
                        continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(until, self._wake), MAX_WAIT)
                full = self._wake.is_set()

    async def _idle(self) -> bool:
        """Whether the cheap probe finds nothing to do (a failed probe: not
        idle, the full round and its retries take over)."""
        now = self.clock()
        try:
            if self.probe is not None:
                idle = self.probe(now)
                if idle is not None:
                    return idle
            async with self.sessions() as session:
                return await DispatchRepository(session).idle(now)
        except Exception:
            log.debug("webhook dispatch probe failed", exc_info=True)
            return False

    async def run_once(self, client: GuardedClient) -> int:
        """One round: fan out, send what is due, record; how much was done."""
        done = 0
        async with self.sessions() as session:
            try:
                done += await fan_out(
                    DispatchRepository(session), FAN_OUT_BATCH, self.clock()
                )
            except CursorMoved:
                await session.rollback()
                raise
            await session.commit()
        async with self.sessions() as session:
            due = await DeliveryQueueRepository(session).due(
                self.clock(), self.config.concurrency * 4
            )
            if due and self._box is None:
                self._box = await secret_box(session, self.settings)
            await session.commit()
        box = self._box
        if not due or box is None:
            return done
        limit = asyncio.Semaphore(self.config.concurrency)
        outcomes = await asyncio.gather(
            *(self._attempt(client, box, item, limit) for item in due)
        )
        await self._record(list(outcomes))
        return done + len(due)

    async def _attempt(
        self,
        client: GuardedClient,
        box: SecretBox,
        item: DueDelivery,
        limit: asyncio.Semaphore,
    ) -> Outcome:
        async with limit:
            at = self.clock()
            started = time.perf_counter()
            status: int | None = None
            excerpt: str | None = None
            try:
                signer = self._signer(box, item.sealed_secret)
                status, excerpt = await self.post(client, item, signer, at)
                error = None if 200 <= status < 300 else _status_error(status)
            except (
                aiohttp.ClientError,
                Refused,
                SecretUnreadable,
                TimeoutError,
            ) as exc:
                error = (
                    f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                )
            self.sent += 1
            latency = (time.perf_counter() - started) * 1000
            delivered = error is None
            next_at = None if delivered else self._retry_at(item.attempts, at)
            return Outcome(
                delivery_id=item.id,
                webhook_id=item.webhook_id,
                requeued=item.requeued,
                at=at,
                status_code=status,
                latency_ms=round(latency, 3),
                error=None if error is None else _clean(error, 500),
                excerpt=excerpt,
                delivered=delivered,
                next_at=next_at,
            )

    def _signer(self, box: SecretBox, sealed: str) -> Signer:
        """The signer of a sealed secret, decrypted once (a rotated secret is
        sealed anew, so it is a new key here); the most recent few kept."""
        signer = self._signers.pop(sealed, None) or Signer(box.open(sealed))
        self._signers[sealed] = signer
        if len(self._signers) > SIGNERS:
            self._signers.popitem(last=False)
        return signer

    async def post(
        self, client: GuardedClient, item: DueDelivery, signer: Signer, at: datetime
    ) -> tuple[int, str]:
        """Send one signed request; (status, the start of the response body)."""
        headers = {
            **item.headers,
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": item.id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signer.sign(item.id, at, item.payload.decode()),
        }
        async with asyncio.timeout(self.config.timeout):
            status, head = await client.post(
                item.url, item.payload, headers, read=EXCERPT_BYTES
            )
        return status, _clean(head.decode("utf-8", "replace"), EXCERPT_BYTES)

    def _retry_at(self, attempts_before: int, at: datetime) -> datetime | None:
        schedule = self.config.retry_schedule
        if attempts_before >= len(schedule):
            return None
        delay = schedule[attempts_before] * JITTER.uniform(0.8, 1.2)
        return at + timedelta(seconds=delay)

    async def _record(self, outcomes: list[Outcome]) -> None:
        async with self.sessions() as session:
            repo = DeliveryQueueRepository(session)
            runs = await repo.record(outcomes)
            for webhook_id, failed in runs.items():
                after = await repo.count_failure_run(webhook_id, failed)
                if failed > 0 and after and after[0] >= self.config.disable_after:
                    await self._disable(session, repo, webhook_id, after, outcomes)
            await session.commit()

    async def _disable(
        self,
        session: AsyncSession,
        repo: DeliveryQueueRepository,
        webhook_id: str,
        after: tuple[int, int],
        outcomes: list[Outcome],
    ) -> None:
        last = next(o for o in reversed(outcomes) if o.webhook_id == webhook_id)
        reason = (
            f"{after[0]} deliveries in a row failed after every retry; the last "
            f"attempt: {last.error}"
        )
        when = self.clock()
        await repo.disable(webhook_id, reason, when)
        await AuditRepository(session).add(
            at=when,
            actor=ACTOR,
            actor_key_id="",
            action="disable",
            resource_type="webhook",
            resource_id=webhook_id,
            before_version=after[1],
            after_version=after[1] + 1,
            detail={"reason": reason[:500]},
        )
        log.warning("webhook %s disabled: %s", webhook_id, reason)


def _status_error(status: int) -> str:
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed"
    return f"HTTP {status}"


async def _first(stop: asyncio.Event, wake: asyncio.Event) -> None:
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiters:
            task.cancel()
