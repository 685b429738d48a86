"""The audit log: every management write records who, what, when, and the
versions before and after; admins read it, filtered, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from content_hub.domain.audit import AuditRecord
from content_hub.domain.errors import BadRequest
from content_hub.domain.pagination import Page, decode_cursor, encode_cursor
from content_hub.domain.permissions import Action, require
from content_hub.services.base import Deps
from content_hub.store.repositories._util import now
from content_hub.store.repositories.audit import AuditRepository


async def record(
    deps: Deps,
    action: str,
    resource_type: str,
    resource_id: str,
    *,
    before: int | None = None,
    after: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit record in the caller's unit of work."""
    await AuditRepository(deps.session).add(
        at=now(),
        actor=deps.actor.name,
        actor_key_id=deps.actor.key_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        before_version=before,
        after_version=after,
        detail=detail,
    )


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


class AuditService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = AuditRepository(deps.session)

    async def page(
        self,
        *,
        resource: str | None,
        actor: str | None,
        action: str | None,
        since: datetime | None,
        cursor: str | None,
        limit: int,
        until: datetime | None = None,
    ) -> Page[AuditRecord]:
        """``resource`` is a type (``entry``) or ``type:id`` (``entry:0193...``);
        ``since`` is inclusive, ``until`` exclusive (naive times are UTC)."""
        require(self.deps.actor, Action.AUDIT_READ)
        resource_type, resource_id = None, None
        if resource is not None:
            resource_type, _, rid = resource.partition(":")
            resource_id = rid or None
        before = decode_cursor(cursor)
        if before is not None and not (before.isdigit() and len(before) <= 15):
            raise BadRequest("The cursor is not one this API handed out.")
        since, until = _utc(since), _utc(until)
        items = await self.repo.page(
            resource_type=resource_type,
            resource_id=resource_id,
            actor=actor,
            action=action,
            since=since,
            until=until,
            before_id=int(before) if before is not None else None,
            limit=limit + 1,
        )
        more = len(items) > limit
        shown = items[:limit]
        return Page(
            items=shown,
            next_cursor=encode_cursor(str(shown[-1].id)) if more and shown else None,
        )
