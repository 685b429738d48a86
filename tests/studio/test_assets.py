"""The Studio loads nothing from a CDN: every asset a page names is a
same-origin, content-hashed URL the hub serves with a year's cache, byte
for byte the vendored file, and the vendored files are the pinned ones."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from content_hub.studio.assets import STATIC, assets

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def test_vendored_files_match_the_pinned_sha256() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "setup-studio-assets.sh"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("htmx.min.js", "trix.umd.min.js", "axe.min.js"):
        assert (STATIC / "vendor" / name).exists()
        stem = name.split(".")[0]
        assert any(
            p.name.startswith(stem.split("-")[0]) and "LICENSE" in p.name
            for p in (STATIC / "vendor").iterdir()
        ), f"no licence for {name}"


def test_pages_name_only_hashed_same_origin_assets(studio: TestClient[Any]) -> None:
    entry = re.search(
        r'href="(/studio/entries/\w{20,})"', studio.get("/studio/entries").text
    )
    assert entry
    for path in ["/studio/sign-in", "/studio", "/studio/entries", entry.group(1)]:
        html = studio.get(path).text
        assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html), path
        for url in (u for u in URL.findall(html) if "/static/" in u):
            assert url.startswith("/studio/static/"), url
            r = studio.get(url, headers={"Accept-Encoding": "identity"})
            assert r.status_code == 200, url
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
            digest = hashlib.sha256(r.content).hexdigest()
            assert digest[:16] in url  # a new file is a new URL
            zipped = studio.get(url, headers={"Accept-Encoding": "gzip"})
            assert zipped.content == r.content  # httpx decodes gzip


def test_every_static_file_is_served_and_nothing_else(studio: TestClient[Any]) -> None:
    for hashed, asset in assets().items():
        r = studio.get(
            f"/studio/static/{hashed}", headers={"Accept-Encoding": "identity"}
        )
        assert r.status_code == 200 and r.content == asset.body
    for bad in [
        "vendor/htmx.min.js",
        "../../app.py",
        "vendor/htmx.min.0000000000000000.js",
    ]:
        assert studio.get(f"/studio/static/{bad}").status_code == 404
