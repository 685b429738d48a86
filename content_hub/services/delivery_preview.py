"""Delivery for ``preview`` keys: the latest drafts, read from the database,
with references resolved against drafts too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.entries import Entry
from content_hub.domain.keys import Principal
from content_hub.domain.media import Media
from content_hub.domain.pagination import Page
from content_hub.domain.taxonomy import TermIndex
from content_hub.live.builder import type_info
from content_hub.live.delivery_state import DeliverySnapshot, deliver, encode_entry
from content_hub.live.references import Resolver, Source
from content_hub.live.state import DeliveredEntry, EncodedEntry, TypeInfo
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.preview_links import (
    PreviewLinkService,
    PreviewTokenOtherEntry,
)
from content_hub.services.release_preview import ReleaseOverlay
from content_hub.services.taxonomy import term_index
from content_hub.settings import Settings
from content_hub.store.db import commit
from content_hub.store.repositories import ContentTypeRepository, EntryRepository
from content_hub.store.repositories.media import MediaRepository

T = TypeVar("T")


class PreviewDelivery:
    """Reads of the latest drafts for ``preview`` keys (from the database)."""

    def __init__(self, deps: Deps, snapshot: DeliverySnapshot) -> None:
        self.deps = deps
        self.snapshot = snapshot
        self.entries = EntryService(deps)
        self.release: ReleaseOverlay | None = None

    async def in_release(self, release_id: str | None) -> PreviewDelivery:
        """Overlay the drafts with a release's entry versions (``?release=``)."""
        if release_id is not None:
            self.release = await ReleaseOverlay.load(self.deps, release_id)
        return self

    async def _entry(self, entry: Entry) -> Entry:
        return entry if self.release is None else await self.release.apply(entry)

    async def by_id(
        self, entry_id: str, locale: str, include: int = 0, release: str | None = None
    ) -> EncodedEntry:
        await self.in_release(release)
        entry = await self._entry(await self.entries.get(entry_id))
        return await self._encode(entry, locale, include)

    async def by_key(
        self,
        type_key: str,
        key: str,
        locale: str,
        include: int = 0,
        release: str | None = None,
    ) -> EncodedEntry:
        await self.in_release(release)
        entry = await self._entry(await self.entries.by_key(type_key, key))
        return await self._encode(entry, locale, include)

    async def linked(
        self,
        token: str,
        locale: str,
        include: int,
        *,
        entry_id: str | None = None,
        type_and_key: tuple[str, str] | None = None,
    ) -> EncodedEntry:
        """The draft of the one entry a preview link's token names (by id or
        by type and key); another entry is a 403, a bad token a 401."""
        named = await PreviewLinkService(self.deps).entry_of(token)
        if entry_id is not None:
            entry = await self.entries.get(entry_id)
        else:
            assert type_and_key is not None
            entry = await self.entries.by_key(*type_and_key)
        if entry.id != named:
            raise PreviewTokenOtherEntry(
                "The preview token is for another entry; it shows only the "
                "entry it was made for."
            )
        return await self._encode(entry, locale, include)

    async def page(
        self,
        *,
        type_key: str | None,
        channel: str | None,
        locale: str,
        cursor: str | None,
        limit: int,
        term: str | None = None,
        include: int = 0,
        release: str | None = None,
    ) -> Page[DeliveredEntry]:
        """Drafts in list order; the ones ``release`` holds at its version.
        Which entries are listed (type, channel, term) is the drafts' say."""
        await self.in_release(release)
        page = await self.entries.page(
            type_key=type_key,
            status=None,
            channel=channel,
            cursor=cursor,
            limit=limit,
            term=term,
        )
        items = []
        for entry in page.items:
            delivered, _ = await self._deliver(
                await self._entry(entry), locale, include
            )
            items.append(delivered)
        return Page(items=items, next_cursor=page.next_cursor)

    async def _encode(self, entry: Entry, locale: str, include: int) -> EncodedEntry:
        delivered, resolver = await self._deliver(entry, locale, include)
        index = await term_index(self.deps)
        return encode_entry(
            delivered,
            term_ids=index.expand(entry.terms),
            embedded=resolver.embedded,
        )

    async def _deliver(
        self, entry: Entry, locale: str, include: int
    ) -> tuple[DeliveredEntry, Resolver]:
        index = await term_index(self.deps)
        infos = await self._infos()
        sources = await self._sources(entry, include, infos, index)
        media = await self.deps.memo(("media-by-id",), self._media)
        resolver = Resolver(
            sources.get,
            media.get,
            self.snapshot.state.locales.chain(locale),
            missing_entry="missing",
        )
        delivered = deliver(
            entry.id,
            entry.type,
            entry.key,
            entry.version,
            entry.published_at,
            entry.fields,
            infos.get(entry.type),
            self.snapshot.state.locales,
            locale,
            stage="draft",
            terms=index.refs(entry.terms),
            resolver=resolver,
            include=include,
        )
        return delivered, resolver

    async def _media(self) -> dict[str, Media]:
        return {m.id: m for m in await MediaRepository(self.deps.session).all()}

    async def _infos(self) -> dict[str, TypeInfo]:
        types = await self.deps.memo(
            ("types-all",), ContentTypeRepository(self.deps.session).all
        )
        return {t.key: type_info(t) for t in types}

    async def _sources(
        self,
        entry: Entry,
        include: int,
        infos: dict[str, TypeInfo],
        index: TermIndex,
    ) -> dict[str, Source]:
        """Drafts reachable from ``entry`` within ``include`` levels."""
        repo = EntryRepository(self.deps.session)
        sources: dict[str, Source] = {}
        frontier = [entry]
        for _ in range(include):
            wanted = {
                ref
                for e in frontier
                for ref in _entry_refs(e, infos.get(e.type))
                if ref not in sources
            }
            frontier = [
                found for ref in sorted(wanted)[:100] if (found := await repo.get(ref))
            ]
            for e in frontier:
                info = infos.get(e.type)
                sources[e.id] = Source(
                    id=e.id,
                    type=e.type,
                    key=e.key,
                    version=e.version,
                    fields=e.fields,
                    localized=info.localized if info else frozenset(),
                    ref_fields=info.references if info else frozenset(),
                    terms=index.refs(e.terms),
                    stage="draft",
                )
            if not frontier:
                break
        return sources


def _entry_refs(entry: Entry, info: TypeInfo | None) -> list[str]:
    if info is None:
        return []
    out: list[str] = []
    for key in info.references:
        value = entry.fields.get(key)
        values = value if isinstance(value, list) else [value]
        if key in info.localized and isinstance(value, dict):
            values = [
                v
                for per in value.values()
                for v in (per if isinstance(per, list) else [per])
            ]
        for item in values:
            if isinstance(item, dict) and item.get("type") == "entry":
                ref = item.get("id")
                if isinstance(ref, str):
                    out.append(ref)
    return out


class Previews:
    """Opens a unit of work for a ``preview`` key's read of drafts."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        snapshot: DeliverySnapshot,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.snapshot = snapshot

    async def call(
        self, actor: Principal, read: Callable[[PreviewDelivery], Awaitable[T]]
    ) -> T:
        """``read`` with a :class:`PreviewDelivery` in its own session."""
        async with self.sessions() as session:
            result = await read(
                PreviewDelivery(Deps(session, actor, self.settings), self.snapshot)
            )
            await commit(session)
            return result
