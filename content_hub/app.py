"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from content_hub.api.auth import Authenticate
from content_hub.api.bodies import JsonRequest
from content_hub.api.browser import BrowserSupport
from content_hub.api.docs import VendoredSwagger
from content_hub.api.observability import ObservabilityPlugin
from content_hub.api.params import provide_deps
from content_hub.api.problems import EXCEPTION_HANDLERS
from content_hub.api.routes import ROUTE_HANDLERS
from content_hub.services.hub import Hub
from content_hub.services.rate_limits import RateLimits
from content_hub.settings import Settings

__version__ = "0.1.0"


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the hub's Litestar app; migrations must already be applied."""
    settings = settings or Settings.from_env()
    hub = Hub.build(settings)
    limits = RateLimits.from_settings(settings.rate_limit)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        await hub.start()
        await limits.start()
        try:
            yield
        finally:
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
    app = Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies={"deps": Provide(provide_deps)},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        openapi_config=openapi,
        before_send=[BrowserSupport(settings.cors)],
        plugins=[
            ObservabilityPlugin(
                access_log=settings.access_log,
                guard=Authenticate(hub.authenticator, limits),
            )
        ],
        debug=settings.debug,
        request_class=JsonRequest,  # JSON media types and depth: api/bodies.py
    )
    app.state.hub = hub
    app.state.rate_limits = limits
    return app


def app_factory() -> Litestar:
    """Entry point for ``uvicorn --factory`` (settings from the environment)."""
    return create_app(Settings.from_env())
