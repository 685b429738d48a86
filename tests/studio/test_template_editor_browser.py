"""The template editor in Chromium against a real hub: an editor breaks the
offer email's HTML on line 3 and sees the problem at that part and line
while typing, Save draft is refused with the same problem, the render API
keeps returning the published output through a broken and then a fixed
draft, and only publishing changes it. The editors keep Tab for moving
focus, are named for assistive technology, and axe finds nothing serious."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import check_axe, screens
from tests.studio.conftest import in_thread

HTML_EDITOR = "#part-html-field .CodeMirror"
PROBLEM = '#template-problems li[data-part="html"][data-line="3"]'


@pytest.fixture
def render_key(demo: Settings) -> str:
    return in_thread(lambda: _create_key(demo, "orchestrator", [Scope.RENDER]))


def rendered(live: Any, key: str) -> dict[str, Any]:
    r = httpx.post(
        f"{live.url}/render/v1/render",
        json={"type": "offer", "key": "spring-city-one", "channel": "email"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200, r.text
    output: dict[str, Any] = r.json()["output"]
    return output


def rewrite_line_3(page: Any, text: str) -> None:
    """Put the cursor on line 3 of the HTML part and type ``text`` over it,
    with the keyboard."""
    page.locator(HTML_EDITOR).click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.type(text)


def test_broken_draft_fixed_draft_then_publish(
    page: Any, live: Any, render_key: str
) -> None:
    published = rendered(live, render_key)
    page.goto("/studio/content-types/offer")
    page.get_by_role("link", name="email template").click()
    page.wait_for_url("**/studio/content-types/offer/templates/email")
    assert page.locator(".CodeMirror").count() == 4  # subject, preheader, html, text
    name = page.evaluate(
        "document.querySelector('#part-html-field .CodeMirror textarea')"
        ".getAttribute('aria-label')"
    )
    assert name.startswith("html")

    # Tab leaves the editor (no keyboard trap) and inserts nothing.
    page.locator(HTML_EDITOR).click()
    page.keyboard.press("Tab")
    outside = page.evaluate(
        "!document.querySelector('#part-html-field').contains(document.activeElement)"
    )
    assert outside
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(
        "document.querySelector('#part-html-field').contains(document.activeElement)"
    )

    # A broken expression on line 3: the problem shows while typing.
    rewrite_line_3(page, '<head><meta name="story" content="{{ fields.title }">')
    page.locator(PROBLEM).wait_for()
    assert "html, line 3" in page.locator(PROBLEM).inner_text()
    assert page.locator(f"{HTML_EDITOR} .template-problem-marker").count() == 1
    assert page.locator(f"{HTML_EDITOR} .template-error-line").count() == 1
    assert "line 3" in page.locator("#part-html-problems").inner_text()
    screens(page, "template-editor-problem")

    # Save draft is refused with the same problem; nothing went live.
    page.get_by_role("button", name="Save draft").click()
    page.locator(PROBLEM).wait_for()
    assert page.locator("#problem").is_visible()
    assert rendered(live, render_key) == published

    # Fixed and saved as a draft: renders still use the published version.
    rewrite_line_3(page, '<head><meta name="story" content="fixed {{ fields.title }}">')
    page.get_by_text("No problems: the draft compiles.").wait_for()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Template draft saved").wait_for()
    assert rendered(live, render_key) == published
    check_axe(page, "template editor with an unpublished draft")

    # Published: the render API returns the new output.
    page.get_by_role("button", name="Publish version").click()
    page.get_by_text("Template published: renders use this version now.").wait_for()
    deadline = time.monotonic() + 10
    while True:
        now = rendered(live, render_key)
        if now != published or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert 'content="fixed ' in now["html"]
    assert now["subject"] == published["subject"]
