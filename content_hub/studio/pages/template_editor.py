"""The template editor: a channel's template of a content type, one code
editor per part (CodeMirror over plain textareas, see ``studio.js``), with
compile problems shown at their part and line while typing, Save draft,
Publish and the versions (``template_versions.py``).

Saving and publishing go through :class:`TemplateService` (the API's
rules: compiled before save, If-Match on publish). The form carries the
draft version it was loaded at: a save or publish against a draft someone
else changed meanwhile shows the conflict view instead of overwriting or
publishing what the author has not seen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.content_types import Channel
from content_hub.domain.errors import (
    HubError,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import ChannelNotSupported, TemplateIn, TemplateState
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.templates import TemplateService
from content_hub.studio.forms import Form
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.template_conflict import template_conflict
from content_hub.studio.pages.template_model import editor_context, read_parts
from content_hub.studio.views import page, problem_of, redirect

PATH = "/content-types/{type_key:str}/templates/{channel:str}"


async def current_state(
    deps: Deps, type_key: str, channel: str
) -> TemplateState | None:
    """The draft and publication, or None before the first save."""
    try:
        return await TemplateService(deps).current(type_key, channel)
    except NotFound:
        return None


async def _type(deps: Deps, type_key: str, channel: str) -> Any:
    ctype = await ContentTypeService(deps).get(type_key)
    if channel not in ctype.channels:
        raise ChannelNotSupported(
            f"Content type {type_key!r} is not rendered for {channel!r}."
        )
    return ctype


async def show_editor(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    type_key: str,
    channel: str,
    *,
    form: Form | None = None,
    exc: HubError | None = None,
    checked: bool = False,
) -> Response[str]:
    """The editor; after a refusal (``exc``) with what was typed and the
    problems at their parts and lines."""
    ctype = await _type(deps, type_key, channel)
    state = await current_state(deps, type_key, channel)
    extra: dict[str, Any] = {}
    if form is not None:
        typed = {
            k.removeprefix("part:"): form.get(k).replace("\r\n", "\n")
            for k in form.values
            if k.startswith("part:")
        }
        extra = {
            "typed": typed,
            "version": version_of(form) or 0,
            "fmt": form.get("format") or None,
        }
    if exc is not None or checked:
        extra["errors"] = list(exc.errors) if exc is not None else []
    context = editor_context(ctype, channel, state, principal, **extra)
    problem = problem_of(exc) if exc is not None else None
    if problem is not None:
        problem["other"] = []  # listed at their parts and in the problem list
    return page(
        request,
        "template_edit.html",
        principal=principal,
        status=exc.status if exc is not None else 200,
        problem=problem,
        **context,
    )


@get(PATH, name="studio_template")
async def edit_template(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
) -> Response[str]:
    return await show_editor(request, studio_deps, studio_principal, type_key, channel)


@post(PATH, status_code=303)
async def save_template(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
) -> Response[Any]:
    """Save the form as the new draft (the same save as ``PUT``)."""
    form = await read_form(request)
    service = TemplateService(studio_deps)
    try:
        require(studio_deps.actor, Action.TEMPLATES_WRITE)
        await _type(studio_deps, type_key, channel)
        _, parts = read_parts(channel, form)
        state = await current_state(studio_deps, type_key, channel)
        if (state.version if state else 0) != (version_of(form) or 0):
            raise PreconditionFailed("The draft changed while you were editing.")
        await service.save(type_key, channel, TemplateIn(parts=parts))
    except PreconditionFailed:
        await studio_deps.session.rollback()
        return await template_conflict(
            request, studio_deps, studio_principal, type_key, channel, form, "save"
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        return await show_editor(
            request,
            studio_deps,
            studio_principal,
            type_key,
            channel,
            form=form,
            exc=exc,
        )
    return redirect(f"/studio{_url(type_key, channel)}", "template_saved")


@post(PATH + "/check", status_code=200)
async def check_template(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
) -> Response[str]:
    """Compile the typed parts (nothing is saved): for the editor's script
    (``HX-Request``) the problem list alone, else the whole editor."""
    form = await read_form(request)
    ctype = await _type(studio_deps, type_key, channel)
    try:
        _, parts = read_parts(channel, form)
        errors = await TemplateService(studio_deps).check(type_key, channel, parts)
    except ValidationFailed as exc:
        errors = list(exc.errors)
    if request.headers.get("HX-Request") != "true":
        found = ValidationFailed(
            f"The template does not compile: {len(errors)} problem(s).",
            errors=errors,
        )
        return await show_editor(
            request,
            studio_deps,
            studio_principal,
            type_key,
            channel,
            form=form,
            exc=found if errors else None,
            checked=True,
        )
    state = await current_state(studio_deps, type_key, channel)
    context = editor_context(
        ctype, channel, state, studio_principal, typed={}, errors=errors
    )
    return page(
        request,
        "_template_problems.html",
        principal=studio_principal,
        problems=context["problems"],
        checked=True,
    )


@post(PATH + "/publish", status_code=303)
async def publish_template(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
    channel: FromPath[Channel],
) -> Response[Any]:
    """Publish the draft the page showed (its version is the If-Match)."""
    form = await read_form(request)
    service = TemplateService(studio_deps)
    return await template_action(
        request,
        studio_deps,
        studio_principal,
        (type_key, channel, form),
        ("publish", "template_published"),
        lambda: service.publish(type_key, channel, version_of(form)),
    )


async def template_action(
    request: Request[Any, Any, Any],
    studio_deps: Deps,
    studio_principal: Principal,
    where: tuple[str, Channel, Form],
    action: tuple[str, str],
    change: Callable[[], Awaitable[object]],
) -> Response[Any]:
    """Run one change of a template (``publish``, ``restore``) the way every
    such button answers: back to the editor with a notice (``action`` is the
    change's name and its notice's key), the conflict page
    when the template moved on since the page was shown, or the editor with
    the error."""
    type_key, channel, form = where
    name, notice = action
    try:
        await change()
    except PreconditionFailed:
        await studio_deps.session.rollback()
        return await template_conflict(
            request, studio_deps, studio_principal, type_key, channel, form, name
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        return await show_editor(
            request, studio_deps, studio_principal, type_key, channel, exc=exc
        )
    return redirect(f"/studio{_url(type_key, channel)}", notice)


def _url(type_key: str, channel: str) -> str:
    return f"/content-types/{type_key}/templates/{channel}"


TEMPLATE_EDITOR = [edit_template, save_template, check_template, publish_template]
