"""Releases in Chromium against a real hub: an editor creates a release,
adds one offer's draft from the release page (the entry picker loads its
revisions) and another's from the entry editor, previews the release in the
preview matrix, publishes it with the keyboard, and delivery serves both
drafts. Every control of the release page is reached with Tab and shows
focus; axe-core finds no serious violation on the list, the release page
and the preview, at phone and desktop widths."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import screens, tab_walk
from tests.studio.conftest import in_thread


@pytest.fixture
def api_keys(demo: Settings) -> dict[str, str]:
    return {
        scope.value: in_thread(lambda s=scope: _create_key(demo, s.value, [s]))
        for scope in (Scope.MANAGE, Scope.DELIVERY)
    }


def drafts(live: Any, key: str) -> list[dict[str, Any]]:
    """Two published offers, each given a new draft title."""
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=live.url, timeout=30, headers=auth) as client:
        found = client.get(
            "/manage/v1/entries", params={"type": "offer", "status": "published"}
        ).json()["items"][:2]
        out = []
        for i, entry in enumerate(found):
            r = client.patch(
                f"/manage/v1/entries/{entry['id']}",
                json={"fields": {"title": {"en": f"Autumn offer {i}"}}},
                headers={"If-Match": f'"{entry["version"]}"'},
            )
            assert r.status_code == 200, r.text
            out.append(r.json())
        return out


def delivered_title(live: Any, key: str, entry_id: str) -> str:
    r = httpx.get(
        f"{live.url}/delivery/v1/entries/{entry_id}",
        params={"locale": "en"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["fields"]["title"])


def press(page: Any, button: Any) -> None:
    """Activate ``button`` with the keyboard."""
    button.focus()
    page.keyboard.press("Enter")


def test_an_editor_builds_previews_and_publishes_a_release(
    page: Any, live: Any, api_keys: dict[str, str]
) -> None:
    first, second = drafts(live, api_keys["manage"])
    page.goto("/studio/releases")
    screens(page, "releases list")
    page.get_by_label("Name").fill("Autumn campaign")
    page.get_by_label("Description").fill("Two offers at once")
    press(page, page.get_by_role("button", name="Create release"))
    page.get_by_text("Release created").wait_for()
    release_url = page.url

    picker = page.get_by_label("Entry", exact=True)
    picker.focus()
    picker.select_option(first["id"])  # htmx loads its revisions
    version = page.get_by_label("Version", exact=True).first
    version.locator("option", has_text="(latest draft)").wait_for(state="attached")
    version.select_option(str(first["version"]))
    press(page, page.get_by_role("button", name="Add entry version"))
    page.get_by_text("Added to the release").wait_for()

    page.goto(f"/studio/entries/{second['id']}")
    page.get_by_label("Release", exact=True).select_option(label="Autumn campaign")
    press(page, page.get_by_role("button", name="Add this draft"))
    page.get_by_text("Added this draft to the release").wait_for()
    page.get_by_text("In release:").wait_for()

    page.goto(release_url)
    for entry in (first, second):
        page.get_by_role("link", name=f"offer / {entry['key']}", exact=True).wait_for()
    screens(page, "release with items")
    focused = list(tab_walk(page, 80))
    names = {f["name"] for f in focused}
    assert {"entry", "entry_version", "template", "audience_key"} <= names
    assert {"name", "description", "publish_at"} <= names
    assert any(f["text"] == "Publish the whole release now" for f in focused)
    assert all(f["outline"] for f in focused if f["tag"] in ("button", "select"))

    preview = page.get_by_role(
        "link", name=f"Preview offer / {first['key']} as the release publishes it"
    )
    press(page, preview)
    page.wait_for_url("**/matrix?release=*")
    page.get_by_text("As release Autumn campaign would publish it").wait_for()
    page.get_by_text("Autumn offer 0").first.wait_for()
    screens(page, "release preview")

    page.goto(release_url)
    assert delivered_title(live, api_keys["delivery"], first["id"]) != "Autumn offer 0"
    press(page, page.get_by_role("button", name="Publish the whole release now"))
    page.get_by_text("every item went live together").wait_for()
    page.get_by_role("button", name="Roll the whole release back").wait_for()
    screens(page, "published release")
    deadline = time.monotonic() + 10
    wanted = ["Autumn offer 0", "Autumn offer 1"]
    while True:
        titles = [
            delivered_title(live, api_keys["delivery"], e["id"])
            for e in (first, second)
        ]
        if titles == wanted or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert titles == wanted
