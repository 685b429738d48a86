"""Studio pages with the demo loaded run a number of SQL statements that
does not grow with the rows they show (no N+1). Their time is measured by
``bench/bench_studio_pages.py``, not asserted here."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.studio.test_editor import kitchen

BACKGROUND = re.compile(r"\b(change_log|counter|lease|search_\w+|entry_fts\w*)\b")
"""Tables the hub's background loops poll while a request runs."""


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not BACKGROUND.search(
            statement
        ):
            seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def settle(studio: TestClient[Any], entry: dict[str, Any]) -> None:
    """Wait until the search indexer has indexed ``entry`` (its reads would
    count as the page's otherwise)."""
    deadline = time.monotonic() + 20
    while entry["key"] not in studio.get(f"/studio/entries?q={entry['key']}").text:
        assert time.monotonic() < deadline, "the indexer did not catch up"
        time.sleep(0.1)
    time.sleep(0.3)


def pages(studio: TestClient[Any]) -> list[str]:
    listing = studio.get("/studio/entries?type=offer").text
    offer = re.search(r'href="(/studio/entries/\w{20,})"', listing)
    assert offer
    return [
        "/studio/sign-in",
        "/studio",
        "/studio/entries",
        "/studio/entries?sort=key&page=2",
        "/studio/entries?q=bike",
        offer.group(1),
        offer.group(1) + "?source=en&target=ar",
        offer.group(1) + "/revisions",
        offer.group(1) + "/revisions/1",
        "/studio/entries/new",
        "/studio/content-types",
        "/studio/content-types/offer",
    ]


def page_statements(studio: TestClient[Any], path: str) -> list[str]:
    """The statements one GET of ``path`` runs: the fewest seen over three
    GETs. A background loop (scheduler, webhook dispatcher, indexer) may poll
    while a request runs and only ever adds statements; the page's own are
    the same every time."""
    runs = []
    for _ in range(3):
        with statements() as seen:
            studio.get(path)
        runs.append(seen)
    return min(runs, key=len)


def test_statements_do_not_grow_with_the_rows(
    studio: TestClient[Any], keys: Keys
) -> None:
    settle(studio, kitchen(studio, keys))
    few = page_statements(studio, "/studio/entries?type=kitchen")
    for _ in range(5):
        last = kitchen(studio, keys)
    settle(studio, last)
    many = page_statements(studio, "/studio/entries?type=kitchen")
    assert len(many) == len(few), (few, many)
    for path in pages(studio):
        seen = page_statements(studio, path)
        assert len(seen) <= 16, (path, len(seen), seen)
