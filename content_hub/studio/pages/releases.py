"""Releases in the Studio: the list with a form for a new release, and a
release's page: its items (each entry with a preview of the version the
release holds), what would stop it going live, and the forms that change it
(name and description, schedule, publish, rollback, delete; adding and
removing items is ``release_items.py``).

Every form sends the release's version, which the services check as the
API checks If-Match: a form loaded before someone else changed the release
gets the page again as it is now, with a 412 saying so, what was typed kept,
and nothing changed. Refusals show the same problem the API would send, its
field errors next to their inputs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import (
    FieldError,
    HubError,
    PreconditionFailed,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.releases import ReleaseIn, ReleaseScheduleIn
from content_hub.services.base import Deps
from content_hub.services.releases import ReleaseService
from content_hub.studio.forms import Form, convert, datetime_input
from content_hub.studio.pages.release_model import errors_by_input, release_context
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, problem_of, redirect

PATH = "/releases/{release_id:str}"
Change = Callable[[ReleaseService, Form], Awaitable[object]]


def _problem(exc: HubError | None, version: int | None = None) -> dict[str, Any]:
    """The problem and its errors by input (nothing for no ``exc``)."""
    if exc is None:
        return {"problem": None, "errors": {}}
    problem = problem_of(exc)
    if isinstance(exc, PreconditionFailed) and version is not None:
        problem["detail"] = (
            f"Someone changed this release (it is now at version {version}) "
            "since you loaded the page: nothing was changed. The page shows "
            "it as it is now, with what you typed kept; send the form again "
            "to apply it."
        )
    return {"problem": problem, "errors": errors_by_input(problem["errors"])}


async def _list(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    exc: HubError | None = None,
    form: Form | None = None,
) -> Response[str]:
    return page(
        request,
        "releases.html",
        principal=principal,
        status=exc.status if exc is not None else 200,
        releases=await ReleaseService(deps).all(),
        may_create=allowed(principal, Action.ENTRIES_WRITE),
        may_schedule=allowed(principal, Action.ENTRIES_PUBLISH),
        typed=form or Form({}),
        **_problem(exc),
    )


@get("/releases", name="studio_releases")
async def list_releases(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await _list(request, studio_deps, studio_principal)


@post("/releases", status_code=303)
async def create_release(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    """A new open release (scheduled too when a time is given: both or
    neither are saved)."""
    form = await read_form(request)
    service = ReleaseService(studio_deps)
    try:
        data = {
            "name": form.get("name").strip(),
            "description": form.get("description"),
        }
        release = await service.create(convert(data, ReleaseIn))
        when = datetime_input(form, "publish_at")
        if when is not None:
            at = convert({"publish_at": when}, ReleaseScheduleIn)
            await service.schedule(release.id, at, release.version)
    except HubError as exc:
        await studio_deps.session.rollback()
        return await _list(request, studio_deps, studio_principal, exc, form)
    return redirect(f"/studio/releases/{release.id}", "release_created")


async def show_release(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    release_id: str,
    exc: HubError | None = None,
    form: Form | None = None,
) -> Response[str]:
    """The release's page (after a refusal: with the problem, ``form`` as typed)."""
    release = await ReleaseService(deps).get(release_id)
    typed = form or Form({})
    context = await release_context(deps, principal, release, typed.get("entry"))
    return page(
        request,
        "release.html",
        principal=principal,
        status=exc.status if exc is not None else 200,
        typed=typed,
        **context,
        **_problem(exc, release.version),
    )


@get(PATH, name="studio_release")
async def release_page(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[str]:
    return await show_release(request, studio_deps, studio_principal, release_id)


async def change_release(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    release_id: str,
    change: Change,
    flash: str,
    then: str | None = None,
) -> Response[Any]:
    """Run one form's ``change`` through the release service; a refusal
    rolls back and shows the page with the problem (see the module)."""
    form = await read_form(request)
    try:
        await change(ReleaseService(deps), form)
    except HubError as exc:
        await deps.session.rollback()
        return await show_release(request, deps, principal, release_id, exc, form)
    return redirect(then or f"/studio/releases/{release_id}", flash)


def _action(
    suffix: str, flash: str, make: Callable[[str], Change], then: str | None = None
) -> Any:
    """A ``POST /releases/{id}<suffix>`` handler running ``make(id)``."""

    @post(PATH + suffix, status_code=303, name=f"studio_{flash}")
    async def handler(
        request: Request[Any, Any, Any],
        studio_deps: NamedDependency[Deps],
        studio_principal: NamedDependency[Principal],
        release_id: FromPath[str],
    ) -> Response[Any]:
        return await change_release(
            request,
            studio_deps,
            studio_principal,
            release_id,
            make(release_id),
            flash,
            then,
        )

    handler.fn.__name__ = f"studio_{flash}"
    return handler


def _details(release_id: str) -> Change:
    async def change(service: ReleaseService, form: Form) -> object:
        current = await service.get(release_id)
        data = {
            "name": form.get("name").strip(),
            "description": form.get("description"),
            "items": current.items,
        }
        return await service.replace(
            release_id, convert(data, ReleaseIn), version_of(form)
        )

    return change


def _schedule(release_id: str) -> Change:
    async def change(service: ReleaseService, form: Form) -> object:
        at = None
        if form.get("action") != "unschedule":
            at = datetime_input(form, "publish_at")
            if at is None:
                raise ValidationFailed(
                    "Choose when to publish the release.",
                    errors=[FieldError(loc=["publish_at"], msg="choose a time")],
                )
        data = convert({"publish_at": at}, ReleaseScheduleIn)
        return await service.schedule(release_id, data, version_of(form))

    return change


def _publish(release_id: str) -> Change:
    async def change(service: ReleaseService, form: Form) -> object:
        return await service.publish(release_id, version_of(form))

    return change


def _rollback(release_id: str) -> Change:
    async def change(service: ReleaseService, form: Form) -> object:
        return await service.rollback(release_id, version_of(form))

    return change


def _delete(release_id: str) -> Change:
    async def change(service: ReleaseService, form: Form) -> object:
        await service.delete(release_id, version_of(form))
        return None

    return change


RELEASE_PAGES = [
    list_releases,
    create_release,
    release_page,
    _action("", "release_saved", _details),
    _action("/schedule", "release_scheduled", _schedule),
    _action("/publish", "release_publish", _publish),
    _action("/rollback", "release_rollback", _rollback),
    _action("/delete", "release_deleted", _delete, then="/studio/releases"),
]
