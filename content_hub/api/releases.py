"""/manage/v1/releases: bundles of entry versions, template versions and
audience changes, published and rolled back atomically (see
:mod:`content_hub.services.releases`). Every change needs If-Match."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.releases import (
    Release,
    ReleaseIn,
    ReleaseItems,
    ReleaseList,
    ReleaseScheduleIn,
    ReleaseStatus,
)
from content_hub.services.base import Deps
from content_hub.services.releases import ReleaseService

StatusFilter = Annotated[ReleaseStatus | None, QueryParameter(name="status")]


def _out(release: Release, status_code: int = 200) -> Response[Release]:
    return Response(release, status_code=status_code, headers=etag(release.version))


class ReleaseController(Controller):
    path = "/manage/v1/releases"
    tags = ["releases"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List releases (newest first)")
    async def list_releases(
        self, deps: NamedDependency[Deps], status: StatusFilter = None
    ) -> ReleaseList:
        return ReleaseList(items=await ReleaseService(deps).all(status))

    @get("/{release_id:str}", summary="Get a release")
    async def get_release(
        self, deps: NamedDependency[Deps], release_id: FromPath[str]
    ) -> Response[Release]:
        return _out(await ReleaseService(deps).get(release_id))

    @post("/", summary="Create a release (open)")
    async def create_release(
        self, deps: NamedDependency[Deps], data: JSONBody[ReleaseIn]
    ) -> Response[Release]:
        """No If-Match (nothing exists yet); the answer's ETag is version 1."""
        return _out(await ReleaseService(deps).create(data), 201)

    @put("/{release_id:str}", summary="Replace a release's name, description, items")
    async def replace_release(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        data: JSONBody[ReleaseIn],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        service = ReleaseService(deps)
        return _out(await service.replace(release_id, data, version_from(if_match)))

    @delete("/{release_id:str}", summary="Delete an open or scheduled release")
    async def delete_release(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await ReleaseService(deps).delete(release_id, version_from(if_match))

    @post("/{release_id:str}/items", status_code=200, summary="Add items")
    async def add_items(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        data: JSONBody[ReleaseItems],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        """An item for a target the release already has replaces it."""
        service = ReleaseService(deps)
        return _out(await service.add_items(release_id, data, version_from(if_match)))

    @delete(
        "/{release_id:str}/items/{kind:str}/{ref:str}",
        status_code=200,
        summary="Remove an item (entries/<id>, templates/<type:channel>, "
        "audiences/<key>)",
    )
    async def remove_item(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        kind: FromPath[str],
        ref: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        service = ReleaseService(deps)
        return _out(
            await service.remove_item(release_id, kind, ref, version_from(if_match))
        )

    @put("/{release_id:str}/schedule", summary="Schedule (or unschedule) the publish")
    async def schedule_release(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        data: JSONBody[ReleaseScheduleIn],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        service = ReleaseService(deps)
        return _out(await service.schedule(release_id, data, version_from(if_match)))

    @post(
        "/{release_id:str}/publish",
        status_code=200,
        summary="Publish every item atomically (one change, one swap)",
    )
    async def publish_release(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        """Every item is checked first; any problem is a 422 listing the items
        (``items.entries.3.fields.title``...) and nothing is published."""
        service = ReleaseService(deps)
        return _out(await service.publish(release_id, version_from(if_match)))

    @post(
        "/{release_id:str}/rollback",
        status_code=200,
        summary="Restore what was live before the release, atomically",
    )
    async def rollback_release(
        self,
        deps: NamedDependency[Deps],
        release_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[Release]:
        service = ReleaseService(deps)
        return _out(await service.rollback(release_id, version_from(if_match)))
