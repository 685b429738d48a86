"""Users (admin only, as ``/manage/v1/users``: ``UserService`` refuses
anyone else, and the Studio shows its 403 page): the list, a new account
with a one-time password shown once, role and locales, disable and enable,
a password reset (shown once; the user's sessions end) and delete."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.domain.users import Role, UserCreate, UserUpdate, keep_session
from content_hub.services.base import Deps
from content_hub.services.locales import LocaleService
from content_hub.services.users import UserService
from content_hub.studio.forms import convert
from content_hub.studio.pages.admin_support import one_time_password, refused
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, redirect

ROLES = [r.value for r in Role]


async def show_users(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    users = await UserService(deps).all()
    context.setdefault("form", {"email": "", "role": "editor", "locales": []})
    return page(
        request,
        "users.html",
        principal=principal,
        status=status,
        users=users,
        roles=ROLES,
        locales=await LocaleService(deps).all(),
        **context,
    )


@get("/users", name="studio_users")
async def list_users(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await show_users(request, studio_deps, studio_principal)


@post("/users", status_code=200)
async def create_user(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    """A new account with a one-time password, shown in this answer only."""
    form = await read_form(request)
    password = one_time_password()
    data = {
        "email": form.get("email"),
        "role": form.get("role"),
        "locales": form.getall("locales"),
        "password": password,
    }
    try:
        user = await UserService(studio_deps).create(convert(data, UserCreate))
    except HubError as exc:
        shown = {k: data[k] for k in ("email", "role", "locales")}
        return await refused(
            request, studio_deps, studio_principal, exc, show_users, form=shown
        )
    return await show_users(
        request,
        studio_deps,
        studio_principal,
        status=201,
        created=user,
        password=password,
    )


async def show_user(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    user_id: str,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    user = await UserService(deps).get(user_id)
    return page(
        request,
        "user.html",
        principal=principal,
        status=status,
        account=user,
        roles=ROLES,
        locales=await LocaleService(deps).all(),
        **context,
    )


@get("/users/{user_id:str}", name="studio_user")
async def edit_user(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    user_id: FromPath[str],
) -> Response[str]:
    return await show_user(request, studio_deps, studio_principal, user_id=user_id)


@post("/users/{user_id:str}", status_code=303)
async def save_user(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    user_id: FromPath[str],
) -> Response[Any]:
    """Role and locales, or (``disabled`` = ``true``/``false``) disable or
    enable the account; disabling ends the user's sessions."""
    form = await read_form(request)
    data: dict[str, Any] = (
        {"disabled": form.get("disabled") == "true"}
        if form.has("disabled")
        else {"role": form.get("role"), "locales": form.getall("locales")}
    )
    try:
        await UserService(studio_deps).update(
            user_id, convert(data, UserUpdate), version_of(form)
        )
    except HubError as exc:
        return await refused(
            request, studio_deps, studio_principal, exc, show_user, user_id=user_id
        )
    flash = "user_saved"
    if "disabled" in data:
        flash = "user_disabled" if data["disabled"] else "user_enabled"
    return redirect(f"/studio/users/{user_id}", flash)


@post("/users/{user_id:str}/password", status_code=200)
async def reset_password(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    user_id: FromPath[str],
) -> Response[str]:
    """A new one-time password, shown in this answer only; the user's
    sessions end (an admin resetting their own keeps this one)."""
    password = one_time_password()
    try:
        epoch = await UserService(studio_deps).set_password(user_id, password)
    except HubError as exc:
        return await refused(
            request, studio_deps, studio_principal, exc, show_user, user_id=user_id
        )
    keep_session(request.scope.get("session"), user_id, epoch)
    return await show_user(
        request, studio_deps, studio_principal, user_id=user_id, password=password
    )


@post("/users/{user_id:str}/delete", status_code=303)
async def delete_user(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    user_id: FromPath[str],
) -> Response[Any]:
    form = await read_form(request)
    try:
        await UserService(studio_deps).delete(user_id, version_of(form))
    except HubError as exc:
        return await refused(
            request, studio_deps, studio_principal, exc, show_user, user_id=user_id
        )
    return redirect("/studio/users", "user_deleted")


USER_HANDLERS = [
    list_users,
    create_user,
    edit_user,
    save_user,
    reset_password,
    delete_user,
]
