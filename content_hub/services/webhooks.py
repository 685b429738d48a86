"""Webhook subscriptions (admins): create, change, delete, rotate the
signing secret; read the delivery log, redeliver one delivery, send a test
event. Sending is the dispatcher's (``content_hub.workers.webhooks``): these
only queue, so no request waits for a receiver."""

from __future__ import annotations

import asyncio
from datetime import datetime

import msgspec

from content_hub.domain.errors import BadRequest, FieldError, NotFound, ValidationFailed
from content_hub.domain.ids import new_id
from content_hub.domain.pagination import Page, decode_cursor, encode_cursor
from content_hub.domain.permissions import Action, require
from content_hub.domain.webhooks import (
    Delivery,
    Webhook,
    WebhookIn,
    WebhookWithSecret,
    check_headers,
)
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.webhooks import WebhookRepository
from content_hub.workers.webhooks import (
    Refused,
    Resolver,
    Unresolvable,
    check_url,
    safe_addresses,
    secret_box,
    system_resolver,
)
from content_hub.workers.webhooks.events import encode, ping_body
from content_hub.workers.webhooks.fanout import delivery_id
from content_hub.workers.webhooks.secrets import new_secret

RESOLVE_SECONDS = 3.0
STATUSES = ("pending", "delivered", "failed")


class WebhookService:
    def __init__(self, deps: Deps, resolver: Resolver = system_resolver) -> None:
        self.deps = deps
        self.repo = WebhookRepository(deps.session)
        self.resolver = resolver

    async def all(self) -> list[Webhook]:
        require(self.deps.actor, Action.WEBHOOKS_MANAGE)
        return await self.repo.all()

    async def get(self, webhook_id: str) -> Webhook:
        require(self.deps.actor, Action.WEBHOOKS_MANAGE)
        found = await self.repo.get(webhook_id)
        if found is None:
            raise NotFound(f"No webhook {webhook_id[:40]!r}.")
        return found

    async def create(self, data: WebhookIn) -> WebhookWithSecret:
        """Subscribe; the signing secret is in this answer and never again."""
        require(self.deps.actor, Action.WEBHOOKS_MANAGE)
        await self._check(data)
        when = now()
        start = await ChangeRepository(self.deps.session).head()
        hook = _webhook(data, new_id(), version=1, created=when, start_seq=start)
        secret = new_secret()
        box = await secret_box(self.deps.session, self.deps.settings)
        await self.repo.add(hook, box.seal(secret))
        await record(
            self.deps, "create", "webhook", hook.id, after=1, detail=_log(hook)
        )
        return WebhookWithSecret(webhook=hook, secret=secret)

    async def update(
        self, webhook_id: str, data: WebhookIn, expected: int | None
    ) -> Webhook:
        """Replace the subscription (If-Match). Turning it on again clears the
        dispatcher's reason and its run of failures."""
        current = await self.get(webhook_id)
        require_version(expected, current.version, "webhook")
        await self._check(data)
        hook = _webhook(
            data,
            current.id,
            version=current.version + 1,
            created=current.created_at,
            start_seq=current.start_seq,
        )
        if not data.active:  # turning it on again clears the dispatcher's verdict
            hook = msgspec.structs.replace(
                hook,
                consecutive_failures=current.consecutive_failures,
                disabled_reason=current.disabled_reason,
            )
        if not await self.repo.update(hook, expected_version=current.version):
            raise stale("webhook")
        await record(
            self.deps,
            "update",
            "webhook",
            hook.id,
            before=current.version,
            after=hook.version,
            detail=_log(hook),
        )
        return hook

    async def delete(self, webhook_id: str, expected: int | None) -> None:
        current = await self.get(webhook_id)
        require_version(expected, current.version, "webhook")
        if not await self.repo.delete(webhook_id, expected_version=current.version):
            raise stale("webhook")
        await record(self.deps, "delete", "webhook", webhook_id, before=current.version)

    async def rotate_secret(
        self, webhook_id: str, expected: int | None = None
    ) -> WebhookWithSecret:
        """A new signing secret (the old one stops at once); shown only here.
        If-Match is optional: a rotation is not an edit that could be lost."""
        current = await self.get(webhook_id)
        if expected is not None:
            require_version(expected, current.version, "webhook")
        secret = new_secret()
        box = await secret_box(self.deps.session, self.deps.settings)
        hook = msgspec.structs.replace(
            current, version=current.version + 1, updated_at=now()
        )
        sealed = box.seal(secret)
        if not await self.repo.update(
            hook, expected_version=current.version, sealed=sealed
        ):
            raise stale("webhook")
        await record(
            self.deps,
            "rotate-secret",
            "webhook",
            hook.id,
            before=current.version,
            after=hook.version,
        )
        return WebhookWithSecret(webhook=hook, secret=secret)

    async def deliveries(
        self, webhook_id: str, *, cursor: str | None, limit: int, status: str | None
    ) -> Page[Delivery]:
        """The delivery log, newest first, each delivery with its attempts."""
        await self.get(webhook_id)
        before = decode_cursor(cursor)
        if before is not None and not before.startswith("msg_"):
            raise BadRequest("The cursor is not one this API handed out.")
        if status is not None and status not in STATUSES:
            raise BadRequest(
                f"status is one of {', '.join(STATUSES)}.",
                errors=[FieldError(loc=["query", "status"], msg="unknown status")],
            )
        items = await self.repo.deliveries(
            webhook_id, before=before, limit=limit + 1, status=status
        )
        more = len(items) > limit
        shown = items[:limit]
        return Page(
            items=shown,
            next_cursor=encode_cursor(shown[-1].id) if more and shown else None,
        )

    async def delivery(self, webhook_id: str, delivery_id: str) -> Delivery:
        await self.get(webhook_id)
        found = await self.repo.delivery(webhook_id, delivery_id)
        if found is None:
            raise NotFound(f"No delivery {delivery_id[:40]!r} of this webhook.")
        return found

    async def redeliver(self, webhook_id: str, delivery_id: str) -> Delivery:
        """Queue one delivery again, now, with the same ``webhook-id`` (it
        goes out before the entry's later events still pending)."""
        found = await self.delivery(webhook_id, delivery_id)
        await self.repo.requeue(found.id, now())
        await record(self.deps, "redeliver", "webhook", webhook_id, detail={
            "delivery": found.id
        })  # fmt: skip
        return await self.delivery(webhook_id, delivery_id)

    async def test(self, webhook_id: str) -> Delivery:
        """Queue a ``webhook.test`` event to the subscription (sent even if
        it is not subscribed to any event type in particular)."""
        hook = await self.get(webhook_id)
        when = now()
        queued = delivery_id()
        await self.repo.add_delivery(
            id=queued,
            webhook_id=hook.id,
            position=0,
            entry_id="",
            event_type="webhook.test",
            payload=encode(ping_body(hook.id, when)).decode(),
            status="pending",
            attempts=0,
            requeued=0,
            next_at=when,
            created_at=when,
        )
        return await self.delivery(webhook_id, queued)

    async def _check(self, data: WebhookIn) -> None:
        """The URL (syntax, then every address it resolves to now: the
        dispatcher checks again at each connection) and the headers."""
        check_headers(data.headers)
        config = self.deps.settings.webhooks
        try:
            _, host, port = check_url(data.url, allow_http=config.allow_http)
            async with asyncio.timeout(RESOLVE_SECONDS):
                await safe_addresses(
                    host, port, self.resolver, allow_private=config.allow_private
                )
        except (Unresolvable, TimeoutError):
            return  # DNS may be down now; the check at each connection decides
        except Refused as exc:
            raise _refused(str(exc)) from None


def _refused(why: str) -> ValidationFailed:
    return ValidationFailed(
        f"This webhook URL is not allowed: {why}.",
        errors=[FieldError(loc=["body", "url"], msg=why, type="url-refused")],
    )


def _webhook(
    data: WebhookIn, webhook_id: str, *, version: int, created: datetime, start_seq: int
) -> Webhook:
    return Webhook(
        id=webhook_id,
        url=data.url,
        events=list(dict.fromkeys(str(e) for e in data.events)),
        description=data.description,
        content_types=list(dict.fromkeys(data.content_types)),
        terms=list(dict.fromkeys(data.terms)),
        active=data.active,
        headers=dict(data.headers),
        version=version,
        created_at=created,
        updated_at=now(),
        start_seq=start_seq,
    )


def _log(hook: Webhook) -> dict[str, object]:
    """What the audit record keeps (header values may be credentials: names only)."""
    return {"url": hook.url, "events": hook.events, "headers": sorted(hook.headers)}
