"""Fast paths: the hottest routes answered without Litestar's handler machinery.

What the hub does per request on its hot paths — a dictionary lookup of a
pre-encoded delivery body, or a render from the in-memory snapshot — costs
less than Litestar's signature model, kwargs extraction, ``Response`` object
and its conversion to ASGI messages. A route may therefore declare a fast path
in its ``opt``::

    @get("/...", opt={"fast_path": my_fast_path})

``my_fast_path(scope, receive)`` answers the plain, valid request itself and
returns an :data:`Answer`; for anything else (a preview key, an unusual or
invalid parameter, a body the strict decoder refuses) it returns ``None`` and
the receive channel to give the full handler — which replays a body the fast
path already read (:func:`replay`) — so validation errors, problem documents
and the OpenAPI description stay exactly those of the handler. The
observability middleware calls it after authentication, so scopes, request
ids, metrics and the exception handlers apply to both paths alike; tests
compare the two paths' answers byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.types import Receive, ReceiveMessage, Scope

from content_hub.api.bodies import media_kind

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
"""Status, raw (lower-case) headers and body of a fast-path response."""

FastPath = Callable[[Scope, Receive], Awaitable[tuple[Answer | None, Receive]]]

JSON_HEADER = (b"content-type", b"application/json")


def replay(body: bytes, receive: Receive, *, complete: bool = True) -> Receive:
    """A receive channel that first hands out ``body`` (already read), then
    whatever ``receive`` brings: the rest of an incomplete body
    (``complete=False``), or a disconnect."""
    pending = True

    async def again() -> ReceiveMessage:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return again


async def read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body and whether it is complete within ``limit`` bytes
    (reading stops past the limit: hand what was read to the handler with
    ``replay(body, receive, complete=False)``, whose limits then decide)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def header(scope: Scope, name: bytes, max_length: int) -> tuple[bool, str | None]:
    """``(plain, value)`` of a request header the handler declares with
    ``max_length``: not plain when it repeats, is too long or is not ASCII."""
    value: str | None = None
    for key, raw in scope["headers"]:
        if key == name:
            if value is not None or len(raw) > max_length or not raw.isascii():
                return False, None
            value = raw.decode("ascii")
    return True, value


def json_headers(scope: Scope, language_limit: int) -> tuple[bool, str | None]:
    """``(plain, Accept-Language)`` of a request with a JSON body, in one pass
    over the headers: plain when ``Content-Type`` is a JSON media type (the
    usual ``application/json`` is one byte comparison) and appears once, and
    ``Accept-Language`` is plain as :func:`header` has it. Anything else —
    including no ``Content-Type`` — is for the handler, which answers 415."""
    json_type = False
    language: str | None = None
    for key, raw in scope["headers"]:
        if key == b"content-type":
            if json_type or (
                raw != b"application/json"
                and media_kind(raw.decode("latin-1")) != "json"
            ):
                return False, None
            json_type = True
        elif key == b"accept-language":
            if language is not None or len(raw) > language_limit or not raw.isascii():
                return False, None
            language = raw.decode("ascii")
    return json_type, language
