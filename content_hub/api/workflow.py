"""/manage/v1/entries/{id}/...: revisions, diff, revert, archive, restore,
schedule."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.entries import out
from content_hub.api.params import Cursor, IfMatch, Limit, version_from
from content_hub.api.schemas import EntryOut
from content_hub.api.schemas_editorial import RevisionDiff, RevisionPage
from content_hub.domain.entries import Revision
from content_hub.domain.inputs import RevertRequest, ScheduleUpdate
from content_hub.domain.keys import Scope
from content_hub.services.base import Deps
from content_hub.services.revisions import RevisionService
from content_hub.services.schedules import set_schedule

Against = Annotated[
    int | None,
    QueryParameter(
        name="against",
        ge=0,
        le=1_000_000_000,
        description="The version to compare with (default: the one before).",
    ),
]


class WorkflowController(Controller):
    path = "/manage/v1/entries/{entry_id:str}"
    tags = ["entries"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/revisions", summary="List an entry's revisions, newest first")
    async def list_revisions(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> RevisionPage:
        page = await RevisionService(deps).page(entry_id, cursor=cursor, limit=limit)
        return RevisionPage(items=page.items, next_cursor=page.next_cursor)

    @get("/revisions/{version:int}", summary="Get one revision of an entry")
    async def get_revision(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        version: FromPath[int],
    ) -> Revision:
        return await RevisionService(deps).get(entry_id, version)

    @get("/revisions/{version:int}/diff", summary="What a revision changed")
    async def diff_revision(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        version: FromPath[int],
        against: Against = None,
    ) -> RevisionDiff:
        changes = await RevisionService(deps).diff(entry_id, version, against)
        base = against if against is not None else max(version - 1, 0)
        return RevisionDiff(
            entry_id=entry_id, version=version, against=base, changes=changes
        )

    @post("/revert", status_code=200, summary="Make a revision the draft again")
    async def revert_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[RevertRequest],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        service = RevisionService(deps)
        return out(await service.revert(entry_id, data.version, version_from(if_match)))

    @post("/archive", status_code=200, summary="Archive (leaves delivery)")
    async def archive_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        service = RevisionService(deps)
        return out(await service.archive(entry_id, version_from(if_match)))

    @post("/restore", status_code=200, summary="Restore an archived entry as a draft")
    async def restore_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> Response[EntryOut]:
        service = RevisionService(deps)
        return out(await service.restore(entry_id, version_from(if_match)))

    @put("/schedule", summary="Set or clear publish_at and unpublish_at")
    async def schedule_entry(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[ScheduleUpdate],
    ) -> Response[EntryOut]:
        return out(await set_schedule(deps, entry_id, data))
