"""Processes forked from a worker to run one batch request's chunks on every core.

Why fork, and fork per request: a child forked from the worker shares the
worker's published generation (compiled rule sets, compiled templates,
resolved fields) copy-on-write, for free, and it is exactly the generation
the request looked its target up in; a pool started on its own would have to
build and follow its own generation. A fork costs a few milliseconds, which a
batch large enough to use the pool (more than one chunk) does not notice.

The protocol, over one Unix socket pair per child: the parent sends a job
(length-prefixed bytes), the child answers each job with one frame of
``kind, length, payload`` (:data:`RESULT`, or :data:`FAILED` with the
error), in the order the jobs were sent. Progress does not travel on the
socket: the child writes the time of its last step into a page shared with
the parent, so a parent busy with other work never mistakes a busy child for
a stalled one.

What cannot go wrong quietly:

* a child that dies (a crash, the OOM killer, ``kill -9``) closes its socket:
  every job it held fails with :class:`RenderWorkerLost`, the request ends
  with that error line, nothing waits for it;
* a child that stops making progress (a lock it inherited held by a parent
  thread at the fork, say) for ``stall_s`` is killed the same way;
* :meth:`ChunkPool.close` kills and reaps every child: the request calls it
  when it ends, fails, is cancelled or its client disconnects;
* a child dies with its worker (``PR_SET_PDEATHSIG``, Linux), closes every
  descriptor it inherited but stdio and its socket (the worker's client
  connections, listening socket, database connections and event loop stay
  the worker's alone), leaves the worker's signal handling alone and ends
  with ``os._exit``: it never runs the parent's cleanup.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import mmap
import os
import signal
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from content_hub.domain.errors import HubError

__all__ = ["ChunkPool", "RenderWorkerLost", "Ticket", "Work"]

Work = Callable[[bytes, Callable[[], None]], bytes]
"""The child's job function: ``(job, progress) -> result``; it calls
``progress()`` between units of work (a write to shared memory)."""
RESULT, FAILED = 2, 3
_HEAD = struct.Struct("!BI")
_LEN = struct.Struct("!I")
_TIME = struct.Struct("d")
_PR_SET_PDEATHSIG = 1


class RenderWorkerLost(HubError):
    status = 503
    type_slug = "render-worker-lost"
    title = "A batch render process was lost"


class _Child:
    def __init__(self, pid: int, sock: socket.socket, beat: mmap.mmap) -> None:
        self.pid = pid
        self.sock = sock
        self.beat = beat
        """The child's last step (``time.monotonic``, the same clock in every
        process), written by the child, read by the parent."""
        self.waiting: deque[asyncio.Future[bytes]] = deque()
        self.writer: asyncio.StreamWriter | None = None
        self.reader_task: asyncio.Task[None] | None = None
        self.lost: str | None = None

    @property
    def seen(self) -> float:
        return float(_TIME.unpack_from(self.beat)[0])

    @seen.setter
    def seen(self, at: float) -> None:
        _TIME.pack_into(self.beat, 0, at)

    def fail(self, why: str) -> None:
        self.lost = self.lost or why
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(RenderWorkerLost(self.lost))
                future.exception()  # retrieved: its owner may be gone already

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


@dataclass(frozen=True, slots=True)
class Ticket:
    """A job sent to a child: its future result, and the child that holds it."""

    future: asyncio.Future[bytes]
    child: _Child


class ChunkPool:
    """``processes`` children running ``work`` for one request."""

    def __init__(self, work: Work, processes: int, stall_s: float) -> None:
        self.work = work
        self.processes = processes
        self.stall_s = stall_s
        self.children: list[_Child] = []

    async def start(self) -> None:
        """Fork the children (from the event loop's thread) and start reading."""
        for _ in range(self.processes):
            parent, child = socket.socketpair()
            beat = mmap.mmap(-1, _TIME.size)  # anonymous and shared
            try:
                pid = os.fork()
            except OSError:
                parent.close()
                child.close()
                beat.close()
                raise
            if pid == 0:  # pragma: no cover  (runs in the child, ends in os._exit)
                parent.close()
                for other in self.children:
                    other.sock.close()
                _child_main(child, beat, self.work)
            child.close()
            self.children.append(_Child(pid, parent, beat))
        for proc in self.children:
            reader, proc.writer = await asyncio.open_unix_connection(sock=proc.sock)
            proc.reader_task = asyncio.create_task(self._read(proc, reader))

    async def submit(self, job: bytes) -> Ticket:
        """Send ``job`` to the least busy child; its result arrives in the future."""
        proc = min(self.children, key=lambda c: (c.lost is not None, len(c.waiting)))
        if proc.lost is not None or proc.writer is None:
            raise RenderWorkerLost(proc.lost or "the batch processes are not running")
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        if not proc.waiting:
            proc.seen = time.monotonic()  # idle until now: not a stall
        proc.waiting.append(future)
        proc.writer.write(_LEN.pack(len(job)) + job)
        try:
            await proc.writer.drain()
        except OSError as exc:
            proc.fail(f"a batch render process could not be reached ({exc})")
        return Ticket(future, proc)

    async def result(self, ticket: Ticket) -> bytes:
        """The job's result; a child silent for ``stall_s`` is killed."""
        future, proc = ticket.future, ticket.child
        while not future.done():
            await asyncio.wait({future}, timeout=self.stall_s / 4)
            if not future.done() and time.monotonic() - proc.seen > self.stall_s:
                proc.kill()
                proc.fail(
                    f"a batch render process made no progress for {self.stall_s:.0f} s"
                )
        return future.result()

    async def _read(self, proc: _Child, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                kind, size = _HEAD.unpack(await reader.readexactly(_HEAD.size))
                payload = await reader.readexactly(size) if size else b""
                future = proc.waiting.popleft()
                if kind == RESULT:
                    future.set_result(payload)
                else:
                    future.set_exception(RenderWorkerLost(payload.decode()))
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            proc.fail("a batch render process ended unexpectedly")

    async def close(self) -> None:
        """Kill and reap every child, stop the readers; idempotent."""
        for proc in self.children:
            proc.kill()
        for proc in self.children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, 0)  # killed: returns at once
            if proc.writer is not None:
                proc.writer.close()
            else:
                proc.sock.close()
            if proc.reader_task is not None:
                proc.reader_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await proc.reader_task
            proc.fail("the batch render ended")
            proc.beat.close()
        self.children = []


def _child_main(
    sock: socket.socket, beat: mmap.mmap, work: Work
) -> None:  # pragma: no cover
    """The child's whole life: jobs in, frames out, ``os._exit`` at the end."""
    code = 0
    try:
        # Every descriptor but stdio and this socket: holding the worker's
        # client connections open would keep their FIN from being sent (a
        # client the worker hung up on would wait until the batch ends).
        keep = sock.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the prctl
            os._exit(1)
        gc.freeze()  # the inherited heap: never scanned, so never copied
        pack, clock = _TIME.pack_into, time.monotonic

        def progress() -> None:
            pack(beat, 0, clock())

        while True:
            head = _recv(sock, _LEN.size)
            if head is None:
                break
            body = _recv(sock, _LEN.unpack(head)[0])
            if body is None:
                break
            progress()
            try:
                kind, payload = RESULT, work(body, progress)
            except Exception as exc:  # a bug: the request reports it
                kind, payload = FAILED, f"a batch render failed: {exc!r}".encode()
            sock.sendall(_HEAD.pack(kind, len(payload)) + payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _recv(sock: socket.socket, size: int) -> bytes | None:  # pragma: no cover
    """Exactly ``size`` bytes, or None at the end of the stream."""
    parts: list[bytes] = []
    while size:
        part = sock.recv(min(size, 1 << 20))
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)
