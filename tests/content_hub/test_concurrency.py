"""Concurrent edits with If-Match never lose data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type


def test_stale_writers_get_412_and_exactly_one_wins(
    client: TestClient[Any], keys: Keys
) -> None:
    manage = keys.headers("manage")
    add_type(client, manage)
    entry = add_entry(client, manage, "race", {"title": {"en": "start"}})
    url = f"/manage/v1/entries/{entry['id']}"

    def write(i: int) -> int:
        r = client.put(
            url,
            json={"key": "race", "fields": {"title": {"en": f"writer {i}"}}},
            headers={**manage, "If-Match": '"1"'},
        )
        return r.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(write, range(8)))
    assert sorted(codes) == [200] + [412] * 7
    final = client.get(url, headers=manage).json()
    assert final["version"] == 2
    assert final["fields"]["title"]["en"].startswith("writer ")


def test_read_modify_write_loops_lose_no_increment(
    client: TestClient[Any], keys: Keys
) -> None:
    manage = keys.headers("manage")
    add_type(client, manage)
    entry = add_entry(client, manage, "counter", {"title": {"en": "c"}, "price": 0})
    url = f"/manage/v1/entries/{entry['id']}"
    workers, rounds = 4, 5

    def bump(_: int) -> int:
        conflicts = 0
        done = 0
        while done < rounds:
            current = client.get(url, headers=manage)
            value = current.json()["fields"]["price"]
            r = client.patch(
                url,
                json={"fields": {"price": value + 1}},
                headers={**manage, "If-Match": current.headers["etag"]},
            )
            if r.status_code == 200:
                done += 1
            else:
                assert r.status_code == 412, r.text
                conflicts += 1
        return conflicts

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(bump, range(workers)))
    final = client.get(url, headers=manage).json()
    assert final["fields"]["price"] == workers * rounds
    assert final["version"] == 1 + workers * rounds
