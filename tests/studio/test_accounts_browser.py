"""Accounts in the browser: a wrong password, an editor's entry from
creation to delivery (the services see the user; a form without the
session's CSRF token is refused), a translator's locale."""

from __future__ import annotations

import time
from typing import Any

import httpx

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import LiveServer, screens, signed_in
from tests.studio.conftest import in_thread


def test_wrong_password_message(browser: Any, live: LiveServer) -> None:
    page = browser.new_context(base_url=live.url).new_page()
    page.goto("/studio/sign-in")
    page.get_by_label("Email").fill("ed@example.com")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Email or password is incorrect.").wait_for()
    screens(page, "sign-in-refused")
    page.context.close()


def test_editor_creates_and_publishes_and_delivery_serves_it(
    browser: Any, live: LiveServer, demo: Settings
) -> None:
    key = in_thread(lambda: _create_key(demo, "web", [Scope.DELIVERY]))
    page = signed_in(browser, live, "ed@example.com")
    page.get_by_role("link", name="New entry").click()
    page.get_by_label("Content type").select_option("hero_banner")
    page.get_by_label("Key").fill("autumn-sale")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_label("Headline").fill("Autumn sale")
    page.get_by_label("Button link").fill("https://voltaro.example/autumn")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert "ed@example.com" in page.content()  # changed by the user
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published: delivery serves").wait_for()
    entry_id = page.url.split("/studio/entries/")[1].split("?")[0]
    deadline = time.monotonic() + 10
    while True:
        r = httpx.get(
            f"{live.url}/delivery/v1/entries/{entry_id}",
            headers={"Authorization": f"Bearer {key}"},
        )
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.status_code == 200 and r.json()["fields"]["headline"] == "Autumn sale"
    # a form without the session's CSRF token changes nothing
    refused = page.request.post(
        f"/studio/entries/{entry_id}/unpublish", form={"version": "3"}
    )
    assert refused.status == 403
    page.context.close()


def test_translator_fills_in_nb_and_cannot_publish(
    browser: Any, live: LiveServer
) -> None:
    page = signed_in(browser, live, "tina@example.com")
    page.goto("/studio/entries?type=offer&sort=key")
    page.locator("table.list tbody a").first.click()
    page.goto(page.url + "?source=en&target=nb")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert page.locator("#in-f-title-nb-fb").inner_text().startswith("falls back to")
    page.get_by_label("Title").fill("Tilbud på City One")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert page.get_by_label("Title").input_value() == "Tilbud på City One"
    assert page.locator("#in-f-title-nb-fb").count() == 0  # the mark is gone
    assert page.get_by_role("button", name="Publish", exact=True).is_disabled()
    assert page.get_by_label("Button link").is_disabled()  # not a localised field
    screens(page, "translator")
    page.context.close()
