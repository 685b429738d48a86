"""Everything a hub has stored, as one comparable value: "a refused request
changed nothing" is then an equality of two snapshots."""

from __future__ import annotations

from collections.abc import Mapping
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
    every hostile request was most of the hostile suite's time there."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(sync_url(url))
        self.queries = state_queries()
        self.pipelined = self.engine.dialect.name == "postgresql"
        self.statements = [
            str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
            for _, query in self.queries
        ]

    def state(self) -> State:
        with self.engine.connect() as conn:
            if self.pipelined:
                results = self._pipelined(conn)
            else:
                results = [list(conn.execute(query)) for _, query in self.queries]
        return {
            name: sorted(tuple(map(repr, row)) for row in rows)
            for (name, _), rows in zip(self.queries, results, strict=True)
        }

    def _pipelined(self, conn: sa.Connection) -> list[list[Any]]:
        raw = conn.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        with raw.pipeline():
            cursors = [raw.execute(statement) for statement in self.statements]
        return [cursor.fetchall() for cursor in cursors]

    def close(self) -> None:
        self.engine.dispose()


def assert_unchanged(
    before: Mapping[str, Any], after: Mapping[str, Any], what: str
) -> None:
    """A refused request stored nothing: name the tables that differ."""
    changed = sorted(
        t for t in before.keys() | after.keys() if before.get(t) != after.get(t)
    )
    assert not changed, f"{what} (refused, or a read) changed the tables {changed}"
