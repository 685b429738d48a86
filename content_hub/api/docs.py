"""The interactive API docs at ``/schema``, with their assets served by the hub.

Litestar's render plugins load their JavaScript and CSS from a CDN, so the docs
were blank offline. Swagger UI's files are vendored from npm at a pinned
version (``scripts/vendor-assets.sh`` re-fetches them and checks each sha256
against ``static/swagger-ui/SHA256SUMS``) and served from
``/schema/assets/<name>.<hash>.<ext>``: the content hash in the URL lets them
be cached for a year (``immutable``), and a new version is a new URL.

Swagger UI rather than Scalar: it calls no third-party service (Scalar's
bundle defaults to a request proxy, an AI agent that uploads the document,
telemetry and web fonts, each to be switched off) and it is a third the size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Response, Router, get
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath, HeaderParameter

from content_hub.static_files import AssetSet

STATIC = Path(__file__).with_name("static") / "swagger-ui"
FILES = AssetSet(
    STATIC,
    "/schema/assets",
    (
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "favicon-32x32.png",
    ),
)

AcceptEncoding = Annotated[
    str | None, HeaderParameter(name="Accept-Encoding", required=False)
]


def asset_url(name: str) -> str:
    """The content-hashed URL of a vendored file, e.g. ``swagger-ui.css``."""
    return FILES.url(name)


@get("/assets/{name:str}", include_in_schema=False, sync_to_thread=False)
def docs_asset(
    name: FromPath[str], accept_encoding: AcceptEncoding = None
) -> Response[bytes]:
    """A vendored file by its hashed name (1.7 MB of JavaScript is about
    0.5 MB gzipped, compressed once)."""
    return FILES.response(name, accept_encoding, "docs asset")


class VendoredSwagger(SwaggerRenderPlugin):
    """Swagger UI at ``/schema`` (and ``/schema/swagger``) from the hub's own
    asset route, with a same-origin favicon."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            js_url=asset_url("swagger-ui-bundle.js"),
            css_url=asset_url("swagger-ui.css"),
            standalone_preset_js_url=asset_url("swagger-ui-standalone-preset.js"),
            favicon=(
                f'<link rel="icon" type="image/png" '
                f'href="{asset_url("favicon-32x32.png")}">'
            ),
            path="/swagger",
            **kwargs,
        )

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        router.register(docs_asset)
