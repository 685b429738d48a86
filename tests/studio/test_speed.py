"""Page speed with the demo loaded: every Studio page costs < 50 ms of
CPU (median of 7 requests, in process: the server, the test client and the
hub's background loops together, so an upper bound of the server's time;
CPU rather than wall time, which a machine shared with other jobs inflates
several times over; the best of 3 such medians) and with a number of SQL
statements that does not grow with the rows it shows (no N+1)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.studio.test_editor import kitchen

BUDGET_MS = 50
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


@pytest.mark.slow
def test_every_page_within_budget(studio: TestClient[Any]) -> None:
    listing = studio.get("/studio/entries?sort=-key").text
    last = re.search(r'scope="row"><a href="/studio/entries/\w+">([^<]+)</a>', listing)
    assert last
    settle(studio, {"key": last.group(1)})  # the indexer's start-up repair is done
    slow, timings = {}, {}
    for path in pages(studio):
        assert studio.get(path).status_code == 200, path  # warm caches
        medians = []
        for _ in range(3):  # the machine is shared: the best of 3 medians
            times = []
            for _ in range(7):
                start = time.process_time()
                studio.get(path)
                times.append((time.process_time() - start) * 1000)
            medians.append(statistics.median(times))
            if medians[-1] < BUDGET_MS:
                break
        timings[path] = round(min(medians), 1)
        if min(medians) >= BUDGET_MS:
            slow[path] = timings[path]
    print("median CPU ms:", timings)
    assert not slow, f"pages over {BUDGET_MS} ms: {slow}"


def test_statements_do_not_grow_with_the_rows(
    studio: TestClient[Any], keys: Keys
) -> None:
    settle(studio, kitchen(studio, keys))
    with statements() as few:
        studio.get("/studio/entries?type=kitchen")
    for _ in range(5):
        last = kitchen(studio, keys)
    settle(studio, last)
    with statements() as many:
        studio.get("/studio/entries?type=kitchen")
    assert len(many) == len(few), (few, many)
    for path in pages(studio):
        with statements() as seen:
            studio.get(path)
        assert len(seen) <= 16, (path, len(seen), seen)
