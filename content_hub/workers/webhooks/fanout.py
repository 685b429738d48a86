"""Fan-out: the change log's new rows become queued deliveries.

In ONE transaction: read the changes after the cursor, the facts their
events carry, queue a delivery per (change event, matching subscription),
and move the cursor (compare-and-set). A crash at any point loses nothing
and queues nothing twice: either all of it is committed or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from content_hub.domain.changes import ALL_ENTRIES, ChangeKind
from content_hub.domain.ids import new_id
from content_hub.domain.webhooks import EventType, Webhook
from content_hub.store.repositories.webhook_dispatch import (
    DispatchRepository,
    EntryState,
)
from content_hub.store.repositories.webhooks import POSITIONS
from content_hub.workers.webhooks.events import (
    ENTRY_EVENTS,
    ChangeRow,
    EntryFacts,
    body,
    encode,
    event_types,
)


def delivery_id() -> str:
    """The ``webhook-id`` of a new delivery (time-ordered)."""
    return "msg_" + new_id()


@dataclass(frozen=True, slots=True)
class _Subscriber:
    hook: Webhook
    events: frozenset[str]
    types: frozenset[str]
    terms: frozenset[str] | None
    """The filter's terms and their descendants (None: no term filter)."""


def _facts(state: EntryState | None, locales: set[str]) -> EntryFacts | None:
    if state is None:
        return None
    fields = state.fields or {}
    found = {
        code
        for value in fields.values()
        if isinstance(value, dict)
        for code in value
        if code in locales
    }
    experiments = [
        str(rule.get("key") or state.key)
        for rule in state.rules
        if isinstance(rule, dict) and rule.get("type") == "experiment"
    ]
    return EntryFacts(
        key=state.key,
        version=state.published_version
        if state.published_version is not None
        else state.version,
        terms=state.terms,
        locales=tuple(sorted(found)),
        experiments=tuple(dict.fromkeys(experiments)),
    )


async def fan_out(repo: DispatchRepository, batch: int, when: datetime) -> int:
    """Queue the deliveries of up to ``batch`` changes after the cursor and
    advance it; returns how many changes were consumed (0: up to date, or
    the cursor moved under us and nothing was written)."""
    cursor = await repo.cursor()
    hooks = await repo.active()
    floor = min((h.start_seq for h in hooks), default=None)
    raw = await repo.changes_after(max(cursor, floor or 0), batch)
    if not raw:  # (changes before every subscription's start are skipped)
        return 0
    changes = [ChangeRow(s, e, t, ChangeKind.parse(k), a) for s, e, t, k, a in raw]
    subscribers = [
        _Subscriber(
            h,
            frozenset(h.events),
            frozenset(h.content_types),
            frozenset(await repo.with_descendants(h.terms)) if h.terms else None,
        )
        for h in hooks
    ]
    entry_ids = {c.entry_id for c in changes if c.entry_id != ALL_ENTRIES}
    locales = await repo.locales()
    states = await repo.entries(entry_ids) if subscribers else {}
    rows: list[dict[str, Any]] = []
    for sub in subscribers:
        deleted = [c.entry_id for c in changes if c.kind is ChangeKind.DELETED]
        known = await repo.sent_before(sub.hook.id, deleted) if sub.terms else set()
        for change in changes:
            if change.seq <= sub.hook.start_seq:
                continue
            facts = _facts(states.get(change.entry_id), locales)
            for n, kind in enumerate(event_types(change, facts)):
                if kind in sub.events and _matches(sub, kind, change, facts, known):
                    rows.append(_row(sub.hook.id, n, kind, change, facts, when))
    await repo.queue(rows)
    if not await repo.advance(cursor, changes[-1].seq):
        raise CursorMoved
    return len(changes)


class CursorMoved(Exception):
    """Another dispatcher advanced the cursor (a lost lease): roll back."""


def _matches(
    sub: _Subscriber,
    kind: EventType,
    change: ChangeRow,
    facts: EntryFacts | None,
    known: set[str],
) -> bool:
    entry_event = kind in ENTRY_EVENTS or kind is EventType.EXPERIMENT_CHANGED
    typed = entry_event or kind is EventType.TEMPLATE_CHANGED
    if sub.types and typed and change.type_key not in sub.types:
        return False
    if sub.terms is not None and entry_event:
        if facts is None:  # deleted: only where its earlier events went
            return change.entry_id in known
        return bool(sub.terms.intersection(facts.terms))
    return True


def _row(
    webhook_id: str,
    n: int,
    kind: EventType,
    change: ChangeRow,
    facts: EntryFacts | None,
    when: datetime,
) -> dict[str, Any]:
    return {
        "id": delivery_id(),
        "webhook_id": webhook_id,
        "position": change.seq * POSITIONS + n,
        "entry_id": change.entry_id,
        "event_type": str(kind),
        "payload": encode(body(kind, change, facts)).decode(),
        "status": "pending",
        "attempts": 0,
        "requeued": 0,
        "next_at": when,
        "created_at": when,
    }
