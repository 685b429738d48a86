"""/delivery/v1: published content for front-ends; ``preview`` keys see drafts.

Every route answers ``HEAD`` as well as ``GET`` (:func:`get_and_head`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.api import delivery_cache
from content_hub.api.browser import get_and_head
from content_hub.api.delivery_cache import cache_headers, etag_matches
from content_hub.api.params import Cursor, Limit
from content_hub.api.schemas import DeliveredPage
from content_hub.api.schemas_editorial import RelatedList
from content_hub.domain.content_types import Channel
from content_hub.domain.errors import Forbidden
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.sync import ChangeBatch
from content_hub.live.delivery import PublishedDelivery
from content_hub.live.references import MAX_INCLUDE
from content_hub.live.state import DeliveredEntry, EncodedEntry
from content_hub.services.delivery_preview import Previews
from content_hub.services.sync import changes_since
from content_hub.settings import Settings

LocaleParam = Annotated[
    str | None,
    QueryParameter(
        name="locale",
        max_length=35,
        description="A configured locale; without it Accept-Language is negotiated.",
    ),
]
AcceptLanguage = Annotated[
    str | None, HeaderParameter(name="Accept-Language", required=False, max_length=500)
]
IfNoneMatch = Annotated[
    str | None, HeaderParameter(name="If-None-Match", required=False, max_length=500)
]
TypeParam = Annotated[str | None, QueryParameter(name="type", max_length=64)]
ChannelParam = Annotated[Channel | None, QueryParameter(name="channel")]
TermParam = Annotated[
    str | None,
    QueryParameter(
        name="term",
        max_length=230,
        description="A term id or 'taxonomy:key'; its descendants are included.",
    ),
]
IncludeParam = Annotated[
    int,
    QueryParameter(
        name="include",
        ge=0,
        le=MAX_INCLUDE,
        description="Levels of entry and media references to resolve (0-5).",
    ),
]
PreviewToken = Annotated[
    str | None,
    QueryParameter(
        name="preview_token",
        max_length=1000,
        description="A preview link's token: this entry's draft (until it expires).",
    ),
]
PreviewTokenHeader = Annotated[
    str | None, HeaderParameter(name="X-Preview-Token", required=False, max_length=1000)
]
ReleaseParam = Annotated[
    str | None,
    QueryParameter(
        name="release",
        max_length=64,
        description="Preview keys: drafts overlaid by the release's entry versions.",
    ),
]
RelatedLimit = Annotated[int, QueryParameter(name="limit", ge=1, le=50)]
SyncLimit = Annotated[int, QueryParameter(name="limit", ge=1, le=1000)]
SyncCursor = Annotated[
    str | None,
    QueryParameter(
        name="cursor",
        max_length=200,
        description="next_cursor of the previous call; omit to start at the beginning.",
    ),
]

Req = Request[Any, Any, Any]


def _is_preview(request: Req) -> bool:
    principal = request.scope.get("user")
    return isinstance(principal, Principal) and principal.has(Scope.PREVIEW)


def _release_needs_preview(request: Req, release: str | None) -> None:
    if release is not None and not _is_preview(request):
        raise Forbidden("?release= previews a release; it needs a preview key.")


def _respond(
    hub_settings: Settings,
    encoded: EncodedEntry,
    locale: str,
    negotiated: bool,
    if_none_match: str | None,
    preview: bool,
) -> Response[DeliveredEntry]:
    headers = cache_headers(hub_settings.delivery, encoded, locale, negotiated, preview)
    # The body is DeliveredEntry JSON encoded once in the snapshot; send it as is.
    body: Any = b""
    if if_none_match is not None and etag_matches(if_none_match, encoded.etag):
        return Response(content=body, status_code=304, headers=headers)
    body = encoded.body
    return Response(content=body, media_type="application/json", headers=headers)


class DeliveryController(Controller):
    path = "/delivery/v1"
    tags = ["delivery"]
    opt = {"scopes": (Scope.DELIVERY, Scope.PREVIEW)}

    @get_and_head(
        "/entries", summary="List published entries by type, channel and term"
    )
    async def list_entries(
        self,
        request: Req,
        published_delivery: NamedDependency[PublishedDelivery],
        draft_previews: NamedDependency[Previews],
        type_key: TypeParam = None,
        channel: ChannelParam = None,
        term: TermParam = None,
        locale: LocaleParam = None,
        accept_language: AcceptLanguage = None,
        include: IncludeParam = 1,
        limit: Limit = 50,
        cursor: Cursor = None,
        release: ReleaseParam = None,
    ) -> DeliveredPage:
        """A preview key lists drafts; with ``?release=`` each draft the
        release holds is shown at the release's version (as by id or key)."""
        published = published_delivery
        code = published.locale(locale, accept_language)
        _release_needs_preview(request, release)
        kwargs = {
            "type_key": type_key,
            "channel": channel,
            "term": term,
            "locale": code,
            "cursor": cursor,
            "limit": limit,
            "include": include,
        }
        if _is_preview(request):
            page = await draft_previews.call(
                request.scope["user"],
                lambda p: p.page(**kwargs, release=release),  # type: ignore[arg-type]
            )
        else:
            page = published.page(**kwargs)  # type: ignore[arg-type]
        return DeliveredPage(items=page.items, next_cursor=page.next_cursor)

    @get_and_head(
        "/entries/{entry_id:str}",
        summary="Get a published entry by id in a locale",
        opt={"fast_path": delivery_cache.entry_by_id},
    )
    async def get_entry(
        self,
        request: Req,
        published_delivery: NamedDependency[PublishedDelivery],
        draft_previews: NamedDependency[Previews],
        hub_settings: NamedDependency[Settings],
        entry_id: FromPath[str],
        locale: LocaleParam = None,
        accept_language: AcceptLanguage = None,
        if_none_match: IfNoneMatch = None,
        include: IncludeParam = 1,
        preview_token: PreviewToken = None,
        preview_token_header: PreviewTokenHeader = None,
        release: ReleaseParam = None,
    ) -> Response[DeliveredEntry]:
        published = published_delivery
        code = published.locale(locale, accept_language)
        token = preview_token or preview_token_header
        preview = _is_preview(request) or token is not None
        _release_needs_preview(request, release)
        if token is not None:
            encoded = await draft_previews.call(
                request.scope["user"],
                lambda p: p.linked(token, code, include, entry_id=entry_id),
            )
        elif preview:
            encoded = await draft_previews.call(
                request.scope["user"],
                lambda p: p.by_id(entry_id, code, include, release),
            )
        else:
            encoded = published.by_id(entry_id, code, include)
        return _respond(
            hub_settings, encoded, code, locale is None, if_none_match, preview
        )

    @get_and_head(
        "/content-types/{type_key:str}/entries/{key:str}",
        summary="Get a published entry by content type and key in a locale",
        opt={"fast_path": delivery_cache.entry_by_key},
    )
    async def get_entry_by_key(
        self,
        request: Req,
        published_delivery: NamedDependency[PublishedDelivery],
        draft_previews: NamedDependency[Previews],
        hub_settings: NamedDependency[Settings],
        type_key: FromPath[str],
        key: FromPath[str],
        locale: LocaleParam = None,
        accept_language: AcceptLanguage = None,
        if_none_match: IfNoneMatch = None,
        include: IncludeParam = 1,
        preview_token: PreviewToken = None,
        preview_token_header: PreviewTokenHeader = None,
        release: ReleaseParam = None,
    ) -> Response[DeliveredEntry]:
        published = published_delivery
        code = published.locale(locale, accept_language)
        token = preview_token or preview_token_header
        preview = _is_preview(request) or token is not None
        _release_needs_preview(request, release)
        if token is not None:
            encoded = await draft_previews.call(
                request.scope["user"],
                lambda p: p.linked(token, code, include, type_and_key=(type_key, key)),
            )
        elif preview:
            encoded = await draft_previews.call(
                request.scope["user"],
                lambda p: p.by_key(type_key, key, code, include, release),
            )
        else:
            encoded = published.by_key(type_key, key, code, include)
        return _respond(
            hub_settings, encoded, code, locale is None, if_none_match, preview
        )

    @get_and_head(
        "/entries/{entry_id:str}/related",
        summary="Published entries sharing terms, most specific first",
    )
    async def related_entries(
        self,
        published_delivery: NamedDependency[PublishedDelivery],
        entry_id: FromPath[str],
        type_key: TypeParam = None,
        channel: ChannelParam = None,
        locale: LocaleParam = None,
        accept_language: AcceptLanguage = None,
        limit: RelatedLimit = 10,
    ) -> RelatedList:
        published = published_delivery
        code = published.locale(locale, accept_language)
        items = published.related(
            entry_id, type_key=type_key, channel=channel, locale=code, limit=limit
        )
        return RelatedList(items=items)

    @get_and_head(
        "/sync", summary="Delivery changes (publish, unpublish, delete) since a cursor"
    )
    async def sync_changes(
        self,
        read_session_factory: NamedDependency[async_sessionmaker[AsyncSession]],
        cursor: SyncCursor = None,
        limit: SyncLimit = 500,
    ) -> ChangeBatch:
        async with read_session_factory() as session:
            return await changes_since(session, cursor, limit)
