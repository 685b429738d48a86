"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 (its
own thread) that verifies every request's signature with the
``standardwebhooks`` library, as a subscriber's code would, and records it.

``fail`` decides per request whether to answer 500 (a receiver that is down,
then recovers, or never does); every request is recorded either way, and
only verified ones count as received."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook as Verifier


@dataclass
class Received:
    id: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int


@dataclass
class Receiver:
    secret: str = ""
    fail: Callable[[int], bool] = lambda n: False
    """Given the request's number (from 0): answer 500?"""
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    bad_signatures: int = 0
    truncated: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered(self) -> list[Received]:
        """Verified requests answered 2xx, in arrival order."""
        with self.lock:
            return [r for r in self.requests if r.status == 204]

    def unique_ids(self) -> list[str]:
        return list(dict.fromkeys(r.id for r in self.delivered()))

    def wait_for(self, count: int, seconds: float = 30) -> list[Received]:
        deadline = time.monotonic() + seconds
        while len(self.unique_ids()) < count:
            assert time.monotonic() < deadline, (
                f"{len(self.unique_ids())} of {count} events within {seconds} s"
            )
            time.sleep(0.02)
        return self.delivered()

    def handle(self, raw: bytes, headers: dict[str, str]) -> int:
        try:
            body = Verifier(self.secret).verify(raw, headers)
        except Exception:
            with self.lock:
                self.bad_signatures += 1
            return 400
        with self.lock:
            status = 500 if self.fail(len(self.requests)) else 204
            self.requests.append(
                Received(headers["webhook-id"], body, headers, time.monotonic(), status)
            )
        if self.delay:  # received, but the sender learns it only later
            time.sleep(self.delay)
        return status


def serve(receiver: Receiver) -> Iterator[Receiver]:
    """Run ``receiver`` on a free port until the generator is closed."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if len(raw) < length:  # the sender died mid-request (kill -9)
                receiver.truncated += 1
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(raw, headers)
            reply = json.dumps({"ok": status == 204}).encode() if status != 204 else b""
            self.send_response(status)
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
