"""Sample customers (/manage/v1/sample-customers) and which of them an audience
matches: the same answer as a personalise rule with that audience decides."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.domain.render import CustomerIn
from content_hub.live.render import variants_customer
from content_hub.services.sample_customers import matches
from tests.content_hub.conftest import Keys
from variants import Audience, PersonaliseRule, RuleSet, decide

SEGMENTS = ["vip", "purchaser", "cart_abandoner", "new"]
TIERS = ["gold", "silver", "bronze"]

customers = st.builds(
    CustomerIn,
    id=st.one_of(st.none(), st.text("abc", min_size=1, max_size=4)),
    attributes=st.fixed_dictionaries(
        {},
        optional={
            "lead_score": st.integers(0, 100),
            "loyalty_tier": st.sampled_from(TIERS),
            "has_purchased": st.booleans(),
            "country": st.sampled_from(["DE", "NO", "GB"]),
        },
    ),
    segments=st.lists(st.sampled_from(SEGMENTS), unique=True, max_size=3),
)
leaf = st.one_of(
    st.builds(lambda s: {"segments": s}, st.sampled_from(SEGMENTS)),
    st.builds(lambda n: {"lead_score": {"$gte": n}}, st.integers(0, 100)),
    st.builds(lambda t: {"loyalty_tier": t}, st.sampled_from(TIERS)),
    st.builds(lambda b: {"has_purchased": b}, st.booleans()),
    st.builds(
        lambda c: {"country": {"$in": c}},
        st.lists(st.sampled_from(["DE", "NO", "GB"]), max_size=2),
    ),
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda cs: {"$or": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"$and": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"$not": c}, inner),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(condition=conditions, customer=customers)
def test_matching_is_what_a_personalise_rule_decides(
    condition: dict[str, Any], customer: CustomerIn
) -> None:
    rules = RuleSet(
        key="e",
        baseline="default",
        variants=["hit"],
        rules=[PersonaliseRule(id="r", audiences=["a"], variant="hit")],
    )
    decision = decide(
        rules,
        variants_customer(customer),
        audiences=[Audience(key="a", condition=condition)],
    )
    assert matches(condition, customer) == (decision.variant == "hit")


def _create(
    client: TestClient[Any], headers: dict[str, str], key: str, **body: Any
) -> Any:
    r = client.post(
        "/manage/v1/sample-customers", json={"key": key, **body}, headers=headers
    )
    assert r.status_code == 201, r.text
    return r


def test_crud_and_matching(client: TestClient[Any], keys: Keys) -> None:
    manage = keys.headers("manage")
    created = _create(
        client,
        manage,
        "greta",
        name="Greta",
        customer={"id": "g", "attributes": {"lead_score": 90}, "segments": ["vip"]},
        context={"campaign": "summer"},
        locale="de",
    )
    assert created.headers["etag"] == '"1"'
    _create(client, manage, "sam", customer={"segments": ["cart_abandoner"]})
    got = client.get("/manage/v1/sample-customers/greta", headers=manage).json()
    assert got["customer"]["attributes"] == {"lead_score": 90}
    assert got["context"]["campaign"] == "summer" and got["locale"] == "de"
    listed = client.get("/manage/v1/sample-customers", headers=manage).json()
    assert [s["key"] for s in listed["items"]] == ["greta", "sam"]

    r = client.post(
        "/manage/v1/sample-customers/matching",
        json={"condition": {"lead_score": {"$gte": 80}}},
        headers=manage,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"matching": ["greta"], "total": 2}
    audience = {"key": "abandoners", "condition": {"segments": "cart_abandoner"}}
    assert (
        client.post("/manage/v1/audiences", json=audience, headers=manage).status_code
        == 201
    )
    r = client.get("/manage/v1/audiences/abandoners/matching", headers=manage)
    assert r.json() == {"matching": ["sam"], "total": 2}

    changed = client.put(
        "/manage/v1/sample-customers/sam",
        json={"customer": {"segments": []}},
        headers={**manage, "If-Match": '"1"'},
    )
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    assert client.get(
        "/manage/v1/audiences/abandoners/matching", headers=manage
    ).json() == {
        "matching": [],
        "total": 2,
    }
    stale = client.delete(
        "/manage/v1/sample-customers/sam", headers={**manage, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    gone = client.delete(
        "/manage/v1/sample-customers/sam", headers={**manage, "If-Match": '"2"'}
    )
    assert gone.status_code == 204
    assert (
        client.get("/manage/v1/sample-customers/sam", headers=manage).status_code == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"key": "Bad Key"},
        {"key": "x", "customer": {"segments": "vip"}},
        {"key": "x", "customer": {"id": "a\u0000b"}},
        {"key": "x", "unknown": 1},
        {"key": "x", "locale": "x" * 40},
        {"key": "x", "context": {"campaign": 5}},
    ],
)
def test_bad_sample_customers_are_400_and_write_nothing(
    client: TestClient[Any], keys: Keys, body: dict[str, Any]
) -> None:
    manage = keys.headers("manage")
    r = client.post("/manage/v1/sample-customers", json=body, headers=manage)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/manage/v1/sample-customers", headers=manage).json() == {
        "items": []
    }


@pytest.mark.parametrize(
    "condition",
    [{"$bogus": 1}, {"a": {"$in": 3}}, {"$or": "x"}, {"a": {"$regex": "("}}],
)
def test_a_condition_variants_refuses_is_422_at_its_place(
    client: TestClient[Any], keys: Keys, condition: dict[str, Any]
) -> None:
    r = client.post(
        "/manage/v1/sample-customers/matching",
        json={"condition": condition},
        headers=keys.headers("manage"),
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"], r.json()
