"""Meilisearch-only behaviour, against the real test server from conftest."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from content_hub.search import (
    Eq,
    MeilisearchBackend,
    SearchBackendError,
    SearchDocument,
    SearchQuery,
    SearchTaskError,
)
from content_hub.search._meili_settings import (
    index_settings,
    language_code,
    parse_version,
    primary_key,
    ranking_rules,
)


@pytest.fixture
def meili(meili_server: Any) -> Iterator[MeilisearchBackend]:
    backend = MeilisearchBackend(
        meili_server.url, meili_server.master_key, f"m{uuid.uuid4().hex[:10]}"
    )
    yield backend
    backend.drop()
    backend.close()


def doc(entry: str, locale: str, title: str) -> SearchDocument:
    return SearchDocument.build(
        entry_id=entry, locale=locale, stage="published", type_key="article",
        key=entry, title=title,
    )  # fmt: skip


class TestSettings:
    def test_index_per_locale_with_language_and_attributes(
        self, meili: MeilisearchBackend
    ) -> None:
        meili.setup(["de-CH", "zh-Hans", "nb", "xx-Test"])
        meili.setup(["de-CH"])  # idempotent
        client = meili.client
        prefix = meili.index_prefix
        uids = {i["uid"] for i in client.get_raw_indexes({"limit": 1000})["results"]}
        expected = {
            f"{prefix}_de-ch",
            f"{prefix}_zh-hans",
            f"{prefix}_nb",
            f"{prefix}_xx-test",
        }
        assert expected <= uids
        settings = client.index(f"{prefix}_zh-hans").get_settings()
        assert settings["searchableAttributes"] == ["title", "summary", "body"]
        assert settings["localizedAttributes"] == [
            {"attributePatterns": ["title", "summary", "body"], "locales": ["cmn"]}
        ]
        assert {"type_key", "terms", "channels", "stage", "status"} <= set(
            settings["filterableAttributes"]
        )
        assert settings["sortableAttributes"] == ["published_at", "updated_at"]
        assert "attribute" in settings["rankingRules"]
        unknown = client.index(f"{prefix}_xx-test").get_settings()
        assert not unknown.get("localizedAttributes")

    def test_language_codes(self) -> None:
        assert language_code("zh-Hans") == "cmn"
        assert language_code("zh-Hant-HK") == "cmn"
        assert language_code("de-CH") == "deu"
        assert language_code("nb") == "nob"
        assert language_code("tlh") is None

    def test_ranking_rules_follow_the_server_version(self) -> None:
        assert "attribute" in ranking_rules(parse_version("1.21.0"))
        new = ranking_rules(parse_version("v1.36.1"))
        assert {"attributeRank", "wordPosition"} <= set(new)
        assert "attribute" not in new
        assert "attributeRank" not in str(index_settings("en", (1, 21)))

    @pytest.mark.parametrize(
        "doc_id", ["a:en:published", 'odd "id"/ü:zh-Hans:draft', "x_y:de-CH:draft"]
    )
    def test_primary_keys_are_valid_and_distinct(self, doc_id: str) -> None:
        pk = primary_key(doc_id)
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,511}", pk)
        assert primary_key(doc_id.replace(":", "_")) != pk


class TestFailures:
    def test_failed_task_carries_the_task_error(
        self, meili: MeilisearchBackend
    ) -> None:
        meili.setup(["en"])
        task = meili.client.create_index(f"{meili.index_prefix}_en")
        with pytest.raises(SearchTaskError) as info:
            meili._wait(task.task_uid, "create again")
        assert info.value.code == "index_already_exists"
        assert info.value.task_status == "failed"
        assert info.value.status == 503
        assert "index_already_exists" in str(info.value)

    def test_wrong_key(self, meili_server: Any) -> None:
        backend = MeilisearchBackend(meili_server.url, "wrong-key", "nope")
        with pytest.raises(SearchBackendError, match="invalid_api_key"):
            backend.setup(["en"])
        with pytest.raises(SearchBackendError):
            backend.search(SearchQuery(q="x"))

    def test_unreachable(self) -> None:
        backend = MeilisearchBackend("http://127.0.0.1:9", "k", "nope", timeout_s=1)
        with pytest.raises(SearchBackendError, match="unreachable"):
            backend.search(SearchQuery(q="x"))


class TestSearch:
    def test_upsert_creates_missing_locale_indexes_with_settings(
        self, meili: MeilisearchBackend
    ) -> None:
        meili.upsert([doc("a", "fr", "Bonjour la recherche")])
        settings = meili.client.index(f"{meili.index_prefix}_fr").get_settings()
        assert settings["localizedAttributes"][0]["locales"] == ["fra"]
        assert [h.id for h in meili.search(SearchQuery(q="recherche")).hits] == [
            "a:fr:published"
        ]

    def test_dropped_index_is_recreated_with_settings(
        self, meili: MeilisearchBackend, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("content_hub.search._meilisearch.INDEX_CACHE_SECONDS", 0)
        meili.upsert([doc("a", "en", "First")])
        uid = f"{meili.index_prefix}_en"
        meili.client.wait_for_task(meili.client.delete_index(uid).task_uid)
        meili.upsert([doc("b", "en", "Second")])
        assert "stage" in meili.client.index(uid).get_settings()["filterableAttributes"]
        query = SearchQuery(filter=Eq("stage", "published"))
        assert [h.entry_id for h in meili.search(query).hits] == ["b"]

    def test_federated_hits_from_several_locales(
        self, meili: MeilisearchBackend
    ) -> None:
        meili.upsert(
            [
                doc("a", "en", "Search engine"),
                doc("a", "de", "Suchmaschine search"),
                doc("b", "zh-Hans", "search 搜索引擎"),
            ]
        )
        results = meili.search(SearchQuery(q="search", facets=["type_key"]))
        assert {h.locale for h in results.hits} == {"en", "de", "zh-Hans"}
        assert results.estimated_total == 3
        assert results.facets == {"type_key": {"article": 3}}
        assert all("<mark>" in h.snippet for h in results.hits)

    def test_typo_tolerance_is_meilisearch_only(
        self, meili: MeilisearchBackend
    ) -> None:
        meili.upsert([doc("a", "en", "Installing the hub")])
        assert [h.entry_id for h in meili.search(SearchQuery(q="instaling")).hits] == [
            "a"
        ]

    def test_concurrent_searches_from_threads(self, meili: MeilisearchBackend) -> None:
        meili.upsert([doc(f"e{n}", "en", f"Thread safe {n}") for n in range(20)])
        errors: list[BaseException] = []

        def run() -> None:
            try:
                for _ in range(10):
                    assert meili.search(SearchQuery(q="thread")).estimated_total == 20
                    meili.upsert([doc("extra", "de", "Nebenläufig")])
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
