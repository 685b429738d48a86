"""My account: who I am, and changing my own password (the current one
proves it is me). A change ends every other session of mine; this one
stays signed in."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from content_hub.domain.errors import FieldError, HubError, ValidationFailed
from content_hub.domain.keys import Principal
from content_hub.domain.users import OwnPasswordChange, keep_session
from content_hub.services.base import Deps
from content_hub.services.sign_in import SignInThrottle, change_own_password
from content_hub.studio.forms import convert
from content_hub.studio.pages.admin_support import refused
from content_hub.studio.pages.saving import read_form
from content_hub.studio.views import page, redirect


async def show_account(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    return page(request, "account.html", principal=principal, status=status, **context)


@get("/account", name="studio_account")
async def account(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await show_account(request, studio_deps, studio_principal)


@post("/account/password", status_code=303)
async def change_password(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    studio_throttle: NamedDependency[SignInThrottle],
) -> Response[Any]:
    form = await read_form(request)
    address = request.client.host if request.client else "unknown"
    try:
        if form.get("password") != form.get("confirm"):
            raise ValidationFailed(
                "The new password and its repetition differ.",
                errors=[FieldError(loc=["confirm"], msg="not the same password")],
            )
        data = convert(
            {
                "current_password": form.get("current_password"),
                "password": form.get("password"),
            },
            OwnPasswordChange,
        )
        epoch = await change_own_password(
            studio_deps,
            data.current_password,
            data.password,
            address=address,
            throttle=studio_throttle,
        )
    except HubError as exc:
        return await refused(request, studio_deps, studio_principal, exc, show_account)
    if studio_principal.user_id is not None:
        keep_session(request.scope.get("session"), studio_principal.user_id, epoch)
    return redirect("/studio/account", "password_changed")
