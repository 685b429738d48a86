"""Entry lists for the Studio: sorted and counted pages, full-text search
over drafts, the dashboard's lists and which locales an entry lacks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from content_hub.domain.content_types import ContentType, FieldType
from content_hub.domain.entries import Entry
from content_hub.domain.translations import TranslationStatus
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.search import SearchService
from content_hub.services.translations import TranslationService
from content_hub.store.repositories import ContentTypeRepository, LocaleRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.entry_lists import (
    Completeness,
    EntryListRepository,
    Sort,
    TitleOrder,
)

__all__ = [
    "Dashboard",
    "EntryLists",
    "Listing",
    "Missing",
    "Sort",
    "Translated",
    "missing_locales",
]

DASHBOARD_ROWS = 10
TRANSLATION_WINDOW = 50
"""The dashboard looks for missing translations among this many most
recently updated entries (bounded work per page view)."""
SEARCH_WINDOW = 1000
"""A search with the translation filter keeps the matching entries among
this many best hits (the search backend knows nothing of completeness)."""


class Translated(msgspec.Struct, frozen=True, kw_only=True):
    """The list's translation filter: entries complete in ``locale``
    (``missing`` False) or missing translations there (``missing`` True),
    in the sense of :func:`missing_locales`; ``outdated``: entries with an
    outdated translation there (``services.translations``)."""

    locale: str
    missing: bool
    outdated: bool = False


class Listing(msgspec.Struct, frozen=True, kw_only=True):
    """One page of entries and how many match (an estimate under search)."""

    items: list[Entry]
    total: int
    offset: int
    limit: int
    searched: bool = False


class Missing(msgspec.Struct, frozen=True, kw_only=True):
    entry: Entry
    locales: list[str]


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    my_drafts: list[Entry]
    recently_published: list[Entry]
    scheduled: list[Entry]
    missing_translations: list[Missing]


def missing_locales(
    entry: Entry, ctype: ContentType | None, locales: Iterable[str]
) -> list[str]:
    """Configured locales in which some localised field that has a value in
    another locale has none (an untranslated field)."""
    if ctype is None:
        return []
    used = [
        value
        for f in ctype.fields
        if f.localized and isinstance(value := entry.fields.get(f.key), dict) and value
    ]
    if not used:
        return []
    return sorted(
        code
        for code in locales
        if any(per_locale.get(code) is None for per_locale in used)
    )


class EntryLists:
    def __init__(self, deps: Deps, search: SearchService | None = None) -> None:
        self.deps = deps
        self.search = search
        self.repo = EntryListRepository(deps.session)

    async def types(self) -> dict[str, ContentType]:
        """Every content type by key (read once per unit of work)."""
        found = await self.deps.memo(
            ("types",), ContentTypeRepository(self.deps.session).all
        )
        return {t.key: t for t in found}

    async def locale_codes(self) -> list[str]:
        """Configured locale codes, the default first."""
        found = await self.deps.memo(
            ("locales",), LocaleRepository(self.deps.session).all
        )
        return [loc.code for loc in sorted(found, key=lambda loc: not loc.is_default)]

    async def listing(
        self,
        *,
        q: str | None,
        type_key: str | None,
        status: str | None,
        sort: Sort,
        offset: int,
        limit: int,
        term: str | None = None,
        translated: Translated | None = None,
    ) -> Listing:
        """A page of entries; with ``q``, the search backend's draft documents
        ranked by relevance (one document per locale, so an entry shows once
        per page, at its best rank). ``term``: an id or ``taxonomy:key``,
        its descendants included (a 400 for an unknown one). ``translated``
        is decided in SQL, by the same rule as :func:`missing_locales`."""
        completeness = await self._completeness(translated)
        if q and self.search is not None and completeness is not None:
            return await self._searched_and_filtered(
                self.search, q, type_key, status, term, completeness, offset, limit
            )
        if q and self.search is not None:
            filters: dict[str, list[str]] = {"term": [term]} if term else {}
            if type_key:
                filters["type"] = [type_key]
            if status:
                filters["status"] = [status]
            results = await self.search.search(
                q=q,
                stage="draft",
                filters=filters,
                limit=limit,
                offset=offset,
                highlight=False,
            )
            ids = list(dict.fromkeys(hit.entry_id for hit in results.hits))
            found = await self.repo.many(ids)
            return Listing(
                items=[found[i] for i in ids if i in found],
                total=results.estimated_total,
                offset=offset,
                limit=limit,
                searched=True,
            )
        term_ids = await EntryService(self.deps).term_filter(term) if term else None
        items, total = await self.repo.listing(
            type_key=type_key,
            status=status,
            sort=sort,
            offset=offset,
            limit=limit,
            term_ids=term_ids,
            completeness=completeness,
            titles=await self._titles() if sort == "title" else None,
        )
        return Listing(items=items, total=total, offset=offset, limit=limit)

    async def _titles(self) -> TitleOrder:
        """The list's title column (``title_of``: the first text field, the
        default locale first) as a sort order."""
        fields = {
            t.key: (f.key, f.localized)
            for t in (await self.types()).values()
            for f in [next((f for f in t.fields if f.type is FieldType.TEXT), None)]
            if f is not None
        }
        return TitleOrder(fields=fields, codes=await self.locale_codes())

    async def _completeness(self, translated: Translated | None) -> Completeness | None:
        if translated is None:
            return None
        localized = {
            t.key: [f.key for f in t.fields if f.localized]
            for t in (await self.types()).values()
        }
        ids = None
        if translated.outdated:
            ids = await TranslationService(self.deps).entry_ids(
                translated.locale, TranslationStatus.OUTDATED
            )
        return Completeness(
            locale=translated.locale,
            missing=translated.missing,
            localized={k: v for k, v in localized.items() if v},
            ids=ids,
        )

    async def _searched_and_filtered(
        self,
        search: SearchService,
        q: str,
        type_key: str | None,
        status: str | None,
        term: str | None,
        completeness: Completeness,
        offset: int,
        limit: int,
    ) -> Listing:
        """Search hits (the best :data:`SEARCH_WINDOW`) kept by the
        translation filter in one SQL query, then the page of them; the
        total is exact within the window."""
        filters: dict[str, list[str]] = {"term": [term]} if term else {}
        if type_key:
            filters["type"] = [type_key]
        if status:
            filters["status"] = [status]
        results = await search.search(
            q=q,
            stage="draft",
            filters=filters,
            limit=SEARCH_WINDOW,
            offset=0,
            highlight=False,
        )
        ids = list(dict.fromkeys(hit.entry_id for hit in results.hits))
        found = await self.repo.matching(ids, completeness)
        kept = [found[i] for i in ids if i in found]
        return Listing(
            items=kept[offset : offset + limit],
            total=len(kept),
            offset=offset,
            limit=limit,
            searched=True,
        )

    async def labels(
        self, type_keys: Sequence[str] | None, limit: int
    ) -> list[tuple[str, str, str]]:
        """``(id, type, key)`` for entry pickers, without field values."""
        return await self.repo.labels(type_keys, limit)

    async def many(self, ids: Sequence[str]) -> dict[str, Entry]:
        return await self.repo.many(ids)

    async def dashboard(self, who: str) -> Dashboard:
        """Five queries whatever the data: drafts, published, scheduled,
        recently updated (for missing translations), types and locales."""
        types = await self.types()
        codes = await self.locale_codes()
        missing: list[Missing] = []
        for entry in await self.repo.recently_updated(TRANSLATION_WINDOW):
            lacking = missing_locales(entry, types.get(entry.type), codes)
            if lacking:
                missing.append(Missing(entry=entry, locales=lacking))
            if len(missing) == DASHBOARD_ROWS:
                break
        return Dashboard(
            my_drafts=await self.repo.drafts_by(who, DASHBOARD_ROWS),
            recently_published=await self.repo.recently_published(DASHBOARD_ROWS),
            scheduled=await self.repo.scheduled(now(), DASHBOARD_ROWS),
            missing_translations=missing,
        )
