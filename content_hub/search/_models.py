"""Documents, queries and results shared by every search backend."""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec

from content_hub.search._errors import InvalidSearchQueryError, SearchDocumentError
from content_hub.search._filters import FilterExpr, validate_filter

Stage = Literal["published", "draft"]
FacetField = Literal["type_key", "terms", "channels"]
FACET_FIELDS: tuple[FacetField, ...] = ("type_key", "terms", "channels")
MAX_LIMIT = 1000
MAX_OFFSET = 10_000

_LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"


def check_locale(locale: str) -> str:
    """Return *locale* if it looks like a BCP 47 tag, else raise."""
    if not _LOCALE_RE.match(locale):
        raise InvalidSearchQueryError(f"not a BCP 47 locale tag: {locale!r}")
    return locale


def document_id(entry_id: str, locale: str, stage: Stage) -> str:
    """The id of the search document for one entry, locale and stage."""
    return f"{entry_id}:{locale}:{stage}"


def split_document_id(doc_id: str) -> tuple[str, str, str]:
    """``(entry_id, locale, stage)`` of a document id (entry ids may hold ``:``)."""
    parts = doc_id.rsplit(":", 2)
    if len(parts) != 3:
        raise SearchDocumentError(f"not a search document id: {doc_id!r}")
    return parts[0], parts[1], parts[2]


class SearchDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One entry in one locale and stage, with fields resolved along the chain.

    ``terms`` holds term ids including every ancestor (``topic``,
    ``topic:city-bikes``) so that a filter on a parent term finds children.
    ``body`` is the other text fields, as plain text. ``revision`` is the
    entry version the document was built from (the draft's, or the published
    one's): an index never replaces a document with one of a lower revision.
    """

    id: str
    entry_id: str
    locale: str
    stage: Stage
    type_key: str
    key: str
    title: str
    summary: str = ""
    body: str = ""
    terms: list[str] = msgspec.field(default_factory=list)
    channels: list[str] = msgspec.field(default_factory=list)
    status: str = "draft"
    updated_at: int = 0
    published_at: int | None = None
    revision: int = 0

    @classmethod
    def build(
        cls,
        *,
        entry_id: str,
        locale: str,
        stage: Stage,
        type_key: str,
        key: str,
        title: str,
        summary: str = "",
        body: str = "",
        terms: list[str] | None = None,
        channels: list[str] | None = None,
        status: str = "draft",
        updated_at: int = 0,
        published_at: int | None = None,
        revision: int = 0,
    ) -> SearchDocument:
        """Make a document whose ``id`` is derived from entry, locale and stage."""
        return cls(
            id=document_id(entry_id, locale, stage),
            entry_id=entry_id,
            locale=locale,
            stage=stage,
            type_key=type_key,
            key=key,
            title=title,
            summary=summary,
            body=body,
            terms=list(terms or ()),
            channels=list(channels or ()),
            status=status,
            updated_at=updated_at,
            published_at=published_at,
            revision=revision,
        )

    def check(self) -> None:
        """Raise :class:`SearchDocumentError` if the id does not fit the fields."""
        if self.id != document_id(self.entry_id, self.locale, self.stage):
            raise SearchDocumentError(
                f"document id {self.id!r} is not "
                f"{document_id(self.entry_id, self.locale, self.stage)!r}"
            )
        if not _LOCALE_RE.match(self.locale):
            raise SearchDocumentError(f"not a BCP 47 locale tag: {self.locale!r}")


class EntryDocuments(msgspec.Struct, frozen=True):
    """Every document of one entry (all locales, both stages): what replaces
    the entry's documents in the index. No documents: the entry is gone."""

    entry_id: str
    docs: list[SearchDocument]


class SearchQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A word query over one, several or (``locales=None``) all locales."""

    q: str = ""
    locales: list[str] | None = None
    filter: FilterExpr | None = None
    facets: list[FacetField] = msgspec.field(default_factory=list)
    limit: Annotated[int, msgspec.Meta(ge=0, le=MAX_LIMIT)] = 20
    offset: Annotated[int, msgspec.Meta(ge=0, le=MAX_OFFSET)] = 0
    highlight: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.limit <= MAX_LIMIT:
            raise InvalidSearchQueryError(f"limit must be between 0 and {MAX_LIMIT}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise InvalidSearchQueryError(f"offset must be between 0 and {MAX_OFFSET}")
        for facet in self.facets:
            if facet not in FACET_FIELDS:
                raise InvalidSearchQueryError(
                    f"cannot facet on {facet!r}; facets: {', '.join(FACET_FIELDS)}"
                )
        if self.locales is not None:
            for locale in self.locales:
                check_locale(locale)
        if self.filter is not None:
            validate_filter(self.filter)


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    """One matching document.

    ``snippet`` is HTML-escaped text with matches wrapped in ``<mark>``…``</mark>``
    (empty when highlighting is off). ``score`` is higher-is-better and only
    comparable within one backend: Meilisearch's ranking score (0..1) or the
    negated FTS5 bm25.
    """

    id: str
    entry_id: str
    locale: str
    stage: str
    type_key: str
    key: str
    title: str
    snippet: str
    score: float
    rank: int
    revision: int = 0
    """The entry version the document was built from."""


class SearchResults(msgspec.Struct, frozen=True, kw_only=True):
    """A page of hits, an estimated total and facet counts."""

    hits: list[SearchHit]
    estimated_total: int
    facets: dict[str, dict[str, int]]
    limit: int
    offset: int
    processing_ms: float
