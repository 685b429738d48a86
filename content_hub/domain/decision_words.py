"""A variant decision in words: which rule applied, why the earlier ones did
not, the experiment's hash and bucket (for previews and the Studio)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["explain", "step_words"]

_SKIPPED = {
    "condition_false": "the customer is not in its audience (its condition is false)",
    "disabled": "the rule is disabled",
    "not_in_coverage": "the customer's bucket is outside the experiment's coverage",
    "namespace_excluded": "the customer is outside the experiment's namespace range",
    "filtered_out": "the customer is filtered out of the experiment",
    "hash_attribute_missing": "the customer has no value for the hash attribute",
    "experiment_inactive": "the experiment is not running",
    "sticky_version_blocked": "the customer's sticky bucket is of an older "
    "experiment version that blocks them",
}


class DecisionLike(Protocol):
    @property
    def rule_id(self) -> str | None: ...

    @property
    def reason(self) -> str: ...

    @property
    def trace(self) -> list[dict[str, Any]]: ...


def _rule(step: Mapping[str, Any]) -> str:
    kind = step.get("rule_type", "rule")
    name = step.get("rule_id") or "(unnamed)"
    key = step.get("experiment_key")
    return f"Rule {name!r} ({kind}{f' {key!r}' if key else ''})"


def _hash(step: Mapping[str, Any]) -> str:
    attribute = step.get("hash_attribute")
    if not attribute:
        return ""
    bucket = step.get("bucket")
    text = f"; hash of {attribute}={step.get('hash_value')!r}"
    return text + (f" gives bucket {bucket:.4f}" if bucket is not None else "")


def step_words(step: Mapping[str, Any], variant: str | None = None) -> str:
    """One trace step as a sentence."""
    reason = str(step.get("reason", ""))
    if reason == "applied":
        what = f" → variant {variant!r}" if variant else ""
        index = step.get("variation_index")
        variation = f", variation {index}" if index is not None else ""
        return f"{_rule(step)} applied{_hash(step)}{variation}{what}."
    why = _SKIPPED.get(reason, reason.replace("_", " "))
    return f"{_rule(step)} did not apply: {why}{_hash(step)}."


def explain(decision: DecisionLike, variant: str) -> list[str]:
    """The decision (a render's ``decision``) as sentences, in rule order,
    the outcome last."""
    reason = str(decision.reason)
    if reason == "forced":
        return [f"The preview forced the variant {variant!r}: no rule was evaluated."]
    lines = [
        step_words(step, variant if step.get("rule_id") == decision.rule_id else None)
        for step in decision.trace
    ]
    if decision.rule_id is None:
        lines.append("No rule applied: the entry itself (the baseline) is served.")
    return lines
