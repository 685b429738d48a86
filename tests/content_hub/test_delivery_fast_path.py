"""The delivery fast path answers exactly like the full Litestar handler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


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


def test_fast_path_and_handler_answer_alike(
    client: TestClient[Any], keys: Keys, entry: dict[str, Any], request: Any
) -> None:
    handlers = _fast_handlers(client)
    assert len(handlers) == 2
    answered: list[int] = []
    originals = [h.opt["fast_path"] for h in handlers]
    for handler in handlers:
        path = handler.opt["fast_path"]

        def counting(scope: Any, path: Any = path) -> Any:
            answer = path(scope)
            if answer is not None:
                answered.append(answer[0])
            return answer

        handler.opt["fast_path"] = counting
    try:
        fast = _answers(client, keys, entry)
    finally:
        for handler, path in zip(handlers, originals, strict=True):
            handler.opt["fast_path"] = path
    assert sorted(set(answered)) == [200, 304]  # it served the plain reads
    request.getfixturevalue("slow")
    assert _fast_handlers(client) == []
    full = _answers(client, keys, entry)
    assert [a[0] for a in fast] == [a[0] for a in full]
    assert fast == full
    statuses = {a[0] for a in fast}
    assert {200, 304, 400, 404} <= statuses
