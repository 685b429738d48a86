"""Every Studio screen in Chromium: axe-core finds no serious or critical
violation at 375 px and at desktop width, nothing scrolls sideways on a
phone, and a screenshot of each lands in tests/studio/screenshots/."""

from __future__ import annotations

from typing import Any

from content_hub.cli import _create_user
from content_hub.settings import Settings
from tests.content_hub.users_support import PASSWORD
from tests.studio.browser import LiveServer, screens, signed_in
from tests.studio.conftest import in_thread


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


def test_admin_screens_pass_axe(browser: Any, live: LiveServer, demo: Settings) -> None:
    """Locales, users, API keys, the audit log and my account, each with the
    state a form leaves (a secret shown once, a refusal's message)."""
    in_thread(lambda: _create_user(demo, "root@example.com", "admin", [], PASSWORD))
    page = signed_in(browser, live, "root@example.com")
    for href in ("/studio/users", "/studio/keys", "/studio/audit"):
        assert page.locator(f'nav a[href="{href}"]').count() == 1
    page.goto("/studio/locales")
    screens(page, "locales")
    page.get_by_label("Code").fill("klingon-XX")
    page.get_by_role("button", name="Add locale").click()
    page.locator("#problem").wait_for()
    screens(page, "locales-refused")
    page.goto("/studio/locales/de-CH")
    screens(page, "locale")

    page.goto("/studio/users")
    screens(page, "users")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_label("Role").select_option("translator")
    page.get_by_label("nb").check()
    page.get_by_role("button", name="Create user").click()
    page.locator("#one-time-password").wait_for()
    screens(page, "user-created")
    page.get_by_role("link", name="nora@example.com").click()
    screens(page, "user")
    page.get_by_role("button", name="Reset password (signs them out)").click()
    page.locator("#one-time-password").wait_for()
    screens(page, "user-password-reset")

    page.goto("/studio/keys")
    screens(page, "keys")
    page.get_by_label("Name").fill("shop")
    page.get_by_label("delivery").check()
    page.get_by_role("button", name="Create key").click()
    page.locator("#key-secret").wait_for()
    screens(page, "key-created")

    page.goto("/studio/audit")
    screens(page, "audit")
    page.goto("/studio/audit?action=create&type=user")
    screens(page, "audit-filtered")
    page.goto("/studio/account")
    screens(page, "account")
    page.context.close()

    editor = signed_in(browser, live, "ed@example.com")
    assert editor.locator('nav a[href="/studio/users"]').count() == 0
    editor.goto("/studio/users")
    screens(editor, "users-forbidden")
    editor.context.close()
