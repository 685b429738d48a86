"""Everything a hub has stored, as one comparable value: "a refused request
changed nothing" is then an equality of two snapshots."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlmodel import SQLModel

import content_hub.store.tables
import content_hub.store.tables_events
import content_hub.store.tables_render  # noqa: F401  (registers every table)
from content_hub.store.db import sync_url

State = dict[str, list[tuple[str, ...]]]


#: What the webhook dispatcher writes in the background, at its own pace:
#: deliveries fanned out from change-log rows that earlier (accepted)
#: requests wrote, their attempts, a subscription's failure count, and the
#: turning off of a subscription whose deliveries keep failing (its
#: ``active``, ``disabled_reason``, ``version``, ``updated_at`` and an audit
#: row by the dispatcher; CI saw it land between a hostile request's two
#: reads). A refused request writes no change-log row
#: (``counter.publish_seq`` stays), so it cannot cause a delivery either.
BACKGROUND_COLUMNS = {
    "webhook": {
        "consecutive_failures",
        "active",
        "disabled_reason",
        "version",
        "updated_at",
    }
}
BACKGROUND_TABLES = {"webhook_attempt", "webhook_delivery"}
BACKGROUND_ACTOR = "webhook-dispatcher"


def state_queries() -> list[tuple[str, sa.Select[Any]]]:
    """A query for every stored row of every table of the hub's schema (but
    what background loops write on their own)."""
    queries = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in BACKGROUND_TABLES:
            continue
        skip = BACKGROUND_COLUMNS.get(table.name, set())
        query = sa.select(*(c for c in table.columns if c.name not in skip))
        if table.name == "audit_log":  # but what the dispatcher audits
            query = query.where(table.c.actor != BACKGROUND_ACTOR)
        if table.name == "counter":
            # only the change-log sequence: the search indexer moves its own
            # cursor row whenever it catches up, in the background
            query = query.where(table.c.name == "publish_seq")
        queries.append((table.name, query))
    return queries


class StateReader:
    """Every stored row of a hub's database, read beside the hub through a
    synchronous connection of its own (cheap: no event-loop hops).

    On PostgreSQL the queries go out in one pipeline (psycopg's pipeline
    mode): one round trip instead of one per table. Reading the state after
    every hostile request was most of the hostile suite's time there.

    :meth:`version` is a cheap token that changes whenever what
    :meth:`state` returns may have changed, so a test that knows the state
    at one version need not read it again at the same version (most hostile
    requests are refused and write nothing)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(sync_url(url))
        self.queries = state_queries()
        self.pipelined = self.engine.dialect.name == "postgresql"
        self.statements = [
            str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
            for _, query in self.queries
        ]
        self._watcher: sqlite3.Connection | psycopg.Connection[Any]
        if self.pipelined:
            # Per table, its row count and the sum of a 64-bit hash of each
            # row's text, over exactly the rows and columns state() reads.
            self._fingerprint = "SELECT " + ", ".join(
                f"(SELECT count(*)::text || ':' || "
                f"coalesce(sum(hashtextextended(q::text, 0)::numeric), 0)::text "
                f"FROM ({statement}) AS q)"
                for statement in self.statements
            )
            # Its own connection, autocommit (each read its own snapshot, no
            # pool checkout or rollback round trip); psycopg prepares the
            # statement after a few runs.
            self._watcher = psycopg.connect(
                self.engine.url.set(drivername="postgresql").render_as_string(
                    hide_password=False
                ),
                autocommit=True,
            )
        else:
            database = self.engine.url.database
            assert database, "the state of an in-memory database cannot be watched"
            # One connection for the hub's whole life: SQLite's data_version
            # tells it whether another connection committed since it last asked.
            self._watcher = sqlite3.connect(database, check_same_thread=False)

    def version(self) -> object:
        """A token equal to the previous one only if nothing was committed in
        between (SQLite: ``PRAGMA data_version`` of a connection kept open,
        which moves on every commit of another connection) or the rows
        :meth:`state` reads are the same (PostgreSQL: each table's row
        count and the sum of a 64-bit hash of every row's text; a commit by
        another test's database on the same server does not move it).

        Read it *before* the state it stands for: a commit between the two
        reads then shows as a change the next time, never the other way."""
        if isinstance(self._watcher, sqlite3.Connection):
            row = self._watcher.execute("PRAGMA data_version").fetchone()
        else:
            row = self._watcher.execute(self._fingerprint).fetchone()
        assert row is not None
        return tuple(row)

    def state(self) -> State:
        if isinstance(self._watcher, psycopg.Connection):
            results = self._pipelined(self._watcher)
        else:
            with self.engine.connect() as conn:
                results = [list(conn.execute(query)) for _, query in self.queries]
        return {
            name: sorted(tuple(map(repr, row)) for row in rows)
            for (name, _), rows in zip(self.queries, results, strict=True)
        }

    def _pipelined(self, raw: psycopg.Connection[Any]) -> list[list[Any]]:
        with raw.pipeline():
            cursors = [raw.execute(statement) for statement in self.statements]
        return [cursor.fetchall() for cursor in cursors]

    def close(self) -> None:
        self.engine.dispose()
        self._watcher.close()


def assert_unchanged(
    before: Mapping[str, Any], after: Mapping[str, Any], what: str
) -> None:
    """A refused request stored nothing: name the tables that differ."""
    changed = sorted(
        t for t in before.keys() | after.keys() if before.get(t) != after.get(t)
    )
    assert not changed, f"{what} (refused, or a read) changed the tables {changed}"


class KnownState:
    """The stored state as last read, and the :meth:`StateReader.version` it
    was read at. A refused request (or a read) changes nothing, so the state
    after one is the state before the next: the rows are read again only
    when the version has moved (something was committed meanwhile).

    ``before_version`` runs before every version read (the in-process world
    writes its buffered events first, so that an earlier render's events do
    not look like a change made by the request under test)."""

    def __init__(
        self, reader: StateReader, before_version: Callable[[], None] | None = None
    ) -> None:
        self.reader = reader
        self.before_version = before_version
        self._known: tuple[State, object] | None = None

    def version(self) -> object:
        if self.before_version is not None:
            self.before_version()
        return self.reader.version()

    def read(self) -> tuple[State, object]:
        """The stored state and the version it was read at (the version is
        read first: a commit in between shows as a change next time, never
        the reverse)."""
        version = self.version()
        return self.reader.state(), version

    def current(self) -> tuple[State, object]:
        """The known state and its version, read if nothing is known."""
        if self._known is None:
            self._known = self.read()
        return self._known

    def take(self) -> tuple[State, object]:
        """The known state and its version, forgotten: what a request that
        may write starts from (:meth:`unchanged` makes it known again)."""
        known = self.current()
        self._known = None
        return known

    def forget(self) -> None:
        self._known = None

    def unchanged(self, before: tuple[State, object], what: str) -> bool:
        """Assert that nothing stored changed since ``before`` (a state and
        its version) and know the state again; whether the rows were read."""
        state, at = before
        version = self.version()
        if version == at:  # nothing committed since ``state`` was read
            self._known = (state, version)
            return False
        after = self.reader.state()
        self._known = None
        assert_unchanged(state, after, what)
        self._known = (after, version)
        return True
