"""Shared parameter declarations, the request dependency and the ETag helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from litestar.params import HeaderParameter, QueryParameter
from litestar.types import Scope

from content_hub.domain.keys import Principal
from content_hub.live.delivery import PublishedDelivery
from content_hub.live.renders import Renders
from content_hub.services.base import UnreadableVersion
from content_hub.settings import Settings

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


@dataclass(frozen=True, slots=True)
class FastPathDeps:
    """What the fast paths (:mod:`content_hub.api.fast_path`) use. They are raw
    ASGI code that runs before Litestar's dependency injection, so the app
    keeps these in its state (``app.state.fast``); handlers get theirs
    injected (:func:`content_hub.app.dependencies`)."""

    settings: Settings
    renders: Renders
    delivery: PublishedDelivery


def live_of(scope: Scope) -> FastPathDeps:
    """The fast paths' collaborators (see :class:`FastPathDeps`)."""
    # ``state["fast"]``, not ``state.fast``: the attribute is found only after
    # Python's own lookup fails (``State.__getattr__``), a microsecond a request.
    fast: FastPathDeps = scope["app"].state["fast"]
    return fast
