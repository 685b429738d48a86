"""Helpers for the request-body tests: every route that takes a body, found
from the app's handlers; hostile documents; and a fingerprint of the store
to show that a refused request changed nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.enums import RequestEncodingType

from content_hub.api.bodies import OWN_BODY
from content_hub.settings import Settings
from content_hub.store.db import sync_url

PROBLEM = "application/problem+json"
BASE = "https://content-hub.dev/problems/"
JSON = RequestEncodingType.JSON
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class BodyRoute:
    method: str
    path: str  # path parameters filled in
    kinds: tuple[str, ...]  # media kinds it reads: json, ndjson

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def body_routes(app: Litestar, own_query: str) -> list[BodyRoute]:
    """Every (method, route) whose handler takes a JSON body: a ``data``
    argument or ``opt[OWN_BODY]``. Path parameters get ``web`` (a valid channel and a
    plausible key); a handler that reads its own body (the batch) gets
    ``own_query``, the query it needs to get as far as the body."""
    found: list[BodyRoute] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            own = handler.opt.get(OWN_BODY)
            data = handler.parsed_fn_signature.parameters.get("data")
            media = getattr(data and data.kwarg_definition, "media_type", None)
            if not own and (data is None or media not in (None, JSON)):
                continue  # no body, or a form body (not JSON's rules)
            path = _PARAM.sub("web", route.path)
            if own:
                path += own_query
            for method in sorted(handler.http_methods):
                found.append(BodyRoute(method, path, tuple(own or ("json",))))
    return found


def nested(depth: int, shape: str) -> bytes:
    """A JSON document ``depth`` levels deep: arrays, objects or both."""
    if shape == "array":
        return b"[" * depth + b"]" * depth
    if shape == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    half = depth // 2
    return b'{"a":[' * half + (b"{}" if depth % 2 else b"0") + b"]}" * half


BOOKKEEPING = frozenset({"alembic_version", "counter"})
"""Tables background workers write on their own (the search indexer's
cursor lives in ``counter``), whatever the requests do."""


class Store:
    """Row counts of every table the API writes: equal before and after a
    request means the request changed nothing."""

    def __init__(self, settings: Settings) -> None:
        url = sync_url(settings.database.url)
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        names = sa.inspect(self.engine).get_table_names()
        self.tables = sorted(n for n in names if n not in BOOKKEEPING)

    def fingerprint(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                table: conn.execute(
                    sa.text(f"SELECT COUNT(*) FROM {table}")
                ).scalar_one()
                for table in self.tables
            }


def tracked_store(settings: Settings) -> Iterator[Store]:
    """For a ``store`` fixture: the store of ``settings``, closed afterwards."""
    tracked = Store(settings)
    yield tracked
    tracked.engine.dispose()


def assert_problem(response: Any, status: int, slug: str | None = None) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    if slug is not None:
        assert body["type"] == BASE + slug, body
    return body
