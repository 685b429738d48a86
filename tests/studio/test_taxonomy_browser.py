"""The taxonomy and media screens in Chromium: an editor moves a term under
another parent (reached from the navigation, by keyboard where it counts)
and the manage and delivery APIs follow; a translator sees the tree without
controls; axe-core on every new screen at 375 px and desktop width, with
screenshots; the keyboard reaches the term's controls with a visible focus."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import screens, signed_in, tab_walk
from tests.studio.conftest import in_thread


@pytest.fixture
def api_keys(demo: Settings) -> dict[str, str]:
    return {
        "manage": in_thread(lambda: _create_key(demo, "ops", [Scope.MANAGE])),
        "delivery": in_thread(lambda: _create_key(demo, "web", [Scope.DELIVERY])),
    }


def get(live: Any, key: str, path: str, **params: str) -> Any:
    r = httpx.get(
        live.url + path, params=params, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 200, r.text
    return r.json()


def open_term(page: Any, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Taxonomies"
    ).click()
    page.get_by_role("link", name="Topic").click()
    page.get_by_role("heading", name="Terms").wait_for()
    page.get_by_role("link", name=label, exact=True).click()


def test_move_a_taxonomy_term(page: Any, live: Any, api_keys: dict[str, str]) -> None:
    manage, delivery = api_keys["manage"], api_keys["delivery"]
    under_cars = {
        e["id"]
        for e in get(
            live, delivery, "/delivery/v1/entries", term="topic:cars", limit="200"
        )["items"]
    }
    city_entries = {
        e["id"]
        for e in get(
            live, delivery, "/delivery/v1/entries", term="topic:city", limit="200"
        )["items"]
    }
    assert city_entries and not city_entries <= under_cars
    cars = get(live, manage, "/manage/v1/taxonomies/topic/terms/cars")
    open_term(page, "City")
    page.get_by_role("heading", name="Move").wait_for()
    parent = page.get_by_label("New parent")
    parent.focus()
    parent.select_option(cars["id"])
    page.keyboard.press("Tab")  # to "Move term"
    page.keyboard.press("Enter")
    page.get_by_text("Term moved.").wait_for()
    screens(page, "term-moved")
    city = get(live, manage, "/manage/v1/taxonomies/topic/terms/city")
    assert city["parent_id"] == cars["id"] and city["depth"] == 3
    deadline = time.monotonic() + 10  # delivery follows the change log
    while True:
        now = {
            e["id"]
            for e in get(
                live, delivery, "/delivery/v1/entries", term="topic:cars", limit="200"
            )["items"]
        }
        if city_entries <= now or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert city_entries <= now  # a filter by a term includes its descendants


def test_a_cycle_is_not_offered_and_a_translator_reads_only(
    page: Any, browser: Any, live: Any
) -> None:
    open_term(page, "Models")
    options = page.get_by_label("New parent").locator("option").all_inner_texts()
    assert "Services" in [o.strip() for o in options]
    assert not {"City", "Cars", "Models"} & {o.strip() for o in options}
    tina = signed_in(browser, live, "tina@example.com")
    try:
        open_term(tina, "City")
        tina.get_by_text("Your role may read taxonomies").wait_for()
        assert tina.get_by_role("button", name="Move term").count() == 0
        screens(tina, "term-read-only")
    finally:
        tina.context.close()


def test_new_screens_pass_axe(page: Any) -> None:
    for path, name in [
        ("/studio/taxonomies", "taxonomies"),
        ("/studio/taxonomies/topic", "taxonomy"),
        ("/studio/media", "media"),
        ("/studio/media/new", "media-new"),
    ]:
        page.goto(path)
        screens(page, name)
    page.goto("/studio/media")
    page.locator("table.list tbody a").first.click()
    page.get_by_label("Title").wait_for()
    screens(page, "media-record")
    open_term(page, "E-bikes")
    screens(page, "term")
    page.get_by_role("button", name="Delete term").click()  # it has child terms
    page.get_by_text("child terms").first.wait_for()
    screens(page, "term-refused")
    page.goto("/studio/media/new")
    page.get_by_label("URL").fill("https://cdn.example/x.png")
    page.get_by_label("Type (MIME)").fill("image/png")
    page.get_by_label("Width in pixels").fill("200000")
    page.get_by_role("button", name="Create media record").click()
    page.locator("#media-width-err").wait_for()
    screens(page, "media-refused")


def test_keyboard_reaches_the_term_controls(page: Any) -> None:
    open_term(page, "City")
    walk = list(tab_walk(page, 40))
    texts = [w["text"] for w in walk]
    ids = [w["id"] for w in walk]
    for control in ("Taxonomies", "Media", "Save names", "Move term", "Delete term"):
        assert control in texts, texts
    for control in ("rename-key", "rename-label-en", "move-parent", "delete-reassign"):
        assert control in ids, ids
    unmarked = [w for w in walk if not w["outline"] and w["tag"] != "body"]
    assert not unmarked, unmarked
