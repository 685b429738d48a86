"""Fan-out: the change log's new rows become queued deliveries.

In ONE transaction: read the changes after the cursor, the facts their
events carry, queue a delivery per (change event, matching subscription),
and move the cursor (compare-and-set). A delivery's place is (the change's
seq, the event's number in it): a change may make any number of events (a
release, one per item it changed). A crash at any point loses nothing
and queues nothing twice: either all of it is committed or none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from content_hub.domain.changes import ALL_ENTRIES, ChangeKind
from content_hub.domain.ids import new_id
from content_hub.domain.releases import parse_release_tag, release_moves
from content_hub.domain.render import feature_key
from content_hub.domain.webhooks import EventType, Webhook
from content_hub.store.repositories.webhook_dispatch import (
    DispatchRepository,
    EntryState,
)
from content_hub.workers.webhooks.events import (
    ENTRY_EVENTS,
    ChangeRow,
    EntryFacts,
    body,
    encode,
    event_types,
    release_rows,
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


Revision = tuple[str, tuple[str, ...], dict[str, Any]]
"""``(key, terms, fields)`` of one entry revision."""


def _locales_of(fields: dict[str, Any], locales: set[str]) -> set[str]:
    return {
        code
        for value in fields.values()
        if isinstance(value, dict)
        for code in value
        if code in locales
    }


def changed_locales(
    before: dict[str, Any] | None, after: dict[str, Any], locales: set[str]
) -> tuple[str, ...]:
    """The configured locales whose values differ between two revisions'
    fields: every locale either has a value in when nothing was live before
    or a non-localised field changed."""
    every = _locales_of(after, locales)
    if before is None:
        return tuple(sorted(every))
    every |= _locales_of(before, locales)
    changed: set[str] = set()
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if not isinstance(old, dict | None) or not isinstance(new, dict | None):
            return tuple(sorted(every))  # a non-localised value: every locale
        old_map, new_map = old or {}, new or {}
        changed |= {
            code
            for code in old_map.keys() | new_map.keys()
            if code in locales and old_map.get(code) != new_map.get(code)
        }
    return tuple(sorted(changed))


def _as_published(
    facts: EntryFacts,
    row: ChangeRow,
    revisions: dict[tuple[str, int], Revision],
    rules: dict[tuple[str, int], list[Any]],
    locales: set[str],
) -> EntryFacts:
    """``facts`` of the version a publish made live (its key, terms, rules
    and changed locales), not of the entry now."""
    if row.version is None or (row.entry_id, row.version) not in revisions:
        return facts
    key, terms, fields = revisions[(row.entry_id, row.version)]
    in_effect = rules.get((row.entry_id, row.version), [])
    before = None if row.before is None else revisions.get((row.entry_id, row.before))
    return replace(
        facts,
        key=key,
        version=row.version,
        terms=terms,
        locales=changed_locales(None if before is None else before[2], fields, locales),
        experiments=_experiments(in_effect, row.type_key, key),
    )


def _facts(state: EntryState | None, locales: set[str]) -> EntryFacts | None:
    if state is None:
        return None
    fields = state.fields or {}
    found = _locales_of(fields, locales)
    experiments = _experiments(state.rules, state.type, state.key)
    return EntryFacts(
        key=state.key,
        version=state.published_version
        if state.published_version is not None
        else state.version,
        terms=state.terms,
        locales=tuple(sorted(found)),
        experiments=experiments,
    )


def _experiments(rules: list[Any], type_key: str, key: str) -> tuple[str, ...]:
    """The keys of the experiments ``rules`` run: a rule's own, else its
    rule set's (the entry's feature key ``<type>.<key>``, as the render side
    and the results API name it)."""
    found = [
        str(rule.get("key") or feature_key(type_key, key))
        for rule in rules
        if isinstance(rule, dict) and rule.get("type") == "experiment"
    ]
    return tuple(dict.fromkeys(found))


async def fan_out(repo: DispatchRepository, batch: int, when: datetime) -> int:
    """Queue the deliveries of up to ``batch`` changes after the cursor and
    advance it; returns how many changes were consumed (0: up to date, or
    the cursor moved under us and nothing was written)."""
    cursor = await repo.cursor()
    hooks = await repo.active()
    floor = min((h.start_seq for h in hooks), default=None)
    raw = await repo.changes_after(max(cursor, floor or 0), batch)
    if not raw:  # (changes before every subscription's start are skipped)
        # None of them is any subscriber's: the cursor passes them, so the
        # dispatcher's idle probe (head <= cursor) finds nothing left to do.
        if (
            floor is not None
            and floor > cursor
            and not await repo.advance(cursor, floor)
        ):
            raise CursorMoved
        return 0
    changes = [
        ChangeRow(s, e, t, ChangeKind.parse(k), a, version=v, before=b, key=key)
        for s, e, t, k, a, v, b, key in raw
    ]
    subscribers = [
        _Subscriber(
            h,
            frozenset(h.events),
            frozenset(h.content_types),
            frozenset(await repo.with_descendants(h.terms)) if h.terms else None,
        )
        for h in hooks
    ]
    events = await _events(repo, changes) if subscribers else []
    rows: list[dict[str, Any]] = []
    for sub in subscribers:
        deleted = [c.entry_id for c in changes if c.kind is ChangeKind.DELETED]
        known = await repo.sent_before(sub.hook.id, deleted) if sub.terms else set()
        for event in events:
            if event.row.seq <= sub.hook.start_seq or event.kind not in sub.events:
                continue
            if _matches(sub, event.kind, event.row, event.facts, known):
                rows.append(_row(sub.hook.id, event, when))
    await repo.queue(rows)
    if not await repo.advance(cursor, changes[-1].seq):
        raise CursorMoved
    return len(changes)


@dataclass(frozen=True, slots=True)
class _Event:
    row: ChangeRow
    ordinal: int
    """Its number among the events of its change (they go out in this order)."""
    kind: EventType
    facts: EntryFacts | None


async def _events(repo: DispatchRepository, changes: list[ChangeRow]) -> list[_Event]:
    """Every event of ``changes``, in order: a release's row stands for one
    event of its own and the events of every item it changed."""
    tags = {
        parse_release_tag(c.type_key) for c in changes if c.kind is ChangeKind.RELEASE
    }
    releases = await repo.releases({release_id for release_id, _ in tags})
    moved = {
        entry_id
        for release_id, action in tags
        if release_id in releases
        for entry_id, _ in release_moves(releases[release_id], action).entries
    }
    entry_ids = {c.entry_id for c in changes if c.entry_id != ALL_ENTRIES} | moved
    states = await repo.entries(entry_ids)
    locales = await repo.locales()
    published = [c for c in changes if c.kind is ChangeKind.PUBLISHED]
    revisions = await repo.revisions(
        {
            (c.entry_id, version)
            for c in published
            for version in (c.version, c.before)
            if version is not None
        }
    )
    rules = await repo.rules_at(
        (c.entry_id, c.version) for c in published if c.version is not None
    )
    types = {entry_id: state.type for entry_id, state in states.items()}
    out: list[_Event] = []
    for change in changes:
        ordinal = 0
        rows = [change]
        if change.kind is ChangeKind.RELEASE:
            release = releases.get(parse_release_tag(change.type_key)[0])
            rows = release_rows(change, release, types)
        for row in rows:
            facts = _facts(states.get(row.entry_id), locales)
            if facts is not None and row.kind is ChangeKind.PUBLISHED:
                facts = _as_published(facts, row, revisions, rules, locales)
            for kind in event_types(row, facts):
                out.append(_Event(row, ordinal, kind, facts))
                ordinal += 1
    return out


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


def _row(webhook_id: str, event: _Event, when: datetime) -> dict[str, Any]:
    return {
        "id": delivery_id(),
        "webhook_id": webhook_id,
        "position": event.row.seq,
        "ordinal": event.ordinal,
        "entry_id": event.row.entry_id,
        "event_type": str(event.kind),
        "payload": encode(body(event.kind, event.row, event.facts)).decode(),
        "status": "pending",
        "attempts": 0,
        "requeued": 0,
        "next_at": when,
        "created_at": when,
    }
