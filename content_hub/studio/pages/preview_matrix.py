"""The preview matrix of an entry (variants x locales x channels) and the
preview as a customer: GET forms, so they work without JavaScript and a
link to a matrix can be shared among editors."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.domain.locales import Locale
from content_hub.domain.preview import PreviewLinkIn, TemplateStage
from content_hub.domain.releases import Release
from content_hub.live.renders import Renders
from content_hub.services.base import Deps
from content_hub.services.locales import LocaleService
from content_hub.services.preview_links import PreviewLinkService
from content_hub.services.preview_matrix import as_customer, matrix
from content_hub.services.preview_render import Customer, PreviewRender
from content_hub.services.release_preview import release_versions
from content_hub.services.releases import ReleaseService
from content_hub.services.sample_customers import SampleCustomerService
from content_hub.studio.pages.preview_cells import (
    TEXT_PARTS,
    base_text,
    baseline,
    customer_from_form,
    marked_words,
    push_view,
)
from content_hub.studio.views import page, problem_of

Codes = Annotated[list[str] | None, QueryParameter(max_length=35)]
Sample = Annotated[str | None, QueryParameter(max_length=64)]
Stage = Annotated[TemplateStage, QueryParameter()]
Text = Annotated[str, QueryParameter(max_length=20_000)]
ReleaseParam = Annotated[str | None, QueryParameter(max_length=64)]
MAX_PICKED = 20


def default_locales(locales: list[Locale]) -> list[str]:
    """The default locale and one more."""
    ordered = sorted(locales, key=lambda loc: (not loc.is_default, loc.code))
    return [loc.code for loc in ordered[:2]]


async def _setup(
    deps: Deps,
    renders: Renders,
    entry_id: str,
    stage: TemplateStage,
    release: Release | None = None,
) -> tuple[PreviewRender, Any, list[Locale], Any]:
    preview = PreviewRender(deps, renders.service)
    entry = await preview.entry(entry_id, None, None)
    source = await preview.source(entry, stage=stage, release=release)
    locales = await LocaleService(deps).all()
    samples = await SampleCustomerService(deps).all()
    return preview, source, locales, samples


def _picked(
    chosen: list[str] | None, allowed: list[str], default: list[str]
) -> list[str]:
    picked = [c for c in (chosen or []) if c in allowed][:MAX_PICKED]
    return picked or default


@get("/entries/{entry_id:str}/matrix", name="studio_preview_matrix")
async def preview_matrix(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    render_use_case: NamedDependency[Renders],
    entry_id: FromPath[str],
    locale: Codes = None,
    channel: Codes = None,
    sample: Sample = None,
    templates: Stage = "draft",
    release: ReleaseParam = None,
) -> Response[str]:
    """With ``release``: the entry, its templates and the audiences as that
    release would publish them (``POST /render/v1/preview``'s ``release``)."""
    shown = None if release is None else await ReleaseService(studio_deps).get(release)
    preview, source, locales, samples = await _setup(
        studio_deps, render_use_case, entry_id, templates, shown
    )
    codes = [loc.code for loc in locales]
    channels = list(source.info.channels)
    picked_locales = _picked(locale, codes, default_locales(locales))
    picked_channels = _picked(channel, channels, channels)
    who = await preview.who(None, sample or None, None, None)
    result = await matrix(preview, source, picked_locales, picked_channels, who)
    return page(
        request,
        "preview_matrix.html",
        principal=studio_principal,
        entry=source.entry,
        matrix=result,
        locales=locales,
        channels=channels,
        picked_locales=picked_locales,
        picked_channels=picked_channels,
        samples=samples,
        sample=sample or "",
        templates=templates,
        release=shown,
        version=release_versions(shown).get(entry_id) if shown else None,
        push_view=push_view,
        marked_words=marked_words,
        baseline=baseline,
        base_text=base_text,
        text_parts=TEXT_PARTS,
    )


@get("/entries/{entry_id:str}/preview-as", name="studio_preview_as")
async def preview_as_customer(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    render_use_case: NamedDependency[Renders],
    entry_id: FromPath[str],
    sample: Sample = None,
    attributes: Text = "",
    segments: Text = "",
    locale: Annotated[str | None, QueryParameter(max_length=35)] = None,
    templates: Stage = "draft",
) -> Response[str]:
    preview, source, locales, samples = await _setup(
        studio_deps, render_use_case, entry_id, templates
    )
    problem = None
    cells: list[Any] = []
    try:
        if sample:
            who = await preview.who(None, sample, None, locale or None)
        else:
            who = Customer(customer_from_form(attributes, segments), None, None)
        cells = await as_customer(
            preview, source, list(source.info.channels), who, locale or None
        )
    except HubError as exc:
        problem = problem_of(exc)
    return page(
        request,
        "preview_customer.html",
        principal=studio_principal,
        entry=source.entry,
        cells=cells,
        problem=problem,
        locales=locales,
        locale=locale or "",
        samples=samples,
        sample=sample or "",
        attributes=attributes,
        segments=segments,
        templates=templates,
        push_view=push_view,
        marked_words=marked_words,
        base_text=base_text,
        status=422 if problem else 200,
    )


@post("/entries/{entry_id:str}/preview-link", status_code=200)
async def share_preview(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[str]:
    """A preview link to the draft (24 hours), shown once with the content
    type's front-end preview URL when it has one."""
    form = await request.form()
    code = str(form.get("link_locale") or "")[:35] or None
    link = await PreviewLinkService(studio_deps).create(
        entry_id, PreviewLinkIn(locale=code)
    )
    return page(
        request,
        "preview_link.html",
        principal=studio_principal,
        entry_id=entry_id,
        link=link,
    )


PREVIEW_PAGES = [preview_matrix, preview_as_customer, share_preview]
