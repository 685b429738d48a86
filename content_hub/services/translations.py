"""Translation status and review states (``/manage/v1/translations``).

Every save of an entry (API, Studio, revert, type changes) goes through
:meth:`EntryService.save <content_hub.services.entries.EntryService.save>`
or ``create``, which call :func:`track`: the translations it wrote are
recorded with the hash of the source value, in the same transaction. The
list and summary compute statuses from the drafts and those records, one
scan of the entries in id order (``SCAN`` of
:mod:`content_hub.store.repositories.translations` at a time).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType
from content_hub.domain.errors import BadRequest, NotFound
from content_hub.domain.locales import LocaleSet
from content_hub.domain.pagination import Page, decode_cursor, encode_cursor
from content_hub.domain.permissions import Action, allowed, denied
from content_hub.domain.translations import (
    LocaleSummary,
    Review,
    ReviewState,
    TranslationItem,
    TranslationStatus,
    entry_statuses,
    with_variants,
    written_translations,
)
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories import ContentTypeRepository, LocaleRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.render import PersonalizationRepository
from content_hub.store.repositories.translations import TranslationRepository

_SEP = "\x1f"


def _localized(ctype: ContentType | None) -> list[str]:
    return [] if ctype is None else [f.key for f in ctype.fields if f.localized]


async def source_locale(deps: Deps) -> tuple[str, list[str]]:
    """The source (default) locale and every configured code, source first."""
    found = await deps.memo(("locales",), LocaleRepository(deps.session).all)
    default = LocaleSet.build(found, deps.settings.default_locale).default
    codes = [loc.code for loc in found if loc.code != default]
    return default, [default, *sorted(codes)]


async def track(
    deps: Deps,
    ctype: ContentType,
    entry_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """Record the source hash of each translation a save wrote."""
    source, _ = await source_locale(deps)
    written = written_translations(_localized(ctype), before, after, source)
    await TranslationRepository(deps.session).record(entry_id, written, now())


def _state(review: Review | None) -> ReviewState | None:
    return None if review is None else review.state


async def track_variants(
    deps: Deps,
    ctype: ContentType,
    entry_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """Record the translations a change of variant overrides wrote."""
    old, _ = with_variants({}, before, _localized(ctype))
    new, keys = with_variants({}, after, _localized(ctype))
    source, _ = await source_locale(deps)
    written = written_translations(keys, old, new, source)
    await TranslationRepository(deps.session).record(entry_id, written, now())


class EntryTranslations(msgspec.Struct, frozen=True, kw_only=True):
    """An entry's statuses per locale and field, with review states."""

    entry_id: str
    source: str
    statuses: dict[str, dict[str, TranslationStatus]]
    """locale -> field -> status."""
    reviews: dict[str, Review]


class TranslationService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = TranslationRepository(deps.session)

    async def _types(self) -> dict[str, ContentType]:
        found = await self.deps.memo(
            ("types",), ContentTypeRepository(self.deps.session).all
        )
        return {t.key: t for t in found}

    async def _locales(self, locale: str | None) -> tuple[str, list[str]]:
        source, codes = await source_locale(self.deps)
        if locale is None:
            return source, codes[1:]
        if locale not in codes:
            raise BadRequest(
                f"No locale {locale!r} is configured.", extra={"locale": locale}
            )
        return source, [locale]

    async def _scan(
        self,
        type_key: str | None,
        codes: Sequence[str],
        source: str,
        after: str | None,
        inclusive: bool = False,
    ) -> AsyncIterator[list[TranslationItem]]:
        """Per entry (id order, after ``after``, or from it if ``inclusive``)
        its items in ``codes``."""
        types = await self._types()
        if type_key is not None and type_key not in types:
            raise BadRequest(f"No content type {type_key!r}.", extra={"type": type_key})
        keys = None if type_key is None else [type_key]
        while True:
            rows = await self.repo.entries(keys, after, inclusive=inclusive)
            inclusive = False
            if not rows:
                return
            ids = [r[0] for r in rows]
            sources = await self.repo.sources(ids)
            reviews = await self.repo.reviews(ids)
            variants = await PersonalizationRepository(self.deps.session).as_of_many(
                {r[0]: r[4] for r in rows}
            )
            for eid, tkey, key, draft, _ in rows:
                fields, localized = with_variants(
                    draft, variants.get(eid), _localized(types.get(tkey))
                )
                found = entry_statuses(
                    fields,
                    localized,
                    codes,
                    source,
                    sources.get(eid, {}),
                )
                yield [
                    TranslationItem(
                        entry_id=eid,
                        type=tkey,
                        key=key,
                        field=field,
                        locale=code,
                        status=status,
                        review_state=_state(reviews.get((eid, code))),
                    )
                    for (field, code), status in sorted(found.items())
                ]
            after = ids[-1]

    async def page(
        self,
        *,
        locale: str | None,
        state: TranslationStatus | None,
        type_key: str | None,
        cursor: str | None,
        limit: int,
    ) -> Page[TranslationItem]:
        """Entry x field x locale statuses in (entry, field, locale) order."""
        source, codes = await self._locales(locale)
        position = decode_cursor(cursor)
        start: tuple[str, ...] = ()
        if position is not None:
            start = tuple(position.split(_SEP))
            if len(start) != 3:
                raise BadRequest("The cursor is not one this API handed out.")
        out: list[TranslationItem] = []
        first = start[0] if start else None  # that entry may have more items
        async for items in self._scan(type_key, codes, source, first, True):
            for item in items:
                if start and (item.entry_id, item.field, item.locale) <= start:
                    continue
                if state is None or item.status is state:
                    out.append(item)
            if len(out) > limit:
                break
        more = len(out) > limit
        shown = out[:limit]
        last = shown[-1] if shown else None
        next_cursor = (
            encode_cursor(_SEP.join((last.entry_id, last.field, last.locale)))
            if more and last is not None
            else None
        )
        return Page(items=shown, next_cursor=next_cursor)

    async def of_source(self) -> str:
        return (await source_locale(self.deps))[0]

    async def summary(self, type_key: str | None) -> list[LocaleSummary]:
        """Per non-source locale: counts, completeness and review states."""
        source, codes = await self._locales(None)
        counts = {c: dict.fromkeys(TranslationStatus, 0) for c in codes}
        review = {c: {**{s.value: 0 for s in ReviewState}, "none": 0} for c in codes}
        async for items in self._scan(type_key, codes, source, None):
            seen: dict[str, ReviewState | None] = {}
            for item in items:
                counts[item.locale][item.status] += 1
                seen[item.locale] = item.review_state
            for code, st in seen.items():
                review[code][st.value if st else "none"] += 1
        out = []
        for code in codes:
            c = counts[code]
            total = sum(c.values())
            done = c[TranslationStatus.PRESENT]
            out.append(
                LocaleSummary(
                    locale=code,
                    missing=c[TranslationStatus.MISSING],
                    outdated=c[TranslationStatus.OUTDATED],
                    present=done,
                    total=total,
                    completeness=round(100.0 * done / total, 2) if total else 100.0,
                    review=review[code],
                )
            )
        return out

    async def entry_ids(self, locale: str, state: TranslationStatus) -> list[str]:
        """Ids of entries with some field in ``state`` in ``locale``."""
        source, codes = await self._locales(locale)
        out: list[str] = []
        async for items in self._scan(None, codes, source, None):
            if any(i.status is state for i in items):
                out.append(items[0].entry_id)
        return out

    async def of_entry(self, entry_id: str) -> EntryTranslations:
        from content_hub.services.entries import EntryService

        entry = await EntryService(self.deps).get(entry_id)
        source, codes = await self._locales(None)
        ctype = (await self._types()).get(entry.type)
        recorded = (await self.repo.sources([entry.id])).get(entry.id, {})
        variants = await PersonalizationRepository(self.deps.session).as_of(
            entry.id, entry.version
        )
        fields, localized = with_variants(entry.fields, variants, _localized(ctype))
        found = entry_statuses(fields, localized, codes, source, recorded)
        statuses: dict[str, dict[str, TranslationStatus]] = {c: {} for c in codes}
        for (field, code), status in sorted(found.items()):
            statuses[code][field] = status
        reviews = await self.repo.reviews([entry.id])
        return EntryTranslations(
            entry_id=entry.id,
            source=source,
            statuses=statuses,
            reviews={
                c: reviews.get((entry.id, c))
                or Review(entry_id=entry.id, locale=c, state=None, version=0)
                for c in codes
            },
        )

    async def set_review(
        self, entry_id: str, locale: str, state: ReviewState, expected: int | None
    ) -> Review:
        """Set an entry's review state in ``locale``: editors for any locale,
        translators for theirs. ``expected`` is the review's version (0: none
        yet)."""
        actor = self.deps.actor
        if not allowed(actor, Action.ENTRIES_WRITE):
            if not allowed(actor, Action.ENTRIES_TRANSLATE):
                raise denied(actor, Action.ENTRIES_WRITE)
            if locale not in actor.locales:
                mine = ", ".join(sorted(actor.locales)) or "none"
                raise denied(
                    actor,
                    Action.ENTRIES_TRANSLATE,
                    detail=f"{actor.name} translates {mine}, not {locale}: they "
                    "may set the review state of their locales only.",
                )
        current = await self.of_entry(entry_id)
        if locale not in current.reviews:
            raise NotFound(
                f"No translation locale {locale!r} (the source is {current.source!r})."
            )
        before = current.reviews[locale]
        require_version(expected, before.version, "translation review")
        review = Review(
            entry_id=entry_id,
            locale=locale,
            state=state,
            version=before.version + 1,
            updated_by=actor.name,
        )
        if not await self.repo.set_review(
            review, expected_version=before.version, at=now()
        ):
            raise stale("translation review")
        await record(
            self.deps,
            "review",
            "entry",
            entry_id,
            before=before.version,
            after=review.version,
            detail={"locale": locale, "state": state.value},
        )
        return review
