"""Support for the SDK event-stream tests: a hub served in this process, an
EventSource-like reader that timestamps every event, and which worker
process holds a TCP connection (``/proc``)."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar

from content_hub.hub import Hub
from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.studio.browser import LiveServer

FEATURE = "offer.spring"
"""The feature of the offer that ``render_fixtures.build_offer`` publishes."""


@dataclass(frozen=True)
class Event:
    name: str
    data: Any
    at: float
    """``time.monotonic()`` when it arrived."""


class SseClient:
    """``GET path`` as an EventSource would, read on a thread of its own."""

    def __init__(
        self, base_url: str, path: str, headers: dict[str, str] | None = None
    ) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname is not None and parts.port is not None
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.conn.request(
            "GET", path, headers={"Accept": "text/event-stream", **(headers or {})}
        )
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.headers = {k.lower(): v for k, v in self.response.getheaders()}
        self.events: queue.Queue[Event] = queue.Queue()
        self.pings: list[float] = []
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        if self.status == 200:
            self._thread.start()
        else:
            self.body = self.response.read()
            self.conn.close()
            self.ended.set()

    @property
    def local_port(self) -> int:
        assert self.conn.sock is not None
        port: int = self.conn.sock.getsockname()[1]
        return port

    def _read(self) -> None:
        name, data = "message", []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                line = line.rstrip(b"\r\n")
                if not line:
                    if data:
                        text = b"\n".join(data).decode()
                        self.events.put(Event(name, json.loads(text), time.monotonic()))
                    name, data = "message", []
                elif line.startswith(b":"):
                    self.pings.append(time.monotonic())
                else:
                    field, _, value = line.partition(b":")
                    value = value.removeprefix(b" ")
                    if field == b"event":
                        name = value.decode()
                    elif field == b"data":
                        data.append(value)
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            # AttributeError: close() dropped the response under the read
            return
        finally:
            self.ended.set()

    def next(self, timeout: float = 5.0) -> Event:
        return self.events.get(timeout=timeout)

    def until(self, check: Callable[[Any], bool], timeout: float) -> Event:
        """The first ``features`` event whose payload passes ``check``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no matching event within {timeout} s"
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                raise AssertionError(f"no matching event within {timeout} s") from None
            if event.name == "features" and check(event.data):
                return event

    def close(self) -> None:
        sock = self.conn.sock
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.conn.close()


class Recorder:
    """The app, noting the path of every HTTP request it is given."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)

    def count(self, prefix: str) -> int:
        return sum(path.startswith(prefix) for path in self.paths)


@dataclass
class LiveHub:
    url: str
    app: Litestar
    requests: Recorder

    @property
    def hub(self) -> Hub:
        hub: Hub = self.app.state.hub
        return hub

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self.hub._tasks[0].get_loop()

    def call(self, function: Callable[[], Any]) -> Any:
        """``function()`` run on the server's event loop, its result here."""

        async def run() -> Any:
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)


@contextmanager
def live_hub(settings: Settings) -> Iterator[LiveHub]:
    """The hub served by uvicorn on a thread (one worker); open streams are
    ended before the server stops (no signal reaches a thread)."""
    app = app_for(settings)
    recorder = Recorder(app)
    with LiveServer(recorder) as server:
        live = LiveHub(server.url, app, recorder)
        try:
            yield live
        finally:
            live.loop.call_soon_threadsafe(live.hub.streams.close)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def server_worker(supervisor: int, server_port: int, client_port: int) -> int:
    """The pid of the worker (a child of ``supervisor``) holding the server
    side of the TCP connection from ``client_port`` to ``server_port``."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            inode = fields[9]
    assert inode is not None, f"no connection from port {client_port}"
    for pid in _children(supervisor):
        if inode in _socket_inodes(pid):
            return pid
    raise AssertionError(f"no worker of {supervisor} holds port {client_port}")


def change_rules(
    client: Any, admin: dict[str, str], entry_id: str, rules: list[Any]
) -> float:
    """PUT the entry's rules and publish them; returns when the publish was
    answered (``time.monotonic()``)."""
    url = f"/manage/v1/entries/{entry_id}"
    current = client.get(f"{url}/personalization", headers=admin)
    assert current.status_code == 200, current.text
    body = {**current.json(), "rules": rules}
    put = client.put(
        f"{url}/personalization",
        json=body,
        headers={**admin, "If-Match": current.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    published = client.post(
        f"{url}/publish", headers={**admin, "If-Match": put.headers["etag"]}
    )
    assert published.status_code == 200, published.text
    return time.monotonic()


def first_rule_variant(payload: dict[str, Any]) -> str | None:
    feature = payload["features"].get(FEATURE)  # None: not published (yet)
    rules = (feature or {}).get("rules") or []
    return rules[0].get("force") if rules else None
