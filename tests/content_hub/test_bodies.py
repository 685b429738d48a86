"""Hostile request bodies on every route that takes one: any media type, any
nesting depth, any decode failure is a 4xx problem document (415, 400) that
changes nothing — never a 5xx. Routes are found from the app's handlers, so a
new route with a body is covered without being listed here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.api.bodies import MAX_DEPTH, media_kind, nesting, too_deep
from content_hub.settings import Settings
from tests.content_hub.bodies_support import (
    PROBLEM,
    BodyRoute,
    Store,
    assert_problem,
    body_routes,
    nested,
    tracked_store,
)
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer

CONTENT_TYPES: list[str | None] = [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    "application/vnd.hub+json",
    "application/x-ndjson",
    "application/jsonl",
    "text/plain",
    "text/json",
    "application/xml",
    "text/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/octet-stream",
    "application/json; charset=latin-1",
    None,
]
DEPTHS = st.one_of(
    st.integers(1, MAX_DEPTH + 6),
    st.integers(MAX_DEPTH - 2, MAX_DEPTH + 2),
    st.sampled_from([200, 1_000, 10_000]),
)
BODIES = [
    b"{not json",
    b"\xff\xfe\x00",
    b'{"a": 1e999999}',
    b"1" * 5000,
    b'{"a": 1, "a": 2}',
    b'"\\ud800"',
    b"[1, 2,]",
    b"null",
    b"\x00",
    "\u2028{}".encode(),
]


def _children(inner: Any) -> Any:
    return st.lists(inner, max_size=3) | st.dictionaries(
        st.text(alphabet='ab"[{\\', max_size=3), inner, max_size=3
    )


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@pytest.fixture
def store(settings: Settings, client: TestClient[Any]) -> Iterator[Store]:
    yield from tracked_store(settings)


@pytest.fixture
def routes(client: TestClient[Any], keys: Keys) -> list[BodyRoute]:
    offer = build_offer(client, keys.headers("admin"))
    return body_routes(client.app, f"?channel=web&entry_id={offer['id']}")


def _post(
    client: TestClient[Any], keys: Keys, route: BodyRoute, body: bytes, ct: str | None
) -> Any:
    headers = keys.headers("admin")
    if ct is not None:
        headers["Content-Type"] = ct
    return client.request(route.method, route.path, content=body, headers=headers)


def test_every_route_with_a_body_is_found(routes: list[BodyRoute]) -> None:
    paths = {str(route).split("?")[0] for route in routes}
    assert len(routes) >= 20
    assert {
        "POST /render/v1/render",
        "POST /render/v1/render/batch",
        "POST /render/v1/events",
        "POST /manage/v1/entries",
        "PATCH /manage/v1/entries/web",
    } <= paths


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_hostile_bodies_are_problems_and_change_nothing(
    client: TestClient[Any],
    keys: Keys,
    routes: list[BodyRoute],
    store: Store,
    data: st.DataObject,
) -> None:
    route = data.draw(st.sampled_from(routes), label="route")
    depth = data.draw(DEPTHS, label="depth")
    shape = data.draw(st.sampled_from(["array", "object", "mixed"]), label="shape")
    ct = data.draw(
        st.sampled_from(CONTENT_TYPES[:6]) | st.sampled_from(CONTENT_TYPES),
        label="content type",
    )
    body = nested(depth, shape)
    kind = media_kind(ct)
    before = store.fingerprint()
    r = _post(client, keys, route, body, ct)
    event(f"status {r.status_code}")
    assert r.status_code < 500, r.text
    if kind not in route.kinds:
        problem = assert_problem(r, 415, "unsupported-media-type")
        assert problem["accepted"][0] == "application/json"
        assert "application/json" in problem["detail"]
    elif depth > MAX_DEPTH and kind == "ndjson":  # one line, its own error
        (line,) = [json.loads(x) for x in r.text.splitlines()]
        assert line["index"] == 0 and line["ok"] is False
        assert line["error"]["type"].endswith("/body-too-deep")
    elif depth > MAX_DEPTH:
        assert assert_problem(r, 400, "body-too-deep")["max_depth"] == MAX_DEPTH
    elif r.status_code >= 400:
        assert r.headers["content-type"].startswith(PROBLEM)
    assert store.fingerprint() == before


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_undecodable_json_is_a_400_everywhere(
    client: TestClient[Any],
    keys: Keys,
    routes: list[BodyRoute],
    store: Store,
    data: st.DataObject,
) -> None:
    route = data.draw(st.sampled_from(routes), label="route")
    body = data.draw(st.one_of(st.sampled_from(BODIES), st.binary(min_size=1)))
    before = store.fingerprint()
    r = _post(client, keys, route, body, "application/json")
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith(PROBLEM)
    assert store.fingerprint() == before


def test_valid_json_under_another_media_type_is_refused(
    client: TestClient[Any], keys: Keys, store: Store
) -> None:
    before = store.fingerprint()
    for ct in ("text/plain", "application/xml", "", None):
        r = _post(
            client,
            keys,
            BodyRoute("POST", "/manage/v1/locales", ("json",)),
            b'{"code": "de"}',
            ct,
        )
        problem = assert_problem(r, 415, "unsupported-media-type")
        assert r.headers["accept-post"] == "application/json, application/*+json"
        assert problem["accepted"] == ["application/json", "application/*+json"]
    assert store.fingerprint() == before
    r = _post(
        client,
        keys,
        BodyRoute("POST", "/manage/v1/locales", ("json",)),
        b'{"code": "de"}',
        "application/json; charset=utf-8",
    )
    assert r.status_code == 201, r.text


class TestDepthScan:
    @given(st.recursive(st.none() | st.integers() | st.text(), _children))
    def test_nesting_matches_the_decoded_document(self, value: Any) -> None:
        document = json.dumps(value).encode()
        assert nesting(document) == _depth(value)
        assert too_deep(document, 3) == (_depth(value) > 3)

    @given(st.text(alphabet='[]{}"\\ab'), st.integers(0, 5))
    def test_strings_never_count(self, text: str, depth: int) -> None:
        document = json.dumps({"s": text, "l": nested(depth, "array").decode()})
        assert nesting(document.encode()) == 1


def test_the_render_fast_path_keeps_the_limits(
    client: TestClient[Any], keys: Keys, routes: list[BodyRoute]
) -> None:
    """Body > customer > attributes > n levels: 64 in all renders, 65 is
    refused; a render body under another media type is refused, not rendered."""

    def render(levels: int, ct: str) -> Any:
        attributes = json.loads(nested(levels, "object"))
        body = {"type": "offer", "key": "spring", "channel": "web"}
        body["customer"] = {"id": "deep", "attributes": {"a": attributes}}
        return client.post(
            "/render/v1/render",
            content=json.dumps(body),
            headers=keys.headers("render", **{"Content-Type": ct}),
        )

    assert render(MAX_DEPTH - 3, "application/json").status_code == 200
    assert_problem(render(MAX_DEPTH - 2, "application/json"), 400, "body-too-deep")
    assert_problem(render(1, "text/plain"), 415, "unsupported-media-type")
