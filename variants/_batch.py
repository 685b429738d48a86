"""Deciding for many customers at once, with one sticky-bucket read and write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from variants._compiled import AudienceMap, CompiledRuleSet, compile_ruleset
from variants._decide import decide
from variants._models import Audience, Customer, RuleSet
from variants._sdk_context import hash_attribute, to_string
from variants._sticky import (
    StickyAssignmentsDoc,
    StickyBucketService,
    sticky_attribute_key,
)
from variants._trace import Decision

__all__ = ["BatchStickyBucketService", "StickyBatch", "decide_batch"]


@runtime_checkable
class BatchStickyBucketService(StickyBucketService, Protocol):
    """A store that can also read and write many documents in one round trip."""

    def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[str, StickyAssignmentsDoc]: ...

    def save_many(self, docs: Iterable[StickyAssignmentsDoc]) -> None: ...


class StickyBatch:
    """An in-memory :class:`StickyBucketService` in front of a backend.

    :meth:`load` reads every needed document at once; ``decide`` then works in
    memory; :meth:`flush` writes the changed documents back in one call.
    """

    def __init__(self, backend: StickyBucketService) -> None:
        self.backend = backend
        self.docs: dict[str, StickyAssignmentsDoc] = {}
        self.changed: dict[str, StickyAssignmentsDoc] = {}

    def load(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = [
            k for k in dict.fromkeys(keys) if sticky_attribute_key(*k) not in self.docs
        ]
        if isinstance(self.backend, BatchStickyBucketService):
            self.docs.update(self.backend.get_many(wanted))
            return
        for name, value in wanted:
            doc = self.backend.get_assignments(name, value)
            if doc is not None:
                self.docs[sticky_attribute_key(name, value)] = doc

    def get_assignments(
        self, attribute_name: str, attribute_value: str
    ) -> StickyAssignmentsDoc | None:
        return self.docs.get(sticky_attribute_key(attribute_name, attribute_value))

    def get_all_assignments(
        self, attributes: Mapping[str, str]
    ) -> dict[str, StickyAssignmentsDoc]:
        found = {}
        for name, value in attributes.items():
            key = sticky_attribute_key(name, value)
            if key in self.docs:
                found[key] = self.docs[key]
        return found

    def save_assignments(self, doc: StickyAssignmentsDoc) -> None:
        key = sticky_attribute_key(doc["attributeName"], doc["attributeValue"])
        self.docs[key] = doc
        self.changed[key] = doc

    def flush(self) -> int:
        """Write changed documents to the backend; returns how many."""
        docs = list(self.changed.values())
        if isinstance(self.backend, BatchStickyBucketService):
            self.backend.save_many(docs)
        else:
            for doc in docs:
                self.backend.save_assignments(doc)
        self.changed.clear()
        return len(docs)


def _sticky_keys(
    compiled: CompiledRuleSet, attrs: Mapping[str, Any]
) -> list[tuple[str, str]]:
    keys = []
    for rule in compiled.rules:
        exp = rule.experiment
        if exp is None or exp.sticky_disabled:
            continue
        for attr in (exp.hash_attribute, exp.fallback_attribute or "id"):
            name, value = hash_attribute(attrs, attr)
            keys.append((name, to_string(value)))
    return keys


def decide_batch(
    ruleset: RuleSet | CompiledRuleSet,
    customers: Sequence[Customer],
    *,
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: Mapping[str, Sequence[Any]] | None = None,
    sticky: StickyBucketService | None = None,
) -> list[Decision]:
    """``decide`` for every customer; sticky documents are read and written once."""
    compiled = compile_ruleset(ruleset, audiences)
    if sticky is None:
        return [decide(compiled, c, saved_groups=saved_groups) for c in customers]
    batch = StickyBatch(sticky)
    batch.load(
        k for c in customers for k in _sticky_keys(compiled, c.condition_attributes())
    )
    decisions = [
        decide(compiled, c, saved_groups=saved_groups, sticky=batch) for c in customers
    ]
    batch.flush()
    return decisions
