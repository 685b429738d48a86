"""NUL (U+0000) in any input: PostgreSQL stores none (a driver error, a 500,
before the fix), SQLite stored it quietly. Now it is a 400 on both, wherever
it appears: in any string or key of any body, in a path segment or a query
parameter, in a customer's hash attribute on the render path — and it never
reaches the event buffer, whose every later flush it would fail.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from content_hub.domain.errors import NulCharacter
from content_hub.domain.render import RenderIn
from content_hub.store.guards import refuse_nul
from tests.hostile.attack import attack, checked
from tests.hostile.bases import base_body
from tests.hostile.routes import Route, app_routes, body_routes
from tests.hostile.strategies import positions, splice
from tests.hostile.world import World

#: Bodies the hub stores (a render request is not stored: its NULs are harmless
#: text, except in the ids and hash values checked below).
STORED = [
    r for r in body_routes() if r.body_type is not None and r.body_type is not RenderIn
]
NUL_TEXT = json.dumps("a\x00b")


def _string_positions(value: Any) -> list[tuple[Any, ...]]:
    out = []
    for path in positions(value):
        node = value
        try:
            for step in path:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(node, str):
            out.append(path)
    return out


@pytest.mark.parametrize("route", STORED, ids=lambda r: r.label)
def test_nul_in_any_string_or_key_of_a_body_is_a_400(
    world: World, route: Route
) -> None:
    base = base_body(route, world)
    bodies = [splice(base, path, NUL_TEXT) for path in _string_positions(base)]
    bodies.append(json.dumps(base)[:-1] + ', "a\\u0000": 1}')  # a key
    wrong = []
    for body in bodies:
        response = attack(world, route, body.encode())
        if response.status != 400:
            wrong.append(f"{response.status} for {body[:200]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("route", list(app_routes()), ids=lambda r: r.label)
def test_nul_in_a_path_segment_or_query_parameter(world: World, route: Route) -> None:
    """Each path parameter, then each declared query parameter, holding a NUL:
    a 4xx problem that changes nothing (no ``DataError`` 500 on PostgreSQL)."""
    real = route.path(world)
    template = route.template.split("/")
    key = world.auth(route.scope).get("Authorization")
    headers = [(b"authorization", key.encode())] if key else []
    headers.append((b"content-type", b"application/json"))
    base = base_body(route, world)
    body = b"" if base is None else json.dumps(base).encode()
    targets: list[tuple[str, bytes]] = []
    for index, segment in enumerate(template):
        if segment.startswith("{"):
            parts = real.split("/")
            parts[index] = "x%00y"
            targets.append(("/".join(parts), b""))
    targets.extend((real, f"{name}=x%00y".encode()) for name in sorted(route.query))
    for path, query in targets:
        checked(
            world,
            f"{route.method} {path}?{query.decode()}",
            lambda p=path, q=query: world.raw(  # type: ignore[misc]
                route.method, p, query=q, headers=headers, body=body
            ),
        )


def _render_body(customer: dict[str, Any]) -> bytes:
    return json.dumps(
        {"type": "article", "key": "hello", "channel": "web", "customer": customer}
    ).encode()


def test_a_customer_hash_value_with_nul_is_refused_and_poisons_nothing(
    world: World,
) -> None:
    """The experiment hashes on ``id``: an ``id`` attribute with a NUL is a 400
    for one render and a failed line in a batch whose other lines render, and
    the buffered events still flush (``state()`` flushes them)."""
    render = next(r for r in app_routes() if r.label == "POST /render/v1/render")
    batch = next(r for r in app_routes() if r.label == "POST /render/v1/render/batch")
    before = len(world.state()["exposure"])
    response = attack(world, render, _render_body({"attributes": {"id": "a\x00b"}}))
    assert response.status == 400, response.body
    assert json.loads(response.body)["type"].endswith("/nul-character")
    lines = [
        {"customer": {"attributes": {"id": "b\x00c"}}},
        {"customer": {"id": "fine-1"}},
        {"customer": {"id": "a\x00"}},
        {"customer": {"id": "fine-2"}},
    ]
    response = attack(
        world,
        batch,
        "\n".join(json.dumps(line) for line in lines).encode(),
        content_type=b"application/x-ndjson",
    )
    assert response.status == 200, response.body
    out = [json.loads(line) for line in response.body.splitlines()]
    assert [line["ok"] for line in out] == [False, True, False, True]
    assert {line["error"]["status"] for line in out if not line["ok"]} == {400}
    exposures = world.state()["exposure"]  # flushed without an error
    assert len(exposures) == before + 2
    assert not any("\\x00" in "".join(row) for row in exposures)


@pytest.mark.parametrize(
    ("parameters", "refused"),
    [
        (None, False),
        ({"a": "x", "b": 1, "c": None}, False),
        ({"a": "x\x00"}, True),
        (("x", 1, 2.5, b"\x00", None), False),
        (("x", 1, "y\x00"), True),
        ([("a", 1), ("b", 2)], False),
        ([("a", 1), ("b\x00", 2)], True),
        ([{"k": "a"}, {"k": "\x00"}], True),
        ({"keys": ["id||a", "id||b"]}, False),
        ({"keys": ["id||a", "id||\x00"]}, True),
        ((["a", "\x00"],), True),
        ([], False),
    ],
)
def test_the_store_guard_reads_every_parameter_shape(
    parameters: Any, refused: bool
) -> None:
    """Single rows (dicts, positional tuples), executemany lists, the flat
    rows of "insertmanyvalues" and array parameters: a NUL is refused, and
    nothing else ever makes the guard fail."""
    for executemany in (False, True):
        if refused:
            with pytest.raises(NulCharacter):
                refuse_nul(None, None, "", parameters, None, executemany)
        else:
            refuse_nul(None, None, "", parameters, None, executemany)
