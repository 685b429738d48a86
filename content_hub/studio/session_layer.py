"""The Studio's session layer (ASGI): on ``/studio`` and ``/manage``
without an ``Authorization`` header, open the request's session
(:class:`~content_hub.studio.sessions.StudioSessionBackend`), check the CSRF
token of a state-changing request on a signed-in session, and write the
session as the response starts. A store that fails at that moment has its
problem document sent instead of the response (it has not gone out yet)."""

from __future__ import annotations

import hmac
from typing import Any, cast

from litestar import Request
from litestar.config.app import AppConfig
from litestar.enums import ScopeType
from litestar.plugins import InitPluginProtocol
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from content_hub.api.problems import EXCEPTION_HANDLERS
from content_hub.domain.errors import CsrfFailed
from content_hub.domain.keys import Principal
from content_hub.studio.sessions import (
    CSRF_EXEMPT,
    CSRF_FIELD,
    CSRF_HEADER,
    FORMS,
    SESSION_PATHS,
    UNSAFE,
    StudioSessionBackend,
)

__all__ = ["StudioSessionMiddleware", "StudioSessionPlugin"]


async def _answer_failure(
    scope: Scope, receive: Receive, send: Send, exc: Exception
) -> None:
    """Send the problem document the app's exception handlers give ``exc``."""
    handler = next(
        (
            EXCEPTION_HANDLERS[kind]
            for kind in type(exc).__mro__
            if kind in EXCEPTION_HANDLERS
        ),
        EXCEPTION_HANDLERS[Exception],
    )
    request: Request[Any, Any, Any] = Request(scope, receive)
    response = handler(request, exc)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)


def _has_authorization(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope["headers"])


class StudioSessionMiddleware:
    """The session layer of ``/studio`` and ``/manage`` (ASGI)."""

    def __init__(self, app: ASGIApp, layer: StudioSessionPlugin) -> None:
        self.app = app
        self.layer = layer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != ScopeType.HTTP
            or not scope["path"].startswith(SESSION_PATHS)
            or _has_authorization(scope)
        ):
            await self.app(scope, receive, send)
            return
        backend = self.layer.backend  # the app's current one (app.rebind)
        await backend.open(scope)
        if (
            scope.get("method") in UNSAFE
            and _session_principal(scope) is not None
            and scope["path"] not in CSRF_EXEMPT
        ):
            await _check_csrf(scope, receive)

        replaced = False

        async def send_with_cookie(message: Message) -> None:
            # The session is written as the response starts; if that fails,
            # the response has not gone out yet and the failure's problem
            # document goes instead (the handler's messages are dropped).
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                try:
                    await backend.close(scope, message)
                except Exception as exc:
                    replaced = True
                    await _answer_failure(scope, receive, send, exc)
                    return
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class StudioSessionPlugin(InitPluginProtocol):
    """Puts :class:`StudioSessionMiddleware` outermost in the app's
    middleware (before the API guard, which reads its principal)."""

    def __init__(self, backend: StudioSessionBackend) -> None:
        self.backend = backend
        """The sessions' store, read by the layer at each request."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        def middleware(app: ASGIApp) -> ASGIApp:
            return StudioSessionMiddleware(app, self)

        app_config.middleware.insert(0, middleware)
        return app_config


def _session_principal(scope: Scope) -> Principal | None:
    user = scope.get("user")
    return user if isinstance(user, Principal) and user.user_id else None


async def _check_csrf(scope: Scope, receive: Receive) -> None:
    session = cast(dict[str, Any], scope.get("session") or {})
    expected = session.get("csrf")
    sent: str | None = None
    for name, value in scope["headers"]:
        if name == b"x-csrf-token":
            sent = value.decode("latin-1")
            break
    if sent is None:
        request: Request[Any, Any, Any] = Request(scope, receive)
        if request.content_type[0] in FORMS:
            form_value = (await request.form()).get(CSRF_FIELD)
            sent = form_value if isinstance(form_value, str) else None
    if not (
        isinstance(expected, str)
        and sent
        and hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
    ):
        raise CsrfFailed(
            "This request changes something on a signed-in session: send the "
            f"session's CSRF token in the {CSRF_HEADER} header or the "
            f"{CSRF_FIELD!r} form field (reload the page to get one)."
        )
