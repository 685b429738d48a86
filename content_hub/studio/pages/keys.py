"""API keys (admin only, as ``/manage/v1/keys``): the list (never a
secret), a new key whose secret is shown once, revocation."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.inputs import KeyCreate
from content_hub.domain.keys import Principal, Scope
from content_hub.services.base import Deps
from content_hub.services.keys import Authenticator, KeyService
from content_hub.studio.forms import convert
from content_hub.studio.pages.admin_support import refused
from content_hub.studio.pages.saving import read_form
from content_hub.studio.views import page, redirect

SCOPES = [s.value for s in Scope]


async def show_keys(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    keys = await KeyService(deps).all()
    context.setdefault("form", {"name": "", "scopes": []})
    return page(
        request,
        "keys.html",
        principal=principal,
        status=status,
        keys=sorted(keys, key=lambda k: (k.revoked_at is not None, k.name.lower())),
        scopes=SCOPES,
        **context,
    )


@get("/keys", name="studio_keys")
async def list_keys(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await show_keys(request, studio_deps, studio_principal)


@post("/keys", status_code=201)
async def create_key(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    """A new key; its secret is in this answer only."""
    form = await read_form(request)
    data = {"name": form.get("name").strip(), "scopes": form.getall("scopes")}
    try:
        key, secret = await KeyService(studio_deps).create(convert(data, KeyCreate))
    except HubError as exc:
        return await refused(
            request, studio_deps, studio_principal, exc, show_keys, form=data
        )
    return await show_keys(
        request, studio_deps, studio_principal, status=201, created=key, secret=secret
    )


@post("/keys/{key_id:str}/revoke", status_code=303)
async def revoke_key(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key_authenticator: NamedDependency[Authenticator],
    key_id: FromPath[str],
) -> Response[Any]:
    """Revoke a key, as the API does: it stops working in this process at
    once, in others within the authenticator's cache lifetime."""
    try:
        await KeyService(studio_deps, on_revoke=key_authenticator.clear).revoke(key_id)
    except HubError as exc:
        return await refused(request, studio_deps, studio_principal, exc, show_keys)
    return redirect("/studio/keys", "key_revoked")
