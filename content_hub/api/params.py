"""Shared parameter declarations, the request dependency and the ETag helpers."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from typing import Annotated, Any

from litestar import Request
from litestar.params import HeaderParameter, QueryParameter

from content_hub.domain.keys import Principal
from content_hub.services.base import Deps, UnreadableVersion
from content_hub.services.hub import Hub
from content_hub.store.db import commit

Limit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=200, description="Page size (1-200).")
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        name="cursor", max_length=200, description="From the previous page."
    ),
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="The ETag (version) you read; required to change a resource.",
    ),
]
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')

ANONYMOUS = Principal("anonymous", "anonymous", frozenset())


def version_from(if_match: str | None) -> int | None:
    """The version in an If-Match header (``"3"``, ``W/"3"`` or ``3``).

    Anything else becomes an :class:`UnreadableVersion`, which the service
    refuses with a 400 naming the resource's current version (only it knows).
    """
    if if_match is None:
        return None
    match = _ETAG.match(if_match)
    if match is None:
        return UnreadableVersion(if_match)
    return int(match.group(1))


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def hub_of(request: Request[Any, Any, Any]) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


async def provide_deps(request: Request[Any, Any, Any]) -> AsyncGenerator[Deps, None]:
    """A session per request, committed after the handler returns (before the
    response is sent), rolled back on any error."""
    hub = hub_of(request)
    principal = request.scope.get("user")
    actor = principal if isinstance(principal, Principal) else ANONYMOUS
    async with hub.sessions() as session:
        deps = Deps(session, actor, hub.settings, hub.sync.refresh)
        try:
            yield deps
        except Exception:
            await session.rollback()
            raise
        else:
            await commit(session)
            if request.method != "GET":
                hub.indexer.wake()  # index the change now, not at the next poll
