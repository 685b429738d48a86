"""The routes under attack, read from the app's own route handlers (a new
route is attacked without anyone listing it here), with real values for their
path parameters so that a request gets past routing to the code under test.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import msgspec
from litestar import Litestar

from content_hub.app import create_app
from content_hub.settings import DatabaseSettings, Settings
from tests.hostile.seed import EXPERIMENT

_PARAM = re.compile(r"\{(\w+):\w+\}")
#: The documentation routes serve static pages of Litestar's own; they take no
#: body and have no query of ours.
_SKIP_PREFIXES = ("/schema",)


class Seeded(Protocol):
    """A seeded hub: the ids of its resources and a secret per scope."""

    ids: dict[str, str]
    secrets: dict[str, str]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    scopes: tuple[str, ...]
    body_type: Any
    """The handler's ``data`` type; None when it reads the raw body or none."""
    query: frozenset[str]
    versioned: bool
    """The handler reads If-Match (the resource's version)."""

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def scope(self) -> str | None:
        """The key to call with: the first scope the route accepts."""
        return self.scopes[0] if self.scopes else None

    def path(self, world: Seeded) -> str:
        segments = self.template.split("/")
        out = []
        for index, segment in enumerate(segments):
            match = _PARAM.fullmatch(segment)
            if match is None:
                out.append(segment)
            else:
                out.append(path_value(world, segments[index - 1], match.group(1)))
        return "/".join(out)


def path_value(world: Seeded, after: str, name: str) -> str:
    """A real value for a path parameter, told apart by the segment before it
    (``{key}`` is a content type, an audience, a taxonomy, ...). An unknown
    parameter fails loudly: teach this function about the new route."""
    by_name = {
        "entry_id": world.ids["entry"],
        "media_id": world.ids["media"],
        "key_id": world.ids["key"],
        "user_id": world.ids["user"],
        "term": world.ids["term"],
        "term_id": world.ids["term"],
        "webhook_id": world.ids["webhook"],
        "release_id": world.ids["release"],
        "kind": "entries",
        "ref": world.ids["draft"],
        "locale": "de",
        "delivery_id": world.ids["delivery"],
        "type_key": "article",
        "channel": "web",
        "code": "de",
        "version": "1",
        "client_key": world.secrets["delivery"],
        "path": "openapi.json",
    }
    by_parent = {
        "content-types": "article",
        "audiences": "vip",
        "sample-customers": "greta",
        "taxonomies": "topic",
        "experiments": EXPERIMENT,
        "entries": "hello",
    }
    if name == "key" and after in by_parent:
        return by_parent[after]
    if name in by_name:
        return by_name[name]
    raise AssertionError(f"no value for path parameter {{{name}}} after {after!r}")


def discover(app: Litestar) -> list[Route]:
    """Every (method, path) the app answers, except OPTIONS and the docs."""
    routes: list[Route] = []
    for route in app.routes:
        if route.path.startswith(_SKIP_PREFIXES):
            continue
        for handler in getattr(route, "route_handlers", []):
            params = handler.parsed_fn_signature.parameters
            data = params.get("data")
            query = frozenset(
                (p.kwarg_definition.name or name)
                for name, p in params.items()
                if type(p.kwarg_definition).__name__ == "QueryParameter"
            )
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                routes.append(
                    Route(
                        method=method,
                        template=route.path,
                        scopes=tuple(str(s) for s in handler.opt.get("scopes") or ()),
                        body_type=_unwrap(data.annotation) if data else None,
                        query=query,
                        versioned="if_match" in params,
                    )
                )
    return sorted(routes, key=lambda r: r.label)


def _unwrap(annotation: Any) -> Any:
    """``JSONBody[X]`` is ``Annotated[X, ...]``: the Struct type itself."""
    return getattr(annotation, "__origin__", annotation)


def body_routes() -> list[Route]:
    """Routes that read a request body: a ``data`` parameter, or any write
    method (a handler may read ``request.body()`` itself, as the batch does)."""
    return [r for r in app_routes() if r.body_type is not None or r.method in WRITES]


def get_routes() -> list[Route]:
    return [r for r in app_routes() if r.method == "GET"]


def json_schema(route: Route) -> dict[str, Any]:
    """The JSON schema of a route's body type, for generating valid bases."""
    schema: dict[str, Any] = msgspec.json.schema(route.body_type)
    return schema


WRITES = frozenset({"POST", "PUT", "PATCH"})


@functools.cache
def app_routes() -> tuple[Route, ...]:
    """The routes of an app built from the hub's own factory (at collection,
    so that each route is its own test); its database is never opened."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        settings = Settings(
            data_dir=data,
            database=DatabaseSettings(
                url=f"sqlite+aiosqlite:///{data / 'hub.sqlite3'}"
            ),
        )
        app = create_app(settings)
        hub = app.state.hub
        try:
            return tuple(discover(app))
        finally:
            hub.search.close()
            if hub.point_reader is not None:
                hub.point_reader.close()
