"""The webhook screens in Chromium against a real hub and a real receiver
on 127.0.0.1 (the allow-private and allow-http settings on): an admin
reaches them from the navigation, subscribes with the keyboard, copies the
secret shown once, sends a test event and sees it delivered in the log
(htmx refreshes it while a delivery is pending); axe-core finds no serious
violation on the list, the refused form, the subscription or its log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from content_hub.cli import _create_user
from content_hub.settings import Settings
from seed.loader import load_demo
from tests.content_hub.test_webhooks_delivery import local
from tests.content_hub.users_support import PASSWORD
from tests.content_hub.webhook_support import Receiver, serve
from tests.studio.browser import LiveServer, screens, signed_in, tab_walk
from tests.studio.conftest import in_thread


@pytest.fixture
def demo(settings: Settings) -> Settings:
    """The demo data, served with webhooks to local receivers allowed."""
    hub = local(settings)
    in_thread(lambda: load_demo(hub))
    in_thread(lambda: _create_user(hub, "root@example.com", "admin", [], PASSWORD))
    return hub


@pytest.fixture
def hook_receiver() -> Iterator[Receiver]:
    """A receiver that answers 1.5 s late: the page shows the delivery
    pending, and htmx (not a reload) shows it delivered."""
    yield from serve(Receiver(delay=1.5))


def _focus(page: Any, text: str) -> None:
    """Tab from the top until the control whose text starts with ``text``
    has focus (it is reachable with the keyboard, with a focus outline)."""
    for focused in tab_walk(page, steps=120):
        if focused["text"].startswith(text):
            assert focused["outline"], f"{text!r} has focus but no outline"
            return
    raise AssertionError(f"{text!r} is not reachable with Tab")


def test_an_admin_subscribes_sends_a_test_event_and_sees_it_delivered(
    browser: Any, live: LiveServer, hook_receiver: Receiver
) -> None:
    page = signed_in(browser, live, "root@example.com")
    _focus(page, "Webhooks")
    page.keyboard.press("Enter")
    page.wait_for_url("**/studio/webhooks")
    screens(page, "webhooks")

    page.get_by_label("URL").fill("ftp://nowhere.example/x")  # refused at its input
    page.get_by_role("button", name="Create subscription").click()
    page.locator("#new-url-err").wait_for()
    assert page.get_by_label("URL").get_attribute("aria-invalid") == "true"
    screens(page, "webhooks-refused")

    page.get_by_label("URL").fill(hook_receiver.url)
    page.get_by_label("Description").fill("Local receiver")
    page.get_by_label("Description").press("Enter")  # submits the form
    page.locator("#webhook-secret").wait_for()
    hook_receiver.secret = page.locator("code.secret").inner_text()
    assert hook_receiver.secret.startswith("whsec_")
    screens(page, "webhook-created")

    _focus(page, "Send a test event")
    page.keyboard.press("Enter")
    page.get_by_text("Test event queued").wait_for()
    (sent,) = hook_receiver.wait_for(1)  # the signature checked with the secret
    assert sent.body["type"] == "webhook.test"
    assert page.locator("code.secret").count() == 0  # shown once only
    entry = page.locator(f"#d-{sent.id}")
    entry.locator(".badge", has_text="delivered").wait_for(timeout=15_000)
    assert entry.locator("td", has_text="204").count() == 1
    screens(page, "webhook-log")
    _focus(page, "Redeliver")
    page.keyboard.press("Enter")
    page.get_by_text("Delivery queued again").wait_for()
    page.locator(f"#d-{sent.id} td", has_text="204").nth(1).wait_for(timeout=15_000)
    assert [r.id for r in hook_receiver.delivered()].count(sent.id) == 2
    page.context.close()
