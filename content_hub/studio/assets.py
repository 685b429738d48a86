"""The Studio's static files, served by the hub under content-hashed URLs.

Every file under ``static/`` (the Studio's own CSS and JavaScript and the
vendored npm files, see ``static/vendor/README.md``) is read and hashed once
per process and served at ``/studio/static/<dir>/<stem>.<hash>.<ext>``: the
hash in the URL lets browsers cache it for a year (``immutable``), and a
changed file is a new URL. Nothing is loaded from a CDN.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Response, get
from litestar.params import FromPath, HeaderParameter

from content_hub.domain.errors import NotFound

STATIC = Path(__file__).with_name("static")
PREFIX = "/studio/static"
CACHE_FOREVER = "public, max-age=31536000, immutable"
_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
}
_COMPRESSIBLE = {".js", ".css", ".svg", ".txt"}

AcceptEncoding = Annotated[
    str | None, HeaderParameter(name="Accept-Encoding", required=False)
]


class Asset(msgspec.Struct, frozen=True):
    """One static file: its path under ``static/``, bytes, type and hash."""

    path: str
    body: bytes
    media_type: str
    sha256: str

    @property
    def hashed_path(self) -> str:
        stem, dot, ext = self.path.rpartition(".")
        return f"{stem}.{self.sha256[:16]}{dot}{ext}"


@cache
def assets() -> dict[str, Asset]:
    """Served files by hashed path (read once per process)."""
    found: dict[str, Asset] = {}
    for file in sorted(STATIC.rglob("*")):
        media_type = _TYPES.get(file.suffix)
        if not file.is_file() or media_type is None:
            continue
        body = file.read_bytes()
        asset = Asset(
            path=file.relative_to(STATIC).as_posix(),
            body=body,
            media_type=media_type,
            sha256=hashlib.sha256(body).hexdigest(),
        )
        found[asset.hashed_path] = asset
    return found


@cache
def _by_path() -> dict[str, str]:
    return {a.path: hashed for hashed, a in assets().items()}


def asset_url(path: str) -> str:
    """The content-hashed URL of a static file, e.g. ``vendor/htmx.min.js``."""
    return f"{PREFIX}/{_by_path()[path]}"


@cache
def _gzipped(hashed: str) -> bytes:
    return gzip.compress(assets()[hashed].body, compresslevel=9, mtime=0)


def _accepts_gzip(header: str | None) -> bool:
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower().removeprefix("q=")
            return not q or q.strip("0.") != ""
    return False


@get("/static/{path:path}", include_in_schema=False, sync_to_thread=False)
def studio_asset(
    path: FromPath[str], accept_encoding: AcceptEncoding = None
) -> Response[bytes]:
    """A static file by its hashed path (404 for any other path)."""
    hashed = path.lstrip("/")
    asset = assets().get(hashed)
    if asset is None:
        raise NotFound(f"No Studio asset {hashed!r}: pages name the current ones.")
    headers = {
        "Cache-Control": CACHE_FOREVER,
        "ETag": f'"{asset.sha256}"',
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    body = asset.body
    if Path(asset.path).suffix in _COMPRESSIBLE and _accepts_gzip(accept_encoding):
        body = _gzipped(hashed)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)
