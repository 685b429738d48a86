"""Which webhook events a change-log row makes, and what they say.

============================  ========================================
change (``ChangeKind``)       event types
============================  ========================================
``published``                 ``entry.published``; ``experiment.changed``
                              too when the published rules run experiments
``unpublished``               ``entry.unpublished``
``archived``                  ``entry.archived``
``deleted``                   ``entry.deleted``
``types``                     ``content_type.changed``
``templates``                 ``template.changed`` (``data.type`` names
                              the content type)
``taxonomy``                  ``taxonomy.changed``
``audiences``                 ``audience.changed``
``release``                   ``release.published`` or
                              ``release.rolled_back``, then the events of
                              every item it changed, as if each had
                              changed alone (``data.release`` names it)
============================  ========================================

Draft saves, locales and media send nothing. The body is fixed when the
event is queued (every retry sends the same bytes). An ``entry.published``
event describes the version that publish made live (its key, terms and
``version``, read from that revision, not the entry's state at fan-out), and
``locales`` are those whose values differ from the version live before it:
every locale with a value when none was live or a non-localised field
changed, none when only the terms or the rules changed. Other entry events
describe the entry as it is when they are queued; the events of an entry
deleted by then take its key (and a publish's version) from the change-log
row, which keeps them (migration 0020)::

    {"type": "entry.published", "timestamp": "<the change's time, UTC>",
     "data": {"seq": 42, "id": "<entry id>", "type": "article", "key": "hello",
              "version": 3, "locales": ["de"],
              "surrogate_keys": ["entry-<id>", "type-article", "term-<id>"],
              "url": "/delivery/v1/entries/<id>"}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import msgspec

from content_hub.domain.changes import ChangeKind
from content_hub.domain.releases import (
    Release,
    ReleaseMoves,
    parse_release_tag,
    release_moves,
)
from content_hub.domain.webhooks import EventType

E = EventType
BY_KIND: dict[ChangeKind, EventType] = {
    ChangeKind.PUBLISHED: E.ENTRY_PUBLISHED,
    ChangeKind.UNPUBLISHED: E.ENTRY_UNPUBLISHED,
    ChangeKind.ARCHIVED: E.ENTRY_ARCHIVED,
    ChangeKind.DELETED: E.ENTRY_DELETED,
    ChangeKind.TYPES: E.CONTENT_TYPE_CHANGED,
    ChangeKind.TEMPLATES: E.TEMPLATE_CHANGED,
    ChangeKind.TAXONOMY: E.TAXONOMY_CHANGED,
    ChangeKind.AUDIENCES: E.AUDIENCE_CHANGED,
}
ENTRY_EVENTS = frozenset(
    {E.ENTRY_PUBLISHED, E.ENTRY_UNPUBLISHED, E.ENTRY_ARCHIVED, E.ENTRY_DELETED}
)
_encoder = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A change-log row as the dispatcher reads it."""

    seq: int
    entry_id: str
    type_key: str
    kind: ChangeKind
    at: datetime
    extra: tuple[tuple[str, Any], ...] = ()
    """More ``data`` of its events (what a release's item row says of it)."""
    version: int | None = None
    """A publish: the entry version it made live."""
    before: int | None = None
    """A publish: the version live before it (None: none was)."""
    key: str | None = None
    """An entry change: the entry's key then (what an event says when the
    entry is gone by the time it is fanned out)."""


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the events of one entry say about it (read at fan-out)."""

    key: str
    version: int | None
    terms: tuple[str, ...]
    locales: tuple[str, ...]
    experiments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Event:
    type: EventType
    entry_id: str
    type_key: str
    body: bytes


def event_types(change: ChangeRow, facts: EntryFacts | None) -> list[EventType]:
    """The events ``change`` makes, in the order they are sent (a release
    row's own event: its items are rows of their own, :func:`release_rows`)."""
    if change.kind is ChangeKind.RELEASE:
        _, action = parse_release_tag(change.type_key)
        return [E.RELEASE_PUBLISHED if action == "publish" else E.RELEASE_ROLLED_BACK]
    first = BY_KIND.get(change.kind)
    if first is None:
        return []
    out = [first]
    if first is E.ENTRY_PUBLISHED and facts is not None and facts.experiments:
        out.append(E.EXPERIMENT_CHANGED)
    return out


def entry_path(entry_id: str) -> str:
    return f"/delivery/v1/entries/{entry_id}"


def body(
    kind: EventType, change: ChangeRow, facts: EntryFacts | None
) -> dict[str, Any]:
    """The JSON body of one event (see the module's docstring)."""
    data: dict[str, Any] = {"seq": change.seq}
    if change.kind is ChangeKind.RELEASE:
        pass  # all in ``extra``
    elif kind in ENTRY_EVENTS or kind is E.EXPERIMENT_CHANGED:
        terms: Sequence[str] = facts.terms if facts else ()
        data |= {
            "id": change.entry_id,
            "type": change.type_key,
            "key": facts.key if facts else change.key,
            "version": facts.version if facts else change.version,
            "locales": list(facts.locales) if facts else None,
            "surrogate_keys": [
                f"entry-{change.entry_id}",
                f"type-{change.type_key}",
                *(f"term-{t}" for t in sorted(terms)),
            ],
            "url": entry_path(change.entry_id),
        }
        if kind is E.EXPERIMENT_CHANGED and facts is not None:
            data["experiments"] = list(facts.experiments)
    else:
        named = change.type_key if change.type_key != "*" else None
        data |= {
            "type": named,
            "surrogate_keys": [f"type-{named}"] if named else [],
            "purge_all": named is None,
            "url": "/delivery/v1/entries" + (f"?type={named}" if named else ""),
        }
    data |= dict(change.extra)
    return {"type": str(kind), "timestamp": _iso(change.at), "data": data}


def release_rows(
    change: ChangeRow, release: Release | None, types: Mapping[str, str]
) -> list[ChangeRow]:
    """A release row as the rows of its events: the release's own, then one
    per entry (of those that still exist: ``types`` gives their content
    type), template and audience it changed, in the release's order."""
    release_id, action = parse_release_tag(change.type_key)
    moves = (
        release_moves(release, action)
        if release is not None
        else ReleaseMoves(entries=[], templates=[], audiences=[])
    )
    own = {
        "id": release_id,
        "name": release.name if release is not None else None,
        "entries": [e for e, _ in moves.entries],
        "templates": [{"type": t, "channel": c} for t, c in moves.templates],
        "audiences": moves.audiences,
        "url": f"/manage/v1/releases/{release_id}",
    }
    rows = [replace(change, extra=tuple(own.items()))]
    tag = ("release", release_id)
    for entry_id, live in moves.entries:
        if entry_id in types:
            kind = ChangeKind.PUBLISHED if live else ChangeKind.UNPUBLISHED
            rows.append(
                replace(
                    change,
                    entry_id=entry_id,
                    type_key=types[entry_id],
                    kind=kind,
                    extra=(tag,),
                )
            )
    for type_key, channel in moves.templates:
        extra = (tag, ("channel", channel))
        rows.append(
            replace(change, type_key=type_key, kind=ChangeKind.TEMPLATES, extra=extra)
        )
    for key in dict.fromkeys(moves.audiences):
        extra = (tag, ("key", key))
        rows.append(
            replace(change, type_key="*", kind=ChangeKind.AUDIENCES, extra=extra)
        )
    return rows


def encode(document: dict[str, Any]) -> bytes:
    return _encoder.encode(document)


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def ping_body(webhook_id: str, when: datetime) -> dict[str, Any]:
    """What ``POST .../{id}/test`` sends."""
    return {
        "type": "webhook.test",
        "timestamp": _iso(when),
        "data": {"webhook_id": webhook_id, "message": "A test event."},
    }
