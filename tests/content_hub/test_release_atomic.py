"""No reader ever sees half a release: ``content-hub serve --workers 2``
(both databases) while a release of 50 entry versions and a template
version is published, then rolled back. Readers list all 50 entries in one
delivery request and render them one by one; every answer must be all old
or all new (an entry's render with the template of the same side)."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.release_support import (
    R,
    create_release,
    if_match,
    ok,
    setup_offers,
)
from tests.content_hub.serve_support import ServeGroup

COUNT = 50
TITLE = re.compile(r"^(old|new) (\d+)$")


@pytest.fixture
def server(settings: Settings, keys: Keys) -> Iterator[ServeGroup]:
    group = ServeGroup(settings, workers=2, name="h17-release").start()
    try:
        yield group
    finally:
        group.stop()


def settle(url: str, keys: Keys) -> None:
    """Wait until both workers serve all entries (on SQLite a worker learns
    of the setup's publishes by polling): 30 answers in a row, each on a new
    connection, list all of them."""
    in_a_row, deadline = 0, time.monotonic() + 60
    while in_a_row < 30:
        assert time.monotonic() < deadline, "the workers did not catch up"
        r = httpx.get(
            f"{url}/delivery/v1/entries",
            params={"type": "offer", "limit": 200, "include": 0},
            headers={**keys.headers("delivery"), "Connection": "close"},
            timeout=30,
        )
        in_a_row = in_a_row + 1 if len(r.json()["items"]) == COUNT else 0


class Readers:
    """Threads reading delivery and render until stopped, classifying every
    answer as ``old``, ``new`` or ``mixed``."""

    def __init__(self, url: str, keys: Keys) -> None:
        self.url = url
        self.delivery = keys.headers("delivery")
        self.render = keys.headers("render")
        self.seen: Counter[str] = Counter()
        self.mixed: list[Any] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(4)
        ]

    def start(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _note(self, what: str, detail: Any = None) -> None:
        with self.lock:
            self.seen[what] += 1
            if what == "mixed":
                self.mixed.append(detail)

    def _run(self, n: int) -> None:
        # Half the readers open a new connection per request, so both
        # workers answer (the kernel spreads new connections).
        fresh = n % 2 == 1
        client = httpx.Client(base_url=self.url, timeout=30)
        i = n
        try:
            while not self.stop.is_set():
                headers = {"Connection": "close"} if fresh else {}
                self._list(client, headers)
                self._render(client, headers, i % COUNT)
                i += 1
        finally:
            client.close()

    def _list(self, client: httpx.Client, extra: dict[str, str]) -> None:
        r = client.get(
            "/delivery/v1/entries",
            params={"type": "offer", "limit": 200, "locale": "en", "include": 0},
            headers={**self.delivery, **extra},
        )
        assert r.status_code == 200, r.text
        titles = [item["fields"]["title"] for item in r.json()["items"]]
        sides = {m.group(1) for t in titles if (m := TITLE.match(t))}
        if len(titles) != COUNT or len(sides) != 1:
            self._note("mixed", ("list", titles))
        else:
            self._note(f"list-{sides.pop()}")

    def _render(self, client: httpx.Client, extra: dict[str, str], k: int) -> None:
        r = client.post(
            "/render/v1/render",
            json={"type": "offer", "key": f"o{k}", "channel": "web", "locale": "en"},
            headers={**self.render, **extra},
        )
        assert r.status_code == 200, r.text
        text = re.sub(r"<[^>]+>", "", r.json()["output"]["html"])
        if text == f"OLD:old {k}":
            self._note("render-old")
        elif text == f"NEW:new {k}":
            self._note("render-new")
        else:
            self._note("mixed", ("render", text))

    def wait_for(self, key: str, count: int, timeout: float = 60) -> None:
        start = self.seen[key]
        deadline = time.monotonic() + timeout
        while self.seen[key] < start + count:
            assert time.monotonic() < deadline, (key, dict(self.seen))
            assert not self.mixed, self.mixed[:3]
            time.sleep(0.02)


def test_readers_on_two_workers_never_see_half_a_release(
    server: ServeGroup, keys: Keys
) -> None:
    admin = keys.headers("admin")
    with httpx.Client(base_url=server.url, timeout=60) as client:
        entries, draft = setup_offers(client, admin, COUNT)
        rel = create_release(client, admin, entries, draft["version"])
        settle(server.url, keys)
        readers = Readers(server.url, keys).start()
        try:
            readers.wait_for("list-old", 20)
            rel = ok(
                client.post(f"{R}/{rel['id']}/publish", headers=if_match(admin, rel))
            )
            # Keep reading until both workers have long answered "new".
            readers.wait_for("list-new", 40)
            readers.wait_for("render-new", 40)
            old_before_rollback = readers.seen["list-old"]
            rel = ok(
                client.post(f"{R}/{rel['id']}/rollback", headers=if_match(admin, rel))
            )
            readers.wait_for("list-old", 40)
            readers.wait_for("render-old", 40)
        finally:
            readers.join()
    assert not readers.mixed, readers.mixed[:3]
    assert readers.seen["list-old"] > old_before_rollback >= 20
    assert readers.seen["list-new"] >= 40 and readers.seen["render-new"] >= 40


def test_the_readers_do_see_a_mix_when_entries_go_live_one_by_one(
    server: ServeGroup, keys: Keys
) -> None:
    """The control: the same readers catch the half-published state that
    publishing the 50 entries one request at a time shows."""
    admin = keys.headers("admin")
    with httpx.Client(base_url=server.url, timeout=60) as client:
        entries, _ = setup_offers(client, admin, COUNT)
        settle(server.url, keys)
        readers = Readers(server.url, keys).start()
        try:
            readers.wait_for("list-old", 20)
            for entry in entries:
                r = client.post(
                    f"/manage/v1/entries/{entry['id']}/publish",
                    headers=if_match(admin, entry),
                )
                assert r.status_code == 200, r.text
                time.sleep(0.01)
            deadline = time.monotonic() + 60
            while readers.seen["list-new"] < 20:
                assert time.monotonic() < deadline, dict(readers.seen)
                time.sleep(0.02)
        finally:
            readers.join()
    assert any(kind == "list" for kind, _ in readers.mixed), dict(readers.seen)
