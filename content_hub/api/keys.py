"""/manage/v1/keys (admin): create (secret shown once), list, revoke."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.schemas import KeyCreated, KeyList
from content_hub.domain.inputs import KeyCreate
from content_hub.domain.keys import Scope
from content_hub.services.base import Deps
from content_hub.services.keys import Authenticator, KeyService


class KeyController(Controller):
    path = "/manage/v1/keys"
    tags = ["keys"]
    opt = {"scopes": (Scope.ADMIN,)}

    @get("/", summary="List API keys (never their secrets)")
    async def list_keys(self, deps: NamedDependency[Deps]) -> KeyList:
        return KeyList(items=await KeyService(deps).all())

    @post("/", summary="Create an API key; the secret is in this response only")
    async def create_key(
        self, deps: NamedDependency[Deps], data: JSONBody[KeyCreate]
    ) -> KeyCreated:
        key, secret = await KeyService(deps).create(data)
        return KeyCreated(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=key.scopes,
            created_at=key.created_at,
            secret=secret,
        )

    @delete("/{key_id:str}", summary="Revoke an API key")
    async def revoke_key(
        self,
        deps: NamedDependency[Deps],
        key_authenticator: NamedDependency[Authenticator],
        key_id: FromPath[str],
    ) -> None:
        await KeyService(deps, on_revoke=key_authenticator.clear).revoke(key_id)
