"""``StateReader.version``: the hostile tests skip reading every stored row
again when the version has not moved, so it must move whenever those rows
change. Generated writes (inserts, updates, deletes; rows that the state
shows and rows it leaves out; rolled-back writes and reads) by a connection
of their own, as the hub's are, on SQLite and PostgreSQL: an unmoved version
always means the same state, and a write that changed nothing (a rollback,
a read) leaves the version where it was, on both backends. And
``KnownState``, which the hostile tests check every refusal with, flags
exactly the writes that changed the state.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.store.db import sync_url
from tests.content_hub.conftest import BACKENDS
from tests.hostile.conftest import backend_url
from tests.hostile.state import KnownState, StateReader

NOW = datetime(2026, 12, 6, tzinfo=UTC)

_keys = st.sampled_from(["a", "b", "c"])
_names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
_ops = st.one_of(
    st.tuples(st.just("audience.put"), _keys, _names),
    st.tuples(st.just("audience.delete"), _keys),
    # the dispatcher's audit rows are left out of the state: others are in it
    st.tuples(st.just("audit.add"), st.sampled_from(["editor", "webhook-dispatcher"])),
    st.tuples(st.just("audit.delete_one")),
    # only the publish sequence is in the state: other counters are not
    st.tuples(st.just("counter.set"), st.sampled_from(["publish_seq", "other"])),
    st.tuples(st.just("rolled_back"), _keys),
    st.tuples(st.just("read")),
)


def _apply(conn: sa.Connection, op: tuple[object, ...], step: int) -> None:
    kind = op[0]
    if kind == "audience.put":
        conn.execute(
            sa.text(
                "INSERT INTO audience (key, name, condition, version, updated_at)"
                " VALUES (:k, :n, :c, 1, :t) ON CONFLICT (key) DO UPDATE"
                " SET name = excluded.name, version = audience.version + 1"
            ),
            {"k": op[1], "n": op[2], "c": json.dumps({"step": step}), "t": NOW},
        )
    elif kind == "audience.delete":
        conn.execute(sa.text("DELETE FROM audience WHERE key = :k"), {"k": op[1]})
    elif kind == "audit.add":
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, actor, actor_key_id, action,"
                " resource_type, resource_id) VALUES (:t, :a, 'k', 'x', 'y', :r)"
            ),
            {"t": NOW, "a": op[1], "r": str(step)},
        )
    elif kind == "audit.delete_one":
        conn.execute(
            sa.text("DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)")
        )
    elif kind == "counter.set":
        conn.execute(
            sa.text(
                "INSERT INTO counter (name, value) VALUES (:n, :v)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
            ),
            {"n": op[1], "v": step},
        )
    elif kind == "read":
        conn.execute(sa.text("SELECT count(*) FROM audience")).one()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return backend_url(request, request.param, tmp_path)


@contextlib.contextmanager
def _emptied(database: str) -> Iterator[tuple[sa.Engine, StateReader]]:
    """A writer engine and a state reader of ``database``, its tables emptied
    first (:func:`_reset`); both closed afterwards."""
    writer = sa.create_engine(sync_url(database))
    reader = StateReader(database)
    try:
        _reset(writer)
        yield writer, reader
    finally:
        reader.close()
        writer.dispose()


def _reset(writer: sa.Engine) -> None:
    with writer.begin() as conn:  # every example starts from the same rows
        conn.execute(sa.text("DELETE FROM audience"))
        conn.execute(sa.text("DELETE FROM audit_log"))
        conn.execute(sa.text("DELETE FROM counter WHERE name <> 'publish_seq'"))


def _run(writer: sa.Engine, op: tuple[object, ...], step: int) -> None:
    if op[0] == "rolled_back":
        with writer.connect() as conn:
            _apply(conn, ("audience.put", op[1], "gone"), step)
            conn.rollback()
    else:
        with writer.begin() as conn:
            _apply(conn, op, step)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(_ops, min_size=1, max_size=12))
def test_an_unmoved_version_means_an_unchanged_state(
    database: str, ops: list[tuple[object, ...]]
) -> None:
    with _emptied(database) as (writer, reader):
        version, state = reader.version(), reader.state()
        assert reader.version() == version, "nothing was written: the same version"
        for step, op in enumerate(ops):
            _run(writer, op, step)
            now_version, now_state = reader.version(), reader.state()
            if now_version == version:
                assert now_state == state, f"{op}: the state changed, not the version"
            if op[0] in ("rolled_back", "read"):
                assert now_version == version, f"{op} stored nothing: same version"
            version, state = now_version, now_state


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(_ops, min_size=1, max_size=8))
def test_known_state_flags_exactly_the_writes_that_change_the_state(
    database: str, ops: list[tuple[object, ...]]
) -> None:
    with _emptied(database) as (writer, reader):
        known = KnownState(reader)
        for step, op in enumerate(ops):
            before = known.take()
            _run(writer, op, step)
            truth = reader.state()
            if truth == before[0]:
                known.unchanged(before, str(op))
            else:
                with pytest.raises(AssertionError, match="changed the tables"):
                    known.unchanged(before, str(op))
            assert known.current()[0] == truth, f"{op}: known is what is stored"
