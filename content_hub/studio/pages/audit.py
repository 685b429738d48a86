"""The audit log (admin only: ``AuditService`` needs ``audit.read``, as
``/manage/v1/audit``), newest first, filtered by actor, action, entity type
and id and a date range, a page at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.keys import Principal
from content_hub.services.audit import AuditService
from content_hub.services.base import Deps
from content_hub.studio.views import page

PAGE_SIZE = 50
Text = Annotated[str | None, QueryParameter(max_length=200)]
TypeText = Annotated[str | None, QueryParameter(name="type", max_length=64)]
IdText = Annotated[str | None, QueryParameter(name="id", max_length=180)]
DateText = Annotated[str | None, QueryParameter(max_length=10)]
FromText = Annotated[str | None, QueryParameter(name="from", max_length=10)]
CursorText = Annotated[str | None, QueryParameter(max_length=40)]


def _day(value: str | None, name: str) -> datetime | None:
    """The start of a ``YYYY-MM-DD`` day in UTC (a date input's value)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        msg = "expected a date (YYYY-MM-DD)"
        raise ValidationFailed(
            f"The {name} date is not a date.", errors=[FieldError(loc=[name], msg=msg)]
        ) from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@get("/audit", name="studio_audit")
async def list_audit(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    actor: Text = None,
    action: Text = None,
    entity_type: TypeText = None,
    entity_id: IdText = None,
    since: FromText = None,
    to: DateText = None,
    cursor: CursorText = None,
) -> Response[str]:
    """``from`` and ``to`` are days (UTC), both included; an entity id
    without a type is ignored (the log names an entity by both)."""
    filters = {
        "actor": actor or "",
        "action": action or "",
        "type": entity_type or "",
        "id": entity_id or "",
        "from": since or "",
        "to": to or "",
    }
    resource = None
    if entity_type:
        resource = f"{entity_type}:{entity_id}" if entity_id else entity_type
    until = _day(to, "to")
    found = await AuditService(studio_deps).page(
        resource=resource,
        actor=actor or None,
        action=action or None,
        since=_day(since, "from"),
        until=None if until is None else until + timedelta(days=1),
        cursor=cursor,
        limit=PAGE_SIZE,
    )
    query = {k: v for k, v in filters.items() if v}
    next_url = None
    if found.next_cursor:
        next_url = "/studio/audit?" + urlencode({**query, "cursor": found.next_cursor})
    return page(
        request,
        "audit.html",
        principal=studio_principal,
        records=found.items,
        filters=filters,
        next_url=next_url,
        first_url=("/studio/audit?" + urlencode(query)) if cursor else None,
    )
