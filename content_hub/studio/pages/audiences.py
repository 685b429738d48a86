"""Audiences: the list, a new audience, and the edit page with the condition
builder, the JSON beside it, the sample customers it matches and a "test
against this customer" box.

One form carries everything; its buttons say what to do (``action``):
``save`` (the JSON is what is saved, with the version read as If-Match),
``apply`` (the builder's rows into the JSON), ``add_row``, ``remove:<n>`` and
``test``. With JavaScript the builder writes the JSON as it changes
(``studio.js``) and htmx refreshes the matching count, the builder (when the
JSON is typed) and the test answer from the fragments below; without it the
buttons do the same by posting the page. Editors and admins write
(``AudienceService`` decides); everyone else reads.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError, PreconditionFailed
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.render import AudienceCreate, AudienceIn
from content_hub.services.audiences import AudienceService
from content_hub.services.base import Deps
from content_hub.studio.condition_builder import OPERATORS
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.audience_model import (
    apply_builder,
    audience_context,
    builder_view,
    condition_text,
    matching_view,
    parse_condition,
    test_view,
)
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, problem_of, redirect


@get("/audiences", name="studio_audiences")
async def list_audiences(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await _list(request, studio_deps, studio_principal)


async def _list(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    context.setdefault("new", {"key": "", "name": ""})
    return page(
        request,
        "audiences.html",
        principal=principal,
        status=status,
        audiences=await AudienceService(deps).all(),
        can_write=allowed(principal, Action.AUDIENCES_WRITE),
        condition_text=condition_text,
        **context,
    )


@post("/audiences", status_code=303)
async def create_audience(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    """A new audience matching everyone (``{}``); its page refines it."""
    form = await read_form(request)
    data = {"key": form.get("key").strip(), "name": form.get("name"), "condition": {}}
    try:
        created = await AudienceService(studio_deps).create(
            convert(data, AudienceCreate)
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        shown = {"key": form.get("key"), "name": form.get("name")}
        return await _list(
            request,
            studio_deps,
            studio_principal,
            exc.status,
            problem=problem_of(exc),
            new=shown,
        )
    return redirect(f"/studio/audiences/{created.key}", "audience_created")


@get("/audiences/{key:str}", name="studio_audience")
async def edit_audience(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[str]:
    audience = await AudienceService(studio_deps).get(key)
    context = await audience_context(studio_deps, studio_principal, audience)
    return page(request, "audience.html", principal=studio_principal, **context)


@post("/audiences/{key:str}", status_code=303)
async def save_audience(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[Any]:
    form = await read_form(request)
    service = AudienceService(studio_deps)
    audience = await service.get(key)
    action = form.get("action", "save")
    shown = await _shown(studio_deps, studio_principal, audience, form, action)
    if shown is not None:
        return page(request, "audience.html", principal=studio_principal, **shown)
    try:
        data = {
            "name": form.get("name"),
            "condition": parse_condition(form.get("condition")),
        }
        await service.update(key, convert(data, AudienceIn), version_of(form))
    except HubError as exc:
        await studio_deps.session.rollback()
        current = await service.get(key)
        context = await audience_context(studio_deps, studio_principal, current, form)
        problem = problem_of(exc)
        if isinstance(exc, PreconditionFailed):
            problem["detail"] = (
                f"Someone saved this audience (now version {current.version}) "
                "while you were editing. Nothing was saved; your text is kept "
                "below. The condition now saved is: "
                f"{condition_text(current.condition)}. Save again to replace it."
            )
        context["condition_errors"] = [e["msg"] for e in problem["errors"]]
        return page(
            request,
            "audience.html",
            principal=studio_principal,
            status=exc.status,
            problem=problem,
            **context,
        )
    return redirect(f"/studio/audiences/{key}", "audience_saved")


async def _shown(
    deps: Deps, principal: Principal, audience: Any, form: Form, action: str
) -> dict[str, Any] | None:
    """The page again for a button that does not save (``None``: save)."""
    if action == "apply":
        text = apply_builder(form)
        return await audience_context(deps, principal, audience, form, text=text)
    if action == "add_row":
        text = apply_builder(form)
        context = await audience_context(
            deps, principal, audience, form, text=text, blanks=2
        )
        if context.get("builder") is not None:
            context["autofocus_row"] = len(context["builder_rows"]) - 2
        return context
    if action.startswith("remove:") and action[7:].isdigit():
        index = int(action[7:])
        pairs = {
            name: [v for i, v in enumerate(form.getall(name)) if i != index]
            for name in ("b_attr", "b_op", "b_value")
        }
        trimmed = Form({**form.values, **pairs})
        text = apply_builder(trimmed)
        return await audience_context(deps, principal, audience, trimmed, text=text)
    if action == "test":
        context = await audience_context(deps, principal, audience, form)
        return {**context, **await test_view(deps, form)}
    return None


@post("/audiences/{key:str}/delete", status_code=303)
async def delete_audience(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[Any]:
    form = await read_form(request)
    try:
        await AudienceService(studio_deps).delete(key, version_of(form))
    except HubError as exc:
        await studio_deps.session.rollback()
        audience = await AudienceService(studio_deps).get(key)
        context = await audience_context(studio_deps, studio_principal, audience)
        return page(
            request,
            "audience.html",
            principal=studio_principal,
            status=exc.status,
            problem=problem_of(exc),
            **context,
        )
    return redirect("/studio/audiences", "audience_deleted")


@post("/audiences/{key:str}/matching", status_code=200)
async def audience_matching(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[str]:
    """htmx: "N of M saved sample customers match" for the JSON typed."""
    form = await read_form(request)
    context = await matching_view(studio_deps, form.get("condition"))
    return page(request, "_matching.html", principal=studio_principal, **context)


@post("/audiences/{key:str}/builder", status_code=200)
async def audience_builder(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[str]:
    """htmx: the builder's rows for the JSON typed (or why it cannot show it)."""
    form = await read_form(request)
    audience = await AudienceService(studio_deps).get(key)
    return page(
        request,
        "_builder.html",
        principal=studio_principal,
        audience=audience,
        can_write=allowed(studio_principal, Action.AUDIENCES_WRITE),
        operators=OPERATORS,
        **builder_view(form.get("condition")),
    )


@post("/audiences/{key:str}/test", status_code=200)
async def audience_test(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[str]:
    """htmx: whether the test box's customer matches the JSON typed."""
    form = await read_form(request)
    context = await test_view(studio_deps, form)
    return page(request, "_audience_test.html", principal=studio_principal, **context)


AUDIENCE_PAGES = [
    list_audiences,
    create_audience,
    edit_audience,
    save_audience,
    delete_audience,
    audience_matching,
    audience_builder,
    audience_test,
]
