"""Differential test: random filters must select the same documents on both engines.

No words in the query, so ranking plays no part: this pins the SQL compiler
and the Meilisearch filter compiler to each other (missing values, NOT, case).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.search import (
    And,
    Eq,
    FilterExpr,
    Fts5Backend,
    In,
    MeilisearchBackend,
    Not,
    Or,
    Range,
    SearchDocument,
    SearchQuery,
)


@pytest.fixture(scope="module")
def engines(
    meili_server: Any,
    corpus_docs: list[SearchDocument],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Fts5Backend, MeilisearchBackend]]:
    fts5 = Fts5Backend(Path(tmp_path_factory.mktemp("diff")) / "search.sqlite3")
    meili = MeilisearchBackend(
        meili_server.url, meili_server.master_key, f"d{uuid.uuid4().hex[:10]}"
    )
    for backend in (fts5, meili):
        backend.upsert(corpus_docs)
    yield fts5, meili
    meili.drop()
    meili.close()
    fts5.close()


EVIL = ['x" OR stage = "draft', "' OR 1=1 --", "\\", "OFFER"]
STRINGS = {
    "type_key": ["offer", "article", "campaign", "newsletter", *EVIL],
    "terms": ["topic", "topic:mobility", "topic:weather", "topic:mobility:tram", *EVIL],
    "channels": ["web", "email", "sms", *EVIL],
    "status": ["published", "draft", "archived"],
    "stage": ["published", "draft"],
    "locale": ["en", "de-CH", "zh-Hans", "nb", "fr"],
}
T0 = 1_700_000_000
times = st.integers(T0 - 5, T0 + 130)


def leaf() -> st.SearchStrategy[FilterExpr]:
    def eq(field: str) -> st.SearchStrategy[FilterExpr]:
        return st.builds(Eq, st.just(field), st.sampled_from(STRINGS[field]))

    def in_(field: str) -> st.SearchStrategy[FilterExpr]:
        values = st.lists(st.sampled_from(STRINGS[field]), min_size=1, max_size=3)
        return st.builds(In, st.just(field), values)

    fields = st.sampled_from(sorted(STRINGS))
    ranges = st.builds(
        Range,
        st.sampled_from(["updated_at", "published_at"]),
        st.none() | times,
        st.none() | times,
    ).filter(lambda r: r.gte is not None or r.lte is not None)
    return st.one_of(fields.flatmap(eq), fields.flatmap(in_), ranges)


filters = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.builds(And, st.lists(inner, min_size=1, max_size=3)),
        st.builds(Or, st.lists(inner, min_size=1, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=6,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(expr=filters)
def test_same_documents_for_any_filter(
    engines: tuple[Fts5Backend, MeilisearchBackend], expr: FilterExpr
) -> None:
    query = SearchQuery(filter=expr, limit=100, facets=["type_key", "channels"])
    fts5, meili = (engine.search(query) for engine in engines)
    assert {h.id for h in fts5.hits} == {h.id for h in meili.hits}
    assert fts5.estimated_total == meili.estimated_total
    assert fts5.facets == meili.facets
