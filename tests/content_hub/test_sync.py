"""The sync endpoint: delivery changes after a cursor, never skipped or
repeated, even while publishes commit concurrently."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type, publish


def _follow(
    client: TestClient[Any], headers: dict[str, str], cursor: str | None
) -> tuple[list[dict[str, Any]], str]:
    params: dict[str, Any] = {"limit": 7}
    if cursor is not None:
        params["cursor"] = cursor
    r = client.get("/delivery/v1/sync", params=params, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return body["changes"], body["next_cursor"]


class TestSync:
    def test_changes_since_a_cursor_in_order(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        delivery = keys.headers("delivery")
        add_type(client, manage)
        a = publish(
            client, manage, add_entry(client, manage, "a", {"title": {"en": "A"}})
        )
        changes, cursor = _follow(client, delivery, None)
        assert [(c["kind"], c["entry_id"]) for c in changes] == [("published", a["id"])]
        assert changes[0]["type"] == "article"
        again, same = _follow(client, delivery, cursor)
        assert again == []
        client.post(
            f"/manage/v1/entries/{a['id']}/unpublish",
            headers={**manage, "If-Match": '"1"'},
        )
        client.delete(
            f"/manage/v1/entries/{a['id']}", headers={**manage, "If-Match": '"1"'}
        )
        add_entry(client, manage, "draft", {"title": {"en": "D"}})  # not delivery
        later, _ = _follow(client, delivery, same)
        assert [c["kind"] for c in later] == ["unpublished", "deleted"]

    def test_a_bad_cursor_is_a_400_problem(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        for cursor in ("!!", "c2VxOng", "YWJj"):
            r = client.get(
                "/delivery/v1/sync",
                params={"cursor": cursor},
                headers=keys.headers("delivery"),
            )
            assert r.status_code == 400, cursor
            assert r.json()["detail"] == "The cursor is not one this API handed out."

    def test_a_follower_never_skips_or_repeats_under_concurrent_publishes(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        delivery = keys.headers("delivery")
        add_type(client, manage)
        entries = [
            add_entry(client, manage, f"e{i}", {"title": {"en": f"E{i}"}})
            for i in range(12)
        ]
        done = threading.Event()
        seen: list[dict[str, Any]] = []

        def follow() -> None:
            cursor: str | None = None
            while True:
                finished = done.is_set()
                changes, cursor = _follow(client, delivery, cursor)
                seen.extend(changes)
                if finished and not changes:
                    return

        def churn(entry: dict[str, Any]) -> None:
            for _ in range(3):
                publish(client, manage, entry)
                r = client.post(
                    f"/manage/v1/entries/{entry['id']}/unpublish",
                    headers={**manage, "If-Match": f'"{entry["version"]}"'},
                )
                assert r.status_code == 200, r.text

        follower = threading.Thread(target=follow)
        follower.start()
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(churn, entries))
        done.set()
        follower.join(timeout=60)
        assert not follower.is_alive()

        seqs = [c["seq"] for c in seen]
        assert seqs == sorted(set(seqs)), "a change was repeated or out of order"
        everything, _ = [], None
        cursor: str | None = None
        while True:
            changes, cursor = _follow(client, delivery, cursor)
            if not changes:
                break
            everything.extend(changes)
        assert [c["seq"] for c in everything] == seqs, "the follower skipped a change"
        assert len(seen) == 12 * 3 * 2
        kinds = {c["kind"] for c in seen}
        assert kinds == {"published", "unpublished"}
