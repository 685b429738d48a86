"""/manage/v1/users (admin): Studio accounts; /manage/v1/users/me: the
signed-in user's own password."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.users import (
    OwnPasswordChange,
    PasswordChange,
    User,
    UserCreate,
    UserUpdate,
    keep_session,
)
from content_hub.services.base import Deps
from content_hub.services.sign_in import SignInThrottle, change_own_password
from content_hub.services.users import UserService


class UserList(msgspec.Struct, kw_only=True):
    items: list[User]


class UserController(Controller):
    path = "/manage/v1/users"
    tags = ["users"]
    opt = {"scopes": (Scope.ADMIN,)}

    @get("/", summary="List Studio users (never their passwords)")
    async def list_users(self, deps: NamedDependency[Deps]) -> UserList:
        return UserList(items=await UserService(deps).all())

    @post("/", summary="Create a Studio user (a password is optional)")
    async def create_user(
        self, deps: NamedDependency[Deps], data: JSONBody[UserCreate]
    ) -> Response[User]:
        user = await UserService(deps).create(data)
        return Response(user, status_code=201, headers=etag(user.version))

    @get("/{user_id:str}", summary="Get a Studio user")
    async def get_user(
        self, deps: NamedDependency[Deps], user_id: FromPath[str]
    ) -> Response[User]:
        user = await UserService(deps).get(user_id)
        return Response(user, headers=etag(user.version))

    @patch("/{user_id:str}", summary="Change a user's role, locales or disabled flag")
    async def update_user(
        self,
        deps: NamedDependency[Deps],
        user_id: FromPath[str],
        data: JSONBody[UserUpdate],
        if_match: IfMatch = None,
    ) -> Response[User]:
        user = await UserService(deps).update(user_id, data, version_from(if_match))
        return Response(user, headers=etag(user.version))

    @put("/{user_id:str}/password", status_code=204, summary="Set a user's password")
    async def set_password(
        self,
        request: Request[Any, Any, Any],
        deps: NamedDependency[Deps],
        user_id: FromPath[str],
        data: JSONBody[PasswordChange],
    ) -> None:
        """Every session of the user ends (but the one this request came in)."""
        epoch = await UserService(deps).set_password(user_id, data.password)
        keep_session(request.scope.get("session"), user_id, epoch)

    @delete("/{user_id:str}", summary="Delete a Studio user")
    async def delete_user(
        self,
        deps: NamedDependency[Deps],
        user_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await UserService(deps).delete(user_id, version_from(if_match))


class OwnAccountController(Controller):
    """What any signed-in user may do to their own account (CSRF applies: a
    session request)."""

    path = "/manage/v1/users/me"
    tags = ["users"]
    opt = {"scopes": (Scope.MANAGE,)}

    @put(
        "/password",
        status_code=204,
        summary="Change your own password (send the current one)",
    )
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        deps: NamedDependency[Deps],
        studio_throttle: NamedDependency[SignInThrottle],
        data: JSONBody[OwnPasswordChange],
    ) -> None:
        """Every other session of the user ends; this one stays signed in."""
        address = request.client.host if request.client else "unknown"
        epoch = await change_own_password(
            deps,
            data.current_password,
            data.password,
            address=address,
            throttle=studio_throttle,
        )
        if deps.actor.user_id is not None:
            keep_session(request.scope.get("session"), deps.actor.user_id, epoch)
