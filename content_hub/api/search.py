"""GET /delivery/v1/search and /manage/v1/search."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from content_hub.api.browser import get_and_head
from content_hub.domain.keys import Principal, Scope
from content_hub.search import FacetField, SearchResults, Stage
from content_hub.services.search import SearchService

Req = Request[Any, Any, Any]
Q = Annotated[
    str, QueryParameter(name="q", max_length=500, description="Words to find.")
]
Locales = Annotated[
    list[str] | None,
    QueryParameter(
        name="locale", max_items=10, description="Locales to search (all if none)."
    ),
]
Types = Annotated[list[str] | None, QueryParameter(name="type", max_items=20)]
Terms = Annotated[
    list[str] | None,
    QueryParameter(
        name="term", max_items=20, description="Term ids; descendants match."
    ),
]
Channels = Annotated[list[str] | None, QueryParameter(name="channel", max_items=5)]
Statuses = Annotated[list[str] | None, QueryParameter(name="status", max_items=3)]
Facets = Annotated[list[FacetField] | None, QueryParameter(name="facet", max_items=3)]
Limit = Annotated[int, QueryParameter(name="limit", ge=0, le=100)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=10_000)]
Highlight = Annotated[bool, QueryParameter(name="highlight")]
StageParam = Annotated[Stage, QueryParameter(name="stage")]


def _filters(**values: list[str] | None) -> dict[str, list[str]]:
    return {name: list(v) for name, v in values.items() if v}


@get_and_head(
    "/delivery/v1/search",
    tags=["delivery", "search"],
    summary="Search published entries (drafts for preview keys)",
    opt={"scopes": (Scope.DELIVERY, Scope.PREVIEW)},
)
async def delivery_search(
    request: Req,
    search_service: NamedDependency[SearchService],
    q: Q = "",
    locale: Locales = None,
    type_key: Types = None,
    term: Terms = None,
    channel: Channels = None,
    facet: Facets = None,
    limit: Limit = 20,
    offset: Offset = 0,
    highlight: Highlight = True,
) -> SearchResults:
    principal = request.scope.get("user")
    preview = isinstance(principal, Principal) and principal.has(Scope.PREVIEW)
    return await search_service.search(
        q=q,
        stage="draft" if preview else "published",
        locales=locale,
        filters=_filters(type=type_key, term=term, channel=channel),
        facets=facet or (),
        limit=limit,
        offset=offset,
        highlight=highlight,
    )


@get(
    "/manage/v1/search",
    tags=["entries", "search"],
    summary="Search entries (latest drafts by default)",
    opt={"scopes": (Scope.MANAGE,)},
)
async def manage_search(
    search_service: NamedDependency[SearchService],
    q: Q = "",
    stage: StageParam = "draft",
    locale: Locales = None,
    type_key: Types = None,
    term: Terms = None,
    channel: Channels = None,
    status: Statuses = None,
    facet: Facets = None,
    limit: Limit = 20,
    offset: Offset = 0,
    highlight: Highlight = True,
) -> SearchResults:
    return await search_service.search(
        q=q,
        stage=stage,
        locales=locale,
        filters=_filters(type=type_key, term=term, channel=channel, status=status),
        facets=facet or (),
        limit=limit,
        offset=offset,
        highlight=highlight,
    )
