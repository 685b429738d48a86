"""Delivery use cases: published entries from the snapshot, drafts for preview."""

from __future__ import annotations

import msgspec

from content_hub.domain.errors import BadRequest, LocaleNotConfigured, NotFound
from content_hub.domain.locales import LocaleSet
from content_hub.domain.pagination import Page, decode_cursor, encode_cursor
from content_hub.live.delivery_state import DeliverySnapshot, deliver
from content_hub.live.references import Resolver
from content_hub.live.state import DeliveredEntry, EncodedEntry, SnapshotState

__all__ = ["PublishedDelivery", "RelatedEntry", "choose_locale"]


class RelatedEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An entry related to another: how strongly, through which terms."""

    score: float
    shared_terms: list[str]
    entry: DeliveredEntry


def choose_locale(
    locales: LocaleSet, requested: str | None, accept_language: str | None
) -> str:
    """An explicit ``locale`` must be configured; Accept-Language is negotiated
    along CLDR parents and falls back to the default locale."""
    if requested is not None:
        if requested in locales.chains:
            return requested
        lowered = {c.lower(): c for c in locales.chains}
        if requested.lower() in lowered:
            return lowered[requested.lower()]
        raise LocaleNotConfigured(
            f"Locale {requested!r} is not configured; "
            f"configured: {', '.join(sorted(locales.chains))}.",
            extra={"configured": sorted(locales.chains)},
        )
    return locales.negotiate(accept_language) or locales.default


def _deliver(
    state: SnapshotState, entry_id: str, locale: str, include: int
) -> DeliveredEntry:
    e = state.entries[entry_id]
    return deliver(
        e.id,
        e.type,
        e.key,
        e.version,
        e.published_at,
        e.fields,
        state.types.get(e.type),
        state.locales,
        locale,
        terms=state.terms.refs(e.terms),
        resolver=Resolver(state.source, state.media.get, state.locales.chain(locale)),
        include=include,
    )


class PublishedDelivery:
    """Reads of published content: snapshot only, no database."""

    def __init__(self, snapshot: DeliverySnapshot) -> None:
        self.snapshot = snapshot

    def locale(self, requested: str | None, accept_language: str | None) -> str:
        return choose_locale(self.snapshot.state.locales, requested, accept_language)

    def by_id(self, entry_id: str, locale: str, include: int = 0) -> EncodedEntry:
        found = self.snapshot.encoded(entry_id, locale, include)
        if found is None:
            raise NotFound(f"No published entry {entry_id!r}.")
        return found

    def by_key(
        self, type_key: str, key: str, locale: str, include: int = 0
    ) -> EncodedEntry:
        entry_id = self.snapshot.lookup(type_key, key)
        found = (
            None
            if entry_id is None
            else self.snapshot.encoded(entry_id, locale, include)
        )
        if found is None:
            raise NotFound(f"No published entry {key!r} of type {type_key!r}.")
        return found

    def term_ids(self, ref: str) -> set[str]:
        """Published entries about a term or any of its descendants."""
        state = self.snapshot.state
        term = state.terms.by_ref(ref)
        if term is None:
            raise BadRequest(
                f"No term {ref!r}; filter by a term id or 'taxonomy:key'.",
                extra={"term": ref},
            )
        return self.snapshot.postings().with_term(term.id)

    def page(
        self,
        *,
        type_key: str | None,
        channel: str | None,
        locale: str,
        cursor: str | None,
        limit: int,
        term: str | None = None,
        include: int = 0,
    ) -> Page[DeliveredEntry]:
        state = self.snapshot.state
        after = decode_cursor(cursor)
        types = state.types
        about = self.term_ids(term) if term is not None else None
        ids = sorted(
            e.id
            for e in state.entries.values()
            if (type_key is None or e.type == type_key)
            and (
                channel is None
                or (e.type in types and channel in types[e.type].channels)
            )
            and (about is None or e.id in about)
            and (after is None or e.id > after)
        )
        shown = ids[:limit]
        items = [_deliver(state, entry_id, locale, include) for entry_id in shown]
        more = len(ids) > limit
        return Page(
            items=items,
            next_cursor=encode_cursor(shown[-1]) if more and shown else None,
        )

    def related(
        self,
        entry_id: str,
        *,
        type_key: str | None,
        channel: str | None,
        locale: str,
        limit: int,
    ) -> list[RelatedEntry]:
        """Published entries sharing terms with ``entry_id``, most specific first."""
        state = self.snapshot.state
        if entry_id not in state.entries:
            raise NotFound(f"No published entry {entry_id!r}.")
        ranked = self.snapshot.postings().related(
            entry_id, type_key=type_key, channel=channel, limit=limit
        )
        return [
            RelatedEntry(
                score=r.score,
                shared_terms=r.shared_terms,
                entry=_deliver(state, r.entry_id, locale, 0),
            )
            for r in ranked
            if r.entry_id in state.entries
        ]
