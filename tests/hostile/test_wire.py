"""The two helpers the hostile schemathesis test uses when the HTTP server
refuses a request before the app sees it: :func:`wire_bytes` must give the
bytes ``case.call`` really sends, and :func:`is_http` must tell well-formed
HTTP/1.1 from the rest.

A socket on 127.0.0.1 records what schemathesis' generated cases (valid and
invalid, headers, cookies, query, JSON bodies) put on the wire.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import httptools
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.hostile.test_schemathesis import is_http, wire_bytes

SCHEMA: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "wire", "version": "1"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/items/{item_id}": {
            "get": {
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "locale", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "schema": {"type": "string"},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "none"}},
            },
            "post": {
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "title": {"type": "string"},
                                    "n": {"type": "integer"},
                                },
                                "required": ["title"],
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "none"}},
            },
        }
    },
}


class Recorder:
    """Accepts one connection at a time, keeps the request's bytes, answers 204."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.last = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self.last = head + b"\r\n\r\n" + body
                conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.sock.close()


def _httptools_accepts(raw: bytes) -> bool:
    class Sink:
        pass

    try:
        httptools.HttpRequestParser(Sink()).feed_data(raw)
    except httptools.HttpParserError:
        return False
    return True


def test_wire_bytes_are_what_a_case_sends(recorder: Recorder) -> None:
    schema = schemathesis.openapi.from_dict(SCHEMA)
    strategies = [
        result.ok().as_strategy(generation_mode=mode)  # type: ignore[union-attr]
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        recorder.last = b""
        case.call(base_url=recorder.url, timeout=10)
        sent = recorder.last
        assert sent == wire_bytes(case, recorder.url)
        # schemathesis sends HTTP that both parsers take: a refusal by the
        # hub's server (httptools) of such bytes would be the server's fault
        assert is_http(sent), sent
        assert _httptools_accepts(sent), sent

    run()


@pytest.mark.parametrize(
    "raw",
    [
        b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n",  # control character
        b"GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n",  # name not a token
        b"GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n",  # no colon
        b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\nc\r\n\r\n",  # bare LF
        b"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n",  # target with DEL
        b"GET / HTTP/1.1\r\nHost: a\r\n",  # unfinished head
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab",  # short body
        b"GET / HTTP/1.1\r\n\r\n",  # no Host
    ],
)
def test_is_http_refuses_what_is_not_http(raw: bytes) -> None:
    assert not is_http(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /a?b=c HTTP/1.1\r\nHost: a\r\nX-A: b\tc \xe9\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}",
    ],
)
def test_is_http_takes_well_formed_requests(raw: bytes) -> None:
    assert is_http(raw)
