"""/manage/v1/audit (admin): the audit log, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from content_hub.api.params import Cursor, Limit
from content_hub.api.schemas_editorial import AuditPage
from content_hub.domain.keys import Scope
from content_hub.services.audit import AuditService
from content_hub.services.base import Deps

Resource = Annotated[
    str | None,
    QueryParameter(
        name="resource",
        max_length=250,
        description="A resource type ('entry') or 'type:id' ('entry:0193...').",
    ),
]
Actor = Annotated[
    str | None,
    QueryParameter(name="actor", max_length=200, description="The key's name."),
]
Action = Annotated[
    str | None,
    QueryParameter(
        name="action", max_length=40, description="create, update, publish, ..."
    ),
]
Since = Annotated[
    datetime | None,
    QueryParameter(name="since", description="Records at or after this time."),
]

Until = Annotated[
    datetime | None,
    QueryParameter(name="until", description="Records before this time."),
]


class AuditController(Controller):
    path = "/manage/v1/audit"
    tags = ["audit"]
    opt = {"scopes": (Scope.ADMIN,)}

    @get(
        "/",
        summary="Read the audit log (filter by resource, actor, action, since, until)",
    )
    async def list_audit(
        self,
        deps: NamedDependency[Deps],
        resource: Resource = None,
        actor: Actor = None,
        action: Action = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AuditPage:
        page = await AuditService(deps).page(
            resource=resource,
            actor=actor,
            action=action,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )
        return AuditPage(items=page.items, next_cursor=page.next_cursor)
