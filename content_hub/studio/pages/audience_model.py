"""What the audience page shows: the condition as JSON and (when it can) as
builder rows, how many saved sample customers it matches, and the answer of
the "test against this customer" box. Reads only; the JSON text typed is
what every answer is about (saved or not)."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from content_hub.domain.errors import FieldError, HubError, ValidationFailed
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.render import Audience, CustomerIn
from content_hub.services.audiences import check_condition
from content_hub.services.base import Deps
from content_hub.services.sample_customers import SampleCustomerService, matches
from content_hub.studio.condition_builder import (
    OPERATORS,
    Builder,
    Join,
    rows_from_form,
    to_builder,
    to_condition,
    value_text,
)
from content_hub.studio.forms import Form


def condition_text(condition: Any) -> str:
    return json.dumps(condition, ensure_ascii=False, indent=2)


def parse_condition(text: str) -> dict[str, Any]:
    """The JSON typed as a condition (an object), or a 422 at ``condition``."""
    try:
        value = json.loads(text or "{}")
    except ValueError as exc:
        raise ValidationFailed(
            f"The condition is not valid JSON: {exc}.",
            errors=[FieldError(loc=["condition"], msg=f"not valid JSON ({exc})")],
        ) from None
    if not isinstance(value, dict):
        raise ValidationFailed(
            "A condition is a JSON object.",
            errors=[FieldError(loc=["condition"], msg="expected a JSON object")],
        )
    return value


def builder_rows(builder: Builder | None, blanks: int = 1) -> list[dict[str, str]]:
    """The builder's rows as its inputs show them, and ``blanks`` empty rows."""
    rows = [
        {"attribute": r.attribute, "op": r.op, "value": value_text(r.value)}
        for r in (builder.rows if builder else [])
    ]
    return rows + [{"attribute": "", "op": "equals", "value": ""}] * blanks


def builder_of_form(form: Form) -> Builder:
    join: Join = "any" if form.get("join") == "any" else "all"
    rows = rows_from_form(
        form.getall("b_attr"), form.getall("b_op"), form.getall("b_value")
    )
    return Builder(join, rows)


def builder_view(text: str, blanks: int = 1) -> dict[str, Any]:
    """The builder part of the page for the JSON ``text``."""
    try:
        builder = to_builder(json.loads(text or "{}"))
    except ValueError:
        return {
            "builder": None,
            "join": "all",
            "builder_note": "The JSON does not parse yet.",
        }
    if builder is None:
        return {
            "builder": None,
            "join": "all",
            "builder_note": "The builder cannot show this condition: edit it as JSON.",
        }
    return {
        "builder": builder,
        "join": builder.join,
        "builder_rows": builder_rows(builder, blanks),
        "builder_note": "",
    }


def apply_builder(form: Form) -> str:
    """The JSON the builder's rows say (the "Update JSON" button)."""
    return condition_text(to_condition(builder_of_form(form)))


async def matching_view(deps: Deps, text: str) -> dict[str, Any]:
    """How many saved sample customers the condition ``text`` matches."""
    try:
        found = await SampleCustomerService(deps).matching(parse_condition(text))
    except HubError as exc:
        return {"matching": None, "matching_error": exc.detail}
    return {"matching": found, "matching_error": ""}


async def test_view(deps: Deps, form: Form) -> dict[str, Any]:
    """Whether the customer of the test box (a saved sample, or attributes
    and segments typed) is in the condition typed, as a rule decides it."""
    try:
        condition = parse_condition(form.get("condition"))
        check_condition(condition)
        if form.get("test_sample"):
            sample = await SampleCustomerService(deps).get(form.get("test_sample"))
            customer, who = sample.customer, sample.name or sample.key
        else:
            customer, who = _typed_customer(form), "This customer"
    except HubError as exc:
        return {"test": {"error": exc.detail}}
    ok = matches(condition, customer)
    return {"test": {"matches": ok, "who": who}}


def _typed_customer(form: Form) -> CustomerIn:
    raw = form.get("test_attributes").strip() or "{}"
    try:
        attributes = json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed(f"The attributes are not valid JSON: {exc}.") from None
    if not isinstance(attributes, dict):
        raise ValidationFailed("The attributes are a JSON object.")
    segments = [s for s in form.get("test_segments").replace(",", " ").split() if s]
    try:
        return msgspec.convert(
            {"attributes": attributes, "segments": segments}, CustomerIn
        )
    except msgspec.ValidationError as exc:
        raise ValidationFailed(f"The customer is not valid: {exc}.") from None


async def audience_context(
    deps: Deps,
    principal: Principal,
    audience: Audience,
    form: Form | None = None,
    *,
    text: str | None = None,
    blanks: int = 1,
) -> dict[str, Any]:
    """The page's context for ``audience``, as stored or (``form``) as typed;
    ``text``: the JSON to show instead of the form's."""
    if text is None:
        text = form.get("condition") if form else condition_text(audience.condition)
    samples = await SampleCustomerService(deps).all()
    return {
        "audience": audience,
        "name": form.get("name") if form else audience.name,
        "condition": text,
        "operators": OPERATORS,
        "samples": samples,
        "test_form": {
            "sample": form.get("test_sample") if form else "",
            "attributes": form.get("test_attributes") if form else "",
            "segments": form.get("test_segments") if form else "",
        },
        "test": None,
        "can_write": allowed(principal, Action.AUDIENCES_WRITE),
        "condition_errors": [],
        **builder_view(text, blanks),
        **await matching_view(deps, text),
    }
