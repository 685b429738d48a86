"""Sticky-bucket lookups and saves for ``decide`` (GrowthBook's algorithm)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from variants._compiled import CompiledExperiment
from variants._js import js_truthy
from variants._sdk_context import hash_attribute, to_string
from variants._sticky import (
    StickyAssignmentsDoc,
    StickyBucketService,
    sticky_attribute_key,
)

__all__ = ["StickyLookup"]


class StickyLookup:
    """The user's remembered assignment for one experiment, and how to save one.

    Assignments are merged from the fallback attribute's document, then the hash
    attribute's (which wins). If any assignment exists for a bucket version below
    ``min_bucket_version`` the user is ``blocked`` (excluded).
    """

    __slots__ = ("blocked", "docs", "exp", "service", "variation")

    def __init__(
        self,
        exp: CompiledExperiment,
        attrs: Mapping[str, Any],
        service: StickyBucketService,
    ) -> None:
        self.exp = exp
        self.service = service
        name, value = hash_attribute(attrs, exp.hash_attribute)
        value = to_string(value)
        query = {name: value}
        fb_name, fb_value = hash_attribute(attrs, exp.fallback_attribute)
        fb_key = None
        if js_truthy(fb_value):
            fb_value = to_string(fb_value)
            query.setdefault(fb_name, fb_value)
            fb_key = sticky_attribute_key(fb_name, fb_value)
        self.docs: dict[str, StickyAssignmentsDoc] = dict(
            service.get_all_assignments(query)
        )
        assignments: dict[str, str] = {}
        if fb_key is not None:
            doc = self.docs.get(fb_key)
            if doc:
                assignments.update(doc.get("assignments") or {})
        doc = self.docs.get(sticky_attribute_key(name, value))
        if doc:
            assignments.update(doc.get("assignments") or {})
        self.blocked = bool(assignments) and any(
            key in assignments for key in exp.sticky_blocked_keys
        )
        self.variation = -1
        if assignments and not self.blocked:
            wanted = assignments.get(exp.sticky_key)
            if wanted is not None:
                self.variation = exp.variation_index.get(wanted, -1)

    def save(self, attribute: str, value: str, variation_key: str) -> None:
        """Remember ``variation_key`` under ``attribute=value`` if it changed."""
        key = sticky_attribute_key(attribute, value)
        existing = self.docs.get(key)
        old = dict(existing.get("assignments") or {}) if existing else {}
        exp_key = self.exp.sticky_key
        if old.get(exp_key) == variation_key:
            return
        doc: StickyAssignmentsDoc = {
            "attributeName": attribute,
            "attributeValue": value,
            "assignments": {**old, exp_key: variation_key},
        }
        self.docs[key] = doc
        self.service.save_assignments(doc)
