"""A sticky assignment, once made, is found by every later load — also while
the event recorder is writing it, and across a publish.

CI saw ``test_an_assignment_survives_a_weight_change`` fail under load: the
first render's sticky document was in the recorder's flush (taken out of the
buffer, not yet committed) when the publish cleared the sticky cache, so the
next render found it neither in the database nor in the buffer and assigned
the customer by the new weights.

Each example interleaves saves (a new assignment each), flushes whose writes
are held and then committed or failed in a drawn order, publishes (the
cache is forgotten) and loads whose database reads are held (a read sees the
database as it was when it started, as a session's query does). Every load
must return each assignment saved before it started; once everything has
settled, the database and the cache hold them all.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.live.exposures import EventRecorder
from content_hub.live.sticky import StickyStore, TrackedStickyBuckets
from content_hub.settings import EventSettings, RetrySettings

KEYS = ("id||a", "id||b")


class Database:
    """Committed sticky documents; each write waits for its verdict."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, str]] = {}
        self.lock = threading.Lock()
        self.writes: list[tuple[threading.Event, list[bool]]] = []

    def write(
        self,
        exposures: Sequence[Exposure],
        sticky: Mapping[str, Mapping[str, str]],
        receipts: Sequence[RenderReceipt],
        now: datetime,
    ) -> None:
        gate, verdict = threading.Event(), [True]
        with self.lock:
            self.writes.append((gate, verdict))
        assert gate.wait(timeout=30), "a write was never released"
        if not verdict[0]:
            raise RuntimeError("write failed")
        with self.lock:
            for key, assignments in sticky.items():
                self.docs[key] = {**self.docs.get(key, {}), **assignments}

    def read(self, keys: Sequence[str]) -> dict[str, dict[str, str]]:
        with self.lock:
            return {k: dict(self.docs[k]) for k in keys if k in self.docs}


class HeldStore(StickyStore):
    """A store whose reads see the database as it is when they start and
    answer when released."""

    def __init__(self, recorder: EventRecorder, database: Database) -> None:
        super().__init__(sessions=None, recorder=recorder)  # type: ignore[arg-type]
        self.database = database
        self.held: list[asyncio.Event] = []

    async def _read(self, keys: list[str]) -> dict[str, dict[str, str]]:
        snapshot = self.database.read(keys)
        gate = asyncio.Event()
        self.held.append(gate)
        await gate.wait()
        return snapshot


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["save", "flush", "commit", "fail", "publish", "load", "read"]),
        st.sampled_from(KEYS),
        st.integers(0, 7),
    ),
    min_size=1,
    max_size=24,
)


async def _until(condition: Any) -> None:
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("timed out")


async def _scenario(actions: list[tuple[str, str, int]]) -> None:
    database = Database()
    recorder = EventRecorder(
        None,  # type: ignore[arg-type]
        EventSettings(),
        RetrySettings(),
        writer=lambda *batch: asyncio.to_thread(database.write, *batch),
    )
    store = HeldStore(recorder, database)
    saved: dict[str, dict[str, str]] = {k: {} for k in KEYS}
    loads: list[tuple[asyncio.Task[Any], str, dict[str, str]]] = []
    flushes: list[asyncio.Task[int]] = []
    released = 0
    count = 0

    async def release(ok: bool) -> None:
        nonlocal released
        await asyncio.sleep(0.001)  # always a turn of the loop: callers spin on it
        if released >= len(flushes):
            return
        await _until(lambda: len(database.writes) > released or flushes_done())
        if len(database.writes) > released:
            gate, verdict = database.writes[released]
            verdict[0] = ok
            gate.set()
            released += 1
            await asyncio.sleep(0.005)

    def flushes_done() -> bool:
        return all(f.done() for f in flushes)

    for action, key, n in actions:
        if action == "save":
            count += 1
            experiment = f"exp-{count}__0"
            tracked = TrackedStickyBuckets()
            tracked.changed = {key: {experiment: f"v{n}"}}
            store.save_changed(tracked)
            saved[key][experiment] = f"v{n}"
        elif action == "flush":
            flushes.append(asyncio.ensure_future(recorder.flush()))
            await asyncio.sleep(0.001)
        elif action in ("commit", "fail"):
            await release(action == "commit")
        elif action == "publish":
            store.forget()
        elif action == "load":
            task = asyncio.ensure_future(store.load([tuple(key.split("||"))]))  # type: ignore[list-item]
            loads.append((task, key, dict(saved[key])))
            await asyncio.sleep(0)
        elif action == "read" and store.held:
            store.held.pop(n % len(store.held)).set()
            await asyncio.sleep(0)

    # Settle: release every read, commit every write, flush what is left.
    while store.held:
        store.held.pop().set()
    while not flushes_done():
        await release(True)
    await asyncio.gather(*flushes, return_exceptions=True)
    while recorder.depth:
        flushes.append(asyncio.ensure_future(recorder.flush()))
        while not flushes_done():
            await release(True)
    for task, key, before in loads:
        tracked = await task
        doc = tracked.docs.get(key)
        got = dict(doc["assignments"]) if doc else {}
        assert before.items() <= got.items(), (key, before, got)
    for key in KEYS:
        assert database.docs.get(key, {}) == saved[key]
        # The cache (or a read, if it holds nothing) gives every assignment.
        task = asyncio.ensure_future(store.load([tuple(key.split("||"))]))  # type: ignore[list-item]
        await asyncio.sleep(0)
        while store.held:
            store.held.pop().set()
        tracked = await task
        doc = tracked.docs.get(key)
        assert (dict(doc["assignments"]) if doc else {}) == saved[key]


@given(actions=ACTIONS)
@settings(max_examples=300, deadline=None)
def test_a_saved_assignment_is_never_lost(actions: list[tuple[str, str, int]]) -> None:
    asyncio.run(_scenario(actions))


def test_a_publish_during_a_flush_keeps_the_assignment() -> None:
    """The case CI saw: save, flush (held), publish, load."""
    asyncio.run(
        _scenario(
            [
                ("save", KEYS[0], 1),
                ("flush", KEYS[0], 0),
                ("publish", KEYS[0], 0),
                ("load", KEYS[0], 0),
                ("read", KEYS[0], 0),
                ("commit", KEYS[0], 0),
            ]
        )
    )
