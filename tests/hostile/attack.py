"""One hostile request and the three promises checked for every one of them:
no 5xx, a problem document for every 4xx, nothing stored when refused."""

from __future__ import annotations

from collections.abc import Callable

from tests.hostile.bases import base_query
from tests.hostile.routes import Route
from tests.hostile.world import RawResponse, World, assert_problem

JSON = b"application/json"


def current_version(world: World, path: str) -> bytes | None:
    """The ETag of the resource a versioned write aims at: the path itself or
    the nearest parent that answers a GET with one."""
    if path in world.versions:
        return world.versions[path]
    found = _read_version(world, path)
    world.versions[path] = found
    return found


def _read_version(world: World, path: str) -> bytes | None:
    headers = world.auth("admin")
    while path.count("/") > 3:
        response = world.client.get(path, headers=headers)
        if response.status_code == 200 and "etag" in response.headers:
            return response.headers["etag"].encode("latin-1")
        path = path.rsplit("/", 1)[0]
    return None


def attack(
    world: World,
    route: Route,
    body: bytes,
    *,
    content_type: bytes | None = JSON,
    headers: list[tuple[bytes, bytes]] | None = None,
    query: bytes | None = None,
    with_version: bool = True,
) -> RawResponse:
    """Send ``body`` to ``route`` with the route's key (and, when the route is
    versioned, the resource's current version, so that the body is judged and
    not refused for a missing If-Match); check the three promises."""
    path = route.path(world)
    sent = list(headers or [])
    if route.scope is not None:
        sent.append(
            (b"authorization", world.auth(route.scope)["Authorization"].encode())
        )
    if content_type is not None:
        sent.append((b"content-type", content_type))
    if with_version and route.versioned and route.body_type is not None:
        version = current_version(world, path)
        if version is not None:
            sent.append((b"if-match", version))
    return checked(
        world,
        f"{route.label} with a {len(body)}-byte body {body[:300]!r}",
        lambda: world.raw(
            route.method,
            path,
            query=base_query(route) if query is None else query,
            headers=sent,
            body=body,
        ),
        read=route.method == "GET",
    )


def checked(
    world: World, what: str, send: Callable[[], RawResponse], *, read: bool = False
) -> RawResponse:
    """Send, then check: below 500, a problem document for a 4xx, and for a
    4xx (or any answer to a ``read``, a GET) the stored state exactly as it
    was before."""
    before = world.state_before()
    response = send()
    unchanged = 400 <= response.status < 500 or (read and response.status < 500)
    if response.error is not None or not unchanged:
        world.may_have_written()
    assert_problem(response, what)
    if unchanged:
        world.refused(before, what)
    return response


def publish_template(world: World, channel: str, saved: RawResponse) -> None:
    """Publish the article template draft that ``saved`` (a 200 ``PUT``)
    stored, so renders use it (a saved template is only a draft)."""
    response = world.client.post(
        f"/manage/v1/content-types/article/templates/{channel}/publish",
        headers={**world.auth("manage"), "If-Match": saved.headers["etag"]},
    )
    world.may_have_written()
    assert response.status_code == 200, response.text[:300]
