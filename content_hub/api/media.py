"""/manage/v1/media: media records."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.params import Cursor, IfMatch, Limit, etag, version_from
from content_hub.api.schemas_editorial import MediaPage
from content_hub.domain.inputs import MediaWrite
from content_hub.domain.keys import Scope
from content_hub.domain.media import Media
from content_hub.services.base import Deps
from content_hub.services.media import MediaService


class MediaController(Controller):
    path = "/manage/v1/media"
    tags = ["media"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List media records")
    async def list_media(
        self, deps: NamedDependency[Deps], limit: Limit = 50, cursor: Cursor = None
    ) -> MediaPage:
        page = await MediaService(deps).page(cursor=cursor, limit=limit)
        return MediaPage(items=page.items, next_cursor=page.next_cursor)

    @get("/{media_id:str}", summary="Get a media record")
    async def get_media(
        self, deps: NamedDependency[Deps], media_id: FromPath[str]
    ) -> Response[Media]:
        media = await MediaService(deps).get(media_id)
        return Response(media, headers=etag(media.version))

    @post("/", summary="Create a media record")
    async def create_media(
        self, deps: NamedDependency[Deps], data: JSONBody[MediaWrite]
    ) -> Response[Media]:
        media = await MediaService(deps).create(data)
        return Response(media, status_code=201, headers=etag(media.version))

    @put("/{media_id:str}", summary="Replace a media record (If-Match required)")
    async def replace_media(
        self,
        deps: NamedDependency[Deps],
        media_id: FromPath[str],
        data: JSONBody[MediaWrite],
        if_match: IfMatch = None,
    ) -> Response[Media]:
        service = MediaService(deps)
        media = await service.replace(media_id, data, version_from(if_match))
        return Response(media, headers=etag(media.version))

    @delete("/{media_id:str}", summary="Delete a media record (If-Match required)")
    async def delete_media(
        self,
        deps: NamedDependency[Deps],
        media_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await MediaService(deps).delete(media_id, version_from(if_match))
