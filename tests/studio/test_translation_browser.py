"""In Chromium: an editor changes an offer's English title; the German
editor view marks the title "outdated: source changed", the list's
"outdated in de" filter finds the offer, and both pages pass axe."""

from __future__ import annotations

from typing import Any

from tests.studio.browser import check_axe


def test_outdated_mark_and_filter(page: Any) -> None:
    page.goto("/studio/entries?type=offer")
    offer = str(page.locator("table.list tbody a").first.get_attribute("href"))
    page.goto(offer + "?source=en&target=en")
    page.fill('input[name="f:title:en"]', "A brand new English title")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.goto(offer + "?source=en&target=de")
    badge = page.locator(".badge-outdated")
    assert badge.first.is_visible()
    assert badge.first.inner_text() == "outdated: source changed"
    check_axe(page, "editor with an outdated translation")
    page.goto("/studio/entries?translation=outdated:de")
    hrefs = page.locator("table.list tbody a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert offer in hrefs
    check_axe(page, "entries outdated in de")
