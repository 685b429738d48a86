"""The rules editor over HTTP: the form posted back keeps every rule as it
was; Move buttons (without JavaScript) reorder, and the saved order is the
API's order for any permutation; errors of the API's validation come back at
the input they locate, with nothing saved; only editors and admins write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form
from tests.studio.test_untouched_forms import person
from tests.studio.test_variant_pages import entry_by_key, personalization


@pytest.fixture
def offer(studio: TestClient[Any], keys: Keys) -> Any:
    return entry_by_key(studio, keys, "offer", "spring-city-one")


def rules_url(entry: Any) -> str:
    return f"/studio/entries/{entry['id']}/rules"


def pairs_of(html: str) -> list[tuple[str, str]]:
    return [(n, v) for n, v in form_fields(html, form_id="rules-form") if n != "action"]


def press(
    client: TestClient[Any], entry: Any, html: str, action: str, **changes: str
) -> Any:
    pairs = [(n, v) for n, v in pairs_of(html) if n not in changes]
    pairs += list(changes.items())
    return post_form(client, rules_url(entry), [*pairs, ("action", action)])


def token_of(html: str, rule_id: str) -> str:
    pairs = pairs_of(html)
    return next(n.split(":")[0] for n, v in pairs if n.endswith(":id") and v == rule_id)


def test_the_form_posted_back_keeps_every_rule(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    before = personalization(studio, keys, offer["id"])
    r = press(studio, offer, studio.get(rules_url(offer)).text, "save")
    assert r.status_code == 303, r.text
    after = personalization(studio, keys, offer["id"])
    assert after == before  # namespace, seed, weights... all kept


@hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_move_buttons_reorder_like_the_api(
    studio: TestClient[Any], keys: Keys, offer: Any, data: st.DataObject
) -> None:
    current = [r["id"] for r in personalization(studio, keys, offer["id"])["rules"]]
    wanted = data.draw(st.permutations(current))
    html = studio.get(rules_url(offer)).text
    order = list(current)
    for place, rule_id in enumerate(wanted):  # selection sort by Move up
        while order.index(rule_id) > place:
            r = press(studio, offer, html, f"move:{token_of(html, rule_id)}:up")
            assert r.status_code == 200, r.text
            html = r.text
            at = order.index(rule_id)
            order[at - 1], order[at] = order[at], order[at - 1]
            assert f"Rule {rule_id} moved to position {at}." in html
            assert "autofocus" in html
    assert order == list(wanted)
    r = press(studio, offer, html, "save")
    assert r.status_code == 303, r.text
    saved = [r["id"] for r in personalization(studio, keys, offer["id"])["rules"]]
    assert saved == list(wanted)


def test_move_down_and_the_edges(studio: TestClient[Any], offer: Any) -> None:
    html = studio.get(rules_url(offer)).text
    first = token_of(html, "purchasers-get-onboarding")
    r = press(studio, offer, html, f"move:{first}:up")
    assert "already at the top" in r.text
    r = press(studio, offer, r.text, f"move:{first}:down")
    assert "Rule purchasers-get-onboarding moved to position 2." in r.text
    ids = [v for n, v in pairs_of(r.text) if n.endswith(":id")]
    assert ids[:2] == ["vip-private-preview", "purchasers-get-onboarding"]


@pytest.mark.parametrize(
    "weights", ["0.5, 0.6", "0.2, 0.2", "1, 1", "0.5", "0.3, 0.3, 0.4", "a, b"]
)
def test_weights_not_summing_to_one_show_at_the_weights_and_save_nothing(
    studio: TestClient[Any], keys: Keys, offer: Any, weights: str
) -> None:
    before = personalization(studio, keys, offer["id"])
    html = studio.get(rules_url(offer)).text
    token = token_of(html, "spring-headline-test")
    r = press(studio, offer, html, "save", **{f"{token}:weights": weights})
    assert r.status_code == 422, r.text
    assert f'id="rule-{token}-weights-err"' in r.text
    assert (
        f'id="rule-{token}-weights" name="{token}:weights" type="text" value="{weights}"'
        in r.text
    )
    assert personalization(studio, keys, offer["id"]) == before


@pytest.mark.parametrize(
    ("field", "value", "error_at"),
    [
        ("variant", "nope", "variant"),
        ("audiences", "ghosts", "audiences"),
        ("condition", "{not json", "condition"),
        ("condition", '{"a": {"$bogus": 1}}', "condition"),
        ("id", "", "id"),
    ],
)
def test_other_errors_show_at_their_input(
    studio: TestClient[Any],
    keys: Keys,
    offer: Any,
    field: str,
    value: str,
    error_at: str,
) -> None:
    before = personalization(studio, keys, offer["id"])
    html = studio.get(rules_url(offer)).text
    token = token_of(html, "vip-private-preview")
    r = press(studio, offer, html, "save", **{f"{token}:{field}": value})
    assert r.status_code in (400, 422), r.text
    assert f'id="rule-{token}-{error_at}-err"' in r.text, r.text
    assert personalization(studio, keys, offer["id"]) == before


def test_add_rules_of_each_kind_and_delete_one(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    html = studio.get(rules_url(offer)).text
    for kind in ("personalise", "rollout", "experiment"):
        r = press(studio, offer, html, f"add:{kind}")
        assert r.status_code == 200, r.text
        html = r.text
    tokens = [v for n, v in pairs_of(html) if n == "rule"]
    assert len(tokens) == 7
    new_p, new_r, new_e = tokens[4:]
    r = press(
        studio,
        offer,
        html,
        "save",
        **{
            f"{new_p}:variant": "discount",
            f"{new_p}:audiences": "vip",
            f"{new_r}:coverage": "0.25",
            f"{new_e}:variations": "default, premium, discount",
            f"{new_e}:weights": "0.2, 0.3, 0.5",
            f"{new_e}:namespace_id": "other-space",
            f"{new_e}:namespace_start": "0",
            f"{new_e}:namespace_end": "0.5",
            f"{new_e}:status": "draft",
        },
    )
    assert r.status_code == 303, r.text
    rules = personalization(studio, keys, offer["id"])["rules"]
    assert [r["type"] for r in rules[4:]] == ["personalise", "rollout", "experiment"]
    assert rules[4]["variant"] == "discount" and rules[4]["audiences"] == ["vip"]
    assert rules[5]["coverage"] == 0.25
    assert rules[6]["weights"] == [0.2, 0.3, 0.5]
    assert rules[6]["namespace"] == ["other-space", 0.0, 0.5]
    assert rules[6]["status"] == "draft"
    html = studio.get(rules_url(offer)).text
    r = press(studio, offer, html, f"delete:{token_of(html, rules[5]['id'])}")
    assert r.status_code == 200
    r = press(studio, offer, r.text, "save")
    assert r.status_code == 303, r.text
    after = personalization(studio, keys, offer["id"])["rules"]
    assert [x["id"] for x in after] == [x["id"] for x in rules if x is not rules[5]]


def test_a_stale_save_writes_nothing(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    html = studio.get(rules_url(offer)).text
    r = studio.patch(
        f"/manage/v1/entries/{offer['id']}",
        json={"fields": {"price": 2500}},
        headers=keys.headers("manage", **{"If-Match": f'"{offer["version"]}"'}),
    )
    assert r.status_code == 200
    before = personalization(studio, keys, offer["id"])
    token = token_of(html, "vip-private-preview")
    r = press(studio, offer, html, f"move:{token}:up")
    r = press(studio, offer, r.text, "save")
    assert r.status_code == 412, r.text
    assert personalization(studio, keys, offer["id"]) == before
    r = press(studio, offer, r.text, "save")  # knowingly, against the new version
    assert r.status_code == 303, r.text
    rules = personalization(studio, keys, offer["id"])["rules"]
    assert rules[0]["id"] == "vip-private-preview"


@pytest.fixture
def translator(
    demo: Settings,
) -> Iterator[TestClient[Any]]:
    with TestClient(
        studio_app(demo, person(Role.TRANSLATOR, frozenset({"nb"})))
    ) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        yield client


def test_a_translator_reads_the_rules_but_cannot_change_them(
    translator: TestClient[Any], keys: Keys
) -> None:
    offer = entry_by_key(translator, keys, "offer", "spring-city-one")
    before = personalization(translator, keys, offer["id"])
    html = translator.get(rules_url(offer)).text
    assert "Save rules" not in html and "Move up" not in html
    assert [n for n, _ in form_fields(html, form_id="rules-form") if ":id" in n] == []
    r = post_form(
        translator,
        rules_url(offer),
        [("version", str(offer["version"])), ("action", "save")],
    )
    assert r.status_code == 403
    assert personalization(translator, keys, offer["id"]) == before
