"""Locales: everyone signed in reads the list and the fallback chains; an
admin adds a locale (Babel checks the code, as the API does), changes its
fallback chain and makes it the default (``LocaleService`` decides)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.inputs import LocaleCreate, LocaleUpdate
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.locales import LocaleService
from content_hub.studio.forms import convert
from content_hub.studio.pages.admin_support import codes, refused
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, redirect


async def show_locales(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    locales = await LocaleService(deps).all()
    context.setdefault("form", {"code": "", "fallbacks": ""})
    return page(
        request,
        "locales.html",
        principal=principal,
        status=status,
        locales=sorted(locales, key=lambda loc: (not loc.is_default, loc.code)),
        **context,
    )


@get("/locales", name="studio_locales")
async def list_locales(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await show_locales(request, studio_deps, studio_principal)


@post("/locales", status_code=303)
async def add_locale(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    """Add a locale; an empty fallback input means the CLDR parents."""
    form = await read_form(request)
    chain = codes(form.get("fallbacks"))
    data: dict[str, Any] = {"code": form.get("code").strip()}
    if chain:
        data["fallbacks"] = chain
    try:
        await LocaleService(studio_deps).create(convert(data, LocaleCreate))
    except HubError as exc:
        shown = {"code": form.get("code"), "fallbacks": form.get("fallbacks")}
        return await refused(
            request, studio_deps, studio_principal, exc, show_locales, form=shown
        )
    return redirect("/studio/locales", "locale_added")


async def show_locale(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    code: str,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    locale = await LocaleService(deps).get(code)
    context.setdefault("fallbacks", ", ".join(locale.fallbacks))
    return page(
        request,
        "locale.html",
        principal=principal,
        status=status,
        locale=locale,
        **context,
    )


@get("/locales/{code:str}", name="studio_locale")
async def edit_locale(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    code: FromPath[str],
) -> Response[str]:
    return await show_locale(request, studio_deps, studio_principal, code=code)


@post("/locales/{code:str}", status_code=303)
async def save_locale(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    code: FromPath[str],
) -> Response[Any]:
    """Save the fallback chain (an empty input: no fallbacks but the
    default) or, with ``make_default``, make the locale the default."""
    form = await read_form(request)
    data: dict[str, Any] = (
        {"is_default": True}
        if form.has("make_default")
        else {"fallbacks": codes(form.get("fallbacks"))}
    )
    try:
        await LocaleService(studio_deps).update(
            code, convert(data, LocaleUpdate), version_of(form)
        )
    except HubError as exc:
        return await refused(
            request,
            studio_deps,
            studio_principal,
            exc,
            show_locale,
            code=code,
            fallbacks=form.get("fallbacks"),
        )
    return redirect(f"/studio/locales/{code}", "locale_saved")
