"""An If-Match that is no ETag of this API is a 400 that names the resource's
current version and ETag, on every route that takes If-Match, and changes
nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type

READABLE = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')  # what the API accepts
unreadable = st.one_of(
    st.sampled_from(["abc", '"1.5"', '"-1"', "*", '"v2"', "1e3", "", "W/", '""']),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=300),
).filter(lambda value: READABLE.match(value) is None)


@pytest.fixture
def world(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    admin, manage = keys.headers("admin"), keys.headers("manage")
    add_locale(client, admin, "de")
    add_type(client, manage)
    entry = add_entry(client, manage, "v", {"title": {"en": "one"}})
    # a second version, so a made-up example ("1") would be visibly wrong
    r = client.patch(
        f"/manage/v1/entries/{entry['id']}",
        json={"fields": {"title": {"en": "two"}}},
        headers={**manage, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    media = client.post(
        "/manage/v1/media",
        json={"url": "https://cdn.example.com/a.jpg", "mime_type": "image/jpeg"},
        headers=manage,
    )
    assert media.status_code == 201, media.text
    audience = client.post(
        "/manage/v1/audiences",
        json={"key": "vip", "condition": {"vip": True}},
        headers=manage,
    )
    assert audience.status_code == 201, audience.text
    sample = client.post(
        "/manage/v1/sample-customers",
        json={"key": "greta", "customer": {"segments": ["vip"]}},
        headers=manage,
    )
    assert sample.status_code == 201, sample.text
    taxonomy = client.post(
        "/manage/v1/taxonomies", json={"key": "topic", "name": "Topic"}, headers=manage
    )
    assert taxonomy.status_code == 201, taxonomy.text
    hook = {"url": "https://hooks.example.com/in", "events": ["entry.published"]}
    webhook = client.post("/manage/v1/webhooks", json=hook, headers=admin)
    assert webhook.status_code == 201, webhook.text
    e, m = entry["id"], media.json()["id"]
    w = webhook.json()["webhook"]["id"]
    body = {"key": "v", "fields": {"title": {"en": "new"}}}
    return {
        # (method, url, json body, the GET whose ETag is the version if not url)
        "routes": [
            ("PUT", f"/manage/v1/entries/{e}", body, None),
            ("PATCH", f"/manage/v1/entries/{e}", {"fields": {}}, None),
            ("DELETE", f"/manage/v1/entries/{e}", None, None),
            (
                "POST",
                f"/manage/v1/entries/{e}/publish",
                None,
                f"/manage/v1/entries/{e}",
            ),
            (
                "POST",
                f"/manage/v1/entries/{e}/archive",
                None,
                f"/manage/v1/entries/{e}",
            ),
            (
                "POST",
                f"/manage/v1/entries/{e}/revert",
                {"version": 1},
                f"/manage/v1/entries/{e}",
            ),
            (
                "PUT",
                f"/manage/v1/entries/{e}/personalization",
                {"variants": {}, "rules": []},
                f"/manage/v1/entries/{e}",
            ),
            (
                "PUT",
                f"/manage/v1/media/{m}",
                {"url": "https://x.example/b.png", "mime_type": "image/png"},
                None,
            ),
            ("DELETE", f"/manage/v1/media/{m}", None, None),
            ("PATCH", "/manage/v1/locales/de", {"name": "Deutsch"}, None),
            ("DELETE", "/manage/v1/locales/de", None, None),
            ("PUT", "/manage/v1/audiences/vip", {"condition": {"vip": False}}, None),
            ("DELETE", "/manage/v1/audiences/vip", None, None),
            ("PUT", "/manage/v1/sample-customers/greta", {"name": "G"}, None),
            ("DELETE", "/manage/v1/sample-customers/greta", None, None),
            ("DELETE", "/manage/v1/taxonomies/topic", None, None),
            ("DELETE", "/manage/v1/content-types/article", None, None),
            ("PUT", f"/manage/v1/webhooks/{w}", hook, None),
            ("DELETE", f"/manage/v1/webhooks/{w}", None, None),
        ],
        "headers": admin,
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=unreadable, pick=st.integers(min_value=0))
def test_unreadable_if_match_names_the_current_version(
    client: TestClient[Any], world: dict[str, Any], value: str, pick: int
) -> None:
    method, url, body, etag_url = world["routes"][pick % len(world["routes"])]
    headers = world["headers"]
    before = client.get(etag_url or url, headers=headers)
    assert before.status_code == 200, before.text
    current = before.headers["etag"]
    r = client.request(method, url, json=body, headers={**headers, "If-Match": value})
    assert r.status_code == 400, (method, url, value, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert "current_version" in problem, (method, url, value, problem)
    version = int(current.strip('"'))
    assert problem["current_version"] == version
    assert problem["etag"] == current
    assert f"If-Match: {current}" in problem["detail"]
    assert "double quotes" in problem["detail"]
    after = client.get(etag_url or url, headers=headers)
    assert after.headers["etag"] == current  # nothing written
    assert after.json() == before.json()


def test_every_readable_form_of_the_etag_is_accepted(
    client: TestClient[Any], world: dict[str, Any]
) -> None:
    headers = world["headers"]
    for form in ('"{}"', 'W/"{}"', "{}", ' "{}" '):
        current = client.get("/manage/v1/locales/de", headers=headers)
        version = int(current.headers["etag"].strip('"'))
        r = client.patch(
            "/manage/v1/locales/de",
            json={"name": f"Deutsch {version}"},
            headers={**headers, "If-Match": form.format(version)},
        )
        assert r.status_code == 200, (form, r.text)
        assert r.headers["etag"] == f'"{version + 1}"'
