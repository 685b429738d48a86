"""The batch render's answer: recipients in, one NDJSON line per recipient out.

``POST /render/v1/render/batch`` answers with :class:`BatchStream`, whose ASGI
side (:class:`_BatchASGI`) reads the request itself, while it writes, instead
of Litestar's ``Stream``: that one listens on the receive channel for a
disconnect, so the body could not be read while the answer streams, and the
old handler had to hold the whole body (up to 2 GB) in memory first.

* **NDJSON** (``application/x-ndjson``) is streamed both ways: a reader task
  fills an :class:`~content_hub.api.batch_input.Inbox`, lines are decoded and
  rendered in chunks of :data:`BATCH_CHUNK` (one sticky-bucket read each), and
  each chunk's lines are written as soon as they are rendered. Memory is a
  chunk of lines plus at most the inbox's memory share, whatever the size of
  the batch.
* A **JSON array** is one document: it is read whole, up to
  ``CONTENT_HUB_BATCH_MAX_ARRAY_BYTES``, and decoded before the answer starts.

Every input line gets exactly one output line, in order: ``{"index", "ok":
true, "render"}`` or ``{"index", "ok": false, "error": <problem>}`` — a line
that is not JSON, nests too deeply (:mod:`content_hub.api.bodies`), is over
``CONTENT_HUB_BATCH_MAX_LINE_BYTES`` or fails to render is an error line and
the batch goes on. A body over ``CONTENT_HUB_BATCH_MAX_BODY_BYTES`` is a 413
problem when that is known before the first line is written (a
``Content-Length`` over the limit always is); once lines have been written it
ends the stream with one last error line (status 413, ``index`` = the first
recipient not read), and nothing follows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable
from typing import Any

import msgspec
from litestar.response import Stream
from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import Receive, Scope, Send

from content_hub.api.batch_input import Inbox, Lines, read_into
from content_hub.api.bodies import BodyTooLarge, depth_problem, too_deep
from content_hub.api.problems import problem_body
from content_hub.domain.errors import BadRequest
from content_hub.domain.render import BatchItemIn
from content_hub.live.batch_render import Chunks, Item, Output
from content_hub.settings import BatchSettings

log = logging.getLogger(__name__)
BATCH_CHUNK = 200
"""Recipients rendered together: one sticky-bucket read, one write."""
NDJSON = "application/x-ndjson"
BODY_SETTING = "CONTENT_HUB_BATCH_MAX_BODY_BYTES"
ARRAY_SETTING = "CONTENT_HUB_BATCH_MAX_ARRAY_BYTES"

Source = Callable[[Receive], AsyncGenerator[list[Item], None]]
Render = Callable[[Chunks], Output]
"""Chunks of recipients in, each chunk's lines out (in order), with the index
of the first recipient not answered yet (:mod:`content_hub.live.batch_render`)."""
_item = msgspec.json.Decoder(BatchItemIn)
_encoder = msgspec.json.Encoder()


class ClientGone(Exception):
    """The client disconnected: stop rendering, write nothing more."""


def decode_line(line: bytes | Exception) -> BatchItemIn | Exception:
    """One recipient, or the error its output line reports."""
    if isinstance(line, Exception):
        return line
    if too_deep(line):
        return depth_problem()
    try:
        return _item.decode(line)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return exc
    except RecursionError:
        return depth_problem()


def body_too_large(limit: int, setting: str, index: int | None = None) -> BodyTooLarge:
    where = "" if index is None else f"; recipients from index {index} on were not read"
    return BodyTooLarge(
        f"The body is over the limit of {limit} bytes ({setting}){where}. "
        "Split the batch.",
        extra={"max_body_bytes": limit},
    )


def ndjson_source(limits: BatchSettings) -> Source:
    """Chunks of decoded recipients from an NDJSON body, read as it arrives."""

    async def chunks(receive: Receive) -> AsyncGenerator[list[Item], None]:
        inbox = Inbox()
        lines = Lines(limits.max_line_bytes)
        reader = asyncio.create_task(read_into(receive, inbox, limits.max_body_bytes))
        chunk: list[Item] = []
        try:
            while not inbox.gone:
                block = inbox.take()
                if block is None:
                    if chunk:
                        yield chunk
                        chunk = []
                        # While the renderer had the chunk, more of the body
                        # may have come in and the reader may have finished:
                        # take what waits before believing "finished".
                        continue
                    if inbox.finished:
                        break
                    await inbox.wait()
                    continue
                for index, line in lines.feed(block):
                    chunk.append((index, decode_line(line)))
                    if len(chunk) >= BATCH_CHUNK:
                        yield chunk
                        chunk = []
            if inbox.gone:
                raise ClientGone
            if inbox.over_limit:
                raise body_too_large(limits.max_body_bytes, BODY_SETTING, lines.index)
            tail = [(index, decode_line(line)) for index, line in lines.close()]
            if tail:
                yield tail
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            inbox.close()

    return chunks


def array_source(items: list[Any]) -> Source:
    """Chunks of recipients from a decoded JSON array."""

    async def chunks(receive: Receive) -> AsyncGenerator[list[Item], None]:
        for start in range(0, len(items), BATCH_CHUNK):
            chunk: list[Item] = []
            for index in range(start, min(start + BATCH_CHUNK, len(items))):
                try:
                    chunk.append((index, msgspec.convert(items[index], BatchItemIn)))
                except msgspec.ValidationError as exc:
                    chunk.append((index, exc))
            yield chunk

    return chunks


async def read_document(receive: Receive, limit: int) -> bytes:
    """A whole (JSON array) body of at most ``limit`` bytes, or a 413."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise BadRequest("The client disconnected before the body was complete.")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise body_too_large(limit, ARRAY_SETTING)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class _BatchASGI(ASGIStreamingResponse):
    """Writes a chunk's lines as soon as they are rendered; the response
    starts with the first of them, so a failure before it (a body over the
    limit) is still a problem document."""

    def __init__(self, *, source: Source, render: Render, **kwargs: Any) -> None:
        super().__init__(iterator=(), **kwargs)
        self.source = source
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False
        answered = 0  # the index of the first recipient without an output line

        async def write(body: bytes) -> None:
            nonlocal started
            if not started:
                await self.start_response(send)
                started = True
            await send({"type": "http.response.body", "body": body, "more_body": True})

        async with (
            contextlib.aclosing(self.source(receive)) as chunks,
            contextlib.aclosing(self.render(chunks)) as bodies,
        ):
            try:
                async for body, after in bodies:
                    await write(body)
                    answered = after
            except ClientGone:
                return
            except Exception as exc:  # before the start: a problem document
                if not started:
                    raise
                line = {"index": answered, "ok": False, "error": problem_body(exc)}
                await write(_encoder.encode(line) + b"\n")
        if not started:
            await self.start_response(send)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class BatchStream(Stream):
    """The handler's answer: NDJSON lines from ``source``, rendered by
    ``render`` (the OpenAPI document sees a ``Stream``)."""

    def __init__(self, source: Source, render: Render) -> None:
        super().__init__((), media_type=NDJSON)
        self.source = source
        self.render_chunk = render

    def to_asgi_response(self, app: Any, request: Any, **kwargs: Any) -> _BatchASGI:
        headers = {**kwargs.get("headers", {}), **self.headers}
        return _BatchASGI(
            source=self.source,
            render=self.render_chunk,
            headers=headers,
            media_type=NDJSON,
            status_code=200,
            content_length=0,
            encoded_headers=kwargs.get("encoded_headers"),
        )


__all__ = [
    "ARRAY_SETTING",
    "BATCH_CHUNK",
    "BODY_SETTING",
    "BatchStream",
    "Item",
    "Source",
    "array_source",
    "body_too_large",
    "decode_line",
    "ndjson_source",
    "read_document",
]
