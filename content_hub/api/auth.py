"""Authentication, scope checks and the unknown-query-parameter rule.

:class:`Authenticate` runs once per matched route, as the guard of the
observability middleware (one middleware layer for request ids, metrics and
authentication instead of three): it refuses query parameters the handler does
not declare, resolves the bearer key to a :class:`Principal` (cached by the
:class:`Authenticator`) and checks the scopes the route declares in
``opt["scopes"]`` (any one suffices).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar.params import QueryParameter
from litestar.types import Scope

from content_hub.domain.errors import Forbidden, NotAuthenticated, UnknownQueryParameter
from content_hub.domain.keys import Scope as KeyScope
from content_hub.services.keys import Authenticator

_allowed_cache: dict[int, tuple[Any, frozenset[str]]] = {}


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


def _query_names(raw: bytes) -> set[str]:
    return {k for k, _ in parse_qsl(raw.decode("latin-1"), keep_blank_values=True)}


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            text = value.decode("latin-1")
            kind, _, token = text.partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


class Authenticate:
    """Bearer-key authentication and scope enforcement for every API route.

    Raises the domain error (401, 403, 400) that the app's problem handlers
    answer; on success the principal is in ``scope["user"]``.
    """

    def __init__(self, authenticator: Authenticator) -> None:
        self.authenticator = authenticator

    async def __call__(self, scope: Scope) -> None:
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
            principal = await self.authenticator.principal(secret) if secret else None
            if principal is None:
                raise NotAuthenticated(
                    "Send a valid API key as 'Authorization: Bearer <key>'.",
                    headers={"WWW-Authenticate": 'Bearer realm="content-hub"'},
                )
            if not any(principal.has(s) for s in required):
                raise Forbidden(
                    f"This endpoint needs one of the scopes: {', '.join(required)}; "
                    f"the key {principal.name!r} has: "
                    f"{', '.join(sorted(principal.scopes))}.",
                )
            scope["user"] = principal
            scope["auth"] = principal
