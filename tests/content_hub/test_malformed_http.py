"""Bytes that are not HTTP get a problem document too.

uvicorn's parser refuses them before the app; ``content-hub serve`` runs it
with :mod:`content_hub.api.malformed`'s protocol, which answers that ``400``
as an RFC 9457 problem document and closes the connection. Generated
malformed requests (a header name that is not a token, a control character
in a field value or the target, a request line of four parts, a non-numeric
``Content-Length``) go to a real ``content-hub serve`` with two workers over
a raw socket; each is also checked to be refused by h11 and RFC 9110's field
grammar (``tests/hostile/test_schemathesis.is_http``), and a well-formed
request on a fresh connection is still answered. Both uvicorn parsers'
classes (httptools, h11) are driven the same way in-process, with defects
both parsers refuse (h11 lets control characters in field values through).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.api.malformed import HTTP_PROTOCOL, SLUG, ProblemH11Protocol
from content_hub.app import create_app
from content_hub.domain.errors import PROBLEM_BASE
from content_hub.settings import DatabaseSettings, Settings
from content_hub.store.db import migrate
from tests.content_hub.serve_support import ServeGroup
from tests.hostile.test_schemathesis import is_http
from tests.threaded_server import served as threaded

_TOKEN = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NOT_TOKEN = st.sampled_from(
    sorted(set(map(chr, range(0x21, 0x7F))) - set(_TOKEN) - {":"})
)
_CONTROL = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
)
_word = st.text(st.sampled_from("abcxyz-"), min_size=1, max_size=8)


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    """A GET /health that one drawn defect makes not HTTP/1.1."""
    name, value, target = draw(_word), draw(_word), "/health"
    method, length = "GET", None
    kind = draw(
        st.sampled_from(["name", "value", "target", "method", "length", "line"])
    )
    if kind == "name":
        name = name[:1] + draw(_NOT_TOKEN) + name[1:]
    elif kind == "value":
        value = value[:1] + draw(_CONTROL) + value[1:]
    elif kind == "target":
        target += draw(st.sampled_from([" x", "\x7f", "\x01"]))
    elif kind == "method":
        method = "G" + draw(_NOT_TOKEN) + "T"
    elif kind == "length":
        length = draw(st.sampled_from(["x", "-1", "1 2", "0x10"]))
    head = f"{method} {target} HTTP/1.1\r\nHost: hub\r\nX-{name}: {value}\r\n"
    if kind == "line":
        head = f"{method} {target} HTTP/1.1 x\r\nHost: hub\r\n"  # a 4th part
    if length is not None:
        head += f"Content-Length: {length}\r\n"
    return (head + "\r\n").encode("latin-1")


def exchange(port: int, raw: bytes) -> bytes:
    """What the server sends for ``raw`` until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def assert_malformed_problem(answer: bytes, raw: bytes) -> None:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 400 Bad Request", (raw, answer)
    headers = dict(line.lower().split(b": ", 1) for line in lines[1:])
    assert headers[b"content-type"] == b"application/problem+json", answer
    assert headers[b"connection"] == b"close"
    assert int(headers[b"content-length"]) == len(body)
    problem = json.loads(body)
    assert problem["type"] == PROBLEM_BASE + SLUG
    assert problem["status"] == 400 and problem["title"] and problem["detail"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeGroup]:
    data = tmp_path_factory.mktemp("malformed")
    settings = Settings(
        data_dir=data,
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{data / 'hub.sqlite3'}"),
    )
    group = ServeGroup(settings, workers=2).start()
    yield group
    group.stop()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=malformed())
def test_serve_answers_bytes_that_are_not_http_with_a_problem(
    served: ServeGroup, raw: bytes
) -> None:
    assert not is_http(raw), raw  # the defect is one by RFC 9110/9112
    assert_malformed_problem(exchange(served.port, raw), raw)
    fine = exchange(
        served.port, b"GET /health HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n"
    )
    assert fine.startswith(b"HTTP/1.1 200 "), fine


@pytest.mark.parametrize(
    "protocol", [ProblemH11Protocol, HTTP_PROTOCOL], ids=["h11", "auto"]
)
def test_both_parsers_classes_answer_with_the_problem(
    protocol: type, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = tmp_path_factory.mktemp("parser")
    url = f"sqlite+aiosqlite:///{data / 'hub.sqlite3'}"
    migrate(url)
    app = create_app(Settings(data_dir=data, database=DatabaseSettings(url=url)))
    with threaded(app, http=protocol) as port:
        for raw in (
            b"GET /health HTTP/1.1\r\nHost: hub\r\nX(a): b\r\n\r\n",
            b"GET /health HTTP/1.1\r\nHost: hub\r\nContent-Length: x\r\n\r\n",
        ):
            assert_malformed_problem(exchange(port, raw), raw)
