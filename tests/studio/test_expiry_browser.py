"""Browser story "session expiry": an editor's session runs out (idle
timeout, the session layer's clock moved on) while they type; saving sends
them to the sign-in page, signing in brings them back to the entry they
were on, and the expired save changed nothing."""

from __future__ import annotations

import time
from typing import Any

import httpx

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.content_hub.users_support import PASSWORD
from tests.studio.browser import LiveServer, screens, signed_in
from tests.studio.conftest import in_thread


def test_expired_session_signs_in_again_and_returns_nothing_saved(
    browser: Any, live: LiveServer, demo: Settings
) -> None:
    key = in_thread(lambda: _create_key(demo, "checker", [Scope.MANAGE]))
    backend = live.server.config.app.state.studio_sessions
    now = [time.time()]
    backend.clock = lambda: now[0]
    page = signed_in(browser, live, "ed@example.com")
    page.goto("/studio/entries?type=offer&sort=key")
    editor_url = str(page.locator("table.list tbody a").first.get_attribute("href"))
    entry_id = editor_url.rsplit("/", 1)[1]
    page.goto(editor_url)
    page.wait_for_selector("trix-editor")
    headers = {"Authorization": f"Bearer {key}"}
    before = httpx.get(f"{live.url}/manage/v1/entries/{entry_id}", headers=headers)
    title = page.get_by_label("Title")
    shown = title.input_value()
    title.fill("Typed after the session ran out")

    now[0] += demo.studio.idle_timeout + 1  # the editor went for lunch
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/studio/sign-in?**")
    assert "next=" in page.url and entry_id in page.url
    screens(page, "session-expired")

    page.get_by_label("Email").fill("ed@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{editor_url}")
    page.wait_for_selector("trix-editor")
    assert page.get_by_label("Title").input_value() == shown
    after = httpx.get(f"{live.url}/manage/v1/entries/{entry_id}", headers=headers)
    assert after.json()["version"] == before.json()["version"]
    assert after.json()["fields"] == before.json()["fields"]
    page.context.close()
