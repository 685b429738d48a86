"""Reordering rules by drag and drop in Chromium against a real hub: the
spring offer is given five rules through the management API (personalise,
rollout, experiment, some with conditions, seeds, namespaces and a disabled
rule), an editor drags the last rule's handle onto the top half of the first
rule with the mouse (real HTML5 drag events, as studio.js listens for them),
the page renumbers the rules and announces the move in its live region,
axe-core finds no serious violation, and after Save rules the management API
gives the rules in the new order and nothing else changed."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import check_axe
from tests.studio.conftest import in_thread

ROLLOUT = {
    "type": "rollout",
    "id": "cyclists-rollout",
    "condition": {"city": {"$in": ["Berlin", "Oslo"]}},
    "variant": "headline_b",
    "coverage": 0.25,
    "hash_attribute": "anonymous_id",
    "seed": "cyclists-2026",
    "hash_version": 1,
    "enabled": False,
}
"""A rule the page shows with more fields than a personalise rule, one field
(``hash_version``) only in its hidden JSON, and switched off."""


@pytest.fixture
def manage(demo: Settings) -> str:
    return in_thread(lambda: _create_key(demo, "manage", [Scope.MANAGE]))


def api(live: Any, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=live.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
    )


def spring_offer(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/manage/v1/entries", params={"type": "offer", "limit": 100})
    assert r.status_code == 200, r.text
    return next(e for e in r.json()["items"] if e["key"] == "spring-city-one")


def five_rules(client: httpx.Client, entry_id: str) -> dict[str, Any]:
    """The demo's four rules of the spring offer with :data:`ROLLOUT` second;
    the stored personalisation (as the API gives it back, defaults filled)."""
    path = f"/manage/v1/entries/{entry_id}/personalization"
    r = client.get(path)
    assert r.status_code == 200, r.text
    data = r.json()
    assert [rule["type"] for rule in data["rules"]] == [
        "personalise",
        "personalise",
        "personalise",
        "experiment",
    ]
    data["rules"].insert(1, ROLLOUT)
    r = client.put(path, json=data, headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 200, r.text
    r = client.get(path)
    assert r.status_code == 200, r.text
    stored = r.json()
    assert len(stored["rules"]) == 5
    return stored


def labels(page: Any) -> list[str]:
    return [
        str(rule.get_attribute("data-label"))
        for rule in page.locator("[data-rule]").all()
    ]


def drag(page: Any, handle: Any, onto: Any) -> None:
    """Drag ``handle`` with the mouse onto the top of the rule ``onto``: press
    on the handle, move a little (Chromium starts the HTML5 drag: dragstart),
    move to the upper part of ``onto`` (studio.js puts the dragged rule before
    a rule dropped on its top half; the page scrolls up on the way), wait for
    the drop target's highlight and release (drop, dragend).

    Not ``locator.drag_to``: it scrolls the target into view before its first
    move, and when the target is out of view (the first rule, at 720 px high)
    Chromium then starts no drag at all (no dragstart, only mousedown and
    mouseup); with no scrolling needed drag_to works."""
    from playwright.sync_api import expect

    dragged = handle.locator("xpath=ancestor::*[@data-rule]")
    handle.hover()
    box = handle.bounding_box()
    assert box is not None
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 20, steps=5)
    expect(dragged).to_have_class(re.compile(r"\bdragging\b"))  # dragstart ran
    onto.hover(position={"x": 40, "y": 6})  # scrolls up, then moves there
    # the move that scrolled brings only dragenter: move on a pixel, as a
    # hand does, for the dragover studio.js accepts (no drop without one)
    there = onto.bounding_box()
    assert there is not None
    page.mouse.move(there["x"] + 41, there["y"] + 7)
    expect(onto).to_have_class(re.compile(r"\bdrop-target\b"))  # dragover ran
    page.mouse.up()


def test_drag_the_last_rule_to_the_top_and_save(
    page: Any, live: Any, manage: str
) -> None:
    from playwright.sync_api import expect

    with api(live, manage) as client:
        entry = spring_offer(client)
        before = five_rules(client, entry["id"])
        fields = client.get(f"/manage/v1/entries/{entry['id']}").json()["fields"]
    ids = [rule["id"] for rule in before["rules"]]
    moved = ids[-1]  # spring-headline-test, the experiment
    wanted = [moved, *ids[:-1]]

    page.goto(f"/studio/entries/{entry['id']}/rules")
    rules = page.locator("[data-rule]")
    expect(rules).to_have_count(5)
    assert labels(page) == ids
    expect(page.locator("#rules-status")).to_have_text("")

    handle = rules.last.locator(".drag-handle")
    expect(handle).to_have_attribute("draggable", "true")
    drag(page, handle, rules.first)

    status = page.locator("#rules-status")
    expect(status).to_have_text(f"Rule {moved} moved to position 1.")
    expect(rules.first).to_have_attribute("data-label", moved)
    assert labels(page) == wanted
    expect(page.locator(".rule-pos")).to_have_text([f"Rule {i}" for i in range(1, 6)])
    # dragend ran: no rule is left marked as being dragged or as a drop target
    expect(page.locator(".rule.dragging, .rule.drop-target")).to_have_count(0)
    check_axe(page, "rules after a drag")

    page.get_by_role("button", name="Save rules", exact=True).click()
    page.get_by_text("Rules saved").wait_for()
    assert labels(page) == wanted
    expect(page.locator(".rule-pos").first).to_have_text("Rule 1")

    with api(live, manage) as client:
        r = client.get(f"/manage/v1/entries/{entry['id']}/personalization")
        assert r.status_code == 200, r.text
        after = r.json()
        saved = client.get(f"/manage/v1/entries/{entry['id']}").json()
    assert [rule["id"] for rule in after["rules"]] == wanted
    expected = copy.deepcopy(before)
    expected["rules"] = [before["rules"][-1], *before["rules"][:-1]]
    assert after == expected  # same rules, field for field; same variants
    assert saved["fields"] == fields
