"""Stories with real accounts (no dependency override): users made with the
CLI's function sign in through the sign-in page, their forms carry the
session's CSRF token, and the services see who they are."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from content_hub.app import create_app
from content_hub.cli import _create_key, _create_user
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.content_hub.users_support import PASSWORD, cheap_passwords  # noqa: F401
from tests.studio.browser import LiveServer, screens
from tests.studio.conftest import in_thread

pytestmark = pytest.mark.usefixtures("cheap_passwords")


@pytest.fixture
def hub(demo: Settings) -> Iterator[LiveServer]:
    for email, role, locales in [
        ("ed@example.com", "editor", []),
        ("tina@example.com", "translator", ["nb"]),
    ]:
        in_thread(
            lambda e=email, r=role, codes=locales: _create_user(
                demo, e, r, codes, PASSWORD
            )
        )
    with LiveServer(create_app(demo)) as server:
        yield server


def signed_in(browser: Any, hub: LiveServer, email: str) -> Any:
    page = browser.new_context(base_url=hub.url).new_page()
    page.goto("/studio/entries")
    assert "/studio/sign-in" in page.url  # not signed in yet
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/studio/entries")
    return page


def test_wrong_password_message(browser: Any, hub: LiveServer) -> None:
    page = browser.new_context(base_url=hub.url).new_page()
    page.goto("/studio/sign-in")
    page.get_by_label("Email").fill("ed@example.com")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Email or password is incorrect.").wait_for()
    screens(page, "sign-in-refused")
    page.context.close()


def test_editor_creates_and_publishes_and_delivery_serves_it(
    browser: Any, hub: LiveServer, demo: Settings
) -> None:
    key = in_thread(lambda: _create_key(demo, "web", [Scope.DELIVERY]))
    page = signed_in(browser, hub, "ed@example.com")
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
            f"{hub.url}/delivery/v1/entries/{entry_id}",
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
    browser: Any, hub: LiveServer
) -> None:
    page = signed_in(browser, hub, "tina@example.com")
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
