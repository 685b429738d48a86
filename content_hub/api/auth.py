"""Authentication, scope checks and the unknown-query-parameter rule.

:class:`Authenticate` runs once per matched route, as the guard of the
observability middleware (one middleware layer for request ids, metrics and
authentication instead of three): it refuses query parameters the handler does
not declare, resolves the bearer key to a :class:`Principal` (cached by the
:class:`Authenticator`) and checks the scopes the route declares in
``opt["scopes"]`` (any one suffices).

It also applies the :class:`RateLimits`: each request of a valid key counts
toward the key's rate (an O(1) in-memory check), and each failed
authentication toward the caller's address; past either, a 429 problem with
``Retry-After``. A route that takes its secret in the path
(``opt["secret_path_param"]``, the GrowthBook client key) answers a bad
secret itself, but its failures count alike: every way to guess a key is
limited. ``OPTIONS`` needs no key: browsers send CORS preflights without one.

A request without a bearer key may instead come from a signed-in Studio user:
the session layer (:mod:`content_hub.studio.sessions`, which also checked its
CSRF token) put the user's principal in ``scope["user"]``, with the scopes of
the user's role. Its requests count toward a rate like a key's. What a role
may do within those scopes is decided once, by the services
(:mod:`content_hub.domain.permissions`), for the API, the Studio and the CLI
alike: a second, path-based list here could only drift from it (and would
refuse reads sent as POST and a viewer's own password change).
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qsl

from litestar.params import QueryParameter
from litestar.types import Scope

from content_hub.domain.errors import Forbidden, NotAuthenticated, UnknownQueryParameter
from content_hub.domain.keys import Principal
from content_hub.domain.keys import Scope as KeyScope
from content_hub.domain.rate_limits import Rate, TooManyRequests
from content_hub.services.keys import Authenticator
from content_hub.services.rate_limits import RateLimits

_allowed_cache: dict[int, tuple[Any, frozenset[str]]] = {}
_COUNTED = "content_hub.rate_counted"
"""Scope key: ``(key id, refusal)`` of a request the edge counted."""
_names_cache: dict[bytes, frozenset[str]] = {}


def allowed_query(handler: Any) -> frozenset[str]:
    """Query parameter names a route handler declares (computed once).

    The cache keeps the handler itself next to its names: an ``id`` alone can
    be reused by another handler once the first is freed (another app).
    """
    cached = _allowed_cache.get(id(handler))
    if cached is not None and cached[0] is handler:
        return cached[1]
    names: set[str] = set()
    for name, param in handler.parsed_fn_signature.parameters.items():
        kwarg = param.kwarg_definition
        if isinstance(kwarg, QueryParameter):
            names.add(kwarg.name or name)
    allowed = frozenset(names)
    _allowed_cache[id(handler)] = (handler, allowed)
    return allowed


def _query_names(raw: bytes) -> frozenset[str]:
    """The parameter names of a query string (memoised: clients repeat them)."""
    names = _names_cache.get(raw)
    if names is None:
        names = frozenset(
            k for k, _ in parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
        )
        if len(raw) <= 256:  # bounded: 4096 short strings
            if len(_names_cache) >= 4096:
                _names_cache.clear()
            _names_cache[raw] = names
    return names


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            text = value.decode("latin-1")
            kind, _, token = text.partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class Authenticate:
    """Bearer-key authentication, scope enforcement and rate limits for every
    API route.

    Raises the domain error (401, 403, 400, 429) that the app's problem
    handlers answer; on success the principal is in ``scope["user"]``.
    """

    def __init__(
        self, authenticator: Authenticator, limits: RateLimits | None = None
    ) -> None:
        self.authenticator = authenticator
        self.limits = limits or RateLimits(None, None)

    async def __call__(self, scope: Scope) -> None:
        if scope.get("method") == "OPTIONS":
            return
        handler = scope["route_handler"]
        query = scope.get("query_string", b"")
        if query:
            unknown = _query_names(query) - allowed_query(handler)
            if unknown:
                names = ", ".join(sorted(unknown))
                allowed = ", ".join(sorted(allowed_query(handler))) or "none"
                raise UnknownQueryParameter(
                    f"Unknown query parameter(s): {names}. "
                    f"This endpoint accepts: {allowed}.",
                    extra={"unknown": sorted(unknown)},
                )
        required: tuple[KeyScope, ...] | None = handler.opt.get("scopes")
        if required:
            secret = _bearer(scope)
            session = _session_principal(scope) if secret is None else None
            if session is not None:
                principal: Principal | None = self._session(scope, session)
            else:
                principal = await self._principal(scope, secret)
            if principal is None:
                raise NotAuthenticated(
                    "Send a valid API key as 'Authorization: Bearer <key>'.",
                    headers={"WWW-Authenticate": 'Bearer realm="content-hub"'},
                )
            if not any(principal.has(s) for s in required):
                raise Forbidden(
                    f"This endpoint needs one of the scopes: {', '.join(required)}; "
                    f"{'the user' if principal.user_id else 'the key'} "
                    f"{principal.name!r} has: "
                    f"{', '.join(sorted(principal.scopes))}.",
                )
            scope["user"] = principal
            scope["auth"] = principal
        elif param := handler.opt.get("secret_path_param"):
            await self._principal(scope, scope["path_params"].get(param))

    def admit(self, scope: Scope) -> bool:
        """For the edge (:mod:`content_hub.api.edge`): whether the request
        passes with a key this process already knows, its scopes and its rate,
        deciding nothing else. When it does, the principal is in
        ``scope["user"]``. Its rate is counted here once: if the request then
        goes down the full stack, :meth:`__call__` does not count it again."""
        handler = scope["route_handler"]
        query = scope.get("query_string", b"")
        if query and not _query_names(query) <= allowed_query(handler):
            return False
        required: tuple[KeyScope, ...] | None = handler.opt.get("scopes")
        secret = _bearer(scope)
        if not required or not secret:
            return False
        principal = self.authenticator.cached(secret)
        if principal is None or not any(principal.has(s) for s in required):
            return False
        refused = self.limits.hit_key(principal.key_id)
        cast(dict[str, Any], scope)[_COUNTED] = (principal.key_id, refused)
        if refused is not None:
            return False
        scope["user"] = principal
        scope["auth"] = principal
        return True

    def _session(self, scope: Scope, principal: Principal) -> Principal:
        """A signed-in user's principal, counted toward its rate (its role is
        checked by the services)."""
        refused = self.limits.hit_key(principal.key_id)
        if refused is not None:
            raise _too_many(refused, f"Too many requests by {principal.name!r}")
        return principal

    async def _principal(self, scope: Scope, secret: str | None) -> Principal | None:
        """The key's principal (``None``: no valid key), counted toward its rate."""
        principal = self.authenticator.cached(secret) if secret else None
        if principal is None:
            principal = await self._look_up(scope, secret)
            if principal is None:
                return None
        counted = cast(dict[str, Any], scope).pop(_COUNTED, None)
        if counted is not None and counted[0] == principal.key_id:
            refused = counted[1]  # the edge counted this request already
        else:
            refused = self.limits.hit_key(principal.key_id)
        if refused is not None:
            raise _too_many(
                refused, f"Too many requests with the key {principal.name!r}"
            )
        return principal

    async def _look_up(self, scope: Scope, secret: str | None) -> Principal | None:
        """A key not known to be valid here: refused at once (no lookup) from
        an address past its failed authentications, else looked up; a miss
        counts as a failure of the address."""
        address = _address(scope)
        refused = self.limits.blocked(address)
        if refused is None:
            principal = await self.authenticator.principal(secret) if secret else None
            if principal is not None:
                return principal
            refused = await self.limits.fail(address)
            if refused is None:
                return None
        raise _too_many(refused, f"Too many failed authentications from {address}")


def _session_principal(scope: Scope) -> Principal | None:
    """The signed-in Studio user the session layer found, if any."""
    user = scope.get("user")
    return user if isinstance(user, Principal) and user.user_id else None


def _too_many(refused: tuple[float, Rate], what: str) -> TooManyRequests:
    retry_after, rate = refused
    return TooManyRequests(what, retry_after=retry_after, limit=rate)
