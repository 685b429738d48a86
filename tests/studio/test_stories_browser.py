"""Editors' stories end to end in Chromium against a real hub: create and
publish an entry that delivery then serves; two editors on one entry (the
second gets the conflict view and loses nothing); revert to an older
revision; the keyboard reaches the main controls with a visible focus."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import screens, signed_in, tab_walk
from tests.studio.conftest import in_thread


@pytest.fixture
def delivery_key(demo: Settings) -> str:
    return in_thread(lambda: _create_key(demo, "web-frontend", [Scope.DELIVERY]))


def first_offer(page: Any) -> str:
    page.goto("/studio/entries?type=offer&sort=key")
    return str(page.locator("table.list tbody a").first.get_attribute("href"))


def test_create_publish_and_delivery_serves_it(
    page: Any, live: Any, delivery_key: str
) -> None:
    page.goto("/studio/entries")
    page.get_by_role("link", name="New entry").click()
    page.get_by_label("Content type").select_option("hero_banner")
    page.get_by_label("Key").fill("spring-sale")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_text("Entry created.").wait_for()
    page.get_by_label("Headline").fill("Spring sale: 20 % off")
    page.get_by_label("Button link").fill("https://voltaro.example/spring")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    screens(page, "story-created")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published: delivery serves this version now.").wait_for()
    entry_id = page.url.split("/studio/entries/")[1].split("?")[0]
    deadline = time.monotonic() + 10
    while True:
        r = httpx.get(
            f"{live.url}/delivery/v1/entries/{entry_id}",
            headers={"Authorization": f"Bearer {delivery_key}"},
        )
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.status_code == 200, r.text
    assert r.json()["fields"]["headline"] == "Spring sale: 20 % off"


def test_two_editors_the_second_gets_the_conflict_and_loses_nothing(
    browser: Any, live: Any
) -> None:
    first = signed_in(browser, live, "ed@example.com")
    second = signed_in(browser, live, "other@example.com")
    try:
        url = first_offer(first)
        first.goto(url)
        second.goto(url)
        second.get_by_label("Summary").fill("Their new summary")
        second.get_by_role("button", name="Save draft").click()
        second.get_by_text("Draft saved.").wait_for()

        first.get_by_label("Title").fill("My better title")
        first.get_by_role("button", name="Save draft").click()
        first.get_by_role("heading", name="Someone else saved").wait_for()
        assert "other@example.com" in first.content()
        assert "Their new summary" in first.content()  # what they changed
        screens(first, "conflict")
        first.get_by_role("button", name="Save with my choices").click()
        first.get_by_text("Draft saved.").wait_for()
        assert first.get_by_label("Title").input_value() == "My better title"
        assert first.get_by_label("Summary").input_value() == "Their new summary"
    finally:
        first.context.close()
        second.context.close()


def test_revert_to_an_older_revision(page: Any) -> None:
    url = first_offer(page)
    page.goto(url)
    original = page.get_by_label("Title").input_value()
    page.get_by_label("Title").fill("A title to undo")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("link", name="Revisions").click()
    older = page.locator("table.list tbody tr").nth(1)
    older.get_by_role("button").click()
    page.get_by_text("Reverted").wait_for()
    page.goto(url)
    assert page.get_by_label("Title").input_value() == original


def test_rich_text_and_markdown_preview(page: Any) -> None:
    url = first_offer(page)
    page.goto(url)
    editor = page.locator("trix-editor").first
    editor.click()
    page.keyboard.type("Included: a wall box")
    # Trix applies typed keys after a render tick and then puts the caret
    # back: filling the next field before that lands the text in Trix.
    page.wait_for_function(
        "() => document.querySelector('trix-editor').value.includes('wall box')"
    )
    page.get_by_label("Conditions (Markdown)").fill("Valid **until** May")
    with page.expect_response("**/studio/preview/markdown") as answer:
        page.get_by_role("button", name="Preview").click()
    # if the preview fails, say how (htmx swaps nothing on an error status)
    assert answer.value.status == 200, (answer.value.status, answer.value.text())
    assert "<strong>until</strong>" in answer.value.text(), (
        answer.value.request.post_data
    )
    page.locator(".preview strong").wait_for()
    assert page.locator(".preview strong").inner_text() == "until"
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert "Included: a wall box" in page.locator("trix-editor").first.inner_text()


def test_keyboard_reaches_the_main_controls_with_visible_focus(page: Any) -> None:
    page.goto("/studio/entries")
    walk = list(tab_walk(page, 20))  # past the navigation, to the filters
    assert walk[0]["text"] == "Skip to main content" and walk[0]["outline"]
    names = [w["id"] or w["name"] or w["text"] for w in walk]
    for control in ["q", "type", "status", "sort"]:
        assert control in names, names
    assert all(w["outline"] for w in walk if w["tag"] != "body"), walk
    page.goto(first_offer(page))
    walk = list(tab_walk(page, 80))
    texts = [w["text"] for w in walk]
    assert "Save draft" in texts and "Publish" in texts, texts
    unmarked = [w for w in walk if not w["outline"] and w["tag"] != "body"]
    assert not unmarked, unmarked


def test_schedule_a_publish_and_see_it_happen(page: Any) -> None:
    page.get_by_role("link", name="New entry").click()
    page.get_by_label("Content type").select_option("hero_banner")
    page.get_by_label("Key").fill("midsummer")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_label("Headline").fill("Midsummer")
    page.get_by_label("Button link").fill("https://voltaro.example/midsummer")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    soon = datetime.now(UTC) + timedelta(seconds=2)
    page.get_by_label("Publish at (UTC)", exact=True).fill(
        soon.strftime("%Y-%m-%dT%H:%M:%S")
    )
    page.get_by_role("button", name="Save schedule").click()
    page.get_by_text("Schedule saved.").wait_for()
    deadline = time.monotonic() + 30  # the scheduler runs every 5 s
    while "badge-published" not in page.locator(".page-head").inner_html():
        assert time.monotonic() < deadline, "the scheduled publish did not happen"
        time.sleep(1)
        page.reload()


def test_search_as_you_type_with_htmx(page: Any) -> None:
    page.goto("/studio/entries")
    before = page.url
    page.get_by_label("Search").fill("cargo")
    page.wait_for_url("**/studio/entries?q=cargo*")  # htmx pushes the URL
    page.locator("#results").get_by_text("by relevance").wait_for()
    assert page.url != before
    keys = page.locator("table.list tbody th a").all_inner_texts()
    assert keys and any("cargo" in k for k in keys)


RICH = [
    "<p>Included: a wall box</p>",
    "<p>One</p><p>Two <em>three</em></p>",
    "<h2>Parts</h2><ul><li>frame</li><li>battery<br>500 Wh</li></ul>",
    '<div>See <a href="https://voltaro.example/x">the terms</a>.</div>',
    "<blockquote>quoted</blockquote><pre>code  kept</pre>",
]


@pytest.mark.parametrize("html", RICH)
def test_untouched_rich_text_is_not_a_change(
    page: Any, demo: Settings, live: Any, html: str
) -> None:
    """Trix re-serialises the HTML it loads (``<p>`` becomes ``<div>``...):
    saving a form whose rich text nobody touched must save nothing."""
    key = in_thread(lambda: _create_key(demo, "rich", [Scope.MANAGE]))
    url = first_offer(page)
    entry_id = url.rsplit("/", 1)[1]
    api = f"{live.url}/manage/v1/entries/{entry_id}"
    auth = {"Authorization": f"Bearer {key}"}
    before = httpx.get(api, headers=auth).json()
    r = httpx.patch(
        api,
        json={"fields": {"details": {"en": html}}},
        headers={**auth, "If-Match": f'"{before["version"]}"'},
    )
    assert r.status_code == 200, r.text
    stored = r.json()
    page.goto(url)
    page.locator("trix-editor").first.wait_for()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Nothing to save").wait_for()
    after = httpx.get(api, headers=auth).json()
    assert after["version"] == stored["version"]
    assert after["fields"]["details"] == stored["fields"]["details"]
