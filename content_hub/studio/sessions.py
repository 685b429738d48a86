"""Studio sessions and CSRF: who is signed in, on ``/studio`` and ``/manage``.

Sessions are server-side, as Litestar's server-side session middleware keeps
them (:class:`StudioSessionBackend` is a ``ServerSideSessionBackend``): the
cookie holds a random id, the data lives in a Litestar ``Store`` — the
database (:class:`~content_hub.store.web_sessions.DatabaseSessionStore`) or
Redis. The ASGI layer that opens, checks and writes them per request is
:mod:`content_hub.studio.session_layer`. On top of Litestar's behaviour:

* **Only ``/studio`` and ``/manage``**, and only without an ``Authorization``
  header: every other request (delivery, render, keys on ``/manage``) passes
  through after one prefix check, and gets no cookie. The edge's fast paths
  never reach this layer at all.
* **Timeouts**: a session ends ``idle_timeout`` after its last use and
  ``absolute_timeout`` after sign-in (``StudioSettings``); the last use is
  written back at most every :data:`TOUCH_EVERY` seconds (or a quarter of the
  idle timeout), not on every request.
* **Cookie**: HttpOnly, SameSite=Lax, Path=/, Secure when the request came
  over HTTPS (or ``secure_cookie`` is set); no Max-Age (the browser drops it
  when it closes; the server enforces the timeouts either way). A request
  without a cookie and without session data gets no cookie and costs no write.
* **Rotation**: :func:`start_session` (sign-in) gives the session a new id and
  deletes the old one, so an id planted before sign-in is worthless after.
* **The principal**: a session with a user id resolves to that user's
  :class:`Principal` in ``scope["user"]`` (looked up on every request, so a
  disabled, deleted or re-roled user is cut off at once); the API guard
  (:mod:`content_hub.api.auth`) and ``studio_principal`` read it there.
* **Ending every session of a user**: a session records its user's session
  epoch at sign-in; a password change or reset, or disabling the account,
  moves the stored epoch on (in the same transaction), and a session of an
  older epoch is over at its next request, in either store, without
  finding the sessions. The request that made the change keeps its own
  session (:func:`~content_hub.domain.users.keep_session`).
* **CSRF**: a POST/PUT/PATCH/DELETE on a signed-in session must carry the
  session's token (:func:`csrf_token`) in ``X-CSRF-Token`` or the form field
  ``_csrf``; otherwise 403 ``csrf-failed`` before any handler runs. Requests
  with a bearer key are not session requests and are not affected.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import msgspec
from litestar import Request
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Message, Scope
from litestar.types.empty import Empty
from redis.exceptions import RedisError

from content_hub.domain.errors import SessionStoreUnavailable
from content_hub.domain.users import SESSION_EPOCH, User, principal_for
from content_hub.settings import StudioSettings

log = logging.getLogger(__name__)

SESSION_PATHS = ("/studio", "/manage")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "_csrf"
TOUCH_EVERY = 60.0
"""At most this many seconds between two writes of an unchanged session."""
CSRF_EXEMPT = frozenset({"/studio/sign-in"})
"""Signing in needs the credentials, not a token (and rotates the session)."""
_STATE = "content_hub.studio_session"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

UserLookup = Callable[[str], Awaitable[tuple[User, int] | None]]
"""A user id to the user and their session epoch (``None``: no such user)."""


@dataclass
class _State:
    """The session as this request found it: ``id`` when the store knew it
    and it was alive, the ``cookie`` sent, whether a stored session ``ended``
    (timed out, its user gone) and whether sign-in asked to ``rotate``."""

    id: str | None
    loaded: dict[str, Any]
    cookie: str | None = None
    ended: bool = False
    rotate: bool = False


@dataclass
class StudioSessionConfig(ServerSideSessionConfig):
    """Litestar's server-side session config plus the Studio's timeouts."""

    idle_timeout: float = 1800.0
    absolute_timeout: float = 43_200.0
    always_secure: bool = False

    @classmethod
    def from_settings(cls, settings: StudioSettings) -> StudioSessionConfig:
        return cls(
            key=settings.cookie_name,
            max_age=max(1, int(settings.absolute_timeout)),
            httponly=True,
            samesite="lax",
            path="/",
            idle_timeout=settings.idle_timeout,
            absolute_timeout=settings.absolute_timeout,
            always_secure=settings.secure_cookie,
        )


class StudioSessionBackend(ServerSideSessionBackend):
    """Loads, checks, writes and rotates sessions (see the module doc)."""

    config: StudioSessionConfig

    def __init__(
        self,
        config: StudioSessionConfig,
        store: Store,
        users: UserLookup,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(config)
        self.store = store
        self.users = users
        self.clock = clock
        """Wall-clock seconds; tests move it to expire sessions."""

    def _alive(self, data: dict[str, Any], now: float) -> bool:
        created, seen = data.get("created"), data.get("seen")
        if not isinstance(created, int | float) or not isinstance(seen, int | float):
            return False
        return (
            now - created < self.config.absolute_timeout
            and now - seen < self.config.idle_timeout
        )

    async def open(self, scope: Scope) -> None:
        """Load the cookie's session into ``scope["session"]`` and its user's
        principal into ``scope["user"]``. An id the store does not know, or
        whose session ended, is never used again (a planted id stays
        worthless)."""
        cookie = _cookie(scope, self.config.key)
        data: dict[str, Any] = {}
        with _reachable():
            raw = await self.store.get(cookie) if cookie else None
        if raw is not None:
            try:
                data = dict(self.deserialize_data(raw))
            except (msgspec.DecodeError, TypeError, ValueError):
                data = {}
            if not self._alive(data, self.clock()):
                data = {}
        uid = data.get("uid")
        if isinstance(uid, str):
            found = await self.users(uid)
            if (
                found is None
                or found[0].disabled
                or data.get(SESSION_EPOCH, 0) != found[1]
            ):
                data = {}  # the user is gone, disabled or signed out everywhere
            else:
                scope["user"] = principal_for(found[0])
        known = cookie if data else None
        scope["session"] = data
        cast(dict[str, Any], scope)[_STATE] = _State(
            known, dict(data), cookie=cookie, ended=raw is not None and not data
        )

    async def close(self, scope: Scope, message: Message) -> None:
        """Write what changed and set (or clear) the cookie; a store that
        fails raises :class:`SessionStoreUnavailable`."""
        with _reachable():
            await self._close(scope, message)

    async def _close(self, scope: Scope, message: Message) -> None:
        state: _State = cast(dict[str, Any], scope)[_STATE]
        session = scope.get("session")
        headers = MutableScopeHeaders.from_message(message)
        now = self.clock()
        if state.ended and state.cookie:
            await self.store.delete(state.cookie)
        if session is Empty or not session:
            if state.id:
                await self.store.delete(state.id)
            if state.cookie:
                headers.add("Set-Cookie", self._cookie(scope, "", expire=True))
            return
        data = dict(cast(dict[str, Any], session))
        seen = data.get("seen")
        stale = not isinstance(seen, int | float) or now - seen >= min(
            TOUCH_EVERY, self.config.idle_timeout / 4
        )
        if not (state.rotate or data != state.loaded or stale or not state.id):
            return
        if state.rotate:
            data["created"] = now
            uid = data.get("uid")
            found = await self.users(uid) if isinstance(uid, str) else None
            data[SESSION_EPOCH] = found[1] if found is not None else 0
        data.setdefault("created", now)
        data["seen"] = now
        session_id = state.id
        if state.rotate or not session_id:
            if session_id:
                await self.store.delete(session_id)
            session_id = self.generate_session_id()
        await self.store.set(
            session_id,
            self.serialize_data(data),
            expires_in=max(1, int(self.config.idle_timeout)),
        )
        if session_id != state.cookie:
            headers.add("Set-Cookie", self._cookie(scope, session_id))

    def _cookie(self, scope: Scope, value: str, *, expire: bool = False) -> str:
        secure = self.config.always_secure or scope.get("scheme") == "https"
        return Cookie(
            key=self.config.key,
            value=value or "null",
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure,
            expires=0 if expire else None,
        ).to_header(header="")


@contextlib.contextmanager
def _reachable() -> Iterator[None]:
    """Redis errors and timeouts (and broken sockets) of the session store
    become :class:`SessionStoreUnavailable`; a database's are already a 503
    (``store-unavailable``)."""
    try:
        yield
    except (RedisError, OSError) as exc:
        log.warning("studio sessions: the store failed: %s", exc)
        raise SessionStoreUnavailable() from exc


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope["headers"]:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cname, _, cvalue = part.strip().partition("=")
                if cname == name and cvalue and cvalue != "null":
                    return cvalue
    return None


def csrf_token(request: Request[Any, Any, Any]) -> str:
    """The session's CSRF token (made on first use), for forms
    (``<input type="hidden" name="_csrf">``) and ``X-CSRF-Token`` headers."""
    session = request.scope.get("session")
    if not isinstance(session, dict):
        session = {}
        request.scope["session"] = session
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def start_session(request: Request[Any, Any, Any], user: User) -> None:
    """Sign ``user`` in on this request: fresh session data, a new session
    id (the old one is deleted) and a new CSRF token."""
    state: _State | None = cast(dict[str, Any], request.scope).get(_STATE)
    if state is not None:
        state.rotate = True
    request.scope["session"] = {
        "uid": user.id,
        "csrf": secrets.token_urlsafe(32),
    }
    request.scope["user"] = principal_for(user)


def end_session(request: Request[Any, Any, Any]) -> None:
    """Sign out: the session is deleted and its cookie cleared."""
    request.scope["session"] = {}
    cast(dict[str, Any], request.scope).pop("user", None)
