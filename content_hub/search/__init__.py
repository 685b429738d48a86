"""Search: one interface, two engines (SQLite FTS5 by default, Meilisearch to scale).

The service builds :class:`SearchDocument` s (one per entry, locale and stage),
feeds them to a :class:`SearchBackend` from its outbox worker, and runs
:class:`SearchQuery` s with a typed filter (:data:`FilterExpr`). Only the
standard library, msgspec and the official ``meilisearch`` client are used.

>>> import tempfile
>>> from pathlib import Path
>>> from content_hub.search import (
...     Eq, SearchDocument, SearchQuery, create_search_backend, parse_filter_params)
>>> backend = create_search_backend(
...     meilisearch_url=None, meilisearch_key=None, data_dir=Path(tempfile.mkdtemp()))
>>> backend.setup(["de-CH"])
>>> backend.upsert([SearchDocument.build(
...     entry_id="e1", locale="de-CH", stage="published", type_key="offer",
...     key="velo", title="Lastenfahrrad für alle", terms=["topic", "topic:bikes"],
...     channels=["email"], status="published", updated_at=1_700_000_000)])
>>> delivery = parse_filter_params({"term": "topic", "stage": "published"})
>>> results = backend.search(SearchQuery(q="Fahrrad fur", filter=delivery,
...                                      facets=["type_key"]))
>>> [(hit.id, hit.snippet) for hit in results.hits]
[('e1:de-CH:published', 'Lasten<mark>fahrrad</mark> <mark>für</mark> alle')]
>>> results.facets
{'type_key': {'offer': 1}}
>>> backend.delete_entry("e1")
>>> backend.search(SearchQuery(q="Fahrrad")).hits
[]
>>> backend.close()
"""

from __future__ import annotations

from content_hub.search._backend import (
    FTS5_FILENAME,
    SearchBackend,
    create_search_backend,
)
from content_hub.search._errors import (
    InvalidFilterError,
    InvalidSearchQueryError,
    SearchBackendError,
    SearchDocumentError,
    SearchError,
    SearchRequestError,
    SearchTaskError,
    UnknownFilterFieldError,
)
from content_hub.search._filters import (
    FILTER_PARAMS,
    FILTERABLE_FIELDS,
    And,
    Eq,
    FilterExpr,
    In,
    Not,
    Or,
    Range,
    and_,
    decode_filter,
    parse_filter_params,
    to_meilisearch_filter,
    validate_filter,
)
from content_hub.search._fts5 import Fts5Backend
from content_hub.search._meilisearch import MeilisearchBackend
from content_hub.search._models import (
    FACET_FIELDS,
    EntryDocuments,
    FacetField,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
    Stage,
    document_id,
)

__all__ = [
    "FACET_FIELDS",
    "FILTERABLE_FIELDS",
    "FILTER_PARAMS",
    "FTS5_FILENAME",
    "And",
    "EntryDocuments",
    "Eq",
    "FacetField",
    "FilterExpr",
    "Fts5Backend",
    "In",
    "InvalidFilterError",
    "InvalidSearchQueryError",
    "MeilisearchBackend",
    "Not",
    "Or",
    "Range",
    "SearchBackend",
    "SearchBackendError",
    "SearchDocument",
    "SearchDocumentError",
    "SearchError",
    "SearchHit",
    "SearchQuery",
    "SearchRequestError",
    "SearchResults",
    "SearchTaskError",
    "Stage",
    "UnknownFilterFieldError",
    "and_",
    "create_search_backend",
    "decode_filter",
    "document_id",
    "parse_filter_params",
    "to_meilisearch_filter",
    "validate_filter",
]
