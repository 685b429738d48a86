"""Revision history, diff, revert, archive and restore; the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


@pytest.fixture
def manage(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    add_locale(client, keys.headers("admin"), "de")
    add_type(client, keys.headers("manage"))
    return keys.headers("manage")


def _edit(
    client: TestClient[Any], manage: dict[str, str], entry: dict[str, Any], **body: Any
) -> dict[str, Any]:
    r = client.patch(
        f"/manage/v1/entries/{entry['id']}",
        json=body,
        headers={**manage, "If-Match": f'"{entry["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


class TestHistory:
    def test_every_save_is_a_revision_listed_newest_first(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "story", {"title": {"en": "One"}})
        entry = _edit(client, manage, entry, fields={"title": {"en": "Two"}})
        entry = _edit(client, manage, entry, fields={"price": 3})
        url = f"/manage/v1/entries/{entry['id']}/revisions"
        r = client.get(url, params={"limit": 2}, headers=manage)
        assert r.status_code == 200
        page = r.json()
        assert [rev["version"] for rev in page["items"]] == [3, 2]
        assert page["items"][0]["created_by"] == "manage-key"
        rest = client.get(url, params={"cursor": page["next_cursor"]}, headers=manage)
        assert [rev["version"] for rev in rest.json()["items"]] == [1]
        assert rest.json()["next_cursor"] is None
        one = client.get(f"{url}/1", headers=manage).json()
        assert one["fields"] == {"title": {"en": "One"}}

    def test_diff_names_each_changed_path(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(
            client, manage, "story", {"title": {"en": "One", "de": "Eins"}}
        )
        entry = _edit(
            client,
            manage,
            entry,
            fields={"title": {"en": "Two"}, "price": 5},
        )
        url = f"/manage/v1/entries/{entry['id']}/revisions/2/diff"
        diff = client.get(url, headers=manage).json()
        assert diff["against"] == 1
        changes = {tuple(c["path"]): c for c in diff["changes"]}
        assert changes[("fields", "title", "en")] == {
            "path": ["fields", "title", "en"],
            "op": "changed",
            "before": "One",
            "after": "Two",
        }
        assert changes[("fields", "price")]["op"] == "added"
        assert ("fields", "title", "de") not in changes
        first = client.get(
            f"/manage/v1/entries/{entry['id']}/revisions/2/diff",
            params={"against": 2},
            headers=manage,
        ).json()
        assert first["changes"] == []

    def test_unknown_revision_is_a_404_problem(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "story", {"title": {"en": "One"}})
        for version in (7, 99999999999999):
            r = client.get(
                f"/manage/v1/entries/{entry['id']}/revisions/{version}",
                headers=manage,
            )
            assert r.status_code == 404
            assert r.json()["type"].endswith("/not-found")
            assert "no revision" in r.json()["detail"]


class TestRevert:
    def test_revert_writes_a_new_revision_with_the_old_content(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "story", {"title": {"en": "Good"}})
        entry = _edit(client, manage, entry, fields={"title": {"en": "Bad"}})
        url = f"/manage/v1/entries/{entry['id']}/revert"
        missing = client.post(url, json={"version": 1}, headers=manage)
        assert missing.status_code == 428
        assert missing.json()["type"].endswith("/version-required")
        stale = client.post(
            url, json={"version": 1}, headers={**manage, "If-Match": '"1"'}
        )
        assert stale.status_code == 412
        assert stale.json()["current_version"] == 2
        r = client.post(url, json={"version": 1}, headers={**manage, "If-Match": '"2"'})
        assert r.status_code == 200, r.text
        assert r.json()["version"] == 3
        assert r.json()["fields"]["title"] == {"en": "Good"}
        assert r.headers["etag"] == '"3"'
        history = client.get(
            f"/manage/v1/entries/{entry['id']}/revisions", headers=manage
        ).json()
        assert [rev["version"] for rev in history["items"]] == [3, 2, 1]

    def test_revert_to_a_missing_revision_changes_nothing(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "story", {"title": {"en": "Good"}})
        r = client.post(
            f"/manage/v1/entries/{entry['id']}/revert",
            json={"version": 5},
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 404
        assert (
            client.get(f"/manage/v1/entries/{entry['id']}", headers=manage).json()[
                "version"
            ]
            == 1
        )


class TestArchive:
    def test_archived_entries_leave_delivery_and_restore_as_drafts(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = publish(
            client, manage, add_entry(client, manage, "old", {"title": {"en": "Old"}})
        )
        delivery = keys.headers("delivery")
        url = f"/delivery/v1/entries/{entry['id']}"
        assert client.get(url, headers=delivery).status_code == 200
        r = client.post(
            f"/manage/v1/entries/{entry['id']}/archive",
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "archived"
        assert r.json()["published_version"] is None
        assert client.get(url, headers=delivery).status_code == 404
        again = client.post(
            f"/manage/v1/entries/{entry['id']}/publish",
            headers={**manage, "If-Match": '"1"'},
        )
        assert again.status_code == 409
        assert "restore" in again.json()["detail"]
        restored = client.post(
            f"/manage/v1/entries/{entry['id']}/restore",
            headers={**manage, "If-Match": '"1"'},
        )
        assert restored.json()["status"] == "draft"
        publish(client, manage, restored.json())
        assert client.get(url, headers=delivery).status_code == 200

    def test_restore_of_an_entry_that_is_not_archived_is_a_conflict(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "new", {"title": {"en": "New"}})
        r = client.post(
            f"/manage/v1/entries/{entry['id']}/restore",
            headers={**manage, "If-Match": '"1"'},
        )
        assert r.status_code == 409
        assert r.json()["detail"] == "Only an archived entry can be restored."


class TestAudit:
    def test_writes_are_recorded_with_actor_and_versions(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        entry = add_entry(client, manage, "story", {"title": {"en": "One"}})
        entry = _edit(client, manage, entry, fields={"title": {"en": "Two"}})
        publish(client, manage, entry)
        admin = keys.headers("admin")
        r = client.get(
            "/manage/v1/audit",
            params={"resource": f"entry:{entry['id']}"},
            headers=admin,
        )
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [
            (i["action"], i["before_version"], i["after_version"]) for i in items
        ] == [
            ("publish", None, 2),
            ("update", 1, 2),
            ("create", None, 1),
        ]
        assert {i["actor"] for i in items} == {"manage-key"}
        page = client.get(
            "/manage/v1/audit",
            params={"action": "update", "actor": "manage-key", "limit": 1},
            headers=admin,
        ).json()
        assert [i["resource_id"] for i in page["items"]] == [entry["id"]]
        assert page["next_cursor"] is None or isinstance(page["next_cursor"], str)
        future = client.get(
            "/manage/v1/audit",
            params={"since": "2999-01-01T00:00:00+00:00"},
            headers=admin,
        )
        assert future.json()["items"] == []

    def test_only_admins_read_the_audit_log(
        self, client: TestClient[Any], manage: dict[str, str]
    ) -> None:
        r = client.get("/manage/v1/audit", headers=manage)
        assert r.status_code == 403
        assert r.json()["type"].endswith("/forbidden")

    def test_locale_and_key_writes_are_audited_too(
        self, client: TestClient[Any], keys: Keys, manage: dict[str, str]
    ) -> None:
        admin = keys.headers("admin")
        created = client.post(
            "/manage/v1/keys",
            json={"name": "ci", "scopes": ["delivery"]},
            headers=admin,
        ).json()
        client.delete(f"/manage/v1/keys/{created['id']}", headers=admin)
        items = client.get(
            "/manage/v1/audit", params={"resource": "key"}, headers=admin
        ).json()["items"]
        assert [(i["action"], i["resource_id"]) for i in items[:2]] == [
            ("revoke", created["id"]),
            ("create", created["id"]),
        ]
        de = client.get(
            "/manage/v1/audit", params={"resource": "locale:de"}, headers=admin
        ).json()["items"]
        assert [(i["action"], i["actor"]) for i in de] == [("create", "admin-key")]
