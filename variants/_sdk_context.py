"""The evaluation context of the GrowthBook-compatible dict API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from variants._conditions import compile_condition, get_path
from variants._hashing import gb_hash, in_range
from variants._js import js_stringify, js_truthy
from variants._sticky import (
    StickyAssignmentsDoc,
    StickyBucketService,
    sticky_attribute_key,
)

__all__ = ["EvalContext", "hash_attribute", "to_string"]


class EvalContext:
    """A GrowthBook context dict, read once into attributes for evaluation.

    Keys read: ``attributes``, ``features``, ``savedGroups``, ``forcedVariations``,
    ``forcedFeatureValues``, ``groups``, ``url``, ``enabled``, ``qaMode``,
    ``contextualBandits`` and ``stickyBucketAssignmentDocs``.
    """

    __slots__ = (
        "attributes",
        "contextual_bandits",
        "enabled",
        "evaluated",
        "features",
        "forced_feature_values",
        "forced_variations",
        "groups",
        "qa_mode",
        "saved_groups",
        "sticky_docs",
        "sticky_service",
        "url",
    )

    def __init__(
        self,
        context: Mapping[str, Any],
        sticky_service: StickyBucketService | None = None,
    ) -> None:
        self.attributes: dict[str, Any] = dict(context.get("attributes") or {})
        self.features: Mapping[str, Any] = context.get("features") or {}
        self.saved_groups: Mapping[str, Any] = context.get("savedGroups") or {}
        self.forced_variations: Mapping[str, Any] = (
            context.get("forcedVariations") or {}
        )
        self.forced_feature_values: Mapping[str, Any] = (
            context.get("forcedFeatureValues") or {}
        )
        self.groups: Mapping[str, Any] = context.get("groups") or {}
        self.url: str = context.get("url") or ""
        self.enabled: bool = context.get("enabled") is not False
        self.qa_mode: bool = bool(context.get("qaMode"))
        self.contextual_bandits: Mapping[str, Any] = (
            context.get("contextualBandits") or {}
        )
        self.sticky_service = sticky_service
        self.sticky_docs: dict[str, StickyAssignmentsDoc] = dict(
            context.get("stickyBucketAssignmentDocs") or {}
        )
        self.evaluated: set[str] = set()
        if sticky_service is not None:
            self.sticky_docs.update(
                sticky_service.get_all_assignments(self._sticky_attributes())
            )

    @staticmethod
    def value_passes(parent: Mapping[str, Any], value: Any) -> bool:
        """A prerequisite's condition against ``{"value": value}``, no groups."""
        return compile_condition(parent.get("condition") or {})({"value": value}, {})

    def condition_passes(self, condition: Mapping[str, Any]) -> bool:
        return compile_condition(condition)(self.attributes, self.saved_groups)

    def is_filtered_out(self, filters: list[Mapping[str, Any]]) -> bool:
        for flt in filters:
            _, value = hash_attribute(self.attributes, flt.get("attribute"))
            if not value:
                return True
            n = gb_hash(flt.get("seed") or "", value, flt.get("hashVersion") or 2)
            if n is None:
                return True
            if not any(in_range(n, r) for r in flt.get("ranges") or []):
                return True
        return False

    def _sticky_attributes(self) -> dict[str, str]:
        names: list[str] = []
        for feature in self.features.values():
            for rule in (feature or {}).get("rules") or []:
                if rule.get("variations") or rule.get("contextualVariations"):
                    names.append(rule.get("hashAttribute") or "id")
                    if rule.get("fallbackAttribute"):
                        names.append(rule["fallbackAttribute"])
        found: dict[str, str] = {}
        for name in names:
            _, value = hash_attribute(self.attributes, name)
            found[name] = to_string(value)
        return found

    def save_sticky(
        self, attribute: str, value: str, assignments: Mapping[str, str]
    ) -> None:
        key = sticky_attribute_key(attribute, value)
        existing = self.sticky_docs.get(key)
        old = dict(existing["assignments"]) if existing else {}
        new = {**old, **assignments}
        if new == old and list(new) == list(old):
            return
        doc: StickyAssignmentsDoc = {
            "attributeName": attribute,
            "attributeValue": value,
            "assignments": new,
        }
        self.sticky_docs[key] = doc
        if self.sticky_service is not None:
            self.sticky_service.save_assignments(doc)


def to_string(value: Any) -> str:
    """The SDK's ``toString``: strings as-is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return js_stringify(value)


def _resolve(attributes: Mapping[str, Any], key: str) -> Any:
    if key in attributes:
        return attributes[key]
    value = get_path(attributes, key)
    return "" if value is None else value


def hash_attribute(
    attributes: Mapping[str, Any], attr: str | None, fallback: str | None = None
) -> tuple[str, Any]:
    """``(attribute name, raw value)`` used for hashing, trying ``fallback`` second."""
    name = attr or "id"
    value = _resolve(attributes, name)
    if not _truthy(value) and fallback:
        fallback_value = _resolve(attributes, fallback)
        if _truthy(fallback_value):
            return fallback, fallback_value
    return name, value


_truthy = js_truthy
