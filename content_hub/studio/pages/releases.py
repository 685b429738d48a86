"""Releases in the Studio: the list, and a release's page (its items, what
would stop it going live, and the publish and rollback forms, each sending
the release's version as If-Match). Releases are made and filled through
``/manage/v1/releases``."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.releases import EDITABLE, ReleaseStatus
from content_hub.services.base import Deps
from content_hub.services.release_publish import check_items
from content_hub.services.releases import ReleaseService
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, problem_of, redirect

PATH = "/releases/{release_id:str}"


@get("/releases", name="studio_releases")
async def list_releases(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return page(
        request,
        "releases.html",
        principal=studio_principal,
        releases=await ReleaseService(studio_deps).all(),
    )


async def show_release(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    release_id: str,
    exc: HubError | None = None,
) -> Response[str]:
    release = await ReleaseService(deps).get(release_id)
    open_ = release.status in EDITABLE
    return page(
        request,
        "release.html",
        principal=principal,
        status=exc.status if exc is not None else 200,
        release=release,
        blockers=await check_items(deps, release.items) if open_ else [],
        may_publish=open_ and allowed(principal, Action.ENTRIES_PUBLISH),
        may_rollback=release.status is ReleaseStatus.PUBLISHED
        and allowed(principal, Action.ENTRIES_PUBLISH),
        problem=problem_of(exc) if exc is not None else None,
    )


@get(PATH, name="studio_release")
async def release_page(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[str]:
    return await show_release(request, studio_deps, studio_principal, release_id)


async def _act(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    release_id: str,
    action: str,
) -> Response[Any]:
    form = await read_form(request)
    service = ReleaseService(deps)
    try:
        if action == "publish":
            await service.publish(release_id, version_of(form))
        else:
            await service.rollback(release_id, version_of(form))
    except HubError as exc:
        await deps.session.rollback()
        return await show_release(request, deps, principal, release_id, exc)
    return redirect(f"/studio/releases/{release_id}", f"release_{action}")


@post(PATH + "/publish", status_code=303)
async def publish_release(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[Any]:
    return await _act(request, studio_deps, studio_principal, release_id, "publish")


@post(PATH + "/rollback", status_code=303)
async def rollback_release(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[Any]:
    return await _act(request, studio_deps, studio_principal, release_id, "rollback")


RELEASE_PAGES = [list_releases, release_page, publish_release, rollback_release]
