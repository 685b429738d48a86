"""/manage/v1/entries: drafts, publish and unpublish."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import Cursor, IfMatch, Limit, etag, version_from
from content_hub.api.schemas import EntryOut, EntryPage
from content_hub.domain.content_types import Channel
from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.inputs import (
    EntryCreate,
    EntryPatch,
    EntryUpdate,
    PublishRequest,
)
from content_hub.domain.keys import Scope
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService

TypeFilter = Annotated[str | None, QueryParameter(name="type", max_length=64)]
StatusFilter = Annotated[EntryStatus | None, QueryParameter(name="status")]
ChannelFilter = Annotated[Channel | None, QueryParameter(name="channel")]
TermFilter = Annotated[
    str | None,
    QueryParameter(
        name="term",
        max_length=230,
        description="A term id or 'taxonomy:key'; its descendants are included.",
    ),
]


def out(entry: Entry, status: int = 200) -> Response[EntryOut]:
    body = EntryOut.of(entry)
    return Response(body, status_code=status, headers=etag(body.version))


class EntryController(Controller):
    path = "/manage/v1/entries"
    tags = ["entries"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List entries (filter by type, status, channel, term)")
    async def list_entries(
        self,
        deps: NamedDependency[Deps],
        type_key: TypeFilter = None,
        status: StatusFilter = None,
        channel: ChannelFilter = None,
        term: TermFilter = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> EntryPage:
        page = await EntryService(deps).page(
            type_key=type_key,
            status=status,
            channel=channel,
            cursor=cursor,
            limit=limit,
            term=term,
        )
        return EntryPage(
            items=[EntryOut.of(e) for e in page.items], next_cursor=page.next_cursor
        )

    @get("/{entry_id:str}", summary="Get an entry's draft and publication state")
    async def get_entry(
        self, deps: NamedDependency[Deps], entry_id: FromPath[str]
    ) -> Response[EntryOut]:
        return out(await EntryService(deps).get(entry_id))

    @post("/", summary="Create a draft entry")
    async def create_entry(
        self, deps: NamedDependency[Deps], data: JSONBody[EntryCreate]
    ) -> Response[EntryOut]:
        return out(await EntryService(deps).create(data), 201)

    @put("/{entry_id:str}", summary="Replace an entry's draft (If-Match required)")
    async def replace_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[EntryUpdate],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        return out(
            await EntryService(deps).replace(entry_id, data, version_from(if_match))
        )

    @patch(
        "/{entry_id:str}", summary="Change some fields or locales (If-Match required)"
    )
    async def patch_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[EntryPatch],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        return out(
            await EntryService(deps).patch(entry_id, data, version_from(if_match))
        )

    @delete("/{entry_id:str}", summary="Delete an entry (If-Match required)")
    async def delete_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await EntryService(deps).delete(entry_id, version_from(if_match))

    @post(
        "/{entry_id:str}/publish",
        status_code=200,
        summary="Publish the current draft (optionally only some locales)",
    )
    async def publish_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        if_match: IfMatch = None,
        data: JSONBody[PublishRequest | None] = None,
    ) -> Response[EntryOut]:
        locales = None if data is None else data.locales
        return out(
            await EntryService(deps).publish(entry_id, version_from(if_match), locales)
        )

    @post(
        "/{entry_id:str}/unpublish",
        status_code=200,
        summary="Take the entry out of delivery",
    )
    async def unpublish_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        return out(await EntryService(deps).unpublish(entry_id, version_from(if_match)))
