"""The preview matrix and the preview as a customer in Chromium: an editor
picks locales, channels and a sample customer with the keyboard and sees the
real output of every cell, the differences from the baseline marked, and the
decision trace naming the applied rule; axe-core finds no serious issue."""

from __future__ import annotations

import re
from typing import Any

from tests.studio.browser import check_axe


def open_spring_offer(page: Any) -> None:
    page.goto("/studio/entries?type=offer&sort=key")
    page.get_by_role("link", name="spring-city-one", exact=True).click()
    page.get_by_role("heading", name=re.compile("spring-city-one")).wait_for()


def set_checked(page: Any, name: str, value: str, on: bool) -> None:
    """Toggle a picker checkbox with the keyboard (focus, then Space)."""
    box = page.locator(f'input[type="checkbox"][name="{name}"][value="{value}"]')
    if box.is_checked() != on:
        box.focus()
        page.keyboard.press("Space")
    assert box.is_checked() == on


def test_matrix_for_a_vip_and_preview_as_a_customer(page: Any, live: Any) -> None:
    open_spring_offer(page)
    page.get_by_role("link", name="Preview matrix").click()
    page.get_by_role("heading", name=re.compile("Preview matrix")).wait_for()
    for code in ("en", "de", "de-CH", "nb", "zh-Hans", "ar"):
        set_checked(page, "locale", code, code in ("de", "nb"))
    for channel in ("web", "email", "push", "sms"):
        set_checked(page, "channel", channel, channel != "web")
    sample = page.get_by_label("Sample customer")
    sample.focus()
    sample.select_option("vip_de")
    page.get_by_role("button", name="Show matrix").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sample=vip_de"))
    assert "locale=de&locale=nb" in page.url

    premium_de_email = page.locator(
        'td[data-variant="premium"][data-locale="de"][data-channel="email"]'
    )
    subject = premium_de_email.locator(".email-subject").inner_text()
    assert "Ihre private Vorschau auf das City One" in subject
    segments = page.locator(
        'td[data-variant="default"][data-locale="nb"][data-channel="sms"] .sms-segments'
    ).inner_text()
    assert re.fullmatch(r"\d+ segments?", segments)
    assert page.locator(".push-cut").count() > 0
    assert premium_de_email.get_attribute("class").split().count("cell-differs") == 1
    assert premium_de_email.locator("mark.changed").count() > 0
    assert "differs from baseline" in premium_de_email.inner_text()
    assert "cell-differs" not in (
        page.locator('td[data-variant="default"]').first.get_attribute("class") or ""
    )
    check_axe(page, "preview matrix")

    page.get_by_role("link", name="Preview as a customer").click()
    page.get_by_label("Saved sample customer").select_option("vip_de")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile(r"preview-as\?sample=vip_de"))
    trace = page.locator("ol.trace").first.inner_text()
    assert re.search(r"Rule '[a-z-]+' \(personalise\) applied", trace), trace
    variant = page.locator(".variant-name").first.inner_text()
    assert f"→ variant '{variant}'" in trace
    check_axe(page, "preview as a customer")
