"""Every Studio screen in Chromium: axe-core finds no serious or critical
violation at 375 px and at desktop width, nothing scrolls sideways on a
phone, and a screenshot of each lands in tests/studio/screenshots/."""

from __future__ import annotations

from typing import Any

from tests.studio.browser import screens


def first_entry(page: Any, type_name: str) -> str:
    page.goto(f"/studio/entries?type={type_name}")
    return str(page.locator("table.list tbody a").first.get_attribute("href"))


def test_every_screen_passes_axe(page: Any) -> None:
    page.goto("/studio/sign-in?error=credentials")
    assert page.get_by_text("Email or password is incorrect.").is_visible()
    screens(page, "sign-in")

    page.goto("/studio")
    screens(page, "dashboard")

    page.goto("/studio/entries")
    screens(page, "entries")
    page.goto("/studio/entries?q=bike")
    screens(page, "entries-search")
    page.goto("/studio/entries/new")
    screens(page, "entry-new")
    page.goto("/studio/content-types")
    screens(page, "content-types")
    page.goto("/studio/content-types/offer")
    screens(page, "content-type")
    page.goto("/studio/content-types/new")
    screens(page, "content-type-new")
    page.goto("/studio/content-types/offer/edit")
    screens(page, "content-type-edit")
    page.fill("#fd0-max_length", "1")  # every existing title breaks
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("#breaking-h")
    screens(page, "content-type-breaking")
    page.goto("/studio/content-types/nope")
    screens(page, "not-found")

    offer = first_entry(page, "offer")
    page.goto(offer)
    page.wait_for_selector("trix-editor")
    screens(page, "editor")
    page.goto(offer + "?source=en&target=ar")
    page.wait_for_selector("trix-editor")
    assert page.locator('input[name="f:title:ar"]').get_attribute("dir") == "rtl"
    screens(page, "editor-ar")
    page.goto(offer + "/revisions")
    screens(page, "revisions")
    page.locator("table.list tbody a").first.click()
    screens(page, "revision")
