"""What browsers need from the HTTP layer: CORS headers and ``HEAD``.

Both are one ``before_send`` hook, so they reach every response alike: the
handlers', the fast paths' (:mod:`content_hub.api.fast_path`), the problem
documents the exception handlers write for a 401, 404 or 429, and the router's
own 404 and 405 — which Litestar's ``CORSConfig`` middleware would also cover,
but with one list of origins for the whole app, where the hub needs three.

Which origins may call which routes (settings ``CONTENT_HUB_CORS_*``):

* ``/delivery/``, ``/api/features/`` and ``/sub/`` (content, the GrowthBook
  payload and its event stream, read with a delivery key):
  ``CONTENT_HUB_CORS_ORIGINS``, where ``*`` allows any site;
* ``/render/`` (renders and events): the origins listed in
  ``CONTENT_HUB_CORS_ORIGINS`` — ``*`` does not count here;
* ``/manage/``: only ``CONTENT_HUB_CORS_MANAGE_ORIGINS``, which can never be
  ``*`` (a browser-based editor on a known origin);
* anything else (``/health``, ``/metrics``, ``/schema``): no CORS headers.

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) needs no key
(the guard lets ``OPTIONS`` through; Litestar's automatic ``OPTIONS`` handler
answers 204 with ``Allow``, which becomes ``Access-Control-Allow-Methods``).
Credentials (cookies) are never allowed: keys travel in ``Authorization``.
With listed origins the answer depends on ``Origin``, so delivery responses
carry ``Vary: Origin`` for CDNs; with ``*`` they do not need it.

``HEAD`` on a route that declares it (every delivery GET, see
:func:`content_hub.api.delivery.read`) runs the GET handler or fast path and
this hook drops the body: the headers, ``Content-Length`` and ``ETag``
included, are those of the GET, by construction.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler
from litestar.types import Message, Method, Scope
from litestar.types.internal_types import PathParameterDefinition

from content_hub.settings import CorsSettings

EXPOSED = (
    b"ETag, Content-Language, Surrogate-Key, Cache-Tag, X-Request-ID, Retry-After, "
    b"WWW-Authenticate, Location, x-sse-support"
)
"""Response headers a front-end's script may read (beyond the safelisted ones)."""
ALLOWED = (
    "Authorization, Content-Type, Accept-Language, If-None-Match, If-Match, "
    "X-Request-ID"
)
"""Request headers a front-end may send; any others it asks for are echoed."""
_TOKENS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$"
)
_SEPARATORS = re.compile(r"[!#$%&'*+\-.^_`|~:]+")  # as Litestar's own operation ids
_ORIGIN = b"origin"
_PREFLIGHT = b"access-control-request-method"
_REQUESTED = b"access-control-request-headers"


def get_and_head(path: str, **kwargs: Any) -> HTTPRouteHandler:
    """``@get`` that answers ``HEAD`` too: the same handler (and fast path)
    runs and :class:`BrowserSupport` drops the body, so the headers are the
    GET's. Litestar's ``@head`` would need a second handler per route."""
    return route(
        path,
        http_method=[HttpMethod.GET, HttpMethod.HEAD],
        operation_id=_operation_id,
        **kwargs,
    )


def _operation_id(
    handler: HTTPRouteHandler,
    method: Method | HttpMethod,
    path: list[str | PathParameterDefinition],
) -> str:
    """The GET keeps the operationId it had as a GET-only route (generated
    clients keep their method names); the HEAD gets ``Head`` before it."""
    prefix = ""
    for part in (p.name if isinstance(p, PathParameterDefinition) else p for p in path):
        if part.title() not in prefix:
            prefix += part.title()
    name = handler.handler_name.title()
    if method == HttpMethod.HEAD:
        name = "Head" + name
    return _SEPARATORS.sub("", prefix + name)


class _Area:
    """The origins one group of routes allows."""

    __slots__ = ("any", "origins")

    def __init__(self, origins: tuple[str, ...], *, wildcard: bool) -> None:
        self.any = wildcard and "*" in origins
        self.origins = frozenset(o.encode("latin-1") for o in origins if o != "*")

    @property
    def enabled(self) -> bool:
        return self.any or bool(self.origins)


class BrowserSupport:
    """The ``before_send`` hook: CORS headers on responses, no body on HEAD."""

    def __init__(self, settings: CorsSettings) -> None:
        public = _Area(settings.origins, wildcard=True)
        areas = {
            "/delivery/": public,
            "/api/features/": public,
            "/sub/": public,
            "/render/": _Area(settings.origins, wildcard=False),
            "/manage/": _Area(settings.manage_origins, wildcard=False),
        }
        self.areas = tuple((p, a) for p, a in areas.items() if a.enabled)
        self.max_age = str(settings.max_age).encode()
        self.allow: dict[int, bytes] = {}
        """``Allow`` per OPTIONS handler of this app (see :func:`_fix_allow`)."""

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            if scope.get("method") == "OPTIONS":
                _fix_allow(message, scope, self.allow)
            if self.areas:
                self._cors(message, scope)
        elif message["type"] == "http.response.body" and scope.get("method") == "HEAD":
            message["body"] = b""

    def _area(self, path: str) -> _Area | None:
        for prefix, area in self.areas:
            if path.startswith(prefix):
                return area
        return None

    def _cors(self, message: Any, scope: Scope) -> None:
        area = self._area(scope.get("path", ""))
        if area is None:
            return
        origin: bytes | None = None
        preflight = False
        requested: bytes | None = None
        for name, value in scope["headers"]:
            if name == _ORIGIN:
                origin = value
            elif name == _PREFLIGHT:
                preflight = True
            elif name == _REQUESTED:
                requested = value
        headers = list(message.get("headers") or ())
        if not area.any:
            _vary(headers)
        if origin is not None and (area.any or origin in area.origins):
            headers.append(
                (b"access-control-allow-origin", b"*" if area.any else origin)
            )
            if preflight and scope.get("method") == "OPTIONS":
                _preflight(headers, requested, self.max_age)
            else:
                headers.append((b"access-control-expose-headers", EXPOSED))
        message["headers"] = headers


def _fix_allow(message: Any, scope: Scope, known: dict[int, bytes]) -> None:
    """The ``Allow`` header of Litestar's automatic OPTIONS answer, corrected.

    Litestar builds a path's OPTIONS handler with the first route object it
    creates for the path and lists *that* object's methods; when a path's
    handlers are registered in more than one step, later methods are missing
    (``/manage/v1/entries`` answered ``Allow: OPTIONS, POST`` without GET). The
    methods of the route the handler finally belongs to are the truth.
    """
    handler = scope.get("route_handler")
    if handler is None:
        return
    if not known:
        for route in scope["app"].routes:
            methods = ", ".join(sorted(getattr(route, "methods", ()))).encode()
            for owned in getattr(route, "route_handlers", ()):
                if owned.handler_name == "options_handler":
                    known[id(owned)] = methods
    allow = known.get(id(handler))
    if allow is None:
        return
    message["headers"] = [
        (name, allow if name.lower() == b"allow" else value)
        for name, value in message.get("headers") or ()
    ]


def _vary(headers: list[tuple[bytes, bytes]]) -> None:
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            if b"origin" not in value.lower():
                headers[i] = (name, value + b", Origin")
            return
    headers.append((b"vary", b"Origin"))


def _preflight(
    headers: list[tuple[bytes, bytes]], requested: bytes | None, max_age: bytes
) -> None:
    methods = next((v for n, v in headers if n.lower() == b"allow"), None)
    if methods is not None:
        headers.append((b"access-control-allow-methods", methods))
    allow = ALLOWED
    if requested is not None and len(requested) <= 1000:
        text = requested.decode("latin-1").strip()
        if _TOKENS.match(text):
            known = {h.strip().lower() for h in ALLOWED.split(",")}
            extra = [
                h.strip() for h in text.split(",") if h.strip().lower() not in known
            ]
            allow = ", ".join([ALLOWED, *extra])
    headers.append((b"access-control-allow-headers", allow.encode("latin-1")))
    headers.append((b"access-control-max-age", max_age))
