"""The audience pages over HTTP: the builder shows a condition as rows, the
JSON typed is what is saved (If-Match from the form), the matching count and
the test box answer as the API's matching does, and only editors and admins
write."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form, submit
from tests.studio.test_untouched_forms import person

PAGE = "/studio/audiences/vip"


def api_audience(client: TestClient[Any], keys: Keys, key: str) -> dict[str, Any]:
    r = client.get(f"/manage/v1/audiences/{key}", headers=keys.headers("manage"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def api_matching(client: TestClient[Any], keys: Keys, condition: Any) -> Any:
    r = client.post(
        "/manage/v1/sample-customers/matching",
        json={"condition": condition},
        headers=keys.headers("manage"),
    )
    return r


def test_the_builder_shows_the_condition_as_rows(studio: TestClient[Any]) -> None:
    html = studio.get(PAGE).text
    fields = dict(form_fields(html, form_id="audience-form"))
    assert json.loads(fields["condition"]) == {
        "$or": [{"lead_score": {"$gte": 80}}, {"loyalty_tier": "gold"}]
    }
    pairs = form_fields(html, form_id="audience-form")
    assert [v for n, v in pairs if n == "b_attr"] == ["lead_score", "loyalty_tier", ""]
    assert [v for n, v in pairs if n == "b_op"] == ["$gte", "equals", "equals"]
    assert [v for n, v in pairs if n == "b_value"] == ["80", "gold", ""]
    assert fields["join"] == "any"
    assert "2 of 4 saved sample customers match" in html


def test_saving_the_json_changes_the_audience(
    studio: TestClient[Any], keys: Keys
) -> None:
    condition = {"segments": "vip"}
    r = submit(
        studio,
        PAGE,
        form_id="audience-form",
        changes={"condition": json.dumps(condition), "action": "save"},
    )
    assert r.status_code == 303, r.text
    saved = api_audience(studio, keys, "vip")
    assert saved["condition"] == condition
    assert saved["version"] == 2


def test_the_builder_buttons_write_the_json_then_save(
    studio: TestClient[Any], keys: Keys
) -> None:
    html = studio.get(PAGE).text
    pairs = [
        (n, v)
        for n, v in form_fields(html, form_id="audience-form")
        if n not in ("b_attr", "b_op", "b_value", "join", "action")
    ]
    rows = [("country", "$in", '["de", "at"]'), ("", "segment", "vip")]
    for attr, op, value in rows:
        pairs += [("b_attr", attr), ("b_op", op), ("b_value", value)]
    r = post_form(studio, PAGE, [*pairs, ("join", "all"), ("action", "apply")])
    assert r.status_code == 200, r.text
    expected = {"$and": [{"country": {"$in": ["de", "at"]}}, {"segments": "vip"}]}
    shown = dict(form_fields(r.text, form_id="audience-form"))
    assert json.loads(shown["condition"]) == expected
    assert api_audience(studio, keys, "vip")["version"] == 1  # not saved yet
    r = post_form(
        studio,
        PAGE,
        [*form_fields(r.text, form_id="audience-form"), ("action", "save")],
    )
    assert r.status_code == 303, r.text
    assert api_audience(studio, keys, "vip")["condition"] == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("{not json", 422),
        ("[1, 2]", 422),
        ('{"lead_score": {"$bogus": 1}}', 422),
        ('{"$or": 5}', 422),
    ],
)
def test_a_bad_condition_is_shown_at_the_json_and_nothing_saved(
    studio: TestClient[Any], keys: Keys, text: str, status: int
) -> None:
    r = submit(
        studio,
        PAGE,
        form_id="audience-form",
        changes={"condition": text, "action": "save"},
    )
    assert r.status_code == status, r.text
    assert 'id="condition-err"' in r.text
    assert api_audience(studio, keys, "vip")["version"] == 1


def test_a_stale_save_changes_nothing_and_keeps_the_text(
    studio: TestClient[Any], keys: Keys
) -> None:
    html = studio.get(PAGE).text
    r = studio.put(
        "/manage/v1/audiences/vip",
        json={"name": "VIP", "condition": {"segments": "vip"}},
        headers=keys.headers("manage", **{"If-Match": '"1"'}),
    )
    assert r.status_code == 200, r.text
    pairs = [
        (n, v)
        for n, v in form_fields(html, form_id="audience-form")
        if n != "condition"
    ]
    mine = '{"lead_score": {"$gt": 99}}'
    r = post_form(studio, PAGE, [*pairs, ("condition", mine), ("action", "save")])
    assert r.status_code == 412, r.text
    assert "Someone saved this audience" in r.text
    assert api_audience(studio, keys, "vip")["condition"] == {"segments": "vip"}
    shown = dict(form_fields(r.text, form_id="audience-form"))
    assert json.loads(shown["condition"]) == json.loads(mine)
    assert shown["version"] == "2"  # saving again replaces it knowingly


CONDITIONS = [
    {},
    {"segments": "vip"},
    {"segments": "nobody"},
    {"lead_score": {"$gte": 80}},
    {"lead_score": {"$lt": 50}},
    {"loyalty_tier": {"$in": ["gold", "silver"]}},
    {"has_purchased": {"$exists": True}},
    {"first_name": {"$regex": "^[GO]"}},
    {"$or": [{"segments": "cart_abandoner"}, {"lead_score": {"$lte": 5}}]},
    {"$and": [{"segments": "vip"}, {"lead_score": {"$ne": 92}}]},
]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_the_matching_count_is_the_apis(
    studio: TestClient[Any], keys: Keys, condition: Any
) -> None:
    expected = api_matching(studio, keys, condition).json()
    r = post_form(studio, f"{PAGE}/matching", [("condition", json.dumps(condition))])
    assert r.status_code == 200, r.text
    n, total = len(expected["matching"]), expected["total"]
    assert f"{n} of {total} saved sample customers match" in r.text
    for key in expected["matching"]:
        assert key in r.text


def test_the_matching_count_of_bad_json_says_why(studio: TestClient[Any]) -> None:
    r = post_form(studio, f"{PAGE}/matching", [("condition", '{"a": {"$nope": 1}}')])
    assert r.status_code == 200
    assert "Cannot count" in r.text


@pytest.mark.parametrize(
    ("fields", "answer"),
    [
        ({"test_sample": "vip_de"}, "matches."),
        ({"test_sample": "cart_en"}, "does not match."),
        ({"test_attributes": '{"lead_score": 92}'}, "This customer matches."),
        ({"test_attributes": '{"loyalty_tier": "gold"}'}, "This customer matches."),
        ({"test_attributes": '{"lead_score": 12}'}, "This customer does not match."),
        ({"test_attributes": "[1]"}, "Cannot test"),
        ({"test_sample": "no-such-sample"}, "Cannot test"),
    ],
)
def test_the_test_box(
    studio: TestClient[Any], fields: dict[str, str], answer: str
) -> None:
    html = studio.get(PAGE).text
    pairs = [
        (n, v) for n, v in form_fields(html, form_id="audience-form") if n not in fields
    ]
    pairs += list(fields.items())
    fragment = post_form(studio, f"{PAGE}/test", pairs)
    assert fragment.status_code == 200
    assert answer in fragment.text
    full = post_form(studio, PAGE, [*pairs, ("action", "test")])  # without JS
    assert full.status_code == 200
    assert answer in full.text


def test_a_condition_the_builder_cannot_show_is_json_only(
    studio: TestClient[Any],
) -> None:
    odd = {"segments": {"$elemMatch": {"$eq": "vip"}}}
    r = post_form(studio, f"{PAGE}/builder", [("condition", json.dumps(odd))])
    assert "cannot show this condition" in r.text
    assert 'name="b_attr"' not in r.text


def test_create_and_delete(studio: TestClient[Any], keys: Keys) -> None:
    r = submit(
        studio,
        "/studio/audiences",
        form_id="audience-new",
        changes={"key": "newbies", "name": "New visitors"},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/studio/audiences/newbies"
    assert api_audience(studio, keys, "newbies")["condition"] == {}
    r = submit(studio, "/studio/audiences/newbies", form_id="audience-delete")
    assert r.status_code == 303, r.text
    r = studio.get("/manage/v1/audiences/newbies", headers=keys.headers("manage"))
    assert r.status_code == 404


@pytest.fixture
def as_role(
    demo: Settings, request: pytest.FixtureRequest
) -> Iterator[TestClient[Any]]:
    principal = person(request.param, frozenset({"nb"}))
    with TestClient(studio_app(demo, principal)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        yield client


@pytest.mark.parametrize(
    "as_role", [Role.VIEWER, Role.REVIEWER, Role.TRANSLATOR], indirect=True
)
def test_others_read_only(as_role: TestClient[Any], keys: Keys) -> None:
    html = as_role.get(PAGE).text
    assert "Save audience" not in html
    assert re.search(r'<textarea id="condition"[^>]*readonly', html)
    assert "2 of 4 saved sample customers match" in html
    pairs = form_fields(html, form_id="audience-form")
    r = post_form(as_role, PAGE, [*pairs, ("condition", "{}"), ("action", "save")])
    assert r.status_code == 403
    assert api_audience(as_role, keys, "vip")["version"] == 1
