"""What the dispatcher does with receivers that misbehave: a redirect is
not followed (its target is never asked), a huge answer is read up to the
4 KB excerpt only, and a receiver slower than ``CONTENT_HUB_WEBHOOKS_TIMEOUT``
is an attempt that failed with a timeout, within about that time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.workers.webhooks.dispatcher import EXCERPT_BYTES
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.test_webhooks_delivery import ALL, W, _wait, local

SLOW = 6.0
TIMEOUT = 0.5


class Misbehaving:
    """``/redirect`` answers 302 to ``/landed``; ``/big`` answers 200 with
    a body of 1 MB; ``/slow`` answers after ``SLOW`` seconds."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                if self.path == "/redirect":
                    self._answer(302, b"", location="/landed")
                elif self.path == "/big":
                    self._answer(200, b"x" * (1 << 20))
                elif self.path == "/slow":
                    time.sleep(SLOW)
                    self._answer(204, b"")
                else:
                    self._answer(204, b"")

            def _answer(self, status: int, body: bytes, **headers: str) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the sender hung up (timeout, excerpt read)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def misbehaving() -> Iterator[Misbehaving]:
    server = Misbehaving()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


def _first_attempt(
    client: TestClient[Any], admin: dict[str, str], url: str
) -> dict[str, Any]:
    made = client.post(W, json={"url": url, "events": ALL}, headers=admin)
    assert made.status_code == 201, made.text
    hook = made.json()["webhook"]["id"]
    assert client.post(f"{W}/{hook}/test", headers=admin).status_code in (200, 202)
    attempts: list[dict[str, Any]] = []

    def attempted() -> bool:
        items = client.get(f"{W}/{hook}/deliveries", headers=admin).json()["items"]
        attempts[:] = items[0]["log"] if items else []
        return bool(attempts)

    _wait(attempted)
    return attempts[0]


def test_misbehaving_receivers(
    settings: Settings, keys: Keys, misbehaving: Misbehaving
) -> None:
    admin = keys.headers("admin")
    hub = local(settings, timeout=TIMEOUT, retry_schedule=(600.0,))
    with TestClient(app_for(hub)) as client:
        redirected = _first_attempt(client, admin, misbehaving.url("/redirect"))
        assert redirected["status_code"] == 302
        assert redirected["error"] == "HTTP 302: redirects are not followed"
        assert "/landed" not in misbehaving.hits

        big = _first_attempt(client, admin, misbehaving.url("/big"))
        assert big["status_code"] == 200 and big["error"] is None
        assert big["response_excerpt"] == "x" * EXCERPT_BYTES

        slow = _first_attempt(client, admin, misbehaving.url("/slow"))
        assert slow["status_code"] is None
        assert "Timeout" in slow["error"], slow
        assert slow["latency_ms"] < (TIMEOUT + 3) * 1000, slow  # far from SLOW
    assert misbehaving.hits == {"/redirect": 1, "/big": 1, "/slow": 1}
