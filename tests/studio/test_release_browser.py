"""The release pages in Chromium against a real hub: from the list to a
release, published with the keyboard, the flash says so; axe-core finds no
serious violation on the list or the page, at phone and desktop widths."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import screens
from tests.studio.conftest import in_thread


@pytest.fixture
def manage_key(demo: Settings) -> str:
    return in_thread(lambda: _create_key(demo, "campaigns", [Scope.MANAGE]))


def test_a_release_is_published_from_its_page(
    page: Any, live: Any, manage_key: str
) -> None:
    auth = {"Authorization": f"Bearer {manage_key}"}
    with httpx.Client(base_url=live.url, timeout=30, headers=auth) as client:
        entries = client.get(
            "/manage/v1/entries", params={"type": "offer", "status": "published"}
        ).json()["items"][:2]
        r = client.post(
            "/manage/v1/releases",
            json={
                "name": "Autumn campaign",
                "description": "Two offers at once",
                "items": {
                    "entries": [
                        {"entry": e["id"], "version": e["version"]} for e in entries
                    ]
                },
            },
        )
        assert r.status_code == 201, r.text
    page.goto("/studio/releases")
    page.get_by_role("link", name="Releases", exact=True).wait_for()
    screens(page, "releases list")
    page.get_by_role("link", name="Autumn campaign").click()
    page.wait_for_url("**/studio/releases/*")
    screens(page, "release page")
    button = page.get_by_role("button", name="Publish the whole release now")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("every item went live together").wait_for()
    page.get_by_role("button", name="Roll the whole release back").wait_for()
    screens(page, "published release")
