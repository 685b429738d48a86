"""Turning entries into search documents: one per entry, locale and stage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from html import unescape
from typing import Any

from content_hub.domain.content_types import ContentType, FieldType
from content_hub.domain.entries import resolve_fields
from content_hub.domain.locales import LocaleSet
from content_hub.search import SearchDocument, Stage

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
            )
        )
    return docs
