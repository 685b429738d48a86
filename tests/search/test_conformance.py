"""One suite, both backends: the same queries must match the same documents.

Ranking may differ between engines, so assertions compare *sets* of ids
(except where an order is the point, e.g. pagination covering everything).
The shared corpus lives in ``conftest.py``.
"""

from __future__ import annotations

import msgspec
import pytest

from content_hub.search import (
    And,
    Eq,
    FilterExpr,
    In,
    Not,
    Or,
    Range,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchResults,
    UnknownFilterFieldError,
    parse_filter_params,
)

PUBLISHED = Eq("stage", "published")


def ids(results: SearchResults) -> set[str]:
    return {hit.id for hit in results.hits}


def find(
    backend: SearchBackend,
    q: str = "",
    *,
    locales: list[str] | None = None,
    filter: FilterExpr | None = None,
    limit: int = 100,
) -> set[str]:
    return ids(
        backend.search(SearchQuery(q=q, locales=locales, filter=filter, limit=limit))
    )


class TestLocales:
    def test_one_locale_only_searches_that_locale(
        self, corpus_backend: SearchBackend
    ) -> None:
        assert find(corpus_backend, "tram", locales=["en"]) == {"tram:en:published"}

    def test_all_locales_are_federated(self, corpus_backend: SearchBackend) -> None:
        assert find(corpus_backend, "Zurich", filter=PUBLISHED) == {
            "bike:de-CH:published",
            "bike:en:published",
        }

    def test_several_locales(self, corpus_backend: SearchBackend) -> None:
        found = find(corpus_backend, locales=["zh-Hans", "nb"], filter=PUBLISHED)
        assert found == {
            "bike:zh-Hans:published",
            "bike:nb:published",
            "weather:zh-Hans:published",
        }

    def test_locale_without_documents_finds_nothing(
        self, corpus_backend: SearchBackend
    ) -> None:
        assert find(corpus_backend, "tram", locales=["fr"]) == set()

    def test_locale_filter_matches_the_locales_parameter(
        self, corpus_backend: SearchBackend
    ) -> None:
        assert find(corpus_backend, "tram", filter=Eq("locale", "en")) == {
            "tram:en:published"
        }


class TestFilters:
    def test_type(self, corpus_backend: SearchBackend) -> None:
        found = find(corpus_backend, filter=And([Eq("type_key", "offer"), PUBLISHED]))
        assert found == {
            "bike:de-CH:published",
            "bike:en:published",
            "bike:zh-Hans:published",
            "bike:nb:published",
        }

    def test_term_includes_descendants_through_ancestors(
        self, corpus_backend: SearchBackend
    ) -> None:
        found = find(
            corpus_backend, filter=And([Eq("terms", "topic:mobility"), PUBLISHED])
        )
        assert {doc.split(":")[0] for doc in found} == {"bike", "tram"}
        assert len(found) == 6

    def test_leaf_term(self, corpus_backend: SearchBackend) -> None:
        found = find(
            corpus_backend, locales=["en"], filter=Eq("terms", "topic:weather")
        )
        assert found == {"weather:en:published"}

    def test_channel(self, corpus_backend: SearchBackend) -> None:
        found = find(corpus_backend, filter=And([Eq("channels", "sms"), PUBLISHED]))
        assert found == {
            "bike:nb:published",
            "weather:en:published",
            "weather:zh-Hans:published",
        }

    def test_status(self, corpus_backend: SearchBackend) -> None:
        found = find(corpus_backend, filter=Eq("status", "draft"))
        assert found == {"bike:de-CH:draft", "launch:en:draft"}

    def test_in_or_not(self, corpus_backend: SearchBackend) -> None:
        expr = And(
            [
                In("type_key", ["campaign", "offer"]),
                Or([Eq("locale", "en"), Eq("locale", "de-CH")]),
                Not(Eq("stage", "draft")),
            ]
        )
        assert find(corpus_backend, filter=expr) == {
            "bike:de-CH:published",
            "bike:en:published",
        }

    def test_range_and_missing_values(
        self, corpus_backend: SearchBackend, t0: int
    ) -> None:
        recent = Range("updated_at", gte=t0 + 30, lte=t0 + 40)
        assert find(corpus_backend, filter=recent) == {
            "weather:en:published",
            "weather:zh-Hans:published",
            "launch:en:draft",
        }
        # A document without published_at never matches a range, so NOT
        # includes it: the complement is exact on both engines.
        unpublished = Not(Range("published_at", gte=0))
        assert find(corpus_backend, filter=unpublished) == {
            "bike:de-CH:draft",
            "launch:en:draft",
        }

    def test_query_parameters(self, corpus_backend: SearchBackend) -> None:
        expr = parse_filter_params(
            [("type", "offer,campaign"), ("channel", "email"), ("stage", "published")]
        )
        assert find(corpus_backend, filter=expr) == {
            "bike:de-CH:published",
            "bike:en:published",
        }

    def test_words_and_filters_together(self, corpus_backend: SearchBackend) -> None:
        expr = parse_filter_params({"term": "topic:mobility", "stage": "published"})
        assert find(corpus_backend, "7", filter=expr) == {
            "tram:de-CH:published",
            "tram:en:published",
        }

    def test_unknown_field_is_a_request_error(self) -> None:
        with pytest.raises(UnknownFilterFieldError):
            SearchQuery(filter=Eq("secret", "x"))
        with pytest.raises(UnknownFilterFieldError):
            parse_filter_params({"tenant": "acme"})


class TestDrafts:
    def test_drafts_hidden_when_filtering_published(
        self, corpus_backend: SearchBackend
    ) -> None:
        assert find(corpus_backend, "Geheimentwurf", filter=PUBLISHED) == set()
        assert find(corpus_backend, "secret launch", filter=PUBLISHED) == set()

    def test_drafts_found_by_preview(self, corpus_backend: SearchBackend) -> None:
        draft = Eq("stage", "draft")
        assert find(corpus_backend, "Geheimentwurf", filter=draft) == {
            "bike:de-CH:draft"
        }
        assert find(corpus_backend, "secret launch", filter=draft) == {
            "launch:en:draft"
        }


class TestGerman:
    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("Uber", {"bike:de-CH:published"}),
            ("uber stationen", {"bike:de-CH:published"}),
            ("fur", {"bike:de-CH:published"}),
            ("Zurich", {"bike:de-CH:published"}),
            ("strassenbahn", set()),
            ("Straßenbahn", {"tram:de-CH:published"}),
        ],
    )
    def test_umlauts_and_eszett(
        self, corpus_backend: SearchBackend, q: str, expected: set[str]
    ) -> None:
        assert find(corpus_backend, q, locales=["de-CH"], filter=PUBLISHED) == expected

    def test_compound_part(self, corpus_backend: SearchBackend) -> None:
        # Meilisearch segments German compounds; FTS5 indexes word suffixes.
        found = find(corpus_backend, "Fahrrad", locales=["de-CH"], filter=PUBLISHED)
        assert found == {"bike:de-CH:published"}
        found = find(corpus_backend, "bahn", locales=["de-CH"], filter=PUBLISHED)
        assert found == {"tram:de-CH:published"}


class TestNorwegian:
    @pytest.mark.parametrize(
        "q",
        ["søknad", "SØKNAD", "soknad", "ærlig", "aerlig", "blåbær", "Økern", "brød"],
    )
    def test_nordic_letters(self, corpus_backend: SearchBackend, q: str) -> None:
        assert find(corpus_backend, q, locales=["nb"]) == {"bike:nb:published"}


class TestChinese:
    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("中文", {"bike:zh-Hans:published"}),
            ("城市", {"bike:zh-Hans:published"}),
            ("天气", {"weather:zh-Hans:published"}),
            ("自行车", {"bike:zh-Hans:published", "weather:zh-Hans:published"}),
            ("搜索引擎", {"bike:zh-Hans:published"}),
            ("天气预报", {"weather:zh-Hans:published"}),
            ("北京 晴朗", {"weather:zh-Hans:published"}),
            ("英国", set()),
        ],
    )
    def test_words_without_spaces(
        self, corpus_backend: SearchBackend, q: str, expected: set[str]
    ) -> None:
        assert find(corpus_backend, q, locales=["zh-Hans"]) == expected

    def test_chinese_query_across_all_locales(
        self, corpus_backend: SearchBackend
    ) -> None:
        assert find(corpus_backend, "中文") == {"bike:zh-Hans:published"}


class TestHighlightsAndFacets:
    def test_snippet_marks_matches_and_escapes_html(
        self, corpus_backend: SearchBackend
    ) -> None:
        results = corpus_backend.search(
            SearchQuery(q="motor", locales=["de-CH"], filter=PUBLISHED)
        )
        [hit] = results.hits
        assert "<mark>Motor</mark>" in hit.snippet
        assert "&lt;ab&gt;" in hit.snippet
        assert "<ab>" not in hit.snippet
        assert hit.title == "Lastenfahrrad für die Stadt"
        assert (hit.entry_id, hit.locale, hit.stage) == ("bike", "de-CH", "published")
        assert hit.type_key == "offer"
        assert hit.key == "bike-de-ch"

    def test_chinese_snippet(self, corpus_backend: SearchBackend) -> None:
        [hit] = corpus_backend.search(SearchQuery(q="中文", locales=["zh-Hans"])).hits
        assert "<mark>中文</mark>" in hit.snippet

    def test_highlight_off(self, corpus_backend: SearchBackend) -> None:
        results = corpus_backend.search(SearchQuery(q="motor", highlight=False))
        assert all("<mark>" not in hit.snippet for hit in results.hits)

    def test_facet_counts(self, corpus_backend: SearchBackend) -> None:
        results = corpus_backend.search(
            SearchQuery(
                filter=And([PUBLISHED, Eq("terms", "topic")]),
                facets=["type_key", "terms", "channels"],
                limit=0,
            )
        )
        assert results.estimated_total == 8
        assert results.hits == []
        assert results.facets["type_key"] == {"offer": 4, "article": 4}
        assert results.facets["terms"] == {
            "topic": 8,
            "topic:mobility": 6,
            "topic:mobility:e-bikes": 4,
            "topic:mobility:tram": 2,
            "topic:weather": 2,
        }
        assert results.facets["channels"] == {"web": 6, "email": 2, "sms": 3}

    def test_facets_follow_the_words(self, corpus_backend: SearchBackend) -> None:
        results = corpus_backend.search(
            SearchQuery(q="tram", facets=["type_key"], filter=PUBLISHED)
        )
        assert results.facets == {"type_key": {"article": 2}}


class TestPagination:
    def test_pages_cover_every_match_once(self, corpus_backend: SearchBackend) -> None:
        seen: list[str] = []
        for offset in (0, 10, 20):
            page = corpus_backend.search(
                SearchQuery(q="newsletter", locales=["en"], limit=10, offset=offset)
            )
            assert page.estimated_total == 25
            assert (page.limit, page.offset) == (10, offset)
            assert [hit.rank for hit in page.hits] == list(
                range(offset, offset + len(page.hits))
            )
            seen.extend(hit.id for hit in page.hits)
        assert len(seen) == 25
        assert len(set(seen)) == 25

    def test_offset_past_the_end(self, corpus_backend: SearchBackend) -> None:
        page = corpus_backend.search(SearchQuery(q="newsletter", offset=100))
        assert page.hits == []

    def test_scores_descend(self, corpus_backend: SearchBackend) -> None:
        hits = corpus_backend.search(SearchQuery(q="bike", locales=["en"])).hits
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)


INJECTIONS = [
    'offer" OR type_key = "article',
    "offer' OR '1'='1",
    "offer) OR (1=1",
    "x\\",
    '"',
    "'; DROP TABLE docs; --",
    "published OR stage = draft",
    "topic OR terms EXISTS",
]


class TestInjection:
    @pytest.mark.parametrize("value", INJECTIONS)
    def test_filter_values_are_data(
        self, corpus_backend: SearchBackend, value: str
    ) -> None:
        for field in ("type_key", "terms", "channels", "status", "stage"):
            assert find(corpus_backend, filter=Eq(field, value)) == set()
            assert find(corpus_backend, filter=In(field, [value, value + "2"])) == set()
        expr = parse_filter_params({"type": value.replace(",", ";")})
        assert find(corpus_backend, filter=expr) == set()

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("tram OR weather", set()),
            ("NEAR(tram weather)", set()),
            ("title:tram", set()),
            ("{title}: tram", set()),
            ("'; DROP TABLE docs; --", set()),
            ("tram*", {"tram:de-CH:published", "tram:en:published"}),
            ('"tram runs"', {"tram:en:published"}),
            ('"runs tram"', set()),
        ],
    )
    def test_query_syntax_is_text(
        self, corpus_backend: SearchBackend, q: str, expected: set[str]
    ) -> None:
        assert find(corpus_backend, q) == expected

    def test_negation(self, corpus_backend: SearchBackend) -> None:
        # English only: Meilisearch 1.21 returns nothing for a negated word in
        # the German, Chinese and Norwegian indexes (its segmenters), FTS5 does.
        assert find(corpus_backend, "-weather tram", locales=["en"]) == {
            "tram:en:published"
        }
        found = find(corpus_backend, "-newsletter", locales=["en"])
        assert found == {
            "bike:en:published",
            "tram:en:published",
            "weather:en:published",
            "launch:en:draft",
        }

    @pytest.mark.parametrize("q", ['"', "(", "\\", "*", "-", "AND", "^", '"-"'])
    def test_syntax_only_never_raises(
        self, corpus_backend: SearchBackend, q: str
    ) -> None:
        corpus_backend.search(SearchQuery(q=q, facets=["terms"]))


class TestWrites:
    def test_upsert_replaces_a_document(
        self, backend: SearchBackend, corpus: list[SearchDocument]
    ) -> None:
        [tram] = [doc for doc in corpus if doc.id == "tram:en:published"]
        backend.upsert([tram])
        assert find(backend, "timetable") == {"tram:en:published"}
        backend.upsert([msgspec.structs.replace(tram, title="Tram schedule")])
        assert find(backend, "timetable") == set()
        assert find(backend, "schedule") == {"tram:en:published"}
        results = backend.search(SearchQuery(facets=["type_key"]))
        assert results.estimated_total == 1
        assert results.facets == {"type_key": {"article": 1}}

    def test_unpublished_entry_gone_after_delete_entry(
        self, backend: SearchBackend, corpus: list[SearchDocument]
    ) -> None:
        backend.upsert(corpus)
        assert len(find(backend, filter=Eq("terms", "topic:mobility:e-bikes"))) == 5
        backend.delete_entry("bike")
        assert find(backend, filter=Eq("terms", "topic:mobility:e-bikes")) == set()
        assert find(backend, "Lastenfahrrad") == set()
        assert find(backend, "中文") == set()
        assert find(backend, "tram", locales=["en"]) == {"tram:en:published"}

    def test_delete_by_id_keeps_the_other_stage(
        self, backend: SearchBackend, corpus: list[SearchDocument]
    ) -> None:
        backend.upsert(corpus)
        backend.delete(["bike:de-CH:published", "no-such:en:published"])
        assert find(backend, "Lastenfahrrad", locales=["de-CH"]) == {"bike:de-CH:draft"}

    def test_entry_ids_with_separators(self, backend: SearchBackend) -> None:
        doc = SearchDocument.build(
            entry_id='odd:id "x"/ü',
            locale="en",
            stage="published",
            type_key="article",
            key="odd",
            title="Peculiar identifier",
        )
        backend.upsert([doc])
        [hit] = backend.search(SearchQuery(q="peculiar")).hits
        assert (hit.id, hit.entry_id) == (doc.id, doc.entry_id)
        backend.delete_entry(doc.entry_id)
        assert find(backend, "peculiar") == set()

    def test_clear(self, backend: SearchBackend, corpus: list[SearchDocument]) -> None:
        backend.upsert(corpus)
        backend.clear()
        assert find(backend) == set()
        backend.setup(["en"])  # idempotent
        backend.upsert(corpus[:1])
        assert find(backend) == {corpus[0].id}

    def test_empty_writes_are_no_ops(self, backend: SearchBackend) -> None:
        backend.upsert([])
        backend.delete([])
        backend.delete_entry("nothing")
        assert find(backend) == set()
