"""The input side of the NDJSON batch: request chunks in, recipient lines out.

Why the request is read by its own task, into an :class:`Inbox`, while the
answer streams: an orchestrator sends 100,000 recipients (tens of MB) and
gets hundreds of MB of renders back. Most HTTP clients (httpx, requests,
urllib) send the whole body before they read any of the answer; if the hub
read a line only when it could write its render, its writes would fill the
socket buffers, it would stop reading, the client would stop sending, and
both would wait forever. So one task reads the body as fast as it arrives and
the renderer takes lines from the inbox. The inbox keeps up to
:data:`SPOOL_MEMORY` bytes in memory and spills the rest to an anonymous
temporary file, so a client that reads nothing until it has sent everything
costs disk, not memory; a client that reads while it sends gets renders back
while it is still sending and costs neither.

The reader also enforces the per-request limit and notices a client that
disconnects (the renderer then stops). :class:`Lines` splits the stream into
lines and enforces the per-line limit: a line over it is skipped without
being kept and becomes its own error line.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import deque
from typing import IO

from litestar.types import Receive

from content_hub.domain.errors import HubError

SPOOL_MEMORY = 4 << 20
"""Bytes of unread request the inbox keeps in memory before it spills to disk."""
READ_BLOCK = 1 << 16
"""Bytes read from the spill file at a time."""


class LineTooLong(HubError):
    status = 413
    type_slug = "line-too-large"
    title = "The batch line is too large"


class Inbox:
    """Request bytes between the reader task and the renderer, in order:
    every memory chunk precedes every byte in the spill file, because a chunk
    goes to memory only while the file is empty."""

    def __init__(self, memory: int = SPOOL_MEMORY) -> None:
        self.memory = memory
        self._chunks: deque[bytes] = deque()
        self._in_memory = 0
        self._file: IO[bytes] | None = None
        self._read = 0
        self._written = 0
        self._event = asyncio.Event()
        self.complete = False  # the whole body arrived
        self.over_limit = False  # the body broke the per-request limit
        self.gone = False  # the client disconnected

    @property
    def finished(self) -> bool:
        return self.complete or self.over_limit or self.gone

    def put(self, chunk: bytes) -> None:
        if self._read == self._written and self._in_memory + len(chunk) <= self.memory:
            self._chunks.append(chunk)
            self._in_memory += len(chunk)
        else:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed in close())
            self._file.seek(self._written)
            self._file.write(chunk)
            self._written += len(chunk)
        self._event.set()

    def take(self) -> bytes | None:
        """The next bytes, or None when nothing is waiting right now."""
        if self._chunks:
            chunk = self._chunks.popleft()
            self._in_memory -= len(chunk)
            return chunk
        if self._file is None or self._read == self._written:
            return None
        self._file.seek(self._read)
        block = self._file.read(min(READ_BLOCK, self._written - self._read))
        self._read += len(block)
        if self._read == self._written:  # drained: start the file over
            self._file.seek(0)
            self._file.truncate()
            self._read = self._written = 0
        return block

    async def wait(self) -> None:
        """Until something changes (more bytes, the end, a disconnect)."""
        self._event.clear()
        await self._event.wait()

    def finish(self, *, over_limit: bool = False, gone: bool = False) -> None:
        self.complete = not (over_limit or gone)
        self.over_limit = over_limit
        self.gone = gone
        self._event.set()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


async def read_into(receive: Receive, inbox: Inbox, limit: int) -> None:
    """The reader task: the body into ``inbox`` up to ``limit`` bytes, then
    (the body complete) a disconnect noticed while the answer streams."""
    size = 0
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                inbox.finish(gone=True)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                inbox.finish(over_limit=True)
                return
            if chunk:
                inbox.put(chunk)
            if not message.get("more_body", False):
                break
        inbox.finish()
        if (await receive())["type"] == "http.disconnect":
            inbox.gone = True
    except OSError:  # some servers raise when the client went away
        inbox.finish(gone=True)


class Lines:
    """NDJSON lines from a byte stream, each with its index; blank lines are
    skipped and take no index. A line over ``limit`` bytes is dropped as it
    streams by (never held) and comes out as a :class:`LineTooLong`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.index = 0
        self._partial = bytearray()
        self._skipped = 0  # bytes of an over-long line seen so far, or 0

    def feed(self, block: bytes) -> list[tuple[int, bytes | HubError]]:
        parts = block.split(b"\n")
        out: list[tuple[int, bytes | HubError]] = []
        self._extend(parts[0])
        if len(parts) > 1:
            self._end_line(out)
            for part in parts[1:-1]:  # whole lines: no copy
                if len(part) > self.limit:
                    self._skipped = len(part)
                    self._end_line(out)
                elif part and not part.isspace():
                    out.append((self.index, part))
                    self.index += 1
            self._extend(parts[-1])
        return out

    def close(self) -> list[tuple[int, bytes | HubError]]:
        """The last line, when the body does not end with a newline."""
        out: list[tuple[int, bytes | HubError]] = []
        self._end_line(out)
        return out

    def _extend(self, part: bytes) -> None:
        if self._skipped:
            self._skipped += len(part)
        elif len(self._partial) + len(part) > self.limit:
            self._skipped = len(self._partial) + len(part)
            self._partial = bytearray()
        else:
            self._partial += part

    def _end_line(self, out: list[tuple[int, bytes | HubError]]) -> None:
        if self._skipped:
            out.append(
                (
                    self.index,
                    LineTooLong(
                        f"Line {self.index} has {self._skipped} bytes; a recipient "
                        f"line may have at most {self.limit} "
                        "(CONTENT_HUB_BATCH_MAX_LINE_BYTES).",
                        extra={"max_line_bytes": self.limit},
                    ),
                )
            )
            self.index += 1
        elif self._partial and not self._partial.isspace():
            out.append((self.index, bytes(self._partial)))
            self.index += 1
        self._partial = bytearray()
        self._skipped = 0


__all__ = ["Inbox", "LineTooLong", "Lines", "read_into"]
