"""/manage/v1/users (admin): Studio accounts."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.users import PasswordChange, User, UserCreate, UserUpdate
from content_hub.services.base import Deps
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
        deps: NamedDependency[Deps],
        user_id: FromPath[str],
        data: JSONBody[PasswordChange],
    ) -> None:
        await UserService(deps).set_password(user_id, data.password)

    @delete("/{user_id:str}", summary="Delete a Studio user")
    async def delete_user(
        self,
        deps: NamedDependency[Deps],
        user_id: FromPath[str],
        if_match: IfMatch = None,
    ) -> None:
        await UserService(deps).delete(user_id, version_from(if_match))
