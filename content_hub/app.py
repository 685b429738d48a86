"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
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
from content_hub.shutdown import bounded
from content_hub.store.db import commit
from content_hub.studio.auth import (
    STUDIO_AUTH_DEPENDENCIES,
    STUDIO_AUTH_EXCEPTION_HANDLERS,
    STUDIO_AUTH_ROUTES,
)
from content_hub.studio.routes import studio_routes
from content_hub.studio.session_layer import StudioSessionPlugin
from content_hub.studio.sessions import StudioSessionBackend, StudioSessionConfig

__version__ = "0.1.0"


class Wiring:
    """What an app serves: one :class:`Settings`, the :class:`Hub` built from
    them and the per-process collaborators beside it. :func:`rebind` gives a
    built app another one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hub = hub = Hub.build(settings)
        self.limits = RateLimits.from_settings(settings.rate_limit)
        self.throttle = SignInThrottle.from_settings(settings)
        self.sessions = StudioSessionBackend(
            StudioSessionConfig.from_settings(settings.studio),
            hub.web_sessions,
            user_lookup(hub.read_sessions),
        )
        self.search = SearchService(hub.search, hub.snapshot)
        self.previews = Previews(hub.sessions, hub.settings, hub.snapshot)


def build_shape(settings: Settings) -> tuple[object, ...]:
    """What :func:`create_app` reads from ``settings`` when it builds the app
    (the rest is read when a :class:`Wiring` is made): apps of one shape can
    serve each other's settings."""
    return (settings.cors, settings.access_log, settings.debug)


class Bound:
    """The one mutable point of an app: the :class:`Wiring` it serves now,
    and the long-lived layers that hold parts of it (the API guard, the
    Studio's session layer), which :meth:`use` points at a new one."""

    def __init__(
        self,
        wiring: Wiring,
        guard: Authenticate,
        sessions: StudioSessionPlugin,
    ) -> None:
        self.shape = build_shape(wiring.settings)
        self.guard = guard
        self.sessions = sessions
        self.serving = False
        self.wiring = wiring

    def __call__(self) -> Wiring:
        return self.wiring

    def use(self, app: Litestar, wiring: Wiring) -> None:
        self.wiring = wiring
        self.guard.authenticator = wiring.hub.authenticator
        self.guard.limits = wiring.limits
        self.sessions.backend = wiring.sessions
        app.state.hub = wiring.hub
        app.state.fast = FastPathDeps(
            settings=wiring.hub.settings,
            renders=wiring.hub.renders,
            delivery=wiring.hub.delivery,
        )
        app.state.rate_limits = wiring.limits
        app.state.studio_sessions = wiring.sessions
        app.state.sign_in_throttle = wiring.throttle


def dependencies(current: Callable[[], Wiring]) -> dict[str, Provide]:
    """What handlers get injected, by parameter name: the request's unit of
    work (``deps``) and the long-lived collaborators of the app's current
    :class:`Wiring`."""

    async def deps(request: Request[Any, Any, Any]) -> AsyncGenerator[Deps, None]:
        """A session per request, committed after the handler returns (before
        the response is sent), rolled back on any error. After the commit this
        worker's generation catches up (never failing the request) and the
        search indexer is woken."""
        principal = request.scope.get("user")
        actor = principal if isinstance(principal, Principal) else ANONYMOUS
        hub = current().hub
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

    def of(pick: Callable[[Wiring], object]) -> Provide:
        def provide() -> object:
            return pick(current())

        return Provide(provide, sync_to_thread=False)

    return {
        "deps": Provide(deps),
        "hub_settings": of(lambda w: w.hub.settings),
        "render_use_case": of(lambda w: w.hub.renders),
        "exposure_recorder": of(lambda w: w.hub.events),
        "published_generation": of(lambda w: w.hub.published),
        "delivery_snapshot": of(lambda w: w.hub.snapshot),
        "published_delivery": of(lambda w: w.hub.delivery),
        "feature_payloads": of(lambda w: w.hub.features),
        "feature_streams": of(lambda w: w.hub.streams),
        "key_authenticator": of(lambda w: w.hub.authenticator),
        "search_service": of(lambda w: w.search),
        "read_session_factory": of(lambda w: w.hub.read_sessions),
        "draft_previews": of(lambda w: w.previews),
        "studio_throttle": of(lambda w: w.throttle),
    }


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI description's settings (one per app: Litestar keeps the
    built schema on them)."""
    return OpenAPIConfig(
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


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the hub's Litestar app; migrations must already be applied."""
    settings = settings or Settings.from_env()
    wiring = Wiring(settings)
    guard = Authenticate(wiring.hub.authenticator, wiring.limits)
    session_layer = StudioSessionPlugin(wiring.sessions)
    bound = Bound(wiring, guard, session_layer)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        current = bound.wiring
        bound.serving = True
        try:
            await current.hub.start()
            await current.limits.start()
            await current.throttle.start()
            try:
                yield
            finally:  # each step bounded: a stalled Redis cannot hold the exit
                await bounded("sign-in throttle", current.throttle.stop())
                await bounded("rate limits", current.limits.stop())
                await current.hub.stop()
        finally:
            bound.serving = False

    observability = ObservabilityPlugin(access_log=settings.access_log, guard=guard)
    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, *STUDIO_AUTH_ROUTES, *studio_routes()],
        dependencies={**dependencies(bound), **STUDIO_AUTH_DEPENDENCIES},
        exception_handlers={**EXCEPTION_HANDLERS, **STUDIO_AUTH_EXCEPTION_HANDLERS},
        lifespan=[lifespan],
        openapi_config=openapi_config(),
        before_send=[BrowserSupport(settings.cors)],
        # the session layer goes outside the observability middleware, whose
        # guard reads the session's principal
        plugins=[observability, session_layer],
        debug=settings.debug,
        request_class=JsonRequest,  # JSON media types and depth: api/bodies.py
    )
    assert observability.middleware is not None  # set by on_app_init
    Edge.install(app, guard, observability.middleware)
    app.state.bound = bound
    bound.use(app, wiring)
    return app


def rebind(app: Litestar, settings: Settings) -> None:
    """Have ``app`` (from :func:`create_app`, not serving now) serve
    ``settings`` with a new :class:`Wiring` — another database and data dir,
    say — instead of building another app.

    For the test suite, which starts thousands of apps: Litestar's
    registration of the hub's ~400 handlers takes 0.3 s, a new wiring a few
    milliseconds. What :func:`build_shape` names must be the same.
    """
    bound: Bound = app.state.bound
    if bound.serving:
        raise RuntimeError("the app is serving: rebind it after its shutdown")
    if build_shape(settings) != bound.shape:
        raise ValueError("these settings need another app: CORS, access log or debug")
    bound.use(app, Wiring(settings))


def app_factory() -> Litestar:
    """Entry point for ``uvicorn --factory`` (settings from the environment)."""
    return create_app(Settings.from_env())
