"""Shareable preview links: signed, expiring tokens for one entry's draft.

A token is ``<payload>.<mac>``: the payload is the entry id and the expiry
(Unix seconds) as base64url JSON, the MAC an HMAC-SHA256 over it with a key
derived from a secret the hub keeps in its database (made at random on first
use; every worker reads the same one, and deleting it revokes every link).
Delivery serves the draft of that entry, and only that entry, to a request
that carries the token (``?preview_token=`` or ``X-Preview-Token``) until
it expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
import time
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import msgspec

from content_hub.domain.entries import Entry
from content_hub.domain.errors import (
    FieldError,
    Forbidden,
    NotAuthenticated,
    ValidationFailed,
)
from content_hub.domain.permissions import Action, allowed, denied, require
from content_hub.domain.preview import (
    PREVIEW_URL_FIELDS,
    PreviewLink,
    PreviewLinkIn,
    PreviewUrl,
    PreviewUrlIn,
)
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.store.repositories.preview import PreviewRepository
from content_hub.store.repositories.secrets import HubSecretRepository

SECRET_NAME = "preview-links"  # noqa: S105 (the name of a stored secret)
_LABEL = b"content-hub preview link v1\x00"
_keys: dict[str, bytes] = {}
"""Derived signing keys by secret (the secret is read once per process)."""


class PreviewTokenInvalid(NotAuthenticated):
    type_slug = "preview-token-invalid"
    title = "The preview token is not valid"


class PreviewTokenExpired(Forbidden):
    type_slug = "preview-token-expired"
    title = "The preview link has expired"


class PreviewTokenOtherEntry(Forbidden):
    type_slug = "preview-token-other-entry"
    title = "The preview token is for another entry"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(secret: str) -> bytes:
    key = _keys.get(secret)
    if key is None:
        key = hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()
        _keys[secret] = key
    return key


def sign(secret: str, entry_id: str, expires: int) -> str:
    payload = _b64(msgspec.json.encode([entry_id, expires]))
    mac = hmac.new(_key(secret), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def verify(secret: str, token: str, at: float | None = None) -> str:
    """The entry id a token names; a 401 when it was not made here (or was
    changed), a 403 when it has expired."""
    payload, _, mac = token.partition(".")
    try:
        expected = hmac.new(_key(secret), payload.encode(), hashlib.sha256).digest()
        good = hmac.compare_digest(expected, _unb64(mac))
        entry_id, expires = msgspec.json.decode(_unb64(payload), type=tuple[str, int])
    except (ValueError, msgspec.DecodeError, msgspec.ValidationError, TypeError):
        good = False
    if not good:
        raise PreviewTokenInvalid("The preview token was not made by this hub.")
    if expires <= (time.time() if at is None else at):
        raise PreviewTokenExpired(
            "The preview link expired at "
            f"{datetime.fromtimestamp(expires, UTC).isoformat()}; ask for a new one."
        )
    return entry_id


def check_pattern(pattern: str) -> None:
    """A preview URL pattern: http(s), placeholders among the known ones and
    ``{token}`` among them (422 otherwise)."""
    problems = []
    try:
        names = {n for _, n, _, _ in string.Formatter().parse(pattern) if n is not None}
    except ValueError as exc:
        names = set()
        problems.append(f"not a valid pattern: {exc}")
    unknown = names - set(PREVIEW_URL_FIELDS)
    if unknown:
        problems.append(
            f"unknown placeholder(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join('{' + n + '}' for n in PREVIEW_URL_FIELDS)}"
        )
    if "token" not in names and not problems:
        problems.append("the pattern needs {token}")
    if urlsplit(pattern).scheme not in ("http", "https"):
        problems.append("the URL must start with http:// or https://")
    if problems:
        raise ValidationFailed(
            "The preview URL pattern is not valid.",
            errors=[FieldError(loc=["preview_url"], msg=p) for p in problems],
        )


class PreviewLinkService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = PreviewRepository(deps.session)

    async def _secret(self) -> str:
        return await self.deps.memo(("preview-secret",), self._read_secret)

    async def _read_secret(self) -> str:
        configured = self.deps.settings.secret_key
        if configured:
            return configured
        return await HubSecretRepository(self.deps.session).secret(SECRET_NAME)

    async def create(self, entry_id: str, data: PreviewLinkIn) -> PreviewLink:
        """A link to ``entry_id``'s draft; whoever may change or publish the
        entry may share its draft (a viewer may not)."""
        actor = self.deps.actor
        if not any(
            allowed(actor, a)
            for a in (
                Action.ENTRIES_WRITE,
                Action.ENTRIES_TRANSLATE,
                Action.ENTRIES_PUBLISH,
            )
        ):
            raise denied(actor, Action.ENTRIES_WRITE)
        entry = await EntryService(self.deps).get(entry_id)
        expires = int(time.time()) + data.expires_in
        token = sign(await self._secret(), entry.id, expires)
        query = f"preview_token={token}"
        if data.locale:
            query += f"&locale={quote(data.locale)}"
        pattern = await self.repo.preview_url(entry.type)
        return PreviewLink(
            token=token,
            expires_at=datetime.fromtimestamp(expires, UTC).isoformat(),
            delivery_url=f"/delivery/v1/entries/{entry.id}?{query}",
            preview_url=None
            if pattern is None
            else fill(
                pattern,
                entry,
                token,
                data.locale or self.deps.settings.default_locale,
            ),
        )

    async def entry_of(self, token: str) -> str:
        """The entry id a valid, unexpired token names."""
        return verify(await self._secret(), token)

    async def preview_url(self, type_key: str) -> PreviewUrl:
        await ContentTypeService(self.deps).get(type_key)  # 404 first
        return PreviewUrl(
            type=type_key, preview_url=await self.repo.preview_url(type_key) or ""
        )

    async def set_preview_url(self, type_key: str, data: PreviewUrlIn) -> PreviewUrl:
        require(self.deps.actor, Action.TYPES_WRITE)
        await ContentTypeService(self.deps).get(type_key)
        if data.preview_url:
            check_pattern(data.preview_url)
        await self.repo.set_preview_url(type_key, data.preview_url)
        return PreviewUrl(type=type_key, preview_url=data.preview_url)


def fill(pattern: str, entry: Entry, token: str, locale: str) -> str:
    """A preview URL pattern with its placeholders filled (URL-quoted)."""
    return pattern.format(
        token=quote(token, safe=""),
        locale=quote(locale, safe=""),
        key=quote(entry.key, safe=""),
        id=quote(entry.id, safe=""),
        type=quote(entry.type, safe=""),
    )
