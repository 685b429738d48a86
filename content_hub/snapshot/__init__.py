"""The published snapshot: what delivery serves, in memory, swapped atomically."""

from content_hub.snapshot.delivery import (
    DeliveredEntry,
    DeliverySnapshot,
    EncodedEntry,
    SnapshotState,
    TypeInfo,
)
from content_hub.snapshot.references import MAX_INCLUDE, Included, Resolver, Source
from content_hub.snapshot.related import Related, TermPostings

__all__ = [
    "MAX_INCLUDE",
    "DeliveredEntry",
    "DeliverySnapshot",
    "EncodedEntry",
    "Included",
    "Related",
    "Resolver",
    "SnapshotState",
    "Source",
    "TermPostings",
    "TypeInfo",
]
