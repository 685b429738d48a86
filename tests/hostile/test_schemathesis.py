"""Schemathesis over every operation of the OpenAPI document, on a served
hub (uvicorn, its lifespan, a real socket) on SQLite and PostgreSQL.

Heavier than ``tests/content_hub/test_schemathesis.py`` (which checks schema
conformance): each operation gets schema-valid *and* schema-violating cases
(wrong types, missing and extra members), half of them aimed at resources
that exist, sent with a key of the operation's own scope. Every answer is
below 500, every 4xx a problem document with type, title and status, and a
4xx leaves every stored row as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import h11
import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from content_hub.api.malformed import SLUG
from content_hub.app import create_app
from content_hub.domain.errors import PROBLEM_BASE
from tests.content_hub.conftest import BACKENDS, Keys
from tests.hostile.conftest import SCALE, backend_url, hub_settings
from tests.hostile.routes import Route, app_routes, path_value
from tests.hostile.seed import seed
from tests.hostile.state import KnownState, StateReader
from tests.hostile.world import RawResponse, assert_problem
from tests.threaded_server import served

#: Cases per operation and generation mode (scaled by HOSTILE_EXAMPLES_SCALE).
EXAMPLES = 8


class LiveHub:
    """The served hub: URL, keys, ids of the seeded world, stored state."""

    def __init__(self, url: str, secrets: dict[str, str], db_url: str) -> None:
        self.url = url
        self.secrets = secrets
        self.reader = StateReader(db_url)
        self.known = KnownState(self.reader)
        self.ids: dict[str, str] = {}


@pytest.fixture(scope="module", params=BACKENDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveHub]:
    data_dir = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    hub_settings_ = hub_settings(
        data_dir, backend_url(request, request.param, data_dir)
    )
    keys = Keys(hub_settings_)
    with served(create_app(hub_settings_)) as port:
        hub = LiveHub(
            f"http://127.0.0.1:{port}", keys.secrets, hub_settings_.database.url
        )
        with httpx.Client(base_url=hub.url) as client:
            hub.ids = seed(client, {"Authorization": f"Bearer {keys.secrets['admin']}"})
        yield hub
        hub.reader.close()


def _route_of(method: str, path: str) -> Route:
    """The app's route for an OpenAPI operation (``{id}`` vs ``{id:str}``);
    a HEAD operation shares its GET's route and parameters."""
    if method.upper() == "HEAD":
        method = "GET"
    for route in app_routes():
        template = "/".join(
            s.split(":")[0] + "}" if s.startswith("{") else s
            for s in route.template.split("/")
        )
        if route.method == method.upper() and template == path:
            return route
    raise AssertionError(f"no route for {method} {path}")


def _real_path_parameters(hub: LiveHub, route: Route) -> dict[str, str]:
    segments = route.template.split("/")
    out = {}
    for index, segment in enumerate(segments):
        if segment.startswith("{"):
            name = segment[1:].split(":")[0]
            out[name] = path_value(hub, segments[index - 1], name)
    return out


#: The problem type of bytes the HTTP server's parser refused
#: (:mod:`content_hub.api.malformed`), before anything reaches the app.
MALFORMED = PROBLEM_BASE + SLUG

#: The arguments of ``requests.Request`` that a case's transport kwargs carry.
_REQUEST_ARGS = (
    "method",
    "url",
    "headers",
    "files",
    "data",
    "params",
    "cookies",
    "json",
)


def wire_bytes(case: Any, base_url: str) -> bytes:
    """The request as ``case.call`` puts it on the wire (requests' prepared
    request, with the headers requests and http.client add)."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    prepared = requests.Session().prepare_request(
        requests.Request(**{k: kwargs[k] for k in _REQUEST_ARGS if k in kwargs})
    )
    host = (prepared.url or "").split("/")[2]
    lines = [f"{prepared.method} {prepared.path_url} HTTP/1.1", f"Host: {host}"]
    head = "\r\n".join(lines).encode("latin-1")
    for name, value in prepared.headers.items():
        raw = value if isinstance(value, bytes) else str(value).encode("latin-1")
        head += b"\r\n" + name.encode("latin-1") + b": " + raw
    body = prepared.body
    if isinstance(body, str):
        body = body.encode()
    return head + b"\r\n\r\n" + (body if isinstance(body, bytes) else b"")


_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def is_http(raw: bytes) -> bool:
    """Whether ``raw`` is one well-formed HTTP/1.1 request (RFC 9112): h11's
    parser (header names are tokens, framing, target), and field values
    without control characters other than HTAB (RFC 9110, 5.5), which h11
    lets through."""
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(raw)
    conn.receive_data(b"")
    try:
        while True:
            event = conn.next_event()
            if isinstance(event, h11.EndOfMessage):
                return True
            if isinstance(event, h11.Request) and any(
                _CONTROL.search(value) for _, value in event.headers
            ):
                return False
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return False
    except h11.RemoteProtocolError:
        return False


def _fuzz(live: LiveHub, operation: Any) -> None:
    """Positive and negative cases, with generated or real path parameters,
    each sent with a key of the operation's scope and checked."""
    route = _route_of(operation.method, operation.path)
    secret = live.secrets[route.scope] if route.scope else None
    strategies = [
        operation.as_strategy(generation_mode=mode, path_parameters=fixed)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for fixed in (None, _real_path_parameters(live, route) or None)
    ]

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=max(1, int(2 * EXAMPLES * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if secret:  # the case's own (generated) credentials would be a 401
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
        before = live.known.take()  # known again below if nothing was written
        response = case.call(base_url=live.url, timeout=30)
        case.validate_response(response, checks=[not_a_server_error])
        raw = RawResponse()
        raw.status = response.status_code
        raw.headers = {k.lower(): v[0] for k, v in response.headers.items() if v}
        raw.body = response.content
        what = (
            f"{operation.label} {case.path_parameters} {case.query} "
            f"{case.headers} {case.cookies} {case.body!r:.300}"
        )
        assert_problem(raw, what)
        if raw.status == 400 and json.loads(raw.body)["type"] == MALFORMED:
            # refused by the HTTP server's parser before the app: only right
            # for bytes that are not HTTP (the state is still checked below)
            wire = wire_bytes(case, live.url)
            assert not is_http(wire), f"{what}: well-formed HTTP refused: {wire!r}"
        if 400 <= raw.status < 500 or operation.method.upper() == "GET":
            live.known.unchanged(before, what)

    run()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_operation_hostile_cases(live: LiveHub) -> None:
    schema = schemathesis.openapi.from_url(f"{live.url}/schema/openapi.json")
    # HEAD answers carry no body to check as a problem document; that HEAD is
    # GET minus the body is tests/content_hub/test_head.py's job.
    # An event stream (/sub) never ends, so no HTTP client call returns: its
    # hostile cases go through World.raw (tests/hostile/test_requests.py).
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if op.method.upper() != "HEAD" and not op.path.startswith("/sub/")
    ]
    assert len(operations) >= 50
    failures: list[str] = []
    for operation in operations:
        try:
            _fuzz(live, operation)
        except Exception as exc:  # every operation's failure, then fail once
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    summary = f"{len(failures)} operation(s) failed:\n\n"
    assert not failures, summary + "\n\n".join(failures)
