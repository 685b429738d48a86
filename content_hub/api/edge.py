"""The edge: the plainest delivery reads and renders answered before
Litestar's routing stack.

A delivery GET by id or by type and key, or a single render, with a key this
process already knows, no browser ``Origin`` and only plain parameters, is
the hub's most frequent request. :class:`RequestIdMiddleware` already
answers it from the route's fast path (:mod:`content_hub.api.fast_path`)
without the handler machinery; the edge goes one step further and skips the
layers around that middleware too (exception middleware, middleware stack,
route dispatch). It sits in the app's ``asgi_handler`` slot, so Litestar
still sets ``scope["app"]`` and runs the ``before_send`` hooks (CORS
``Vary``, the request id) on what it sends.

The edge only *admits* a request: anything it is not sure of — an unknown
key (which would count toward the address's failed authentications), a
refused rate, an unusual parameter, a preview key — goes down the full stack
unchanged, which answers it (a rate-limit hit the edge counted is not counted
twice). An error raised by the fast path goes down with it and is raised
there, where the app's exception handlers answer it (nothing runs twice). A
test compares both paths byte for byte.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Litestar
from litestar.types import ASGIApp, Receive, Scope, Send

from content_hub.api.auth import Authenticate
from content_hub.api.observability import RequestIdMiddleware

_ORIGIN = b"origin"
MAX_ROUTES = 10_000
"""Paths whose routing is kept (about 450 bytes each); all dropped when full."""
_Route = tuple[Any, dict[str, Any], str]
"""A route handler, its path parameters, the path template."""
_DELIVERY = "/delivery/v1/"
_RENDER = "/render/v1/render"


class Edge:
    """Answers admitted fast-path GETs, hands everything else to ``inner``."""

    def __init__(
        self,
        app: Litestar,
        inner: ASGIApp,
        guard: Authenticate,
        middleware: RequestIdMiddleware,
    ) -> None:
        self.app = app
        self.inner = inner
        self.guard = guard
        self.middleware = middleware
        self._routes: dict[tuple[str, str], _Route] = {}
        """Litestar's routing of the paths seen (``handle_routing`` parses the
        path through its trie: 2.7 µs, a tenth of an edge delivery)."""

    @classmethod
    def install(
        cls, app: Litestar, guard: Authenticate, middleware: RequestIdMiddleware
    ) -> None:
        """Put the edge in front of ``app``'s routing stack."""
        app.asgi_handler = cls(app, app.asgi_handler, guard, middleware)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")  # http only: websockets have none
        if (method == "GET" and scope["path"].startswith(_DELIVERY)) or (
            method == "POST" and scope["path"] == _RENDER
        ):
            answered, receive = await self._answered(scope, method, receive, send)
            if answered:
                return
        await self.inner(scope, receive, send)

    async def _answered(
        self, scope: Scope, method: str, receive: Receive, send: Send
    ) -> tuple[bool, Receive]:
        """Whether the edge answered; else the receive channel for the full
        stack (the fast path may have read the body: it replays it)."""
        path: str = scope["path"]
        if (
            "//" in path
            or path.endswith("/")
            or scope.get("root_path")
            or any(name == _ORIGIN for name, _ in scope["headers"])
        ):
            return False, receive
        route = self._routes.get((path, method))
        if route is None:
            try:
                _, handler, _, params, template = self.app.asgi_router.handle_routing(
                    path=path, method=method
                )
            except Exception:  # not a route: the full stack answers the 404
                return False, receive
            route = (handler, params, template)
            if len(self._routes) >= MAX_ROUTES:
                self._routes.clear()  # cheap and rare: the hot paths come back
            self._routes[(path, method)] = route
        handler, params, template = route
        fast = handler.opt.get("fast_path")  # read each time: it can be switched off
        if fast is None:
            return False, receive
        scope["route_handler"] = handler
        scope["path_params"] = dict(params)  # each request its own
        scope["path_template"] = template
        if not self.guard.admit(scope):
            return False, receive
        started = time.perf_counter()
        request_id, token = self.middleware.begin(scope)
        try:
            answer, receive = await fast(scope, receive)
        except Exception as exc:  # the full stack's exception handlers answer it
            self.middleware.defer(scope, exc)
            answer = None
        if answer is None:
            self.middleware.abandon(token)
            return False, receive
        code, headers, body = answer
        headers.append(self.middleware.header(request_id))
        await send({"type": "http.response.start", "status": code, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        self.middleware.finish(scope, request_id, code, started, token)
        return True, receive
