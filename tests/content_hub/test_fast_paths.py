"""The fast paths (delivery GETs, single renders) answer exactly like the
full Litestar handlers they stand in for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.api import edge
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish
from tests.content_hub.render_fixtures import build_offer


def _fast_handlers(client: TestClient[Any]) -> list[Any]:
    return [
        handler
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", ())
        if "fast_path" in handler.opt
    ]


@pytest.fixture
def entry(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    add_locale(client, keys.headers("admin"), "de")
    add_locale(client, keys.headers("admin"), "de-CH")
    manage = keys.headers("manage")
    add_type(client, manage)
    return publish(
        client,
        manage,
        add_entry(client, manage, "fast", {"title": {"en": "Hello", "de": "Hallo"}}),
    )


@pytest.fixture
def slow(client: TestClient[Any]) -> Iterator[None]:
    """Switch the fast path off for the test's second half."""
    handlers = _fast_handlers(client)
    saved = [h.opt.pop("fast_path") for h in handlers]
    yield
    for handler, fast in zip(handlers, saved, strict=True):
        handler.opt["fast_path"] = fast  # opt may be shared with other apps


REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("?locale=de-CH", {}),
    ("?locale=de-CH&include=0", {}),
    ("?include=5", {"Accept-Language": "de-AT,de;q=0.9"}),
    ("", {}),
    ("?locale=de", {"If-None-Match": "*"}),
    ("?locale=de", {"If-None-Match": '"stale", W/"other"'}),
    ("?locale=fr", {}),  # not configured: 400
    ("?include=6", {}),  # out of range: the handler's 400
    ("?include=x", {}),
    ("?locale=de&locale=en", {}),  # repeated: left to the handler
    ("?locale=de%2DCH", {}),  # percent-encoded: left to the handler
    ("?locale=", {}),
    ("?bogus=1", {}),  # unknown parameter: 400 from the guard
]


def _answers(
    client: TestClient[Any], keys: Keys, entry: dict[str, Any]
) -> list[tuple[int, dict[str, str], bytes]]:
    urls = [
        f"/delivery/v1/entries/{entry['id']}",
        "/delivery/v1/content-types/article/entries/fast",
        "/delivery/v1/content-types/article/entries/missing",
        "/delivery/v1/entries/missing",
    ]
    out = []
    for url in urls:
        for query, extra in REQUESTS:
            for scope in ("delivery", "preview"):
                r = client.get(url + query, headers=keys.headers(scope, **extra))
                headers = {k: v for k, v in r.headers.items() if k != "x-request-id"}
                out.append((r.status_code, headers, r.content))
    return out


def _compare(
    client: TestClient[Any], request: Any, answers: Any
) -> list[tuple[int, dict[str, str], bytes]]:
    """Answers with the fast paths on (checking they served some), then off;
    asserts they are the same and returns them."""
    handlers = _fast_handlers(client)
    assert len(handlers) == 3
    answered: list[int] = []
    originals = [h.opt["fast_path"] for h in handlers]
    for handler in handlers:
        path = handler.opt["fast_path"]

        async def counting(scope: Any, receive: Any, path: Any = path) -> Any:
            answer, receive = await path(scope, receive)
            if answer is not None:
                answered.append(answer[0])
            return answer, receive

        handler.opt["fast_path"] = counting
    try:
        fast = answers()
    finally:
        for handler, path in zip(handlers, originals, strict=True):
            handler.opt["fast_path"] = path
    assert answered, "the fast paths served nothing"
    served = len(answered)
    request.getfixturevalue("slow")
    assert _fast_handlers(client) == []
    full = answers()
    # nothing kept a fast path it saw before (the edge's routing cache)
    assert len(answered) == served, "a fast path served the full half"
    assert [a[0] for a in fast] == [a[0] for a in full]
    assert fast == full
    return list(fast)


@pytest.mark.parametrize("max_routes", [edge.MAX_ROUTES, 2])
def test_delivery_fast_path_and_handler_answer_alike(
    client: TestClient[Any],
    keys: Keys,
    entry: dict[str, Any],
    request: Any,
    monkeypatch: pytest.MonkeyPatch,
    max_routes: int,
) -> None:
    """The edge keeps the routing of the paths it saw; with room for 2 of
    them, it drops and routes them again all the time: same answers."""
    monkeypatch.setattr(edge, "MAX_ROUTES", max_routes)
    answers = _compare(client, request, lambda: _answers(client, keys, entry))
    assert {200, 304, 400, 404} <= {a[0] for a in answers}


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


RENDERS: list[tuple[Any, dict[str, str]]] = [
    ({"channel": "web", "customer": {"id": "c-1"}}, {}),
    (
        {
            "channel": "email",
            "locale": "de",
            "customer": {
                "id": "c-2",
                "attributes": {"first_name": "Kim", "lead_score": 91},
                "segments": ["cart_abandoner"],
            },
            "context": {"unsubscribe_url": "https://shop.example/u/2"},
        },
        {},
    ),
    ({"channel": "sms", "customer": {"id": "c-3"}}, {"Accept-Language": "de-AT"}),
    ({"channel": "push", "customer": {"id": "c-4"}}, {}),
    ({"channel": "web", "customer": {"id": "c-5"}, "preview": {"variant": "x"}}, {}),
    ({"channel": "fax", "customer": {"id": "c-6"}}, {}),  # invalid: 400
    ({"channel": "web", "customer": {"id": 7}}, {}),  # lax-convertible?
    ({"channel": "web", "locale": "fr", "customer": {"id": "c-8"}}, {}),
    ({"channel": "web", "customer": {"id": "c-9"}, "bogus": 1}, {}),
    ("not json", {}),
    # media types: the fast path serves JSON ones, the handler answers 415
    ({"channel": "web", "customer": {"id": "c-10"}}, {"Content-Type": "text/plain"}),
    ({"channel": "web", "customer": {"id": "c-11"}}, {"Content-Type": ""}),
    (
        {"channel": "web", "customer": {"id": "c-12"}},
        {"Content-Type": "application/json; charset=utf-8"},
    ),
    (
        {"channel": "web", "customer": {"id": "c-13"}},
        {"Content-Type": "application/vnd.hub+json"},
    ),
    # nesting: body > customer > attributes of 62 levels = 64 (ok), 63 = 65 (400)
    ({"channel": "web", "customer": {"id": "c-14", "attributes": _deep(62)}}, {}),
    ({"channel": "web", "customer": {"id": "c-15", "attributes": _deep(63)}}, {}),
    ({"channel": "web", "customer": {"id": "c-16"}, "context": {"x": _deep(900)}}, {}),
]


def _renders(
    client: TestClient[Any], keys: Keys
) -> list[tuple[int, dict[str, str], bytes]]:
    out = []
    for body, extra in RENDERS:
        for scope in ("render", "preview"):
            headers = keys.headers(scope, **extra)
            if isinstance(body, dict):
                payload = json.dumps({"type": "offer", "key": "spring", **body})
            else:
                payload = body
            r = client.post(
                "/render/v1/render",
                content=payload,
                headers={"Content-Type": "application/json", **headers},
            )
            headers = {k: v for k, v in r.headers.items() if k != "x-request-id"}
            content = r.content
            if r.status_code == 200:  # the request id differs per request
                doc = r.json()
                assert doc.pop("request_id") == r.headers["x-request-id"]
                # the first pass saved sticky assignments the second one uses
                for step in doc["decision"]["trace"]:
                    step.pop("sticky_bucket_used", None)
                content = json.dumps(doc).encode()
                headers.pop("content-length")
            out.append((r.status_code, headers, content))
    return out


def test_render_fast_path_and_handler_answer_alike(
    client: TestClient[Any], keys: Keys, request: Any
) -> None:
    build_offer(client, keys.headers("admin"))
    answers = _compare(client, request, lambda: _renders(client, keys))
    assert {200, 400, 403, 415} <= {a[0] for a in answers}
