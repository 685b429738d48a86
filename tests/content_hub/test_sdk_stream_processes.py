"""The SDK event stream across workers and hosts, with real processes:

- ``serve --workers 2`` (SQLite and PostgreSQL): a publish answered by
  either worker reaches the streams held by the other within 1 s (which
  worker holds a connection is read from ``/proc``);
- PostgreSQL, two hosts (two process groups, one database, polling only every
  30 s, so the news travels by LISTEN/NOTIFY): a publish on either host
  reaches every stream on the other within 1 s;
- SIGTERM stops a group with streams open (they end, the workers exit).

Slow, and run by CI all the same.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import DatabaseSettings, Settings
from tests.content_hub.conftest import BACKENDS, _reset_postgres
from tests.content_hub.render_fixtures import RULES, build_offer
from tests.content_hub.serve_support import ServeGroup
from tests.content_hub.sse_support import (
    SseClient,
    change_rules,
    first_rule_variant,
    server_worker,
)

pytestmark = pytest.mark.slow


class _Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status_code = status
        self.headers = {k.lower(): v for k, v in headers}
        self.text = body.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.text)


class Connection:
    """One keep-alive connection (so: one worker) with httpx's call shape,
    enough for :func:`change_rules`."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname is not None and parts.port is not None
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.get("/health")

    @property
    def local_port(self) -> int:
        assert self.conn.sock is not None
        port: int = self.conn.sock.getsockname()[1]
        return port

    def request(
        self,
        method: str,
        url: str,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> _Response:
        sock = self.conn.sock
        body = None if json_body is None else json.dumps(json_body)
        sent = {
            **(headers or {}),
            **({"Content-Type": "application/json"} if body else {}),
        }
        self.conn.request(method, url, body=body, headers=sent)
        response = self.conn.getresponse()
        answer = _Response(response.status, response.getheaders(), response.read())
        assert sock is None or self.conn.sock is sock, "the connection was replaced"
        return answer

    def get(self, url: str, headers: dict[str, str] | None = None) -> _Response:
        return self.request("GET", url, headers=headers)

    def put(
        self, url: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> _Response:
        return self.request("PUT", url, json, headers)

    def post(
        self, url: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> _Response:
        return self.request("POST", url, json, headers)

    def close(self) -> None:
        self.conn.close()


def _secrets(settings: Settings) -> dict[str, str]:
    return {
        s.value: asyncio.run(_create_key(settings, f"p-{s.value}", [s]))
        for s in (Scope.ADMIN, Scope.DELIVERY)
    }


def _on_workers(
    group: ServeGroup, make: Any, wanted: int = 2, tries: int = 40
) -> dict[int, list[Any]]:
    """Open connections with ``make()`` until each of the group's workers
    holds at least ``wanted``; returns them by worker pid (the rest closed)."""
    assert group.proc is not None
    by_worker: dict[int, list[Any]] = {}
    for _ in range(tries):
        made = make()
        pid = server_worker(group.proc.pid, group.port, made.local_port)
        by_worker.setdefault(pid, []).append(made)
        if len(by_worker) == group.workers and all(
            len(v) >= wanted for v in by_worker.values()
        ):
            return by_worker
    raise AssertionError(f"connections did not spread over the workers: {by_worker}")


def _reaches(
    streams: list[SseClient], variant: str, published: float, within: float = 1.0
) -> None:
    for stream in streams:
        event = stream.until(lambda p: first_rule_variant(p) == variant, within + 2)
        assert event.at - published < within, f"{event.at - published:.3f} s"


@pytest.fixture
def group(
    settings: Settings, tmp_path: Path
) -> Iterator[tuple[ServeGroup, dict[str, str], dict[str, Any]]]:
    secrets = _secrets(settings)
    env = {"CONTENT_HUB_POLL_INTERVAL": "0.5" if settings.database.is_sqlite else "30"}
    serve = ServeGroup(settings, workers=2, data_dir=tmp_path, extra_env=env)
    serve.start()
    try:
        admin = {"Authorization": f"Bearer {secrets['admin']}"}
        with httpx.Client(base_url=serve.url, timeout=30) as client:
            offer = build_offer(client, admin)  # type: ignore[arg-type]
        yield serve, secrets, offer
    finally:
        serve.stop()


def test_a_publish_on_either_worker_reaches_streams_on_the_other(
    group: tuple[ServeGroup, dict[str, str], dict[str, Any]],
) -> None:
    serve, secrets, offer = group
    admin = {"Authorization": f"Bearer {secrets['admin']}"}
    path = f"/sub/{secrets['delivery']}"
    streams = _on_workers(serve, lambda: SseClient(serve.url, path))
    publishers = _on_workers(serve, lambda: Connection(serve.url), wanted=1)
    try:
        for stream in (s for group in streams.values() for s in group):
            stream.until(lambda p: first_rule_variant(p) == "premium", 10)
        variants = iter(["discount", "premium", "discount", "premium"])
        for worker, connections in publishers.items():
            for _ in range(2):
                variant = next(variants)
                rules = [{**RULES[0], "variant": variant}, *RULES[1:]]
                published = change_rules(connections[0], admin, offer["id"], rules)
                others = [s for pid, g in streams.items() if pid != worker for s in g]
                assert others
                _reaches(others, variant, published)
    finally:
        for stream in (s for group in streams.values() for s in group):
            stream.close()
        for connection in (c for group in publishers.values() for c in group):
            connection.close()


def test_sigterm_stops_a_group_with_streams_open(
    group: tuple[ServeGroup, dict[str, str], dict[str, Any]],
) -> None:
    serve, secrets, _ = group
    streams = [SseClient(serve.url, f"/sub/{secrets['delivery']}") for _ in range(6)]
    for stream in streams:
        stream.next(timeout=10)
    started = time.monotonic()
    serve.stop()
    assert serve.proc is not None and serve.proc.returncode is not None
    assert time.monotonic() - started < 10
    for stream in streams:
        assert stream.ended.wait(5)
        stream.close()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs PostgreSQL")
def test_a_publish_on_either_host_reaches_streams_on_the_other(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    settings = Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))
    secrets = _secrets(settings)
    admin = {"Authorization": f"Bearer {secrets['admin']}"}
    env = {"CONTENT_HUB_POLL_INTERVAL": "30"}
    hosts = [
        ServeGroup(settings, data_dir=tmp_path / n, extra_env=env, name=n)
        for n in ("a", "b")
    ]
    streams: dict[str, list[SseClient]] = {}
    try:
        for host in hosts:
            host.data_dir.mkdir()
            host.start()
        with httpx.Client(base_url=hosts[0].url, timeout=30) as client:
            offer = build_offer(client, admin)  # type: ignore[arg-type]
        for host in hosts:
            path = f"/sub/{secrets['delivery']}"
            streams[host.name] = [SseClient(host.url, path) for _ in range(4)]
            for stream in streams[host.name]:
                stream.until(lambda p: first_rule_variant(p) == "premium", 10)
        for variant, (here, there) in zip(
            ["discount", "premium", "discount", "premium"],
            [(0, 1), (1, 0), (0, 1), (1, 0)],
            strict=True,
        ):
            rules = [{**RULES[0], "variant": variant}, *RULES[1:]]
            with httpx.Client(base_url=hosts[here].url, timeout=30) as client:
                published = change_rules(client, admin, offer["id"], rules)
            _reaches(streams[hosts[there].name], variant, published)
    finally:
        for stream in (s for group in streams.values() for s in group):
            stream.close()
        for host in hosts:
            host.stop()
