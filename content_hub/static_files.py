"""Static files served by the hub under content-hashed URLs (the Studio's
files and the API docs' Swagger UI): read and hashed once per process,
cached by browsers for a year (``immutable``: a changed file is a new URL),
gzipped once on the first request that accepts it. Nothing comes from a CDN.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import msgspec
from litestar import Response

from content_hub.domain.errors import NotFound

__all__ = ["CACHE_FOREVER", "Asset", "AssetSet"]

CACHE_FOREVER = "public, max-age=31536000, immutable"
TYPES = {
    ".js": "text/javascript",  # Litestar adds "; charset=utf-8" to text types
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
}
COMPRESSIBLE = {".js", ".css", ".svg", ".txt"}


class Asset(msgspec.Struct, frozen=True):
    """One file: its name (path under its folder), bytes, type and hash."""

    name: str
    body: bytes
    media_type: str
    sha256: str

    @property
    def hashed_name(self) -> str:
        """``dir/stem.<first 16 hex of the sha256>.ext``."""
        stem, dot, ext = self.name.rpartition(".")
        return f"{stem}.{self.sha256[:16]}{dot}{ext}"


class AssetSet:
    """Files of ``folder`` served under ``prefix``: ``names`` (paths below
    the folder) or, by default, every file of a type in :data:`TYPES`."""

    def __init__(
        self, folder: Path, prefix: str, names: Iterable[str] | None = None
    ) -> None:
        self.folder = folder
        self.prefix = prefix
        self._names = None if names is None else tuple(names)
        self._gzipped: dict[str, bytes] = {}

    @cached_property
    def by_hashed_name(self) -> dict[str, Asset]:
        """The served files by hashed name (read once)."""
        if self._names is None:
            files = [f for f in sorted(self.folder.rglob("*")) if f.suffix in TYPES]
        else:
            files = [self.folder / name for name in self._names]
        found: dict[str, Asset] = {}
        for file in files:
            if not file.is_file():
                continue
            body = file.read_bytes()
            asset = Asset(
                name=file.relative_to(self.folder).as_posix(),
                body=body,
                media_type=TYPES[file.suffix],
                sha256=hashlib.sha256(body).hexdigest(),
            )
            found[asset.hashed_name] = asset
        return found

    @cached_property
    def _hashed(self) -> dict[str, str]:
        return {a.name: hashed for hashed, a in self.by_hashed_name.items()}

    def url(self, name: str) -> str:
        """The content-hashed URL of a file, e.g. ``vendor/htmx.min.js``."""
        return f"{self.prefix}/{self._hashed[name]}"

    def response(
        self, hashed: str, accept_encoding: str | None, what: str
    ) -> Response[bytes]:
        """The answer for ``hashed`` (a 404 naming ``what`` for any other name)."""
        asset = self.by_hashed_name.get(hashed)
        if asset is None:
            raise NotFound(f"No {what} {hashed!r}: pages name the current ones.")
        headers = {
            "Cache-Control": CACHE_FOREVER,
            "ETag": f'"{asset.sha256}"',
            "Vary": "Accept-Encoding",
            "X-Content-Type-Options": "nosniff",
        }
        body = asset.body
        if Path(asset.name).suffix in COMPRESSIBLE and accepts_gzip(accept_encoding):
            body = self._gzipped.get(hashed) or self._gzipped.setdefault(
                hashed, gzip.compress(asset.body, compresslevel=9, mtime=0)
            )
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value takes gzip (``q=0`` refuses it)."""
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower().removeprefix("q=")
            return not q or q.strip("0.") != ""
    return False
