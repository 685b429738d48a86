"""Replacing an entry's documents: in one step, and never by older ones.

``replace_entries`` on both engines: the given set is what the entry has
afterwards (a stage or locale it lost goes), hits and ``stored_revisions``
carry the revision. On FTS5 the write is conditional: whatever order builds
of one entry arrive in, each stage ends at the highest revision written
(hypothesis drives the orders; the lease makes this a second line of
defence, and the only one when a cut-off holder writes late). A stage a
build lacks (unpublished) is removed with what the index knew of it: a late,
older build can bring it back until the next change or repair.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from content_hub.search import (
    EntryDocuments,
    Fts5Backend,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    Stage,
)
from tests.search.conftest import LOCALES


def _docs(entry_id: str, revisions: dict[Stage, int]) -> list[SearchDocument]:
    return [
        SearchDocument.build(
            entry_id=entry_id,
            locale=locale,
            stage=stage,
            type_key="note",
            key=entry_id,
            title=f"{entry_id} rev{revision}",
            revision=revision,
        )
        for stage, revision in revisions.items()
        for locale in LOCALES
    ]


def test_replace_entries_sets_what_each_entry_has(backend: SearchBackend) -> None:
    backend.replace_entries(
        [
            EntryDocuments("a", _docs("a", {"draft": 2, "published": 1})),
            EntryDocuments("b", _docs("b", {"draft": 1})),
        ]
    )
    stored = backend.stored_revisions()
    assert stored[("a", "draft")] == [2] * len(LOCALES)
    assert stored[("a", "published")] == [1] * len(LOCALES)
    assert stored[("b", "draft")] == [1] * len(LOCALES)
    hits = backend.search(SearchQuery(q="", locales=["en"], limit=100)).hits
    assert {(h.entry_id, h.stage, h.revision) for h in hits} == {
        ("a", "draft", 2),
        ("a", "published", 1),
        ("b", "draft", 1),
    }
    # unpublished (no published stage any more), b deleted (no documents)
    backend.replace_entries(
        [EntryDocuments("a", _docs("a", {"draft": 3})), EntryDocuments("b", [])]
    )
    assert backend.stored_revisions() == {("a", "draft"): [3] * len(LOCALES)}


def test_an_older_build_never_replaces_a_newer_one(tmp_path: Path) -> None:
    backend = Fts5Backend(tmp_path / "search.sqlite3")
    backend.replace_entries([EntryDocuments("a", _docs("a", {"draft": 5}))])
    backend.replace_entries([EntryDocuments("a", _docs("a", {"draft": 4}))])
    assert backend.stored_revisions() == {("a", "draft"): [5] * len(LOCALES)}
    titles = {h.title for h in backend.search(SearchQuery(q="", limit=100)).hits}
    assert titles == {"a rev5"}
    # a repair writes what the database says, newer or not
    backend.replace_entries([EntryDocuments("a", _docs("a", {"draft": 4}))], force=True)
    assert backend.stored_revisions() == {("a", "draft"): [4] * len(LOCALES)}
    backend.close()


builds = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "draft": st.integers(1, 30),
            "published": st.integers(1, 30),
        },
    ).filter(bool),
    min_size=1,
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(builds=builds)
def test_each_stage_ends_at_its_highest_revision(
    builds: list[dict[Stage, int]],
) -> None:
    """A stage given in the last build ends at the highest revision written
    since the last build without it (a build without a stage removes it and
    with it what the index knew of its revisions); a stage the last build
    lacks is gone, unless kept as newer than that build's."""
    with tempfile.TemporaryDirectory() as directory:
        backend = Fts5Backend(Path(directory) / "search.sqlite3")
        for revisions in builds:
            backend.replace_entries([EntryDocuments("e", _docs("e", revisions))])
        stored = backend.stored_revisions()
        for stage in ("draft", "published"):
            got = stored.get(("e", stage))
            if stage not in builds[-1]:
                assert got is None or len(set(got)) == 1, (builds, stored)
                continue
            since = len(builds)
            while since > 0 and stage in builds[since - 1]:
                since -= 1
            top = max(b[stage] for b in builds[since:])
            assert got == [top] * len(LOCALES), (builds, stored)
        backend.close()


def test_a_schema_2_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    backend = Fts5Backend(path)
    backend.upsert(_docs("old", {"published": 0}))
    backend.close()
    conn = sqlite3.connect(path)  # what a schema-2 file looks like
    conn.execute("ALTER TABLE docs DROP COLUMN revision")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    upgraded = Fts5Backend(path)
    assert upgraded.stored_revisions() == {("old", "published"): [0] * len(LOCALES)}
    upgraded.replace_entries([EntryDocuments("old", _docs("old", {"draft": 1}))])
    assert upgraded.stored_revisions() == {("old", "draft"): [1] * len(LOCALES)}
    upgraded.close()
