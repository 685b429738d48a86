"""Shareable preview links: a signed, expiring token shows one entry's draft
through delivery; per content type a front-end preview URL pattern."""

from __future__ import annotations

import time
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.services.preview_links import SECRET_NAME, sign
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import rows
from tests.content_hub.render_fixtures import build_offer


@pytest.fixture
def offer(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    entry = build_offer(client, keys.headers("admin"))
    r = client.patch(
        f"/manage/v1/entries/{entry['id']}",
        json={"fields": {"title": {"en": "Draft title"}}},
        headers={**keys.headers("admin"), "If-Match": f'"{entry["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def link(client: TestClient[Any], keys: Keys, entry_id: str, **body: Any) -> Any:
    return client.post(
        f"/manage/v1/entries/{entry_id}/preview-links",
        json=body,
        headers=keys.headers("manage"),
    )


def delivered(client: TestClient[Any], keys: Keys, url: str, **headers: str) -> Any:
    return client.get(url, headers=keys.headers("delivery", **headers))


class TestLinks:
    def test_a_link_shows_the_draft_of_its_entry_only(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = link(client, keys, offer["id"], locale="en")
        assert r.status_code == 201, r.text
        token = r.json()["token"]
        published = delivered(client, keys, f"/delivery/v1/entries/{offer['id']}")
        assert published.json()["fields"]["title"] == "Spring offer"
        draft = delivered(client, keys, r.json()["delivery_url"])
        assert draft.status_code == 200, draft.text
        assert draft.json()["fields"]["title"] == "Draft title"
        assert "no-store" in draft.headers.get("cache-control", "") or (
            "private" in draft.headers.get("cache-control", "")
        )
        by_header = delivered(
            client,
            keys,
            f"/delivery/v1/entries/{offer['id']}",
            **{"X-Preview-Token": token},
        )
        assert by_header.json()["fields"]["title"] == "Draft title"
        by_key = delivered(
            client,
            keys,
            f"/delivery/v1/content-types/offer/entries/spring?preview_token={token}",
        )
        assert by_key.json()["fields"]["title"] == "Draft title"

    def test_tampered_expired_and_other_entry_tokens(
        self,
        client: TestClient[Any],
        keys: Keys,
        offer: dict[str, Any],
        settings: Settings,
    ) -> None:
        token = link(client, keys, offer["id"]).json()["token"]
        url = f"/delivery/v1/entries/{offer['id']}?preview_token="
        payload, _, mac = token.partition(".")
        for bad in (
            payload + "." + mac[:-2] + ("AA" if mac[-2:] != "AA" else "BB"),
            payload[:-1] + "." + mac,
            "nonsense",
            "",
        ):
            r = delivered(client, keys, url + bad)
            if bad:
                assert r.status_code == 401, (bad, r.text)
                assert r.json()["type"].endswith("/preview-token-invalid")
        secret = rows(
            settings, f"select value from hub_secret where name = '{SECRET_NAME}'"
        )
        expired = sign(secret[0][0], offer["id"], int(time.time()) - 5)
        r = delivered(client, keys, url + expired)
        assert r.status_code == 403
        assert r.json()["type"].endswith("/preview-token-expired")
        other = client.post(
            "/manage/v1/entries",
            json={"type": "offer", "key": "other", "fields": {"title": {"en": "O"}}},
            headers=keys.headers("admin"),
        ).json()
        r = delivered(
            client, keys, f"/delivery/v1/entries/{other['id']}?preview_token={token}"
        )
        assert r.status_code == 403
        assert r.json()["type"].endswith("/preview-token-other-entry")

    def test_expiry_bounds_and_who_may_make_links(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        assert link(client, keys, offer["id"], expires_in=10).status_code == 400
        assert link(client, keys, offer["id"], expires_in=31 * 86400).status_code == 400
        r = link(client, keys, offer["id"], expires_in=30 * 86400)
        assert r.status_code == 201
        assert link(client, keys, "nope").status_code == 404
        r = client.post(
            f"/manage/v1/entries/{offer['id']}/preview-links",
            json={},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 403


class TestPreviewUrl:
    def test_pattern_is_checked_and_filled(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        admin = keys.headers("admin")
        url = "/manage/v1/content-types/offer/preview-url"
        assert client.get(url, headers=admin).json()["preview_url"] == ""
        for bad in (
            "https://site.example/{locale}/offers/{key}",  # no token
            "ftp://site.example/{token}",
            "https://site.example/{token}/{secret}",
            "https://site.example/{token.__class__}",
            "https://site.example/{token",
        ):
            r = client.put(url, json={"preview_url": bad}, headers=admin)
            assert r.status_code == 422, (bad, r.text)
        pattern = "https://site.example/{locale}/offers/{key}?preview={token}"
        r = client.put(url, json={"preview_url": pattern}, headers=admin)
        assert r.status_code == 200, r.text
        made = link(client, keys, offer["id"], locale="de").json()
        assert made["preview_url"] == (
            f"https://site.example/de/offers/spring?preview={made['token']}"
        )
        assert (
            client.put(url, json={"preview_url": ""}, headers=admin).status_code == 200
        )
        assert link(client, keys, offer["id"]).json()["preview_url"] is None
        assert (
            client.get(
                "/manage/v1/content-types/nope/preview-url", headers=admin
            ).status_code
            == 404
        )
