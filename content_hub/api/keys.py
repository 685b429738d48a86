"""/manage/v1/keys (admin): create (secret shown once), list, revoke; the
payload key a client key's GrowthBook SDK payload is encrypted with."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from content_hub.api.schemas import KeyCreated, KeyList, PayloadEncryption
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

    @post(
        "/{key_id:str}/encryption",
        summary="Encrypt a client key's GrowthBook SDK payload with a new key",
        description=(
            "Generates a payload key (AES-128, base64) for a delivery key: from now "
            "on /api/features and /sub with this client key serve "
            "`encryptedFeatures` (and `encryptedSavedGroups`) instead of "
            "`features`. Give the key to the SDK as `decryptionKey`. Calling it "
            "again replaces the key."
        ),
    )
    async def encrypt_payload(
        self,
        deps: NamedDependency[Deps],
        key_authenticator: NamedDependency[Authenticator],
        key_id: FromPath[str],
    ) -> PayloadEncryption:
        service = KeyService(deps, on_revoke=key_authenticator.clear)
        payload_key = await service.encrypt_payload(key_id)
        return PayloadEncryption(key_id=key_id, decryption_key=payload_key)

    @get(
        "/{key_id:str}/encryption",
        summary="A client key's payload key (404: its payload is not encrypted)",
    )
    async def payload_key(
        self, deps: NamedDependency[Deps], key_id: FromPath[str]
    ) -> PayloadEncryption:
        payload_key = await KeyService(deps).payload_key(key_id)
        return PayloadEncryption(key_id=key_id, decryption_key=payload_key)

    @delete(
        "/{key_id:str}/encryption",
        summary="Serve a client key's GrowthBook SDK payload unencrypted again",
    )
    async def decrypt_payload(
        self,
        deps: NamedDependency[Deps],
        key_authenticator: NamedDependency[Authenticator],
        key_id: FromPath[str],
    ) -> None:
        service = KeyService(deps, on_revoke=key_authenticator.clear)
        await service.decrypt_payload(key_id)
