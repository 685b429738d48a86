"""A template's versions: the list (the published one marked), the diff
between two versions part by part, and restore (an old version's parts
become the draft, with the draft's version as If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.content_types import Channel
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.services.base import Deps
from content_hub.services.templates import TemplateService
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.template_editor import PATH, template_action
from content_hub.studio.views import page

VersionParam = Annotated[int | None, QueryParameter(ge=1, le=999_999_999)]


@get(PATH + "/versions", name="studio_template_versions")
async def list_template_versions(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
) -> Response[str]:
    service = TemplateService(studio_deps)
    state = await service.current(type_key, channel)
    versions = await service.versions(type_key, channel)
    return page(
        request,
        "template_versions.html",
        principal=studio_principal,
        state=state,
        versions=list(reversed(versions)),
        may_edit=allowed(studio_principal, Action.TEMPLATES_WRITE),
        base=f"/studio/content-types/{type_key}/templates/{channel}",
    )


@get(PATH + "/diff", name="studio_template_diff")
async def template_diff(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
    from_version: Annotated[
        int | None, QueryParameter(name="from", ge=1, le=999_999_999)
    ] = None,
    to_version: Annotated[
        int | None, QueryParameter(name="to", ge=1, le=999_999_999)
    ] = None,
) -> Response[str]:
    diff = await TemplateService(studio_deps).diff(
        type_key, channel, from_version, to_version
    )
    return page(
        request,
        "template_diff.html",
        principal=studio_principal,
        diff=diff,
        base=f"/studio/content-types/{type_key}/templates/{channel}",
    )


@post(PATH + "/versions/{version:int}/restore", status_code=303)
async def restore_template_version(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
    version: FromPath[int],
) -> Response[Any]:
    form = await read_form(request)
    service = TemplateService(studio_deps)
    return await template_action(
        request,
        studio_deps,
        studio_principal,
        (type_key, channel, form),
        ("restore", "template_restored"),
        lambda: service.restore(type_key, channel, version, version_of(form)),
    )


TEMPLATE_VERSIONS = [list_template_versions, template_diff, restore_template_version]
