"""Template drafts: a save is a draft, renders change only on publish (with
If-Match); versions say which is published; one version, diff, restore.

Every test runs on SQLite and, with ``CONTENT_HUB_TEST_DATABASE_URL``, on
PostgreSQL (the ``client`` fixture is parametrised over both).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.render import (
    CardButtonPart,
    EmailParts,
    InAppParts,
    PushParts,
    SmsParts,
)
from content_hub.domain.templates import diff_parts, part_sources, parts_from_sources
from content_hub.store.db import migrate
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import (
    add_entry,
    add_type,
    publish,
    publish_template,
    save_template,
)

T = "/manage/v1/content-types/promo/templates"
BASE: dict[str, dict[str, Any]] = {
    "web": {"type": "web", "html": "<h1>{{ fields.title }}</h1>"},
    "email": {
        "type": "email",
        "subject": "{{ fields.title }}",
        "preheader": "Read {{ fields.title }}",
        "html": "<html><body>\n<p>\n{{ fields.title }}\n</p>\n</body></html>",
        "text": "{{ fields.title }}",
    },
    "push": {"type": "push", "title": "{{ fields.title }}", "body": "New"},
    "in_app": {"type": "in_app", "title": "{{ fields.title }}", "body": "New"},
    "sms": {"type": "sms", "text": "{{ fields.title }}"},
}


@pytest.fixture
def promo(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    """A type rendered on all five channels, each template published once,
    and a published entry."""
    admin = keys.headers("admin")
    add_type(
        client,
        admin,
        key="promo",
        fields=[{"key": "title", "type": "text", "localized": True}],
        channels=list(BASE),
    )
    for channel, parts in BASE.items():
        publish_template(client, admin, "promo", channel, parts)
    entry = add_entry(client, admin, "p", {"title": {"en": "Sale"}}, type_key="promo")
    return publish(client, admin, entry)


def _render(client: TestClient[Any], keys: Keys, channel: str) -> str:
    r = client.post(
        "/render/v1/render",
        json={"type": "promo", "key": "p", "channel": channel},
        headers=keys.headers("render"),
    )
    assert r.status_code == 200, r.text
    return json.dumps(r.json()["output"], ensure_ascii=False)


def _publish(
    client: TestClient[Any], keys: Keys, channel: str, if_match: str | None
) -> Any:
    headers = keys.headers("manage")
    if if_match is not None:
        headers["If-Match"] = if_match
    return client.post(f"{T}/{channel}/publish", headers=headers)


@pytest.mark.parametrize("channel", list(BASE))
def test_every_part_of_every_channel_is_live_only_once_published(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any], channel: str
) -> None:
    """For each source part of the channel in turn: a draft with a marker in
    that part leaves the render as it was; publishing it shows the marker."""
    manage = keys.headers("manage")
    parts = dict(BASE[channel])
    for part in [p for p in parts if p != "type"]:
        marker = f"MARK{part.upper()}"
        before = _render(client, keys, channel)
        assert marker not in before
        parts[part] = (
            parts[part].replace("</p>", f"{marker}</p>")
            if "</p>" in parts[part]
            else f"{parts[part]} {marker}"
        )
        draft = save_template(client, manage, "promo", channel, parts)
        assert draft["has_unpublished_changes"] is True
        assert draft["published_version"] == draft["version"] - 1
        assert _render(client, keys, channel) == before  # the draft is not live
        r = _publish(client, keys, channel, f'"{draft["version"]}"')
        assert r.status_code == 200, r.text
        assert r.json()["published_version"] == draft["version"]
        assert r.json()["has_unpublished_changes"] is False
        assert marker in _render(client, keys, channel)


def test_publish_needs_the_drafts_version(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    manage = keys.headers("manage")
    parts = {"type": "web", "html": "<h2>{{ fields.title }} NEW</h2>"}
    draft = save_template(client, manage, "promo", "web", parts)
    before = _render(client, keys, "web")
    missing = _publish(client, keys, "web", None)
    assert missing.status_code == 428, missing.text
    stale = _publish(client, keys, "web", f'"{draft["version"] - 1}"')
    assert stale.status_code == 412, stale.text
    assert stale.json()["current_version"] == draft["version"]
    garbage = _publish(client, keys, "web", "yesterday")
    assert garbage.status_code == 400, garbage.text
    assert _render(client, keys, "web") == before
    state = client.get(f"{T}/web", headers=manage).json()
    assert state["published_version"] == draft["version"] - 1
    assert _publish(client, keys, "web", f'W/"{draft["version"]}"').status_code == 200
    assert "NEW" in _render(client, keys, "web")


def test_publishing_the_published_version_is_a_409(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    state = client.get(f"{T}/sms", headers=keys.headers("manage")).json()
    assert state["published_version"] == state["version"] == 1
    r = _publish(client, keys, "sms", '"1"')
    assert r.status_code == 409, r.text
    assert r.json()["published_version"] == 1
    assert "already published" in r.json()["detail"]


def test_a_never_published_template_does_not_render(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    admin = keys.headers("admin")
    add_type(client, admin, key="fresh", fields=[], channels=["sms"])
    save_template(client, admin, "fresh", "sms", {"type": "sms", "text": "Hi"})
    entry = publish(client, admin, add_entry(client, admin, "f", {}, type_key="fresh"))
    r = client.post(
        "/render/v1/render",
        json={"entry_id": entry["id"], "channel": "sms"},
        headers=keys.headers("render"),
    )
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("/template-missing")
    assert "no published sms template" in r.json()["detail"]
    state = client.get(
        "/manage/v1/content-types/fresh/templates/sms", headers=admin
    ).json()
    assert state["published_version"] is None
    assert state["has_unpublished_changes"] is True
    published = client.get(
        "/manage/v1/content-types/fresh/templates/sms/published", headers=admin
    )
    assert published.status_code == 404


def test_versions_published_version_and_diff(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    manage = keys.headers("manage")
    v2 = {**BASE["email"], "subject": "Now: {{ fields.title }}"}
    save_template(client, manage, "promo", "email", v2)
    state = client.get(f"{T}/email", headers=manage)
    assert state.headers["etag"] == '"2"'
    assert state.json()["parts"]["subject"] == "Now: {{ fields.title }}"
    assert state.json()["published_version"] == 1
    published = client.get(f"{T}/email/published", headers=manage).json()
    assert (published["version"], published["published"]) == (1, True)
    assert published["parts"]["subject"] == "{{ fields.title }}"
    items = client.get(f"{T}/email/versions", headers=manage).json()["items"]
    assert [(i["version"], i["published"]) for i in items] == [(1, True), (2, False)]
    one = client.get(f"{T}/email/versions/2", headers=manage).json()
    assert one["published"] is False
    assert one["parts"] == {**v2, "format": "html"}
    assert client.get(f"{T}/email/versions/9", headers=manage).status_code == 404
    diff = client.get(f"{T}/email/diff", headers=manage).json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    (subject,) = diff["parts"]
    assert subject["part"] == "subject"
    assert "-{{ fields.title }}\n" in subject["diff"]
    assert "+Now: {{ fields.title }}\n" in subject["diff"]
    back = client.get(f"{T}/email/diff?from=2&to=1", headers=manage).json()
    assert "+{{ fields.title }}\n" in back["parts"][0]["diff"]
    same = client.get(f"{T}/email/diff?from=1&to=1", headers=manage).json()
    assert same["parts"] == []
    assert client.get(f"{T}/email/diff?from=0", headers=manage).status_code == 400
    assert client.get(f"{T}/email/diff?to=7", headers=manage).status_code == 404


def test_restore_makes_an_old_version_the_draft(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    manage = keys.headers("manage")
    save_template(client, manage, "promo", "web", {"type": "web", "html": "<b>v2</b>"})
    assert _publish(client, keys, "web", '"2"').status_code == 200
    assert "v2" in _render(client, keys, "web")
    path = f"{T}/web/versions/1/restore"
    assert client.post(path, headers=manage).status_code == 428
    stale = client.post(path, headers={**manage, "If-Match": '"1"'})
    assert stale.status_code == 412
    missing = client.post(
        f"{T}/web/versions/8/restore", headers={**manage, "If-Match": '"2"'}
    )
    assert missing.status_code == 404
    r = client.post(path, headers={**manage, "If-Match": '"2"'})
    assert r.status_code == 200, r.text
    restored = r.json()
    assert restored["version"] == 3
    assert restored["parts"] == BASE["web"]
    assert (restored["published_version"], restored["has_unpublished_changes"]) == (
        2,
        True,
    )
    assert "v2" in _render(client, keys, "web")  # a restored draft is a draft
    assert _publish(client, keys, "web", '"3"').status_code == 200
    assert "v2" not in _render(client, keys, "web")
    assert "Sale" in _render(client, keys, "web")
    audit = client.get(
        "/manage/v1/audit?resource=template", headers=keys.headers("admin")
    ).json()["items"]
    assert [a["action"] for a in audit][:3] == ["publish", "restore", "publish"]


def test_a_broken_draft_is_refused_and_the_published_version_stays(
    client: TestClient[Any], keys: Keys, promo: dict[str, Any]
) -> None:
    manage = keys.headers("manage")
    broken = {**BASE["email"], "html": "<html><body>\n<p>\n{{ fields.title }\n</p>"}
    r = client.put(f"{T}/email", json={"parts": broken}, headers=manage)
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["loc"][:2] == ["parts", "html"]
    assert error["loc"][2] == 3
    state = client.get(f"{T}/email", headers=manage).json()
    assert (state["version"], state["published_version"]) == (1, 1)


def test_deleting_a_type_with_published_templates(
    client: TestClient[Any], keys: Keys
) -> None:
    admin = keys.headers("admin")
    ctype = add_type(client, admin, key="gone", fields=[], channels=["sms"])
    publish_template(client, admin, "gone", "sms", {"type": "sms", "text": "x"})
    r = client.delete(
        "/manage/v1/content-types/gone",
        headers={**admin, "If-Match": f'"{ctype["version"]}"'},
    )
    assert r.status_code in (200, 204), r.text
    assert client.get("/manage/v1/content-types/gone", headers=admin).status_code == 404


@pytest.mark.parametrize(
    "parts",
    [
        EmailParts(subject="s", html="<p>h</p>", text="t", preheader="p"),
        PushParts(title="t", body="b", data={"k": "{{ 1 }}", "x": "y"}),
        InAppParts(
            title="t",
            body="b",
            buttons=[CardButtonPart(label="Go", action="{{ 1 }}")] * 2,
        ),
        SmsParts(text="hi"),
    ],
)
def test_part_sources_round_trip(parts: Any) -> None:
    channel = type(parts).__struct_config__.tag
    options = {"format": parts.format} if isinstance(parts, EmailParts) else None
    assert parts_from_sources(channel, part_sources(parts), options) == parts
    assert diff_parts(parts, parts, "a", "b") == []


def test_migration_publishes_the_latest_version_of_existing_templates(
    tmp_path: Path,
) -> None:
    """Data from before drafts renders as before: 0008 publishes each
    channel's latest version."""
    path = tmp_path / "old.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    migrate(url, "0003")
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO template (type_key, channel, version, parts, created_at,"
            " created_by) VALUES (?, ?, ?, '{}', '2026-01-01 00:00:00', 'me')",
            [("a", "web", 1), ("a", "web", 2), ("a", "sms", 1), ("b", "web", 5)],
        )
    migrate(url)
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT type_key, channel, version, published_by"
            " FROM template_publication ORDER BY 1, 2"
        ).fetchall()
    assert rows == [("a", "sms", 1, "me"), ("a", "web", 2, "me"), ("b", "web", 5, "me")]
