"""Values nested deep, but within what a request body may nest: they pass
decoding, so every layer behind it must take them. Found by the hostile
suite: a customer attribute nested 350 levels made ``variants`` recurse per
level (a 500 on every render), and an audience condition nested a few hundred
levels was saved, then failed every render of the entries that use it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.hostile.attack import attack
from tests.hostile.routes import Route, app_routes
from tests.hostile.world import World

# Within the 64 levels a body may nest (``api/bodies.py``), with the four
# levels around the value (body, customer, attributes, attribute).
DEPTHS = [33, 59]


def _route(label: str) -> Route:
    return next(r for r in app_routes() if r.label == label)


def _nested(depth: int, shape: str) -> str:
    if shape == "array":
        return "[" * depth + '"c1"' + "]" * depth
    return '{"a":' * depth + '"c1"' + "}" * depth


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", ["array", "object"])
def test_a_deep_customer_attribute_renders(
    world: World, depth: int, shape: str
) -> None:
    """As the experiment's hash attribute (``id``) and as the attribute an
    audience compares (``lead_score``), for one render and in a batch."""
    value = _nested(depth, shape)
    customer = f'{{"attributes": {{"id": {value}, "lead_score": {value}}}}}'
    one = (
        '{"type": "article", "key": "hello", "channel": "web", '
        f'"customer": {customer}}}'
    )
    response = attack(world, _route("POST /render/v1/render"), one.encode())
    assert response.status == 200, response.body[:300]
    response = attack(
        world,
        _route("POST /render/v1/render/batch"),
        f'{{"customer": {customer}}}\n{{"customer": {{"id": "c2"}}}}'.encode(),
        content_type=b"application/x-ndjson",
    )
    assert response.status == 200, response.body[:300]
    assert [json.loads(line)["ok"] for line in response.body.splitlines()] == [
        True,
        True,
    ]


def _nested_and(levels: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"lead_score": {"$gte": 1}}
    for _ in range(levels):
        condition = {"$and": [condition]}
    return condition


@pytest.mark.parametrize("levels", [16, 150])
def test_a_condition_nested_past_the_limit_is_refused_at_save(
    world: World, levels: int
) -> None:
    """An audience and a rule's own condition: a 422 naming the limit, and
    nothing stored (a saved one would fail every render that uses it)."""
    condition = _nested_and(levels)
    response = attack(
        world,
        _route("POST /manage/v1/audiences"),
        json.dumps({"key": f"deep{levels}", "condition": condition}).encode(),
    )
    # Past the body's own nesting limit the request is refused before it is
    # read (400 body-too-deep); within it, the condition limit answers (422).
    assert response.status in (400, 422), response.body[:300]
    assert ("nested deeper than" in response.body.decode()) or (
        "body-too-deep" in response.body.decode()
    )
    rules = [
        {"type": "personalise", "id": "d", "condition": condition, "variant": "vip"}
    ]
    body = {"variants": {"vip": {"fields": {"title": {"en": "V"}}}}, "rules": rules}
    response = attack(
        world,
        _route("PUT /manage/v1/entries/{entry_id:str}/personalization"),
        json.dumps(body).encode(),
    )
    assert response.status in (400, 422), response.body[:300]


def test_a_condition_within_the_limit_is_saved_and_renders(world: World) -> None:
    condition = _nested_and(14)
    response = attack(
        world,
        _route("POST /manage/v1/audiences"),
        json.dumps({"key": "nested14", "condition": condition}).encode(),
    )
    assert response.status == 201, response.body[:300]


@pytest.mark.parametrize("depth", [100, 390, 1000, 5000])
def test_a_json_value_that_is_stored_can_be_read_back(world: World, depth: int) -> None:
    """A ``json`` field nested ``depth`` levels: refused with a 4xx (past the
    body nesting limit), or stored and then readable everywhere. Found by the
    hostile suite: a value the request decoder took (msgspec nests deeper than
    the ``json`` module) was stored, and every later read of the entry was a
    ``RecursionError`` 500 (so was the snapshot build that read it)."""
    value = "[" * depth + "1" + "]" * depth
    body = (
        f'{{"type": "article", "key": "deep-{depth}", "fields": '
        f'{{"title": {{"en": "Deep"}}, "data": {value}}}}}'
    )
    response = attack(world, _route("POST /manage/v1/entries"), body.encode())
    if response.status != 201:
        assert 400 <= response.status < 500
        return
    entry = json.loads(response.body)
    manage = world.auth("manage")
    got = world.client.get(f"/manage/v1/entries/{entry['id']}", headers=manage)
    assert got.status_code == 200, got.text[:300]
    published = world.client.post(
        f"/manage/v1/entries/{entry['id']}/publish",
        headers={**manage, "If-Match": got.headers["etag"]},
    )
    world.may_have_written()
    assert published.status_code == 200, published.text[:300]
    delivered = world.client.get(
        f"/delivery/v1/entries/{entry['id']}", headers=world.auth("delivery")
    )
    assert delivered.status_code == 200, delivered.text[:300]
