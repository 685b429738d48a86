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

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Response, Router, get
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath, HeaderParameter

from content_hub.domain.errors import NotFound

STATIC = Path(__file__).with_name("static") / "swagger-ui"
_TYPES = {
    ".js": "text/javascript",  # Litestar adds "; charset=utf-8" to text types
    ".css": "text/css",
    ".png": "image/png",
}
_SERVED: tuple[str, ...] = (
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "swagger-ui.css",
    "favicon-32x32.png",
)
CACHE_FOREVER = "public, max-age=31536000, immutable"
ASSETS = "/schema/assets"

AcceptEncoding = Annotated[
    str | None, HeaderParameter(name="Accept-Encoding", required=False)
]


class Asset(msgspec.Struct, frozen=True):
    """One vendored file: its bytes, type and content-hashed URL name."""

    name: str
    body: bytes
    media_type: str
    sha256: str

    @property
    def hashed_name(self) -> str:
        stem, dot, ext = self.name.rpartition(".")
        return f"{stem}.{self.sha256[:16]}{dot}{ext}"


@cache
def assets() -> dict[str, Asset]:
    """The served files by hashed name, read and hashed once per process."""
    found: dict[str, Asset] = {}
    for name in _SERVED:
        body = (STATIC / name).read_bytes()
        asset = Asset(
            name=name,
            body=body,
            media_type=_TYPES[Path(name).suffix],
            sha256=hashlib.sha256(body).hexdigest(),
        )
        found[asset.hashed_name] = asset
    return found


@cache
def _gzipped(hashed_name: str) -> bytes:
    """Compressed once, on the first request that accepts gzip (1.7 MB of
    JavaScript becomes about 0.5 MB)."""
    return gzip.compress(assets()[hashed_name].body, compresslevel=9, mtime=0)


def asset_url(name: str) -> str:
    """The content-hashed URL of a vendored file, e.g. ``swagger-ui.css``."""
    hashed = next(h for h, a in assets().items() if a.name == name)
    return f"{ASSETS}/{hashed}"


def _accepts_gzip(header: str | None) -> bool:
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower().removeprefix("q=")
            return not q or q.strip("0.") != ""
    return False


@get("/assets/{name:str}", include_in_schema=False, sync_to_thread=False)
def docs_asset(
    name: FromPath[str], accept_encoding: AcceptEncoding = None
) -> Response[bytes]:
    asset = assets().get(name)
    if asset is None:
        raise NotFound(f"No docs asset {name!r}: the page names its current assets.")
    headers = {
        "Cache-Control": CACHE_FOREVER,
        "ETag": f'"{asset.sha256}"',
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    body = asset.body
    if asset.media_type != "image/png" and _accepts_gzip(accept_encoding):
        body = _gzipped(name)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)


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
