"""Sticky bucketing persisted in the database (table ``sticky_assignment``).

The render path, for one customer or a batch::

    sticky = await hub.sticky.load(sticky_pairs(ruleset, customers))
    decision = decide(ruleset, customer, sticky=sticky)   # for each customer
    hub.sticky.save_changed(sticky)

``load`` reads every needed document with one query (per 5,000 keys) into an
in-memory ``variants`` sticky service; ``save_changed`` hands the documents
``decide`` created or changed to the event recorder, which upserts them with
its next batch (merged with what is stored, so concurrent workers keep each
other's assignments). Documents still in the recorder's buffer are overlaid on
load, so a second render before the flush sees the first one's assignment.

What was read (including "no document") and what this process saved is kept
in a bounded in-process cache, so a returning customer costs no database read:
the render path of a known customer touches no database. Without a change of
the rules, any worker computes the same assignment as any other (hashing is
deterministic), so a document another worker saves meanwhile can only differ
after a publish — and every snapshot change clears the cache (:meth:`forget`),
so the next read after a publish goes back to the database.

Reads of concurrent requests are grouped: one query runs at a time per
process and takes every key that arrived while the previous one ran, so many
new customers rendered at once cost one round trip, not one each. On SQLite a
synchronous point reader (:mod:`content_hub.store.sqlite_reads`) answers
first, without the session's thread hops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.text import NUL
from content_hub.live.exposures import EventRecorder
from content_hub.store.repositories.events import EventRepository
from variants import (
    CompiledRuleSet,
    Customer,
    ExperimentRule,
    InMemoryStickyBucketService,
    RuleSet,
    StickyAssignmentsDoc,
)

PointReader = Callable[[Sequence[str]], dict[str, dict[str, str]] | None]
GroupReader = Callable[[Sequence[str]], Awaitable[dict[str, dict[str, str]]]]
"""The stored documents of some keys, read together (PostgreSQL's reader)."""
"""Stored documents by attribute key, or ``None`` to read through a session."""
SEPARATOR = "||"
CACHE_SIZE = 100_000
"""Sticky documents (or their absence) kept per process: a few hundred bytes each."""


def attribute_key(name: str, value: str) -> str:
    """GrowthBook's document key: ``"<attributeName>||<attributeValue>"``."""
    return f"{name}{SEPARATOR}{value}"


class TrackedStickyBuckets(InMemoryStickyBucketService):
    """An in-memory sticky service that remembers which documents changed."""

    def __init__(self, docs: Iterable[StickyAssignmentsDoc] = ()) -> None:
        super().__init__()
        for doc in docs:
            super().save_assignments(doc)
        self.changed: dict[str, dict[str, str]] = {}

    @classmethod
    def owning(cls, docs: dict[str, StickyAssignmentsDoc]) -> TrackedStickyBuckets:
        """Over documents (by attribute key) the caller hands over, uncopied."""
        tracked = cls()
        tracked.docs = docs
        return tracked

    def save_assignments(self, doc: StickyAssignmentsDoc) -> None:
        before = self.get_assignments(doc["attributeName"], doc["attributeValue"])
        super().save_assignments(doc)
        if before is None or before["assignments"] != doc["assignments"]:
            key = attribute_key(doc["attributeName"], doc["attributeValue"])
            self.changed[key] = dict(doc["assignments"])


def _string(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return msgspec.json.encode(value).decode()


def sticky_pairs(
    ruleset: RuleSet | CompiledRuleSet, customers: Iterable[Customer]
) -> list[tuple[str, str]]:
    """``(attributeName, attributeValue)`` pairs whose documents ``decide``
    may read for these customers: each running experiment's hash attribute
    and fallback attribute (top-level attributes, as the render path sends)."""
    attrs: list[str] = []
    if isinstance(ruleset, CompiledRuleSet):
        attrs.extend(ruleset.sticky_attributes)
    else:
        for rule in ruleset.rules:
            if isinstance(rule, ExperimentRule) and not rule.disable_sticky_bucketing:
                attrs.extend(
                    (rule.hash_attribute or "id", rule.fallback_attribute or "id")
                )
    names = tuple(dict.fromkeys(attrs))
    if not names:
        return []
    pairs: dict[tuple[str, str], None] = {}
    for customer in customers:
        pairs.update(attribute_pairs(names, customer.condition_attributes()))
    return list(pairs)


def attribute_pairs(
    names: Sequence[str], attributes: Mapping[str, Any]
) -> dict[tuple[str, str], None]:
    """One customer's ``(attributeName, attributeValue)`` pairs of ``names``
    (a compiled rule set's ``sticky_attributes``), from its condition
    attributes: the documents ``decide`` may read for it."""
    pairs: dict[tuple[str, str], None] = {}
    for name in names:
        value = _string(attributes.get(name))
        if value is not None and NUL not in value:  # never stored: not read
            pairs[(name, value)] = None
    return pairs


class StickyStore:
    """Loads and saves sticky-bucket documents for a batch of customers."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        recorder: EventRecorder,
        cache_size: int = CACHE_SIZE,
        point_reader: PointReader | None = None,
        expire_reader: Callable[[], None] | None = None,
        group_reader: GroupReader | None = None,
    ) -> None:
        self.sessions = sessions
        self.recorder = recorder
        self.cache_size = cache_size
        self.point_reader = point_reader
        """A synchronous reader (SQLite) tried before the grouped session read."""
        self.expire_reader = expire_reader
        """Tells the point reader the rules changed (its key filter looks at
        the table again before it rules a key out)."""
        self.group_reader = group_reader
        """The grouped read without a session (PostgreSQL's own connection);
        ``None``: through a session of ``sessions``."""
        self._cache: dict[str, dict[str, str] | None] = {}
        self._generation = 0
        self._watching: dict[int, set[str]] = {}
        """For each load reading now, the keys saved since its read began."""
        self._waiting: dict[str, None] = {}
        """Keys for the next grouped read."""
        self._next: asyncio.Future[dict[str, dict[str, str]]] | None = None
        self._reader: asyncio.Task[None] | None = None

    def forget(self) -> None:
        """Drop the cache (the rules may have changed: read the database again)."""
        self._cache = {}
        self._generation += 1
        if self.expire_reader is not None:
            self.expire_reader()

    def _remember(self, docs: dict[str, dict[str, str] | None]) -> None:
        if len(self._cache) + len(docs) > self.cache_size:
            self._cache = {}  # cheap and rare: refill from the database
        self._cache.update(docs)

    async def load(self, pairs: Iterable[tuple[str, str]]) -> TrackedStickyBuckets:
        """The stored (and still buffered) documents of these identifiers."""
        wanted: Sequence[tuple[str, str]] = list(dict.fromkeys(pairs))
        keys = [f"{n}{SEPARATOR}{v}" for n, v in wanted]  # attribute_key, inlined
        stored: dict[str, dict[str, str]] = {}
        cache = self._cache
        missing: list[str] = []
        for key in keys:
            if key in cache:
                cached = cache[key]
                if cached is not None:
                    stored[key] = dict(cached)
            else:
                missing.append(key)
        if missing:
            found = await self._read_missing(missing)
            stored.update(found)
        for key, pending in self.recorder.pending_sticky(keys).items():
            stored[key] = {**stored.get(key, {}), **pending}
        docs: dict[str, StickyAssignmentsDoc] = {}
        for (name, value), key in zip(wanted, keys, strict=True):
            if key in stored:
                docs[key] = {
                    "attributeName": name,
                    "attributeValue": value,
                    "assignments": stored[key],
                }
        return TrackedStickyBuckets.owning(docs)

    async def _read_missing(self, missing: list[str]) -> dict[str, dict[str, str]]:
        """The stored documents of keys the cache does not hold, with what
        the recorder has not committed yet, and keep them in the cache.

        The recorder is asked before the read as well as after: a flush that
        commits while the read runs is in neither the read nor a later look
        at the recorder. A key saved while the read runs (that flush may
        have committed it since) is not kept: it is not known in full."""
        before = self.recorder.pending_sticky(missing)
        generation = self._generation
        saved: set[str] = set()
        self._watching[id(saved)] = saved  # by identity: equal sets are not one
        try:
            found = await self._read(missing)
        finally:
            del self._watching[id(saved)]
        for key, pending in before.items():
            found[key] = {**found.get(key, {}), **pending}
        if generation == self._generation:  # no publish while reading
            # Kept with what is pending: the recorder writes it (or keeps it
            # until it can), so it is what the database holds from now on.
            after = self.recorder.pending_sticky(missing)
            known: dict[str, dict[str, str] | None] = {}
            for key in missing:
                if key in saved:
                    continue
                doc = found.get(key)
                known[key] = {**(doc or {}), **after[key]} if key in after else doc
            self._remember(known)
        return found

    async def _read(self, keys: list[str]) -> dict[str, dict[str, str]]:
        """The stored documents of ``keys``: from the point reader if there
        is one, else read together with the keys of every other request
        waiting at the same time."""
        if self.point_reader is not None:
            direct = self.point_reader(keys)
            if direct is not None:
                return direct
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        shared = self._next
        self._waiting.update(dict.fromkeys(keys))
        if self._reader is None:
            self._reader = asyncio.create_task(self._read_waiting())
        # shielded: one cancelled request must not cancel the others' read
        found = await asyncio.shield(shared)
        return {k: found[k] for k in keys if k in found}

    async def _read_waiting(self) -> None:
        """Read the waiting keys, one query at a time, until none are left."""
        try:
            while self._waiting:
                keys, self._waiting = list(self._waiting), {}
                shared, self._next = self._next, None
                assert shared is not None
                try:
                    if self.group_reader is not None:
                        found = await self.group_reader(keys)
                    else:
                        async with self.sessions() as session:
                            found = await EventRepository(session).sticky_docs(keys)
                except Exception as exc:  # every waiter of this read raises it
                    shared.set_exception(exc)
                    shared.exception()  # retrieved: no "never retrieved" log
                except BaseException:  # cancelled (shutdown): so are the waiters
                    shared.cancel()
                    raise
                else:
                    shared.set_result(found)
        finally:
            self._reader = None
            if self._next is not None:  # only left when cancelled
                self._next.cancel()
                self._next, self._waiting = None, {}

    def save_changed(self, sticky: InMemoryStickyBucketService) -> int:
        """Queue the documents ``decide`` created or changed; returns how many."""
        if isinstance(sticky, TrackedStickyBuckets):
            if not sticky.changed:
                return 0
            changed = dict(sticky.changed)
            sticky.changed.clear()
        else:
            changed = {k: dict(d["assignments"]) for k, d in sticky.docs.items()}
        # A customer whose hash value holds a NUL is refused (its render fails),
        # but a batch keeps going: its document must not reach the recorder,
        # whose next flush would fail on it again and again.
        changed = {k: v for k, v in changed.items() if NUL not in k}
        self.recorder.save_sticky(changed)
        for saved in self._watching.values():
            saved.update(changed)
        # Only a document the cache knows in full is updated: after a publish
        # emptied the cache, these assignments alone are not the stored
        # document (the next load reads it, with these still pending).
        cache = self._cache
        merged: dict[str, dict[str, str] | None] = {}
        for key, assignments in changed.items():
            if key in cache:
                merged[key] = {**(cache[key] or {}), **assignments}
        self._remember(merged)
        return len(changed)
