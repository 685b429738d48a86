"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from content_hub.api.auth import Authenticate
from content_hub.api.bodies import JsonRequest
from content_hub.api.browser import BrowserSupport
from content_hub.api.docs import VendoredSwagger
from content_hub.api.edge import Edge
from content_hub.api.observability import ObservabilityPlugin
from content_hub.api.params import ANONYMOUS, FastPathDeps
from content_hub.api.problems import EXCEPTION_HANDLERS
from content_hub.api.routes import ROUTE_HANDLERS
from content_hub.domain.keys import Principal
from content_hub.hub import Hub
from content_hub.services.base import Deps
from content_hub.services.delivery_preview import Previews
from content_hub.services.rate_limits import RateLimits
from content_hub.services.search import SearchService
from content_hub.services.sign_in import SignInThrottle, user_lookup
from content_hub.settings import Settings
from content_hub.store.db import commit
from content_hub.studio.auth import (
    STUDIO_AUTH_DEPENDENCIES,
    STUDIO_AUTH_EXCEPTION_HANDLERS,
    STUDIO_AUTH_ROUTES,
)
from content_hub.studio.routes import studio_routes
from content_hub.studio.sessions import (
    StudioSessionBackend,
    StudioSessionConfig,
    StudioSessionPlugin,
)

__version__ = "0.1.0"


def _constant(value: object) -> Provide:
    def provide() -> object:
        return value

    return Provide(provide, use_cache=True, sync_to_thread=False)


def dependencies(hub: Hub) -> dict[str, Provide]:
    """What handlers get injected, by parameter name: the request's unit of
    work (``deps``) and the hub's long-lived collaborators."""

    async def deps(request: Request[Any, Any, Any]) -> AsyncGenerator[Deps, None]:
        """A session per request, committed after the handler returns (before
        the response is sent), rolled back on any error. After the commit this
        worker's generation catches up (never failing the request) and the
        search indexer is woken."""
        principal = request.scope.get("user")
        actor = principal if isinstance(principal, Principal) else ANONYMOUS
        async with hub.sessions() as session:
            unit = Deps(session, actor, hub.settings, hub.follower.catch_up)
            try:
                yield unit
            except Exception:
                await session.rollback()
                raise
            else:
                await commit(session)
                if request.method != "GET":
                    hub.indexer.wake()  # index the change now, not at the next poll
                    hub.webhooks.wake()  # and send its webhooks

    return {
        "deps": Provide(deps),
        "hub_settings": _constant(hub.settings),
        "render_use_case": _constant(hub.renders),
        "exposure_recorder": _constant(hub.events),
        "published_generation": _constant(hub.published),
        "delivery_snapshot": _constant(hub.snapshot),
        "published_delivery": _constant(hub.delivery),
        "feature_payloads": _constant(hub.features),
        "feature_streams": _constant(hub.streams),
        "key_authenticator": _constant(hub.authenticator),
        "search_service": _constant(SearchService(hub.search, hub.snapshot)),
        "read_session_factory": _constant(hub.read_sessions),
        "draft_previews": _constant(Previews(hub.sessions, hub.settings, hub.snapshot)),
    }


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the hub's Litestar app; migrations must already be applied."""
    settings = settings or Settings.from_env()
    hub = Hub.build(settings)
    limits = RateLimits.from_settings(settings.rate_limit)
    throttle = SignInThrottle.from_settings(settings)
    sessions = StudioSessionBackend(
        StudioSessionConfig.from_settings(settings.studio),
        hub.web_sessions,
        user_lookup(hub.read_sessions),
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        await hub.start()
        await limits.start()
        await throttle.start()
        try:
            yield
        finally:
            await throttle.stop()
            await limits.stop()
            await hub.stop()

    openapi = OpenAPIConfig(
        title="Content hub",
        version=__version__,
        description=(
            "Headless content hub for omnichannel personalisation. Authenticate with "
            "'Authorization: Bearer <key>'. Errors are RFC 9457 problem documents."
        ),
        path="/schema",
        render_plugins=[VendoredSwagger()],  # assets served by the hub, no CDN
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http", scheme="bearer", description="API key"
                )
            }
        ),
        security=[{"bearer": []}],
    )
    guard = Authenticate(hub.authenticator, limits)
    observability = ObservabilityPlugin(access_log=settings.access_log, guard=guard)
    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, *STUDIO_AUTH_ROUTES, *studio_routes()],
        dependencies={
            **dependencies(hub),
            **STUDIO_AUTH_DEPENDENCIES,
            "studio_throttle": _constant(throttle),
        },
        exception_handlers={**EXCEPTION_HANDLERS, **STUDIO_AUTH_EXCEPTION_HANDLERS},
        lifespan=[lifespan],
        openapi_config=openapi,
        before_send=[BrowserSupport(settings.cors)],
        # the session layer goes outside the observability middleware, whose
        # guard reads the session's principal
        plugins=[observability, StudioSessionPlugin(sessions)],
        debug=settings.debug,
        request_class=JsonRequest,  # JSON media types and depth: api/bodies.py
    )
    assert observability.middleware is not None  # set by on_app_init
    Edge.install(app, guard, observability.middleware)
    app.state.hub = hub
    app.state.fast = FastPathDeps(
        settings=hub.settings, renders=hub.renders, delivery=hub.delivery
    )
    app.state.rate_limits = limits
    app.state.studio_sessions = sessions
    app.state.sign_in_throttle = throttle
    return app


def app_factory() -> Litestar:
    """Entry point for ``uvicorn --factory`` (settings from the environment)."""
    return create_app(Settings.from_env())
