"""API keys and scopes."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

import msgspec

from content_hub.domain.roles import Role

KEY_PREFIX = "chk_"


class Scope(enum.StrEnum):
    ADMIN = "admin"
    MANAGE = "manage"
    DELIVERY = "delivery"
    PREVIEW = "preview"
    RENDER = "render"
    METRICS = "metrics"


#: What each scope implies: admin can do everything (``metrics`` included),
#: preview includes delivery; ``metrics`` only reads ``/metrics`` (a scraper's key
#: should not be able to read content).
IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.ADMIN: frozenset(Scope),
    Scope.MANAGE: frozenset({Scope.MANAGE}),
    Scope.DELIVERY: frozenset({Scope.DELIVERY}),
    Scope.PREVIEW: frozenset({Scope.PREVIEW, Scope.DELIVERY}),
    Scope.RENDER: frozenset({Scope.RENDER}),
    Scope.METRICS: frozenset({Scope.METRICS}),
}


def effective_scopes(scopes: list[str] | tuple[str, ...]) -> frozenset[Scope]:
    out: set[Scope] = set()
    for scope in scopes:
        out |= IMPLIED[Scope(scope)]
    return frozenset(out)


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    """A stored key: never the secret, only its hash and a display prefix."""

    id: str
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime
    revoked_at: datetime | None = None
    encrypted_payload: bool = False
    """Whether its GrowthBook SDK payload is served encrypted (the key is at
    ``/manage/v1/keys/{id}/encryption``)."""


class Principal(msgspec.Struct, frozen=True):
    """Who is calling: the key's id, name and effective scopes.

    A signed-in Studio user is a principal too (:func:`content_hub.domain.
    users.principal_for`): ``key_id`` is the user's id, ``name`` the email,
    and ``user_id``, ``role`` and (translators) ``locales`` are set. API keys
    have ``role`` None.
    """

    key_id: str
    name: str
    scopes: frozenset[Scope]
    user_id: str | None = None
    role: Role | None = None
    locales: frozenset[str] = frozenset()

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes


SYSTEM = Principal("system", "system", frozenset(Scope))


def new_secret() -> str:
    """A fresh key: 256 bits of randomness, with a recognisable prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Keys are high-entropy random strings, so a plain SHA-256 is enough."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
