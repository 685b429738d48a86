"""Previews: ``POST /render/v1/preview`` (a render of the unpublished state,
recording nothing), shareable preview links and the front-end preview URL
pattern of a content type."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.domain.keys import Scope
from content_hub.domain.preview import (
    PreviewLink,
    PreviewLinkIn,
    PreviewRenderIn,
    PreviewRenderOut,
    PreviewUrl,
    PreviewUrlIn,
)
from content_hub.live.renders import Renders
from content_hub.services.base import Deps
from content_hub.services.preview_links import PreviewLinkService
from content_hub.services.preview_render import PreviewRender


@post(
    "/render/v1/preview",
    status_code=200,
    tags=["render"],
    summary="Preview a render of an entry's draft (no exposure, nothing recorded)",
    opt={"scopes": (Scope.PREVIEW, Scope.MANAGE)},
)
async def render_preview(
    deps: NamedDependency[Deps],
    render_use_case: NamedDependency[Renders],
    data: JSONBody[PreviewRenderIn],
) -> PreviewRenderOut:
    """Any saved ``version`` (the draft by default), unsaved ``fields`` or
    ``personalization`` (needs the right to save them), ``templates``
    ``draft`` or ``published``, a forced ``variant``, a ``customer`` or a
    saved ``sample``. The same decision and render code as
    ``/render/v1/render``; the answer adds the decision in words. A cell that
    cannot render is the render API's 422 problem (a missing customer
    variable names the template part and line)."""
    return await PreviewRender(deps, render_use_case.service).render(data)


class PreviewLinkController(Controller):
    path = "/manage/v1"
    tags = ["previews"]
    opt = {"scopes": (Scope.MANAGE,)}

    @post(
        "/entries/{entry_id:str}/preview-links",
        status_code=201,
        summary="A signed, expiring link to the entry's draft (24 h by default)",
    )
    async def create_link(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        data: JSONBody[PreviewLinkIn],
    ) -> PreviewLink:
        """``expires_in`` seconds (60 s to 30 days). Delivery serves this
        entry's draft, and only this entry, to a request with
        ``?preview_token=<token>`` (or ``X-Preview-Token``) until then."""
        return await PreviewLinkService(deps).create(entry_id, data)

    @get(
        "/content-types/{type_key:str}/preview-url",
        summary="The front-end preview URL pattern of a content type",
    )
    async def get_preview_url(
        self, deps: NamedDependency[Deps], type_key: FromPath[str]
    ) -> PreviewUrl:
        return await PreviewLinkService(deps).preview_url(type_key)

    @put(
        "/content-types/{type_key:str}/preview-url",
        summary="Set the front-end preview URL pattern ({token} required)",
    )
    async def set_preview_url(
        self,
        deps: NamedDependency[Deps],
        type_key: FromPath[str],
        data: JSONBody[PreviewUrlIn],
    ) -> PreviewUrl:
        """Placeholders: ``{token}``, ``{locale}``, ``{key}``, ``{id}``,
        ``{type}``, e.g. ``https://site.example/{locale}/offers/{key}?preview={token}``;
        an empty pattern removes it."""
        return await PreviewLinkService(deps).set_preview_url(type_key, data)
