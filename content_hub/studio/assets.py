"""The Studio's static files, served by the hub under content-hashed URLs.

Every file under ``static/`` (the Studio's own CSS and JavaScript and the
vendored npm files, see ``static/vendor/README.md``) is read and hashed once
per process and served at ``/studio/static/<dir>/<stem>.<hash>.<ext>``: the
hash in the URL lets browsers cache it for a year (``immutable``), and a
changed file is a new URL. Nothing is loaded from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Response, get
from litestar.params import FromPath, HeaderParameter

from content_hub.static_files import Asset, AssetSet

STATIC = Path(__file__).with_name("static")
FILES = AssetSet(STATIC, "/studio/static")

AcceptEncoding = Annotated[
    str | None, HeaderParameter(name="Accept-Encoding", required=False)
]


def assets() -> dict[str, Asset]:
    """Served files by hashed path (read once per process)."""
    return FILES.by_hashed_name


def asset_url(path: str) -> str:
    """The content-hashed URL of a static file, e.g. ``vendor/htmx.min.js``."""
    return FILES.url(path)


@get("/static/{path:path}", include_in_schema=False, sync_to_thread=False)
def studio_asset(
    path: FromPath[str], accept_encoding: AcceptEncoding = None
) -> Response[bytes]:
    """A static file by its hashed path (404 for any other path)."""
    return FILES.response(path.lstrip("/"), accept_encoding, "Studio asset")
