"""Sticky bucketing: remembered assignments that survive changes of weights.

Documents have GrowthBook's shape, one per identifier::

    {"attributeName": "id", "attributeValue": "u1",
     "assignments": {"<experimentKey>__<bucketVersion>": "<variationKey>"}}

and are addressed as ``"<attributeName>||<attributeValue>"``. A storage backend
implements :class:`StickyBucketService` (the hub backs it with a table); the
in-memory implementation here serves tests, previews and single processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypedDict, runtime_checkable

__all__ = [
    "InMemoryStickyBucketService",
    "StickyAssignmentsDoc",
    "StickyBucketService",
    "sticky_attribute_key",
    "sticky_experiment_key",
]


class StickyAssignmentsDoc(TypedDict):
    """One identifier's remembered assignments (GrowthBook's document shape)."""

    attributeName: str
    attributeValue: str
    assignments: dict[str, str]


def sticky_attribute_key(attribute_name: str, attribute_value: str) -> str:
    """``"<attributeName>||<attributeValue>"``."""
    return f"{attribute_name}||{attribute_value}"


def sticky_experiment_key(experiment_key: str, bucket_version: int | None) -> str:
    """``"<experimentKey>__<bucketVersion>"`` (bucket version defaults to 0)."""
    return f"{experiment_key}__{bucket_version or 0}"


@runtime_checkable
class StickyBucketService(Protocol):
    """Where sticky assignments live.

    ``get_all_assignments`` takes ``{attributeName: attributeValue}`` and returns
    the documents that exist, keyed by :func:`sticky_attribute_key`; it is the
    batch read a database backend answers with one query.
    """

    def get_assignments(
        self, attribute_name: str, attribute_value: str
    ) -> StickyAssignmentsDoc | None: ...

    def save_assignments(self, doc: StickyAssignmentsDoc) -> None: ...

    def get_all_assignments(
        self, attributes: Mapping[str, str]
    ) -> dict[str, StickyAssignmentsDoc]: ...


class InMemoryStickyBucketService:
    """A dict-backed :class:`StickyBucketService`."""

    def __init__(self, docs: Iterable[StickyAssignmentsDoc] = ()) -> None:
        self.docs: dict[str, StickyAssignmentsDoc] = {}
        for doc in docs:
            self.save_assignments(doc)

    def get_assignments(
        self, attribute_name: str, attribute_value: str
    ) -> StickyAssignmentsDoc | None:
        return self.docs.get(sticky_attribute_key(attribute_name, attribute_value))

    def save_assignments(self, doc: StickyAssignmentsDoc) -> None:
        key = sticky_attribute_key(doc["attributeName"], doc["attributeValue"])
        self.docs[key] = {
            "attributeName": doc["attributeName"],
            "attributeValue": doc["attributeValue"],
            "assignments": dict(doc["assignments"]),
        }

    def get_all_assignments(
        self, attributes: Mapping[str, str]
    ) -> dict[str, StickyAssignmentsDoc]:
        return self.get_many(attributes.items())

    def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[str, StickyAssignmentsDoc]:
        """Documents for many ``(attributeName, attributeValue)`` pairs at once."""
        found: dict[str, StickyAssignmentsDoc] = {}
        docs = self.docs
        for name, value in keys:
            key = f"{name}||{value}"  # sticky_attribute_key, inlined (hot path)
            doc = docs.get(key)
            if doc is not None:
                found[key] = doc
        return found

    def save_many(self, docs: Iterable[StickyAssignmentsDoc]) -> None:
        for doc in docs:
            self.save_assignments(doc)
