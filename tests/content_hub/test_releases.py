"""Releases through the API: If-Match on every change, atomic publish under
one change-log entry, nothing published when one item fails, rollback as a
whole, scheduled publish, preview with ``?release=``, hostile bodies.

Every test runs on SQLite and, with ``CONTENT_HUB_TEST_DATABASE_URL``, on
PostgreSQL (the ``settings`` fixture is parametrised over both).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.settings import Settings, WorkflowSettings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.release_support import (
    R,
    change_log,
    create_release,
    if_match,
    ok,
    setup_offers,
    web,
)

TPL = "/manage/v1/content-types/offer/templates/web"


def _title(client: TestClient[Any], keys: Keys, entry: dict[str, Any]) -> str | None:
    r = client.get(
        f"/delivery/v1/entries/{entry['id']}",
        params={"locale": "en"},
        headers=keys.headers("delivery"),
    )
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return str(r.json()["fields"]["title"])


def _render(client: TestClient[Any], keys: Keys, key: str) -> str:
    r = client.post(
        "/render/v1/render",
        json={"type": "offer", "key": key, "channel": "web", "locale": "en"},
        headers=keys.headers("render"),
    )
    assert r.status_code == 200, r.text
    return re.sub(r"<[^>]+>", "", str(r.json()["output"]["html"]))


def _audience(client: TestClient[Any], keys: Keys, key: str) -> dict[str, Any] | None:
    r = client.get(f"/manage/v1/audiences/{key}", headers=keys.headers("admin"))
    return None if r.status_code == 404 else ok(r)


class TestIfMatch:
    def test_every_change_needs_the_current_version(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, _ = setup_offers(client, admin, 2)
        rel = create_release(client, admin, entries[:1])
        assert rel["status"] == "open" and rel["version"] == 1
        url = f"{R}/{rel['id']}"
        got = client.get(url, headers=admin)
        assert got.headers["etag"] == '"1"'
        changes: list[tuple[str, str, Any]] = [
            (
                "PUT",
                url,
                {
                    "name": "Renamed",
                    "items": {"entries": [{"entry": entries[0]["id"], "version": 2}]},
                },
            ),
            (
                "POST",
                f"{url}/items",
                {"entries": [{"entry": entries[1]["id"], "version": 2}]},
            ),
            ("DELETE", f"{url}/items/entries/{entries[0]['id']}", None),
            ("PUT", f"{url}/schedule", {"publish_at": None}),
            ("POST", f"{url}/publish", None),
            ("DELETE", url, None),
        ]
        version = 1
        for method, path, body in changes:
            for header, status in ((None, 428), ('"99"', 412), ("abc", 400)):
                headers = admin if header is None else {**admin, "If-Match": header}
                r = client.request(method, path, json=body, headers=headers)
                assert r.status_code == status, (method, path, header, r.text)
                assert r.headers["content-type"].startswith("application/problem+json")
            again = ok(client.get(url, headers=admin))
            assert again["version"] == version  # refused: nothing changed
            if method == "DELETE" and path == url:
                break
            if path.endswith("/publish"):
                continue  # published below, after the other changes
            r = client.request(
                method, path, json=body, headers={**admin, "If-Match": f'"{version}"'}
            )
            assert r.status_code == 200, (method, path, r.text)
            assert r.headers["etag"] == f'"{version + 1}"'
            version += 1
        r = client.delete(url, headers={**admin, "If-Match": f'"{version}"'})
        assert r.status_code == 204, r.text
        assert client.get(url, headers=admin).status_code == 404

    def test_rollback_needs_if_match_and_published_releases_do_not_change(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, _ = setup_offers(client, admin, 1)
        rel = create_release(client, admin, entries)
        url = f"{R}/{rel['id']}"
        r = client.post(f"{url}/rollback", headers=if_match(admin, rel))
        assert r.status_code == 409  # not published yet
        rel = ok(client.post(f"{url}/publish", headers=if_match(admin, rel)))
        assert rel["status"] == "published"
        assert client.post(f"{url}/rollback", headers=admin).status_code == 428
        stale = {**admin, "If-Match": '"1"'}
        assert client.post(f"{url}/rollback", headers=stale).status_code == 412
        for method, path in (("DELETE", url), ("POST", f"{url}/publish")):
            r = client.request(method, path, headers=if_match(admin, rel))
            assert r.status_code == 409, r.text
        r = client.put(url, json={"name": "x"}, headers=if_match(admin, rel))
        assert r.status_code == 409

    def test_editors_may_not_publish_without_the_rights(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, _ = setup_offers(client, admin, 1)
        rel = create_release(client, admin, entries)
        r = client.post(
            f"{R}/{rel['id']}/publish", headers=if_match(keys.headers("delivery"), rel)
        )
        assert r.status_code in (401, 403)
        assert ok(client.get(f"{R}/{rel['id']}", headers=admin))["status"] == "open"


class TestPublish:
    def test_publish_is_one_change_and_rollback_restores_everything(
        self, settings: Settings, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, draft = setup_offers(client, admin, 3)
        fresh = ok(
            client.post(
                "/manage/v1/entries",
                json={
                    "type": "offer",
                    "key": "fresh",
                    "fields": {"title": {"en": "F"}},
                },
                headers=admin,
            ),
            201,
        )
        old_aud = {"key": "vip", "name": "VIP", "condition": {"tier": "gold"}}
        ok(client.post("/manage/v1/audiences", json=old_aud, headers=admin), 201)
        rel = create_release(
            client,
            admin,
            [*entries, fresh],
            template_version=draft["version"],
            audiences=[
                {"key": "vip", "name": "VIP+", "condition": {"tier": "platinum"}},
                {"key": "new_aud", "condition": {"country": "NO"}},
            ],
        )
        before = change_log(settings)
        assert [_title(client, keys, e) for e in entries] == ["old 0", "old 1", "old 2"]
        assert _render(client, keys, "o0") == "OLD:old 0"
        rel = ok(client.post(f"{R}/{rel['id']}/publish", headers=if_match(admin, rel)))
        assert rel["status"] == "published" and rel["published_at"]
        after = change_log(settings)
        assert after[len(before) :] == [(before[-1][0] + 1, "release")]
        assert [_title(client, keys, e) for e in entries] == ["new 0", "new 1", "new 2"]
        assert _title(client, keys, fresh) == "F"
        assert _render(client, keys, "o1") == "NEW:new 1"
        assert _audience(client, keys, "vip")["condition"] == {"tier": "platinum"}  # type: ignore[index]
        assert _audience(client, keys, "new_aud") is not None
        shown = ok(client.get(f"/manage/v1/entries/{entries[0]['id']}", headers=admin))
        assert shown["status"] == "published" and shown["published_version"] == 2
        rel = ok(client.post(f"{R}/{rel['id']}/rollback", headers=if_match(admin, rel)))
        assert rel["status"] == "rolled_back"
        assert change_log(settings)[len(after) :] == [(after[-1][0] + 1, "release")]
        assert [_title(client, keys, e) for e in entries] == ["old 0", "old 1", "old 2"]
        assert _title(client, keys, fresh) is None
        assert _render(client, keys, "o2") == "OLD:old 2"
        assert _audience(client, keys, "vip")["condition"] == {"tier": "gold"}  # type: ignore[index]
        assert _audience(client, keys, "new_aud") is None
        tpl = ok(client.get(TPL, headers=admin))
        assert tpl["published_version"] == 1
        shown = ok(client.get(f"/manage/v1/entries/{fresh['id']}", headers=admin))
        assert shown["status"] == "draft" and shown["published_version"] is None
        # The sync API lists the entries each release change moved.
        sync = ok(
            client.get(
                "/delivery/v1/sync",
                params={"limit": 1000},
                headers=keys.headers("delivery"),
            )
        )["changes"]
        ids = [e["id"] for e in [*entries, fresh]]
        published_seq, rollback_seq = after[-1][0], after[-1][0] + 1
        at_publish = {
            c["entry_id"]: c["kind"] for c in sync if c["seq"] == published_seq
        }
        assert at_publish == dict.fromkeys(ids, "published")
        at_rollback = {
            c["entry_id"]: c["kind"] for c in sync if c["seq"] == rollback_seq
        }
        assert at_rollback == {
            **dict.fromkeys(ids[:3], "published"),
            fresh["id"]: "unpublished",
        }

    def test_a_failing_item_publishes_nothing_and_lists_every_problem(
        self, settings: Settings, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, draft = setup_offers(client, admin, 3)
        empty = ok(
            client.post(
                "/manage/v1/entries",
                json={"type": "offer", "key": "empty", "fields": {}},
                headers=admin,
            ),
            201,
        )
        rel = create_release(
            client,
            admin,
            entries,
            template_version=draft["version"],
            audiences=[
                {"key": "bad", "condition": {"$nope": 1}},
                {"key": "ghost", "delete": True},
            ],
        )
        bad_items = {
            "entries": [
                {"entry": entries[0]["id"], "version": 9},
                {"entry": "no-such-entry", "version": 1},
                {"entry": empty["id"], "version": 1},
            ],
            "templates": [{"type": "offer", "channel": "web", "version": 7}],
        }
        rel = ok(
            client.post(
                f"{R}/{rel['id']}/items", json=bad_items, headers=if_match(admin, rel)
            )
        )
        before = change_log(settings)
        r = client.post(f"{R}/{rel['id']}/publish", headers=if_match(admin, rel))
        assert r.status_code == 422, r.text
        locs = {tuple(e["loc"][:3]) for e in r.json()["errors"]}
        assert locs == {
            ("items", "entries", 0),
            ("items", "entries", 3),
            ("items", "entries", 4),
            ("items", "templates", 0),
            ("items", "audiences", 0),
            ("items", "audiences", 1),
        }
        assert change_log(settings) == before
        assert [_title(client, keys, e) for e in entries] == ["old 0", "old 1", "old 2"]
        assert _render(client, keys, "o0") == "OLD:old 0"
        assert _audience(client, keys, "bad") is None
        again = ok(client.get(f"{R}/{rel['id']}", headers=admin))
        assert again["status"] == "open" and again["version"] == rel["version"]

    def test_items_for_the_same_target_replace_each_other_and_can_be_removed(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        entries, _ = setup_offers(client, admin, 2)
        rel = create_release(client, admin, entries)
        more = {"entries": [{"entry": entries[0]["id"], "version": 1}]}
        rel = ok(
            client.post(
                f"{R}/{rel['id']}/items", json=more, headers=if_match(admin, rel)
            )
        )
        versions = {i["entry"]: i["version"] for i in rel["items"]["entries"]}
        assert versions == {entries[0]["id"]: 1, entries[1]["id"]: 2}
        path = f"{R}/{rel['id']}/items/entries/{entries[1]['id']}"
        rel = ok(client.delete(path, headers=if_match(admin, rel)))
        assert [i["entry"] for i in rel["items"]["entries"]] == [entries[0]["id"]]
        assert client.delete(path, headers=if_match(admin, rel)).status_code == 404
        bad = f"{R}/{rel['id']}/items/widgets/x"
        assert client.delete(bad, headers=if_match(admin, rel)).status_code == 404


class TestSchedule:
    def test_the_scheduler_publishes_a_due_release(
        self, settings: Settings, keys: Keys
    ) -> None:
        fast = msgspec.structs.replace(
            settings, workflow=WorkflowSettings(schedule_interval=0.1)
        )
        admin = keys.headers("admin")
        with TestClient(app_for(fast)) as client:
            entries, draft = setup_offers(client, admin, 3)
            rel = create_release(client, admin, entries, draft["version"])
            at = (datetime.now(UTC) + timedelta(seconds=0.5)).isoformat()
            rel = ok(
                client.put(
                    f"{R}/{rel['id']}/schedule",
                    json={"publish_at": at},
                    headers=if_match(admin, rel),
                )
            )
            assert rel["status"] == "scheduled"
            assert _title(client, keys, entries[0]) == "old 0"
            deadline = time.monotonic() + 15
            while _title(client, keys, entries[2]) != "new 2":
                assert time.monotonic() < deadline, "the release was not published"
                time.sleep(0.05)
            assert _render(client, keys, "o0") == "NEW:new 0"
            shown = ok(client.get(f"{R}/{rel['id']}", headers=admin))
            assert (
                shown["status"] == "published" and shown["published_by"] == "scheduler"
            )
            # A due release that cannot go live goes back to open, audited.
            bad = create_release(client, admin, [{"id": "nope", "version": 1}])
            past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
            ok(
                client.put(
                    f"{R}/{bad['id']}/schedule",
                    json={"publish_at": past},
                    headers=if_match(admin, bad),
                )
            )
            deadline = time.monotonic() + 15
            while ok(client.get(f"{R}/{bad['id']}", headers=admin))["status"] != "open":
                assert time.monotonic() < deadline, (
                    "the failed release stayed scheduled"
                )
                time.sleep(0.05)
            audit = client.get(
                "/manage/v1/audit",
                params={"resource": f"release:{bad['id']}"},
                headers=admin,
            ).json()["items"]
            assert audit[0]["action"] == "scheduled_publish_failed"


class TestPreview:
    def test_a_preview_key_sees_the_release_over_the_drafts(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin, preview = keys.headers("admin"), keys.headers("preview")
        entries, _ = setup_offers(client, admin, 2)
        rel = create_release(client, admin, entries)
        # a later draft (v3) that the release does not hold
        ok(
            client.put(
                f"/manage/v1/entries/{entries[0]['id']}",
                json={"key": "o0", "fields": {"title": {"en": "later 0"}}},
                headers=if_match(admin, entries[0]),
            )
        )
        url = f"/delivery/v1/entries/{entries[0]['id']}"
        params = {"locale": "en"}
        assert ok(client.get(url, params=params, headers=preview))["fields"] == {
            "title": "later 0"
        }
        seen = ok(
            client.get(url, params={**params, "release": rel["id"]}, headers=preview)
        )
        assert seen["fields"] == {"title": "new 0"} and seen["version"] == 2
        by_key = ok(
            client.get(
                "/delivery/v1/content-types/offer/entries/o1",
                params={**params, "release": rel["id"]},
                headers=preview,
            )
        )
        assert by_key["fields"] == {"title": "new 1"}
        assert _title(client, keys, entries[0]) == "old 0"  # nothing went live
        r = client.get(url, params={**params, "release": "nope"}, headers=preview)
        assert r.status_code == 404
        r = client.get(
            url,
            params={**params, "release": rel["id"]},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 403

    def test_the_list_shows_the_release_over_the_drafts_too(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin, preview = keys.headers("admin"), keys.headers("preview")
        entries, _ = setup_offers(client, admin, 3)
        rel = create_release(client, admin, entries[:2])
        ok(  # a later draft (v3) of o0 that the release does not hold
            client.put(
                f"/manage/v1/entries/{entries[0]['id']}",
                json={"key": "o0", "fields": {"title": {"en": "later 0"}}},
                headers=if_match(admin, entries[0]),
            )
        )
        url = "/delivery/v1/entries"
        params = {"type": "offer", "locale": "en"}

        def titles(headers: dict[str, str], **extra: str) -> dict[str, Any]:
            r = client.get(url, params={**params, **extra}, headers=headers)
            body = ok(r)
            return {
                i["key"]: (i["fields"]["title"], i["version"]) for i in body["items"]
            }

        drafts = {"o0": ("later 0", 3), "o1": ("new 1", 2), "o2": ("new 2", 2)}
        assert titles(preview) == drafts
        assert titles(preview, release=rel["id"]) == {**drafts, "o0": ("new 0", 2)}
        # pages of one: the overlay holds on every page, the cursor walks on
        seen, cursor = [], None
        while True:
            extra = {"release": rel["id"], "limit": "1"}
            r = client.get(
                url,
                params={**params, **extra, **({"cursor": cursor} if cursor else {})},
                headers=preview,
            )
            body = ok(r)
            seen += [(i["key"], i["fields"]["title"]) for i in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == [("o0", "new 0"), ("o1", "new 1"), ("o2", "new 2")]
        assert titles(keys.headers("delivery")) == {
            f"o{i}": (f"old {i}", 1) for i in range(3)
        }  # nothing went live
        r = client.get(url, params={**params, "release": "nope"}, headers=preview)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        r = client.get(
            url,
            params={**params, "release": rel["id"]},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("application/problem+json")

    def test_render_preview_of_a_release_uses_its_entries_and_templates(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin, preview = keys.headers("admin"), keys.headers("preview")
        entries, draft = setup_offers(client, admin, 2)
        rel = create_release(client, admin, entries[:1], draft["version"])
        ok(client.put(TPL, json={"parts": web("LATER")}, headers=admin))  # v3 draft

        def shown(key: str, **extra: Any) -> str:
            body = {"type": "offer", "key": key, "channel": "web", "locale": "en"}
            r = client.post(
                "/render/v1/preview", json={**body, **extra}, headers=preview
            )
            assert r.status_code == 200, r.text
            return re.sub(r"<[^>]+>", "", str(r.json()["render"]["output"]["html"]))

        assert shown("o0") == "LATER:new 0"
        assert shown("o0", templates="published") == "OLD:new 0"
        assert shown("o0", release=rel["id"]) == "NEW:new 0"
        assert shown("o0", release=rel["id"], templates="published") == "NEW:new 0"
        assert shown("o1", release=rel["id"]) == "NEW:new 1"  # draft, release template
        r = client.post(
            "/render/v1/preview",
            json={"type": "offer", "key": "o0", "channel": "web", "release": "nope"},
            headers=preview,
        )
        assert r.status_code == 404
        assert _render(client, keys, "o0") == "OLD:old 0"  # nothing went live


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.text(max_size=10), kids, max_size=4)
    ),
    max_leaves=12,
)
KEYS = ["name", "description", "items", "entries", "templates", "audiences"]
BODY = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), JSON, max_size=5)
ITEM_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "entries": st.lists(
            st.fixed_dictionaries(
                {"entry": st.text(max_size=70), "version": st.integers()}
            )
            | JSON,
            max_size=3,
        ),
        "templates": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.text(max_size=70),
                    "channel": st.sampled_from(["web", "fax"]),
                    "version": st.integers(),
                }
            )
            | JSON,
            max_size=3,
        ),
        "audiences": st.lists(
            st.fixed_dictionaries(
                {"key": st.text(max_size=70)},
                optional={"condition": JSON, "delete": JSON, "name": JSON},
            ),
            max_size=3,
        ),
    },
)


@pytest.mark.parametrize("route", ["create", "items", "replace", "schedule"])
@hsettings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(body=BODY | ITEM_BODIES | JSON)
def test_hostile_bodies_are_4xx_never_500(
    client: TestClient[Any], keys: Keys, route: str, body: Any
) -> None:
    admin = keys.headers("admin")
    rel = create_release(client, admin, [])
    url = f"{R}/{rel['id']}"
    headers = if_match(admin, rel)
    if route == "create":
        r = client.post(R, json=body, headers=admin)
    elif route == "items":
        r = client.post(f"{url}/items", json=body, headers=headers)
        if r.status_code == 200:  # then publishing it is a 2xx or a 422
            again = client.post(f"{url}/publish", headers=if_match(admin, r.json()))
            assert again.status_code in (200, 422), again.text
    elif route == "replace":
        r = client.put(url, json=body, headers=headers)
    else:
        r = client.put(f"{url}/schedule", json=body, headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")


def test_render_preview_of_a_release_uses_its_audience_changes(
    client: TestClient[Any], keys: Keys
) -> None:
    admin, preview = keys.headers("admin"), keys.headers("preview")
    entries, _ = setup_offers(client, admin, 1)
    aud = {"key": "vip", "name": "VIP", "condition": {"tier": "gold"}}
    ok(client.post("/manage/v1/audiences", json=aud, headers=admin), 201)
    personalization = {
        "variants": {"summer": {"fields": {"title": {"en": "Summer!"}}}},
        "rules": [
            {
                "type": "personalise",
                "id": "vip",
                "audiences": ["vip"],
                "variant": "summer",
            }
        ],
    }
    r = client.put(
        f"/manage/v1/entries/{entries[0]['id']}/personalization",
        json=personalization,
        headers=if_match(admin, entries[0]),
    )
    assert r.status_code == 200, r.text
    version = int(r.headers["etag"].strip('"'))
    rel = create_release(
        client,
        admin,
        [{"id": entries[0]["id"], "version": version}],
        audiences=[{"key": "vip", "condition": {"tier": "platinum"}}],
    )

    def variant(tier: str, **extra: Any) -> str:
        body = {
            "type": "offer",
            "key": "o0",
            "channel": "web",
            "locale": "en",
            "customer": {"attributes": {"tier": tier}},
        }
        r = client.post("/render/v1/preview", json={**body, **extra}, headers=preview)
        assert r.status_code == 200, r.text
        return str(r.json()["render"]["variant"])

    assert variant("gold") == "summer"  # the audience as it is now
    assert variant("gold", release=rel["id"]) != "summer"
    assert variant("platinum", release=rel["id"]) == "summer"
    assert variant("platinum") != "summer"
