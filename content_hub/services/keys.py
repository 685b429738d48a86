"""API keys: creation (shown once), listing, revocation, payload encryption
keys of client keys, authentication."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.errors import Conflict, NotFound
from content_hub.domain.ids import new_id
from content_hub.domain.inputs import KeyCreate
from content_hub.domain.keys import (
    ApiKey,
    Principal,
    Scope,
    effective_scopes,
    hash_secret,
    new_secret,
)
from content_hub.domain.payload_crypto import new_payload_key
from content_hub.domain.permissions import Action, require
from content_hub.services.audit import record
from content_hub.services.base import Deps
from content_hub.store.db import after_commit
from content_hub.store.repositories import KeyRepository
from content_hub.store.repositories._util import now


class KeyService:
    def __init__(self, deps: Deps, on_revoke: Callable[[], None] | None = None) -> None:
        """``on_revoke`` clears the authenticator's cache (after a revocation
        or a change of a payload key)."""
        self.deps = deps
        self.repo = KeyRepository(deps.session)
        self.on_revoke = on_revoke

    async def create(self, data: KeyCreate) -> tuple[ApiKey, str]:
        """Create a key; the secret is returned here and never again."""
        require(self.deps.actor, Action.KEYS_MANAGE)
        secret = new_secret()
        key = ApiKey(
            id=new_id(),
            name=data.name,
            prefix=secret[:10],
            scopes=sorted(set(data.scopes)),
            created_at=now(),
        )
        await self.repo.add(key, hash_secret(secret))
        await record(self.deps, "create", "key", key.id, detail={"name": key.name})
        return key, secret

    async def all(self) -> list[ApiKey]:
        require(self.deps.actor, Action.KEYS_MANAGE)
        return await self.repo.all()

    async def revoke(self, key_id: str) -> None:
        require(self.deps.actor, Action.KEYS_MANAGE)
        if await self.repo.get(key_id) is None:
            raise NotFound(f"No API key {key_id!r}.")
        await self.repo.revoke(key_id, now())
        await record(self.deps, "revoke", "key", key_id)
        if self.on_revoke is not None:
            self.on_revoke()

    async def encrypt_payload(self, key_id: str) -> str:
        """Give a client key a new payload key (its SDK payload is served
        encrypted from now on); returns it. A second call replaces it."""
        require(self.deps.actor, Action.KEYS_MANAGE)
        key = await self._live(key_id)
        if Scope.DELIVERY not in effective_scopes(tuple(key.scopes)):
            raise Conflict(
                f"The key {key.name!r} has no delivery scope: it is no GrowthBook "
                "client key, so it has no SDK payload to encrypt."
            )
        payload_key = new_payload_key()
        await self.repo.set_payload_key(key_id, payload_key)
        await record(self.deps, "encrypt_payload", "key", key_id)
        self._changed()
        return payload_key

    async def payload_key(self, key_id: str) -> str:
        """The client key's payload key (404 when its payload is not encrypted)."""
        require(self.deps.actor, Action.KEYS_MANAGE)
        await self._live(key_id)
        payload_key = await self.repo.payload_key(key_id)
        if payload_key is None:
            raise NotFound(f"The payload of the key {key_id!r} is not encrypted.")
        return payload_key

    async def decrypt_payload(self, key_id: str) -> None:
        """Serve the client key's SDK payload unencrypted again."""
        require(self.deps.actor, Action.KEYS_MANAGE)
        await self._live(key_id)
        if await self.repo.payload_key(key_id) is None:
            return
        await self.repo.set_payload_key(key_id, None)
        await record(self.deps, "decrypt_payload", "key", key_id)
        self._changed()

    async def _live(self, key_id: str) -> ApiKey:
        key = await self.repo.get(key_id)
        if key is None:
            raise NotFound(f"No API key {key_id!r}.")
        if key.revoked_at is not None:
            raise Conflict(f"The API key {key_id!r} is revoked.")
        return key

    def _changed(self) -> None:
        """After the commit, this process's authenticator forgets what it
        cached (others follow within ``CONTENT_HUB_AUTH_CACHE_SECONDS``)."""
        clear = self.on_revoke
        if clear is not None:

            async def forget() -> None:
                clear()

            after_commit(self.deps.session, forget)


class Authenticator:
    """Resolves a bearer secret to a :class:`Principal`, with a short cache.

    The cache keeps the hot paths free of database reads: an expired entry of
    a valid key is served while one background lookup refreshes it. A revoked
    key stops working in this process at once and in others within ``ttl``
    plus that one lookup. With ``ttl`` 0 nothing is served from the cache:
    every request waits for a lookup of its own, begun after it arrived (a
    key revoked by another process is refused from the next request on).
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl: float) -> None:
        self.sessions = sessions
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._loading: dict[str, asyncio.Task[Principal | None]] = {}
        self._digests: dict[str, str] = {}
        """Digests of secrets already found valid (the hot paths skip SHA-256)."""
        self._payload_keys: dict[str, str] = {}
        """Payload keys of the keys looked up, by key id (encrypted ones only)."""
        self._epoch = 0
        """Bumped by :meth:`clear`: a lookup that read the keys before a clear
        answers its own callers but stores nothing."""

    def clear(self) -> None:
        """Forget every key (after a revocation or a payload-key change).

        A lookup still in flight read the table before the change: it is
        dropped from ``_loading`` (the next caller starts a fresh one) and
        its result is not stored (:meth:`_load` compares the epoch).
        """
        self._epoch += 1
        self._cache.clear()
        self._digests.clear()
        self._payload_keys.clear()
        self._loading.clear()

    def payload_key(self, key_id: str) -> str | None:
        """The payload key of a key looked up before (``None``: unencrypted),
        as of its last lookup."""
        return self._payload_keys.get(key_id)

    def cached(self, secret: str) -> Principal | None:
        """The principal of a key this process already knows to be valid,
        without waiting (an expired entry is refreshed in the background, as
        in :meth:`principal`); ``None`` for a key not looked up yet or refused.

        The guard asks this first: the hot paths then neither await nor touch
        the failed-authentication limit of the caller's address.
        """
        if self.ttl <= 0:  # every request looks its key up (:meth:`principal`)
            return None
        digest = self._digests.get(secret)
        if digest is None:
            digest = hash_secret(secret)
            hit = self._cache.get(digest)
            if hit is None or hit[1] is None:
                return None
            if len(self._digests) >= 1024:
                self._digests.clear()
            self._digests[secret] = digest  # a valid key: hashed once per process
        hit = self._cache.get(digest)
        if hit is None or hit[1] is None:
            return None
        if hit[0] <= time.monotonic():
            self._loading_task(digest)
        return hit[1]

    async def principal(self, secret: str) -> Principal | None:
        digest = hash_secret(secret)
        if self.ttl <= 0:
            # Its own lookup: one already in flight may have read the key
            # before a revocation this request must see.
            return await self._load(digest)
        hit = self._cache.get(digest)
        if hit is not None:
            if hit[0] > time.monotonic():
                return hit[1]
            if hit[1] is not None:
                # Expired but known: answer with it and refresh in the
                # background. Waiting would hold every request of this key for
                # a database round trip, which takes several event-loop turns
                # under load (hundreds of ms at the tail).
                self._loading_task(digest)
                return hit[1]
        # One lookup per key at a time: when an entry expires under load, every
        # request in flight would otherwise query the database at once.
        return await asyncio.shield(self._loading_task(digest))

    def _loading_task(self, digest: str) -> asyncio.Task[Principal | None]:
        task = self._loading.get(digest)
        if task is None:
            task = asyncio.create_task(self._load(digest))
            # a background refresh nobody awaits must not log an unretrieved error
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._loading[digest] = task
        return task

    async def _load(self, digest: str) -> Principal | None:
        epoch, task = self._epoch, asyncio.current_task()
        try:
            async with self.sessions() as session:
                found = await KeyRepository(session).credentials(digest)
            key, payload_key = found if found is not None else (None, None)
            principal = (
                None
                if key is None or key.revoked_at is not None
                else Principal(key.id, key.name, effective_scopes(tuple(key.scopes)))
            )
            if epoch != self._epoch:
                return principal  # read before a clear: stale, not stored
            if key is not None:
                if len(self._payload_keys) > 10_000:
                    self._payload_keys.clear()
                if payload_key is None:
                    self._payload_keys.pop(key.id, None)
                else:
                    self._payload_keys[key.id] = payload_key
            if self.ttl <= 0:
                return principal  # nothing is answered from the cache
            if len(self._cache) > 10_000:
                self._cache.clear()
            ttl = self.ttl if principal is not None else min(self.ttl, 1.0)
            self._cache[digest] = (time.monotonic() + ttl, principal)
            return principal
        finally:
            if self._loading.get(digest) is task:
                del self._loading[digest]
