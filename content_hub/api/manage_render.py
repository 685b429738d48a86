"""/manage/v1: templates per content type and channel, audiences, and each
entry's variants and rules."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.domain.content_types import Channel
from content_hub.domain.keys import Scope
from content_hub.domain.render import (
    Audience,
    AudienceCreate,
    AudienceIn,
    Personalization,
    TemplateDiff,
    TemplateIn,
    TemplateState,
    TemplateVersion,
)
from content_hub.services.audiences import AudienceService
from content_hub.services.base import Deps
from content_hub.services.personalization import PersonalizationService
from content_hub.services.templates import TemplateService


class TemplateList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TemplateVersion]


class AudienceList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Audience]


class TemplateController(Controller):
    """Drafts, publication and revisions of a channel's template: ``PUT``
    saves a draft, ``publish`` (If-Match) makes it what renders use."""

    path = "/manage/v1/content-types/{type_key:str}/templates"
    tags = ["templates"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get(
        "/{channel:str}",
        summary="The draft (latest version) of a channel's template and which "
        "version is published",
    )
    async def current(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
    ) -> Response[TemplateState]:
        return _out(await TemplateService(deps).current(type_key, channel))

    @get("/{channel:str}/published", summary="The published version (what renders use)")
    async def published(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
    ) -> Response[TemplateVersion]:
        template = await TemplateService(deps).published(type_key, channel)
        return Response(template, headers=etag(template.version))

    @get(
        "/{channel:str}/versions",
        summary="Every version of a channel's template (the published one marked)",
    )
    async def versions(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
    ) -> TemplateList:
        return TemplateList(
            items=await TemplateService(deps).versions(type_key, channel)
        )

    @get("/{channel:str}/versions/{version:int}", summary="One version")
    async def version(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
        version: FromPath[int],
    ) -> Response[TemplateVersion]:
        found = await TemplateService(deps).version(type_key, channel, version)
        return Response(found, headers=etag(found.version))

    @get(
        "/{channel:str}/diff",
        summary="What changed part by part (unified diff), from a version "
        "(default: the published one) to another (default: the draft)",
    )
    async def diff(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
        from_version: Annotated[
            int | None, QueryParameter(name="from", ge=1, le=999_999_999)
        ] = None,
        to_version: Annotated[
            int | None, QueryParameter(name="to", ge=1, le=999_999_999)
        ] = None,
    ) -> TemplateDiff:
        return await TemplateService(deps).diff(
            type_key, channel, from_version, to_version
        )

    @put(
        "/{channel:str}",
        summary="Save a new version as the draft (compiled first; errors name "
        "part and line); renders do not change until it is published",
    )
    async def save(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
        data: JSONBody[TemplateIn],
    ) -> Response[TemplateState]:
        return _out(await TemplateService(deps).save(type_key, channel, data))

    @post(
        "/{channel:str}/publish",
        status_code=200,
        summary="Publish the draft (If-Match: the draft's ETag); 409 when it "
        "is already published",
    )
    async def publish(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
        if_match: IfMatch = None,
    ) -> Response[TemplateState]:
        return _out(
            await TemplateService(deps).publish(
                type_key, channel, version_from(if_match)
            )
        )

    @post(
        "/{channel:str}/versions/{version:int}/restore",
        status_code=200,
        summary="Make an old version's parts the draft again (a new version; "
        "If-Match: the draft's ETag)",
    )
    async def restore(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        channel: FromPath[Channel],
        version: FromPath[int],
        if_match: IfMatch = None,
    ) -> Response[TemplateState]:
        return _out(
            await TemplateService(deps).restore(
                type_key, channel, version, version_from(if_match)
            )
        )


def _out(state: TemplateState) -> Response[TemplateState]:
    """The draft's ETag: what ``publish`` and ``restore`` take as If-Match."""
    return Response(state, headers=etag(state.version))


class AudienceController(Controller):
    path = "/manage/v1/audiences"
    tags = ["audiences"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List audiences")
    async def list_audiences(self, deps: NamedDependency[Deps]) -> AudienceList:
        return AudienceList(items=await AudienceService(deps).all())

    @get("/{key:str}", summary="Get an audience")
    async def get_audience(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> Response[Audience]:
        audience = await AudienceService(deps).get(key)
        return Response(audience, headers=etag(audience.version))

    @post("/", summary="Create an audience (a named condition)")
    async def create_audience(
        self, deps: NamedDependency[Deps], data: JSONBody[AudienceCreate]
    ) -> Response[Audience]:
        audience = await AudienceService(deps).create(data)
        return Response(audience, status_code=201, headers=etag(audience.version))

    @put("/{key:str}", summary="Change an audience's condition")
    async def update_audience(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        data: JSONBody[AudienceIn],
        if_match: IfMatch = None,
    ) -> Response[Audience]:
        audience = await AudienceService(deps).update(key, data, version_from(if_match))
        return Response(audience, headers=etag(audience.version))

    @delete("/{key:str}", summary="Delete an audience")
    async def delete_audience(
        self, deps: NamedDependency[Deps], key: FromPath[str], if_match: IfMatch = None
    ) -> None:
        await AudienceService(deps).delete(key, version_from(if_match))


class PersonalizationController(Controller):
    path = "/manage/v1/entries/{entry_id:str}/personalization"
    tags = ["variants and rules"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="An entry's variants and rules (as of its draft)")
    async def get_personalization(
        self, deps: NamedDependency[Deps], entry_id: FromPath[str]
    ) -> Response[Personalization]:
        entry, data = await PersonalizationService(deps).get(entry_id)
        return Response(data, headers=etag(entry.version))

    @put(
        "/",
        summary="Replace variants and rules (a new entry version; publish to go live)",
    )
    async def set_personalization(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[Personalization],
        if_match: IfMatch = None,
    ) -> Response[Personalization]:
        entry, saved = await PersonalizationService(deps).set(
            entry_id, data, version_from(if_match)
        )
        return Response(saved, headers=etag(entry.version))
