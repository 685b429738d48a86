"""Search through the API on the embedded FTS5 backend, and the outbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.cli import main
from content_hub.search import (
    EntryDocuments,
    Fts5Backend,
    SearchDocument,
    SearchQuery,
)
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.workers.indexer import SearchIndexer
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def hits(
    client: TestClient[Any], path: str, headers: dict[str, str], **params: Any
) -> list[tuple[str, str]]:
    r = client.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return sorted((h["key"], h["locale"]) for h in r.json()["hits"])


@pytest.fixture
def content(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    admin = keys.headers("admin")
    for code in ("de", "zh-Hans"):
        add_locale(client, admin, code)
    add_type(client, admin)
    bike = publish(
        client,
        admin,
        add_entry(
            client,
            admin,
            "cargo",
            {
                "title": {
                    "en": "Cargo bike offer",
                    "de": "Lastenfahrrad für die Familie",
                    "zh-Hans": "家庭电动货运自行车优惠",
                },
                "summary": {"en": "Carry more", "de": "Über 100 kg Zuladung"},
            },
        ),
    )
    draft = add_entry(
        client,
        admin,
        "secret",
        {"title": {"en": "Unannounced bike", "de": "Geheimes Fahrrad"}},
    )
    return {"bike": bike, "draft": draft}


class TestDeliverySearch:
    def test_published_only_for_delivery_and_drafts_for_preview(
        self, client: TestClient[Any], keys: Keys, content: dict[str, Any]
    ) -> None:
        delivery = keys.headers("delivery")
        eventually(
            lambda: hits(
                client, "/delivery/v1/search", delivery, q="fahrrad", locale="de"
            )
        )
        assert hits(
            client, "/delivery/v1/search", delivery, q="fahrrad", locale="de"
        ) == [("cargo", "de")]
        preview = keys.headers("preview")
        eventually(
            lambda: (
                ("secret", "de")
                in hits(
                    client, "/delivery/v1/search", preview, q="fahrrad", locale="de"
                )
            )
        )
        assert hits(
            client, "/delivery/v1/search", preview, q="fahrrad", locale="de"
        ) == [
            ("cargo", "de"),
            ("secret", "de"),
        ]

    def test_languages(
        self, client: TestClient[Any], keys: Keys, content: dict[str, Any]
    ) -> None:
        delivery = keys.headers("delivery")
        eventually(lambda: hits(client, "/delivery/v1/search", delivery, q="cargo"))
        assert hits(client, "/delivery/v1/search", delivery, q="Uber", locale="de") == [
            ("cargo", "de")
        ]
        assert hits(
            client, "/delivery/v1/search", delivery, q="货运", locale="zh-Hans"
        ) == [("cargo", "zh-Hans")]
        # en falls back nowhere: the en document holds the en title
        assert hits(
            client, "/delivery/v1/search", delivery, q="carry", locale="en"
        ) == [("cargo", "en")]

    def test_facets_and_filters(
        self, client: TestClient[Any], keys: Keys, content: dict[str, Any]
    ) -> None:
        delivery = keys.headers("delivery")
        eventually(lambda: hits(client, "/delivery/v1/search", delivery, q="cargo"))
        r = client.get(
            "/delivery/v1/search",
            params={"q": "", "facet": "type_key", "locale": "en"},
            headers=delivery,
        )
        assert r.json()["facets"]["type_key"] == {"article": 1}
        assert (
            hits(client, "/delivery/v1/search", delivery, q="cargo", type="nope") == []
        )
        assert (
            hits(
                client,
                "/delivery/v1/search",
                delivery,
                q="cargo",
                type='article" OR 1=1 --',
            )
            == []
        )

    def test_unpublish_removes_from_published_search(
        self, client: TestClient[Any], keys: Keys, content: dict[str, Any]
    ) -> None:
        delivery = keys.headers("delivery")
        eventually(lambda: hits(client, "/delivery/v1/search", delivery, q="cargo"))
        bike = content["bike"]
        r = client.post(
            f"/manage/v1/entries/{bike['id']}/unpublish",
            headers={**keys.headers("manage"), "If-Match": '"1"'},
        )
        assert r.status_code == 200
        eventually(lambda: not hits(client, "/delivery/v1/search", delivery, q="cargo"))

    def test_bad_requests_are_problems(
        self, client: TestClient[Any], keys: Keys, content: dict[str, Any]
    ) -> None:
        r = client.get(
            "/delivery/v1/search",
            params={"q": "x", "locale": "fr"},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 400
        assert r.json()["type"].endswith("/locale-not-configured")
        r = client.get(
            "/delivery/v1/search",
            params={"q": "x", "limit": 1000},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 400
        r = client.get(
            "/manage/v1/search",
            params={"q": "x", "stage": "other"},
            headers=keys.headers("manage"),
        )
        assert r.status_code == 400


class FlakyBackend(Fts5Backend):
    """Fails the first ``failures`` writes, like an engine that is down."""

    def __init__(self, path: Path, failures: int) -> None:
        super().__init__(path)
        self.failures = failures

    def _fail(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("engine down")

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        self._fail()
        super().upsert(docs)

    def replace_entries(
        self, entries: Sequence[EntryDocuments], *, force: bool = False
    ) -> None:
        self._fail()
        super().replace_entries(entries, force=force)


def test_a_failed_index_write_is_retried_and_loses_nothing(
    client: TestClient[Any], keys: Keys, settings: Settings, content: dict[str, Any]
) -> None:
    backend = FlakyBackend(settings.data_dir / "flaky.sqlite3", failures=1)

    async def scenario() -> list[str]:
        engine = create_engine(settings.database.url)
        try:
            # a second follower of the log: everything written is still pending for it
            indexer = SearchIndexer(
                create_session_factory(engine), backend, settings, cursor="flaky_cursor"
            )
            await indexer.setup()
            with pytest.raises(RuntimeError):
                await indexer.run_once()
            assert backend.search(SearchQuery(q="cargo")).hits == []
            assert await indexer.run_once() > 0
            return [h.entry_id for h in backend.search(SearchQuery(q="cargo")).hits]
        finally:
            await engine.dispose()

    found = asyncio.run(scenario())
    assert content["bike"]["id"] in found
    backend.close()


def test_reindex_command_rebuilds_the_index(
    settings: Settings,
    client: TestClient[Any],
    keys: Keys,
    content: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CONTENT_HUB_DATABASE_URL", settings.database.url)
    # the indexer indexes the change log in order, and the draft comes last:
    # once it is found, the live indexer has nothing left that could write
    # into the index after the wipe below
    eventually(
        lambda: (
            ("secret", "de")
            in hits(client, "/manage/v1/search", keys.headers("manage"), q="fahrrad")
        )
    )
    wiped = Fts5Backend(settings.data_dir / "search.sqlite3")
    wiped.clear()
    assert wiped.search(SearchQuery(q="fahrrad")).hits == []
    wiped.close()
    assert main(["search", "reindex"]) == 0
    captured = capsys.readouterr()
    assert "reindexed 2 entries" in captured.out
    assert "2/2 entries" in captured.err
    backend = Fts5Backend(settings.data_dir / "search.sqlite3")
    try:
        assert {h.key for h in backend.search(SearchQuery(q="fahrrad")).hits} == {
            "cargo",
            "secret",
        }
    finally:
        backend.close()


def test_term_filters_include_descendants_and_follow_a_move(
    client: TestClient[Any], keys: Keys
) -> None:
    from tests.content_hub.editorial import add_taxonomy, add_term

    admin = keys.headers("admin")
    add_type(client, admin)
    add_taxonomy(client, admin)
    add_term(client, admin, "models")
    ebikes = add_term(client, admin, "e-bikes", parent="topic:models")
    add_term(client, admin, "services")
    add_term(client, admin, "city", parent="topic:e-bikes")
    r = client.post(
        "/manage/v1/entries",
        json={
            "type": "article",
            "key": "urban",
            "terms": ["topic:city"],
            "fields": {"title": {"en": "Urban commuter"}},
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    publish(client, admin, r.json())
    delivery = keys.headers("delivery")
    assert eventually(
        lambda: hits(
            client, "/delivery/v1/search", delivery, q="urban", term="topic:models"
        )
    ) == [("urban", "en")]
    assert (
        hits(client, "/delivery/v1/search", delivery, q="urban", term="topic:services")
        == []
    )
    moved = client.put(
        f"/manage/v1/taxonomies/topic/terms/{ebikes['id']}",
        json={
            "key": "e-bikes",
            "labels": {"en": "E-bikes"},
            "parent": "topic:services",
        },
        headers={**admin, "If-Match": f'"{ebikes["version"]}"'},
    )
    assert moved.status_code == 200, moved.text
    eventually(
        lambda: hits(
            client, "/delivery/v1/search", delivery, q="urban", term="topic:services"
        )
    )
    assert (
        hits(client, "/delivery/v1/search", delivery, q="urban", term="topic:models")
        == []
    )
