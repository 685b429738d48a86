"""The API docs load nothing from a CDN: every asset of ``/schema`` is a
same-origin URL that the hub serves, content-hashed and cached for a year, byte
for byte the vendored (sha256-pinned) file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.api.docs import STATIC

TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _pinned() -> dict[str, str]:
    """name -> sha256 from SHA256SUMS (written by scripts/vendor-assets.sh)."""
    lines = (STATIC / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def _asset_urls(client: TestClient[Any], page: str) -> list[str]:
    r = client.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    urls = ATTRIBUTE.findall(r.text)
    assert urls, "the page names its assets"
    assert "//" not in r.text.replace("://", "")  # no protocol-relative URL
    assert not re.search(r"https?://", r.text.split("spec:", 1)[0])  # head: no CDN
    return urls


def test_the_vendored_files_are_the_pinned_ones() -> None:
    pinned = _pinned()
    assert {"LICENSE", "NOTICE", "swagger-ui-bundle.js", "swagger-ui.css"} <= set(
        pinned
    )
    for name, digest in pinned.items():
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
def test_docs_reference_only_same_origin_assets(
    client: TestClient[Any], page: str
) -> None:
    pinned = _pinned()
    urls = _asset_urls(client, page)
    assert len(urls) == 4  # bundle, standalone preset, css, favicon
    for url in urls:
        assert url.startswith("/schema/assets/"), url
        name = url.rsplit("/", 1)[1]
        stem, content_hash, ext = name.rsplit(".", 2)
        original = f"{stem}.{ext}"
        assert content_hash == pinned[original][:16]  # a new file is a new URL
        for encoding in ("identity", "gzip, deflate"):
            r = client.get(url, headers={"Accept-Encoding": encoding})
            assert r.status_code == 200, url
            assert r.headers["content-type"].split(";")[0] == TYPES[f".{ext}"]
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert r.headers["x-content-type-options"] == "nosniff"
            # httpx undoes a Content-Encoding: the bytes are the vendored file's
            assert hashlib.sha256(r.content).hexdigest() == pinned[original]
            compressed = r.headers.get("content-encoding") == "gzip"
            assert compressed == (encoding != "identity" and ext != "png")


@pytest.mark.parametrize(
    "name",
    [
        "swagger-ui-bundle.js",  # unhashed
        "swagger-ui-bundle.0000000000000000.js",  # stale hash
        "LICENSE",
        "SHA256SUMS",
        "..%2F..%2Fdocs.py",
        "nope",
    ],
)
def test_anything_else_under_assets_is_a_404_problem(
    client: TestClient[Any], name: str
) -> None:
    r = client.get(f"/schema/assets/{name}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/not-found")


def test_the_assets_ship_with_the_package() -> None:
    """The files live inside the package (hatch puts them in the wheel), not
    in a directory beside it that `pip install` would leave behind."""
    package = Path(__import__("content_hub").__file__).parent
    assert STATIC.is_relative_to(package)
