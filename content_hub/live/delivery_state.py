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
from typing import TYPE_CHECKING, Any

import msgspec

from content_hub.domain.entries import PublishedEntry, resolve_fields
from content_hub.domain.locales import LocaleSet
from content_hub.domain.media import Media
from content_hub.domain.taxonomy import Term, TermIndex
from content_hub.live.references import MAX_INCLUDE, RefKind, Resolver
from content_hub.live.related import TermPostings
from content_hub.live.state import DeliveredEntry, EncodedEntry, SnapshotState, TypeInfo

if TYPE_CHECKING:
    from content_hub.live.generation import Generation, Published

_encoder = msgspec.json.Encoder()
MAX_ENCODED = 200_000
MAX_ENCODED_BYTES = 96 * 1024 * 1024
"""Bytes of encoded responses kept per worker: at 100,000 entries x 5 locales
the count alone would let the cache grow to about 1 GB."""
ENTRY_OVERHEAD = 400
"""Bytes an :class:`EncodedEntry` holds besides its body and purge keys."""


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


def full_state(
    *,
    seq: int,
    locales: LocaleSet,
    types: Mapping[str, TypeInfo],
    entries: Iterable[PublishedEntry],
    terms: Iterable[Term] = (),
    media: Iterable[Media] = (),
) -> SnapshotState:
    """A complete delivery state (first load, locale, type, taxonomy or media
    changes)."""
    by_id = {e.id: e for e in entries}
    return SnapshotState(
        seq=seq,
        locales=locales,
        types=dict(types),
        entries=by_id,
        by_key={(e.type, e.key): e.id for e in by_id.values()},
        terms=TermIndex.of(terms),
        media={m.id: m for m in media},
    )


def changed_state(
    old: SnapshotState,
    *,
    seq: int,
    upserts: Iterable[PublishedEntry],
    removals: Iterable[str],
) -> tuple[SnapshotState, frozenset[str]]:
    """``old`` with some entries replaced or removed, and the ids it touched."""
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
    state = msgspec.structs.replace(old, seq=seq, entries=entries, by_key=by_key)
    return state, frozenset(touched)


class DeliverySnapshot:
    """Delivery's view of the current generation, with a bounded cache of its
    encoded responses (kept across swaps for the entries a swap did not touch).
    """

    def __init__(self, published: Published) -> None:
        self.published = published
        self._encoded: dict[tuple[str, str, int], EncodedEntry] = {}
        self._encoded_bytes = 0
        self._postings: TermPostings | None = None
        published.on_swap(self._swapped)

    @property
    def state(self) -> SnapshotState:
        """The delivery half of the current generation."""
        return self.published.generation.delivery

    @property
    def loaded(self) -> bool:
        return self.published.loaded

    @property
    def built_at(self) -> float:
        return self.published.generation.built_at

    def _swapped(self, _generation: Generation, touched: frozenset[str] | None) -> None:
        if touched is None:
            self._encoded = {}
            self._encoded_bytes = 0
        elif touched:
            self._encoded = {
                k: v
                for k, v in self._encoded.items()
                if k[0] not in touched and not (v.deps & touched)
            }
            self._encoded_bytes = sum(map(_size, self._encoded.values()))

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
