"""Bounded shutdown: no single step can keep a worker from exiting.

A worker's shutdown is a sequence of steps (end the background loops, flush
exposures, drain the search index, close the clients of Redis, Meilisearch
and the database). Each awaits something outside the process, and one that
never finishes would hold the worker forever: a deploy waits on it, a test
client's exit never returns. :func:`bounded` runs one step for at most
``seconds``; a step that overruns is cancelled and logged at ERROR with the
chain of awaits it was stuck in (:func:`awaiting`), a step that fails is
logged with its traceback, and either way the caller goes on to the next
step, so everything after it is still closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from types import CoroutineType, FrameType, GeneratorType
from typing import Any

log = logging.getLogger(__name__)

STEP_SECONDS = 15.0
"""How long one shutdown step may take (the search drain's own budget is 10 s)."""

UNWIND_SECONDS = 1.0
"""How long a cancelled step gets to unwind before it is left behind."""


def _frame(awaitable: object) -> FrameType | None:
    for attribute in ("cr_frame", "gi_frame", "ag_frame"):
        frame = getattr(awaitable, attribute, None)
        if frame is not None:
            return frame  # type: ignore[no-any-return]
    return None


def awaiting(task: asyncio.Future[Any]) -> list[str]:
    """Where ``task`` is suspended: ``file:line in function`` for each
    coroutine of its await chain, outermost first, following an awaited
    task into its own chain. (``Task.get_stack`` gives only the outermost
    frame of a suspended coroutine.)"""
    where: list[str] = []
    seen: set[int] = set()
    current: asyncio.Future[Any] | None = task
    while current is not None and id(current) not in seen and len(where) < 64:
        seen.add(id(current))
        if not isinstance(current, asyncio.Task):
            where.append(f"(a future: {current!r})"[:300])
            break
        link: object = current.get_coro()
        while (frame := _frame(link)) is not None:
            code = frame.f_code
            where.append(f"{code.co_filename}:{frame.f_lineno} in {code.co_name}")
            if isinstance(link, CoroutineType):
                link = link.cr_await
            elif isinstance(link, GeneratorType):
                link = link.gi_yieldfrom
            else:
                link = getattr(link, "ag_await", None)
        # what the task's innermost await is parked on (a task, a future)
        waiter = getattr(current, "_fut_waiter", None)
        current = waiter if isinstance(waiter, asyncio.Future) else None
    return where


async def bounded(
    step: str,
    work: Awaitable[object],
    seconds: float = STEP_SECONDS,
) -> bool:
    """Run one shutdown ``step`` for at most ``seconds``; whether it finished
    without error. Never raises but for the caller's own cancellation (then
    the step is cancelled too)."""
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if not done:
        where = awaiting(task)
        task.cancel()
        await asyncio.wait({task}, timeout=UNWIND_SECONDS)
        log.error(
            "shutdown: %s did not finish in %.1f s and was abandoned;"
            " it was waiting at:\n  %s",
            step,
            seconds,
            "\n  ".join(where) or "(no coroutine frames)",
        )
        return False
    if task.cancelled():
        log.error("shutdown: %s was cancelled", step)
        return False
    failure = task.exception()
    if failure is not None:
        log.error("shutdown: %s failed", step, exc_info=failure)
        return False
    return True
