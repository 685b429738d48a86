"""/manage/v1/content-types."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import Cursor, IfMatch, Limit, etag, version_from
from content_hub.api.schemas import ContentTypePage
from content_hub.domain.content_types import ContentType
from content_hub.domain.inputs import ContentTypeCreate, ContentTypeUpdate
from content_hub.domain.keys import Scope
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService

Migrate = Annotated[
    bool,
    QueryParameter(
        name="migrate",
        description="Rewrite entries the change breaks: removed fields are dropped "
        "and broken values replaced by the body's migration_defaults.",
    ),
]


class ContentTypeController(Controller):
    path = "/manage/v1/content-types"
    tags = ["content types"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List content types")
    async def list_types(
        self, deps: NamedDependency[Deps], limit: Limit = 50, cursor: Cursor = None
    ) -> ContentTypePage:
        page = await ContentTypeService(deps).page(cursor=cursor, limit=limit)
        return ContentTypePage(items=page.items, next_cursor=page.next_cursor)

    @get("/{key:str}", summary="Get a content type")
    async def get_type(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> Response[ContentType]:
        ctype = await ContentTypeService(deps).get(key)
        return Response(ctype, headers=etag(ctype.version))

    @post("/", summary="Create a content type")
    async def create_type(
        self, deps: NamedDependency[Deps], data: JSONBody[ContentTypeCreate]
    ) -> Response[ContentType]:
        ctype = await ContentTypeService(deps).create(data)
        return Response(ctype, status_code=201, headers=etag(ctype.version))

    @put("/{key:str}", summary="Replace a content type's definition")
    async def update_type(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        data: JSONBody[ContentTypeUpdate],
        if_match: IfMatch = None,
        migrate: Migrate = False,
    ) -> Response[ContentType]:
        service = ContentTypeService(deps)
        ctype = await service.update(key, data, version_from(if_match), migrate)
        return Response(ctype, headers=etag(ctype.version))

    @delete("/{key:str}", summary="Delete a content type without entries")
    async def delete_type(
        self, deps: NamedDependency[Deps], key: FromPath[str], if_match: IfMatch = None
    ) -> None:
        await ContentTypeService(deps).delete(key, version_from(if_match))
