"""The sticky key filter (SQLite): it never rules out a stored key, whatever
happens to the table, and it does rule out new customers' keys.

Every generated sequence writes through the hub's own event writer (another
connection, as in a server), deletes and replaces rows by hand, empties the
table, and after each step compares what the point reader answers with a
plain ``SELECT`` of the same keys.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import string
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.live.exposures import EventRecorder
from content_hub.settings import EventSettings, Settings
from content_hub.store import sticky_presence
from content_hub.store.sqlite_reads import SqlitePointReader
from content_hub.store.sqlite_writes import SqliteEventWriter
from content_hub.store.sticky_presence import KeyFilter
from tests.content_hub.events_support import hub_of

NOW = datetime(2026, 12, 1, tzinfo=UTC)
keys = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=20,
).map(lambda value: f"id||{value}")
few_keys = st.sampled_from([f"id||c{i}" for i in range(40)] + ["email||ü@x"])


@given(
    stored=st.lists(keys, max_size=300, unique=True),
    capacity=st.integers(1, 64),
)
def test_the_filter_holds_every_key_it_was_given(
    stored: list[str], capacity: int
) -> None:
    """No false negatives, across the slices a small capacity makes it grow."""
    one_by_one, bulk = KeyFilter(capacity), KeyFilter(capacity)
    for key in stored:
        one_by_one.add(key)
    half = len(stored) // 2
    bulk.update(stored[:half])
    bulk.update(stored[half:])
    for filter_ in (one_by_one, bulk):
        assert all(key in filter_ for key in stored)
        assert filter_.count == len(stored)
    # the bulk load sets the same bits, slice by slice
    assert [s.bits for s in bulk._slices] == [s.bits for s in one_by_one._slices]


@pytest.mark.parametrize("capacity", [1_000, 50_000])
def test_the_filter_rules_out_almost_every_other_key(capacity: int) -> None:
    """Filled to capacity (and then to twice it, in a second slice), at most
    1 % of keys never added are "maybe" (designed for about 0.24 %)."""
    for fill in (capacity, capacity * 2):
        filter_ = KeyFilter(capacity)
        for n in range(fill):
            filter_.add(f"id||stored-{n}")
        others = [f"id||new-{n}" for n in range(20_000)]
        maybe = sum(key in filter_ for key in others)
        assert maybe <= len(others) // 100, (fill, maybe)


@pytest.fixture
def hub_file(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hub.sqlite3"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture
def reader(hub_file: Path) -> Iterator[SqlitePointReader]:
    point = SqlitePointReader(str(hub_file))
    yield point
    point.close()


def _stored(path: Path, wanted: list[str]) -> dict[str, dict[str, str]]:
    conn = sqlite3.connect(path)
    try:
        found = {}
        for key in wanted:
            row = conn.execute(
                "SELECT assignments FROM sticky_assignment WHERE attribute_key = ?",
                (key,),
            ).fetchone()
            if row is not None:
                found[key] = json.loads(row[0])
        return found
    finally:
        conn.close()


def _edit(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


steps = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.lists(few_keys | keys, max_size=8)),
        st.tuples(st.just("delete newest"), st.integers(1, 3)),
        st.tuples(st.just("delete one"), few_keys),
        st.tuples(st.just("empty"), st.none()),
        st.tuples(st.just("wait"), st.none()),
        st.tuples(st.just("read"), st.lists(few_keys | keys, min_size=1, max_size=8)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps, value=st.sampled_from("01"))
@example(  # the newest row deleted, and a new key takes its rowid
    steps=[
        ("write", ["id||a"]),
        ("wait", None),
        ("delete newest", 1),
        ("write", ["id||b"]),
    ],
    value="1",
)
@example(  # emptied, then filled again past the last rowid seen
    steps=[
        ("write", ["id||a", "id||b"]),
        ("wait", None),
        ("empty", None),
        ("write", ["id||c", "id||b"]),
    ],
    value="0",
)
def test_the_point_reader_answers_what_the_table_holds(
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[str, object]],
    value: str,
) -> None:
    """With every look fresh (``FRESH_SECONDS`` 0), the answer is exactly the
    table's after any write, deletion (rowids taken again), emptying, and
    whether or not the filter finished loading."""
    monkeypatch.setattr(sticky_presence, "FRESH_SECONDS", 0.0)
    path = tmp_path_factory.mktemp("presence") / "hub.sqlite3"
    shutil.copy(sqlite_template, path)
    point = SqlitePointReader(str(path))
    writer = SqliteEventWriter(str(path))
    presence = point.presence
    assert presence is not None
    written: set[str] = set()
    try:
        point.sticky_docs(["id||warm"])  # starts the load
        for kind, arg in steps:
            if kind == "write":
                assert isinstance(arg, list)
                writer.write([], {key: {"exp__0": value} for key in arg}, [], NOW)
                written.update(arg)
            elif kind == "delete newest":
                _edit(
                    path,
                    "DELETE FROM sticky_assignment WHERE rowid IN (SELECT rowid"
                    " FROM sticky_assignment ORDER BY rowid DESC LIMIT ?)",
                    arg,
                )
            elif kind == "delete one":
                _edit(
                    path, "DELETE FROM sticky_assignment WHERE attribute_key = ?", arg
                )
            elif kind == "empty":
                _edit(path, "DELETE FROM sticky_assignment")
            elif kind == "wait":
                presence.wait_loaded(10)
            else:
                assert isinstance(arg, list)
                assert point.sticky_docs(arg) == _stored(path, arg)
            # every key ever written and a few never written, after every step
            wanted = sorted(written) + [f"id||c{i}" for i in range(40)]
            assert point.sticky_docs(wanted) == _stored(path, wanted), kind
    finally:
        writer.close()
        point.close()


def test_new_keys_are_ruled_out_and_stored_ones_read(
    hub_file: Path, reader: SqlitePointReader
) -> None:
    writer = SqliteEventWriter(str(hub_file))
    try:
        writer.write([], {f"id||old-{n}": {"exp__0": "1"} for n in range(500)}, [], NOW)
        presence = reader.presence
        assert presence is not None
        assert reader.sticky_docs(["id||old-1"]) == {"id||old-1": {"exp__0": "1"}}
        presence.wait_loaded(10)
        conn = sqlite3.connect(hub_file)
        try:
            new = [f"id||new-{n}" for n in range(2_000)]
            ruled_out = presence.absent(conn, new)
            assert len(ruled_out) >= 1_980  # at most 1 % "maybe"
            assert not presence.absent(conn, [f"id||old-{n}" for n in range(500)])
        finally:
            conn.close()
        assert presence.loads == 1
        # a key another connection stores is seen once the look is due again
        writer.write([], {"id||new-7": {"exp__0": "0"}}, [], NOW)
        presence.expire()
        assert reader.sticky_docs(["id||new-7"]) == {"id||new-7": {"exp__0": "0"}}
    finally:
        writer.close()


def test_a_publish_makes_the_next_use_look_at_the_table(
    hub_file: Path, reader: SqlitePointReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between looks the filter may miss a key stored meanwhile (at most
    ``FRESH_SECONDS``); ``expire`` (every generation swap) ends that at once."""
    monkeypatch.setattr(sticky_presence, "FRESH_SECONDS", 3600.0)
    writer = SqliteEventWriter(str(hub_file))
    try:
        writer.write([], {"id||a": {"exp__0": "1"}}, [], NOW)
        reader.sticky_docs(["id||a"])
        assert reader.presence is not None
        reader.presence.wait_loaded(10)
        assert reader.sticky_docs(["id||a"]) == {"id||a": {"exp__0": "1"}}
        late = [f"id||{c}" for c in string.ascii_lowercase[1:]]
        writer.write([], {key: {"exp__0": "1"} for key in late}, [], NOW)
        missed = reader.sticky_docs(late)
        assert missed is not None and len(missed) < len(late)  # not looked yet
        reader.expire_sticky()
        assert reader.sticky_docs(late) == {key: {"exp__0": "1"} for key in late}
    finally:
        writer.close()


def test_without_the_filter_every_key_is_probed(hub_file: Path) -> None:
    point = SqlitePointReader(str(hub_file), key_filter=False)
    try:
        assert point.presence is None
        assert point.sticky_docs(["id||x"]) == {}
        point.expire_sticky()  # nothing to expire
    finally:
        point.close()


def test_closing_stops_a_load_in_progress(
    hub_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sticky_presence, "SYNC_ROWS", 5)  # many statements
    writer = SqliteEventWriter(str(hub_file))
    try:
        writer.write([], {f"id||k{n}": {"e__0": "1"} for n in range(5_000)}, [], NOW)
    finally:
        writer.close()
    point = SqlitePointReader(str(hub_file))
    presence = point.presence
    assert presence is not None
    point.load_sticky_keys()
    point.close()
    presence.wait_loaded(10)
    assert presence.loads == 0  # stopped between two statements, nothing kept
    assert point.sticky_docs(["id||k1"]) == {"id||k1": {"e__0": "1"}}  # reopened


def test_a_serving_hub_loads_the_filter_when_it_starts(
    client: TestClient[Any], settings: Settings
) -> None:
    hub = hub_of(client)
    if not settings.database.is_sqlite:
        assert hub.point_reader is None  # PostgreSQL: grouped session reads
        return
    assert hub.point_reader is not None
    # its own sticky documents make the filter look at the table again
    assert hub.events.sticky_committed == hub.point_reader.expire_sticky
    presence = hub.point_reader.presence
    assert presence is not None
    presence.wait_loaded(10)
    assert presence.loads >= 1  # no render asked for it


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    batches=st.lists(
        st.lists(st.tuples(few_keys | keys, st.sampled_from("01")), max_size=6),
        min_size=1,
        max_size=8,
    )
)
def test_this_workers_own_documents_are_read_back_at_once(
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    batches: list[list[tuple[str, str]]],
) -> None:
    """The recorder wired as the hub wires it (its own writer, the reader's
    ``expire_sticky`` after a commit): with looks otherwise an hour apart,
    every flush's documents are read back right after the flush, whatever
    the filter held before."""
    monkeypatch.setattr(sticky_presence, "FRESH_SECONDS", 3600.0)
    path = tmp_path_factory.mktemp("own") / "hub.sqlite3"
    shutil.copy(sqlite_template, path)
    point = SqlitePointReader(str(path))
    writer = SqliteEventWriter(str(path))
    presence = point.presence
    assert presence is not None
    point.sticky_docs(["id||warm"])
    presence.wait_loaded(10)
    point.sticky_docs(["id||warm"])  # the loaded filter is in use, and fresh
    recorder = EventRecorder(
        None,  # type: ignore[arg-type]  # never used: the writer writes
        EventSettings(),
        writer=writer.flush,
        sticky_committed=point.expire_sticky,
    )
    written: set[str] = set()

    async def scenario() -> None:
        for batch in batches:
            recorder.save_sticky({key: {"exp__0": value} for key, value in batch})
            await recorder.flush()
            written.update(key for key, _ in batch)
            wanted = [*sorted(written), "id||never"]
            assert point.sticky_docs(wanted) == _stored(path, wanted)

    try:
        asyncio.run(scenario())
        assert presence.loads == 1  # followed by catching up, never reloaded
    finally:
        writer.close()
        point.close()
