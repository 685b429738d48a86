"""The batch over real sockets (uvicorn): the request is read while the answer
is written, so a client that reads while it sends gets lines back before it
has finished sending, a client that sends everything first does not deadlock
however large both sides are, a body over the limit ends the stream with a
413 line once lines have gone out, and a client that hangs up costs nothing."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import BatchSettings, Settings
from tests.app_cache import app_for
from tests.content_hub.render_fixtures import build_offer
from tests.threaded_server import served

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 60.0  # a deadlock fails the test instead of hanging it


class Live:
    def __init__(self, port: int, secret: str, offer: dict[str, Any]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.auth = {"Authorization": f"Bearer {secret}"}
        self.batch = f"/render/v1/render/batch?entry_id={offer['id']}&channel=email"


@contextmanager
def serve(settings: Settings, limits: BatchSettings) -> Iterator[Live]:
    app = app_for(msgspec.structs.replace(settings, batch=limits))
    with served(app) as port:
        secret = asyncio.run(_create_key(settings, f"live-{port}", [Scope.ADMIN]))
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT) as c:
            offer = build_offer(c, {"Authorization": f"Bearer {secret}"})  # type: ignore[arg-type]
        yield Live(port, secret, offer)


def _line(i: int, name: str = "Kim") -> bytes:
    return json.dumps(
        {"customer": {"id": f"c-{i}", "attributes": {"first_name": name}}}
    ).encode()


class Raw:
    """A full-duplex HTTP/1.1 client on a plain socket: it sends a chunked
    body piece by piece and reads the answer in between."""

    def __init__(self, live: Live) -> None:
        self.sock = socket.create_connection(("127.0.0.1", live.port), timeout=TIMEOUT)
        head = (
            f"POST {live.batch} HTTP/1.1\r\nHost: hub\r\n"
            f"Authorization: {live.auth['Authorization']}\r\n"
            "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        self.received = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def read_until(self, marker: bytes, count: int = 1) -> None:
        while self.received.count(marker) < count:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                break
            self.received += chunk

    def answer(self) -> tuple[int, list[dict[str, Any]]]:
        """Status and NDJSON lines of the whole (chunked) answer."""
        self.read_until(b"\r\n0\r\n\r\n")
        head, _, rest = self.received.partition(b"\r\n\r\n")
        body = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            body, rest = body + rest[:size], rest[size + 2 :]
        status = int(head.split(b" ")[1])
        return status, [json.loads(x) for x in body.splitlines()]

    def close(self) -> None:
        self.sock.close()


def test_lines_come_back_while_the_client_still_sends_and_a_late_413_ends_them(
    settings: Settings,
) -> None:
    limits = BatchSettings(max_line_bytes=4096, max_body_bytes=200_000)
    with serve(settings, limits) as live:
        raw = Raw(live)
        try:
            first = b"".join(_line(i) + b"\n" for i in range(250))
            raw.send(first)
            raw.read_until(b'"ok":true', 200)  # answered before the body is done
            assert raw.received.startswith(b"HTTP/1.1 200")
            sent = len(first)
            i = 250
            while sent <= limits.max_body_bytes:
                piece = b"".join(_line(i + k) + b"\n" for k in range(100))
                raw.send(piece)
                sent += len(piece)
                i += 100
            status, lines = raw.answer()
        finally:
            raw.close()
    assert status == 200
    *rendered, last = lines
    assert [line["index"] for line in lines] == list(range(len(lines)))
    assert all(line["ok"] for line in rendered) and len(rendered) >= 250
    assert last["ok"] is False
    assert last["error"]["status"] == 413
    assert last["error"]["type"].endswith("/body-too-large")
    assert f"from index {last['index']} on" in last["error"]["detail"]


def test_a_chunked_body_over_the_limit_before_any_line_is_a_413(
    settings: Settings,
) -> None:
    limits = BatchSettings(max_line_bytes=4096, max_body_bytes=10_000)
    with serve(settings, limits) as live:
        raw = Raw(live)
        try:
            raw.send(b"".join(_line(i) + b"\n" for i in range(400)))
            raw.read_until(b"}")
        finally:
            raw.close()
    head, _, _ = raw.received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"content-type: application/problem+json" in head.lower()
    assert b"body-too-large" in raw.received


def test_a_client_that_sends_everything_first_gets_everything(
    settings: Settings,
) -> None:
    """Several MB each way: reading only after the last write would fill
    both sides' socket buffers and hang if the hub stopped reading while it
    could not write."""
    limits = BatchSettings(max_line_bytes=8192, max_body_bytes=64 << 20)
    count = 7000
    name = "K" * 900  # in every subject (at most 998 characters)
    body = b"\n".join(_line(i, name) for i in range(count))
    with serve(settings, limits) as live, httpx.Client(timeout=TIMEOUT) as client:
        r = client.post(
            live.url + live.batch,
            content=body,
            headers={**live.auth, "Content-Type": "application/x-ndjson"},
        )
    assert r.status_code == 200
    assert len(body) > 6_000_000 and len(r.content) > len(body)
    lines = [json.loads(x) for x in r.content.splitlines()]
    assert [line["index"] for line in lines] == list(range(count))
    assert all(
        line["ok"] and name in line["render"]["output"]["subject"] for line in lines
    )


def test_a_client_that_hangs_up_mid_batch_leaves_the_worker_serving(
    settings: Settings,
) -> None:
    limits = BatchSettings(max_line_bytes=4096, max_body_bytes=10 << 20)
    with serve(settings, limits) as live:
        for _ in range(3):
            raw = Raw(live)
            raw.send(b"".join(_line(i) + b"\n" for i in range(300)))
            raw.read_until(b'"ok":true', 200)
            raw.close()  # mid-stream: the body never ends
        with httpx.Client(base_url=live.url, timeout=TIMEOUT) as client:
            assert client.get("/health").status_code == 200
            r = client.post(
                live.batch,
                content=b"\n".join(_line(i) for i in range(10)),
                headers={**live.auth, "Content-Type": "application/x-ndjson"},
            )
            assert r.status_code == 200 and len(r.text.splitlines()) == 10
