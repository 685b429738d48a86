"""Turning entries into search documents: one per entry, locale and stage.

:func:`build_documents` reads everything a batch of entries' documents need
in the session's transaction, which the indexer opens as one snapshot, so a
draft and its published copy are never taken from two moments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import unescape
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.content_types import ContentType, FieldType
from content_hub.domain.entries import resolve_fields
from content_hub.domain.locales import LocaleSet
from content_hub.domain.taxonomy import TermIndex
from content_hub.search import EntryDocuments, SearchDocument, Stage
from content_hub.store.repositories import ContentTypeRepository, LocaleRepository
from content_hub.store.repositories.search_source import SearchSourceRepository
from content_hub.store.repositories.taxonomy import TaxonomyRepository

TITLE_KEYS = ("title", "name", "headline", "subject")
SUMMARY_KEYS = ("summary", "description", "teaser", "preheader", "subtitle", "lead")
TEXT_TYPES = {FieldType.TEXT, FieldType.MARKDOWN, FieldType.RICH_TEXT}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain(value: Any, field_type: FieldType) -> str:
    """The words of a field value: tags stripped from rich text."""
    if not isinstance(value, str):
        return ""
    if field_type is FieldType.RICH_TEXT:
        value = unescape(_TAG.sub(" ", value))
    return _SPACE.sub(" ", value).strip()


def _pick(ctype: ContentType, keys: Iterable[str], exclude: set[str]) -> str | None:
    for key in keys:
        fdef = ctype.field(key)
        if fdef is not None and fdef.type in TEXT_TYPES and key not in exclude:
            return key
    return None


def documents_for(
    *,
    entry_id: str,
    key: str,
    ctype: ContentType,
    fields: dict[str, Any],
    stage: Stage,
    status: str,
    terms: list[str],
    locales: LocaleSet,
    updated_at: datetime,
    published_at: datetime | None,
    revision: int,
) -> list[SearchDocument]:
    """Documents of one stage of an entry, one per configured locale, with
    every field resolved along that locale's fallback chain."""
    localized = frozenset(f.key for f in ctype.fields if f.localized)
    title_key = _pick(ctype, TITLE_KEYS, set()) or next(
        (f.key for f in ctype.fields if f.type in TEXT_TYPES), None
    )
    summary_key = _pick(ctype, SUMMARY_KEYS, {title_key} if title_key else set())
    types = {f.key: f.type for f in ctype.fields}
    docs = []
    for code, chain in locales.chains.items():
        values = resolve_fields(fields, localized, chain).values
        body = " ".join(
            text
            for fkey, ftype in types.items()
            if ftype in TEXT_TYPES and fkey not in (title_key, summary_key)
            for text in [plain(values.get(fkey), ftype)]
            if text
        )
        docs.append(
            SearchDocument.build(
                entry_id=entry_id,
                locale=code,
                stage=stage,
                type_key=ctype.key,
                key=key,
                title=plain(values.get(title_key), types[title_key])
                if title_key
                else key,
                summary=plain(values.get(summary_key), types[summary_key])
                if summary_key
                else "",
                body=body,
                terms=terms,
                channels=list(ctype.channels),
                status=status,
                updated_at=int(updated_at.timestamp()),
                published_at=int(published_at.timestamp()) if published_at else None,
                revision=revision,
            )
        )
    return docs


async def build_documents(
    session: AsyncSession, entry_ids: Sequence[str], default_locale: str
) -> list[EntryDocuments]:
    """The complete document set (draft and published stage, every locale)
    of each entry; an entry that no longer exists gets an empty set."""
    types = {t.key: t for t in await ContentTypeRepository(session).all()}
    locales = LocaleSet.build(await LocaleRepository(session).all(), default_locale)
    term_index = TermIndex.of(await TaxonomyRepository(session).terms())
    found = await SearchSourceRepository(session).entries(entry_ids)
    out: list[EntryDocuments] = []
    for entry_id in entry_ids:
        entry, live = found.get(entry_id, (None, None))
        ctype = types.get(entry.type) if entry else None
        if entry is None or ctype is None:
            out.append(EntryDocuments(entry_id, []))
            continue
        ids = sorted(term_index.expand(entry.terms))
        terms = sorted({*term_index.refs(ids), *ids})
        docs = documents_for(
            entry_id=entry.id,
            key=entry.key,
            ctype=ctype,
            fields=entry.fields,
            stage="draft",
            status=str(entry.status),
            terms=terms,
            locales=locales,
            updated_at=entry.updated_at,
            published_at=entry.published_at,
            revision=entry.version,
        )
        if live is not None and entry.published_at is not None:
            docs += documents_for(
                entry_id=entry.id,
                key=live.key,
                ctype=ctype,
                fields=live.fields,
                stage="published",
                status="published",
                terms=terms,
                locales=locales,
                updated_at=entry.published_at,
                published_at=entry.published_at,
                revision=live.version,
            )
        out.append(EntryDocuments(entry_id, docs))
    return out
