"""Immutable published state plus a bounded cache of encoded responses.

The delivery hot path is a dict lookup and, on a cache hit, returns bytes
encoded earlier: no database, no JSON encoding. A publish builds a new
:class:`SnapshotState` and swaps one reference, so readers never see a half
applied change and never wait for a rebuild.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import msgspec

from content_hub.domain.entries import PublishedEntry, resolve_fields
from content_hub.domain.locales import LocaleSet
from content_hub.domain.media import Media
from content_hub.domain.taxonomy import Term, TermIndex
from content_hub.snapshot.references import MAX_INCLUDE, RefKind, Resolver, Source
from content_hub.snapshot.related import TermPostings

_encoder = msgspec.json.Encoder()
MAX_ENCODED = 200_000
MAX_ENCODED_BYTES = 96 * 1024 * 1024
"""Bytes of encoded responses kept per worker: at 100,000 entries x 5 locales
the count alone would let the cache grow to about 1 GB."""
ENTRY_OVERHEAD = 400
"""Bytes an :class:`EncodedEntry` holds besides its body and purge keys."""


class TypeInfo(msgspec.Struct, frozen=True):
    """What delivery needs of a content type."""

    localized: frozenset[str]
    channels: tuple[str, ...]
    references: frozenset[str] = frozenset()
    rich_text: frozenset[str] = frozenset()
    """Fields renders insert as sanitised HTML (delivery serves them as stored)."""
    markdown: frozenset[str] = frozenset()
    """Fields renders convert from Markdown (delivery serves the source)."""


class DeliveredEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An entry as delivery returns it: one locale, each field's serving locale."""

    id: str
    type: str
    key: str
    locale: str
    version: int
    published_at: datetime | None
    fields: dict[str, Any]
    field_locales: dict[str, str | None]
    locale_chain: list[str]
    stage: str = "published"
    terms: list[str] = []


class EncodedEntry(msgspec.Struct, frozen=True):
    body: bytes
    etag: str
    entry_id: str
    type: str
    surrogate_keys: str = ""
    """Space-separated purge keys: entry, type, terms and embedded entries
    and media (``entry-``, ``type-``, ``term-``, ``media-`` prefixes)."""
    deps: frozenset[str] = frozenset()
    """Entries and media embedded in ``body`` (a change to one invalidates it)."""


class SnapshotState(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    locales: LocaleSet
    types: Mapping[str, TypeInfo]
    entries: Mapping[str, PublishedEntry]
    by_key: Mapping[tuple[str, str], str]
    terms: TermIndex = msgspec.field(default_factory=lambda: TermIndex({}))
    media: Mapping[str, Media] = msgspec.field(default_factory=dict)

    def source(self, entry_id: str) -> Source | None:
        """A published entry as a reference target."""
        entry = self.entries.get(entry_id)
        if entry is None:
            return None
        info = self.types.get(entry.type)
        return Source(
            id=entry.id,
            type=entry.type,
            key=entry.key,
            version=entry.version,
            fields=entry.fields,
            localized=info.localized if info else frozenset(),
            ref_fields=info.references if info else frozenset(),
            terms=self.terms.refs(entry.terms),
        )


def deliver(
    entry_id: str,
    type_key: str,
    key: str,
    version: int,
    published_at: datetime | None,
    fields: dict[str, Any],
    info: TypeInfo | None,
    locales: LocaleSet,
    locale: str,
    stage: str = "published",
    *,
    terms: list[str] | None = None,
    resolver: Resolver | None = None,
    include: int = 0,
) -> DeliveredEntry:
    """Resolve an entry's fields for ``locale`` along its chain, and its
    references to ``include`` levels when a resolver is given."""
    chain = locales.chain(locale)
    resolved = resolve_fields(fields, info.localized if info else frozenset(), chain)
    values = resolved.values
    if resolver is not None and info is not None and include > 0:
        values = resolver.fields(values, info.references, include, (entry_id,))
    return DeliveredEntry(
        id=entry_id,
        type=type_key,
        key=key,
        locale=locale,
        version=version,
        published_at=published_at,
        fields=values,
        field_locales=resolved.served_by,
        locale_chain=list(chain),
        stage=stage,
        terms=terms or [],
    )


def surrogate_keys(
    entry_id: str,
    type_key: str,
    term_ids: Iterable[str],
    embedded: Iterable[tuple[RefKind, str]],
) -> str:
    """Purge keys for a CDN: what a publish of any of these should evict.
    Each embedded thing is prefixed with its kind (``entry-``, ``media-``)."""
    keys = [f"entry-{entry_id}", f"type-{type_key}"]
    keys.extend(f"term-{t}" for t in sorted(term_ids))
    keys.extend(f"{kind}-{ref_id}" for kind, ref_id in sorted(embedded))
    return " ".join(dict.fromkeys(keys))


def encode_entry(
    delivered: DeliveredEntry,
    *,
    term_ids: Iterable[str] = (),
    embedded: Iterable[tuple[RefKind, str]] = (),
) -> EncodedEntry:
    body = _encoder.encode(delivered)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    embedded = frozenset(embedded)
    deps = frozenset(ref_id for _, ref_id in embedded)
    return EncodedEntry(
        body=body,
        etag=etag,
        entry_id=delivered.id,
        type=delivered.type,
        surrogate_keys=surrogate_keys(delivered.id, delivered.type, term_ids, embedded),
        deps=deps,
    )


class DeliverySnapshot:
    """Holder of the current :class:`SnapshotState` and its encoded responses."""

    def __init__(self, locales: LocaleSet) -> None:
        self.state = SnapshotState(
            seq=-1, locales=locales, types={}, entries={}, by_key={}
        )
        self._encoded: dict[tuple[str, str, int], EncodedEntry] = {}
        self._encoded_bytes = 0
        self.built_at: float = 0.0
        self._postings: TermPostings | None = None

    @property
    def loaded(self) -> bool:
        return self.state.seq >= 0

    def replace(
        self,
        *,
        seq: int,
        locales: LocaleSet,
        types: Mapping[str, TypeInfo],
        entries: Iterable[PublishedEntry],
        terms: Iterable[Term] = (),
        media: Iterable[Media] = (),
    ) -> None:
        """Swap in a complete new state (first load, locale, type, taxonomy or
        media changes)."""
        by_id = {e.id: e for e in entries}
        self.state = SnapshotState(
            seq=seq,
            locales=locales,
            types=dict(types),
            entries=by_id,
            by_key={(e.type, e.key): e.id for e in by_id.values()},
            terms=TermIndex.of(terms),
            media={m.id: m for m in media},
        )
        self._encoded = {}
        self._encoded_bytes = 0

    def apply(
        self, *, seq: int, upserts: Iterable[PublishedEntry], removals: Iterable[str]
    ) -> None:
        """Swap in a state with some entries replaced or removed."""
        old = self.state
        entries = dict(old.entries)
        by_key = dict(old.by_key)
        touched: set[str] = set()
        for entry_id in removals:
            gone = entries.pop(entry_id, None)
            if gone is not None:
                by_key.pop((gone.type, gone.key), None)
            touched.add(entry_id)
        for entry in upserts:
            previous = entries.get(entry.id)
            if previous is not None:
                by_key.pop((previous.type, previous.key), None)
            entries[entry.id] = entry
            by_key[(entry.type, entry.key)] = entry.id
            touched.add(entry.id)
        self.state = SnapshotState(
            seq=seq,
            locales=old.locales,
            types=old.types,
            entries=entries,
            by_key=by_key,
            terms=old.terms,
            media=old.media,
        )
        if touched:
            self._encoded = {
                k: v
                for k, v in self._encoded.items()
                if k[0] not in touched and not (v.deps & touched)
            }
            self._encoded_bytes = sum(map(_size, self._encoded.values()))

    def advance(self, seq: int) -> None:
        """Record that changes up to ``seq`` were seen (none touched delivery)."""
        old = self.state
        self.state = SnapshotState(
            seq=seq,
            locales=old.locales,
            types=old.types,
            entries=old.entries,
            by_key=old.by_key,
            terms=old.terms,
            media=old.media,
        )

    def postings(self) -> TermPostings:
        """Term postings of the current state (built once per state)."""
        cached = self._postings
        state = self.state
        if cached is None or cached.state is not state:
            cached = TermPostings(state)
            self._postings = cached
        return cached

    def lookup(self, type_key: str, key: str) -> str | None:
        return self.state.by_key.get((type_key, key))

    def encoded(
        self, entry_id: str, locale: str, include: int = 0
    ) -> EncodedEntry | None:
        """The encoded published entry in ``locale`` with references resolved
        to ``include`` levels (cached), or None."""
        include = max(0, min(include, MAX_INCLUDE))
        cache_key = (entry_id, locale, include)
        hit = self._encoded.get(cache_key)
        if hit is not None:
            return hit
        state = self.state
        entry = state.entries.get(entry_id)
        if entry is None:
            return None
        resolver = Resolver(state.source, state.media.get, state.locales.chain(locale))
        delivered = deliver(
            entry.id,
            entry.type,
            entry.key,
            entry.version,
            entry.published_at,
            entry.fields,
            state.types.get(entry.type),
            state.locales,
            locale,
            terms=state.terms.refs(entry.terms),
            resolver=resolver,
            include=include,
        )
        encoded = encode_entry(
            delivered,
            term_ids=state.terms.expand(entry.terms),
            embedded=resolver.embedded,
        )
        size = _size(encoded)
        if (
            len(self._encoded) >= MAX_ENCODED
            or self._encoded_bytes + size > MAX_ENCODED_BYTES
        ):
            self._encoded.clear()
            self._encoded_bytes = 0
        if self.state is state:
            self._encoded[cache_key] = encoded
            self._encoded_bytes += size
        return encoded


def _size(encoded: EncodedEntry) -> int:
    """About what an encoded response holds in memory."""
    return len(encoded.body) + len(encoded.surrogate_keys) + ENTRY_OVERHEAD
