"""A new lease holder repairs the index: documents that are missing, carry
another revision than the database, or belong to no entry (what a holder
killed mid-write, or an index wiped behind the hub's back, leaves)."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.testing import TestClient

from content_hub.search import Fts5Backend, SearchDocument
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.workers.indexer import SearchIndexer
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


def _doc(entry_id: str, stage: str, revision: int) -> SearchDocument:
    return SearchDocument.build(
        entry_id=entry_id,
        locale="en",
        stage=stage,  # type: ignore[arg-type]
        type_key="article",
        key="x",
        title="stale",
        revision=revision,
    )


def test_reconcile_repairs_missing_stale_and_orphan_documents(
    client: TestClient[Any], keys: Keys, settings: Settings
) -> None:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_type(client, admin)
    entries = [
        add_entry(client, admin, f"e{n}", {"title": {"en": f"E{n}", "de": f"D{n}"}})
        for n in range(4)
    ]
    live = publish(client, admin, entries[0])
    assert live["published_version"] == 1
    backend = Fts5Backend(settings.data_dir / "repair.sqlite3")

    async def scenario() -> tuple[int, int, dict[tuple[str, str], list[int]]]:
        engine = create_engine(settings.database.url)
        try:
            indexer = SearchIndexer(
                create_session_factory(engine), backend, settings, cursor="repair"
            )
            await indexer.setup()
            built = await indexer.reconcile()  # an empty index: everything
            a, b, c, _ = (e["id"] for e in entries)
            backend.delete_entry(b)  # a holder killed between steps
            backend.upsert([_doc(c, "draft", 7)])  # a stale (here: wrong) revision
            backend.upsert([_doc(a, "published", 9)])
            backend.upsert([_doc("ghost", "draft", 1)])  # an entry deleted since
            repaired = await indexer.reconcile()
            return built, repaired, backend.stored_revisions()
        finally:
            await engine.dispose()

    built, repaired, stored = asyncio.run(scenario())
    backend.close()
    assert built == 4
    assert repaired == 4  # b, c, a and the ghost
    want = {(e["id"], "draft"): [1, 1] for e in entries}
    want[(entries[0]["id"], "published")] = [1, 1]
    assert stored == want
