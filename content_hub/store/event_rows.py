"""The rows of one event batch, as the stores' own writers send them.

The recorder's batch goes to SQLite (:mod:`content_hub.store.sqlite_writes`)
or PostgreSQL (:mod:`content_hub.store.postgres_writes`) as plain tuples;
both build them here, in the columns' order, with times in the text form
each store wants (``time``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import msgspec

from content_hub.domain.events import Exposure, RenderReceipt

EXPOSURE_COLUMNS = (
    "event_id",
    "experiment_key",
    "variation_id",
    "variant",
    "hash_attribute",
    "hash_value",
    "entry_id",
    "channel",
    "source",
    "at",
)
STICKY_COLUMNS = ("attribute_key", "assignments", "updated_at")
RECEIPT_COLUMNS = (
    "entry_id",
    "version",
    "variant",
    "locale",
    "channel",
    "customer_id",
    "request_id",
    "at",
)
_encode = msgspec.json.encode

ExposureRowValues = tuple[
    str, str, int, str, str, str, str | None, str | None, str, str
]
ReceiptRowValues = tuple[str, int, str, str, str, str | None, str | None, str]


def exposure_rows(
    exposures: Sequence[Exposure], time: Callable[[datetime], str]
) -> list[ExposureRowValues]:
    """One tuple per exposure, in :data:`EXPOSURE_COLUMNS` order and the
    batch's order (the first of two equal event ids is the one kept)."""
    return [
        (
            e.event_id,
            e.experiment_key,
            e.variation_id,
            e.variant,
            e.hash_attribute,
            e.hash_value,
            e.entry_id,
            e.channel,
            e.source,
            time(e.at),
        )
        for e in exposures
    ]


def sticky_rows(sticky: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str]]:
    """``(attribute key, assignments as JSON text)`` sorted by key: every
    writer locks the rows in one order, as the session write does, so two
    flushes cannot deadlock."""
    return [
        (key, _encode(dict(assignments)).decode())
        for key, assignments in sorted(sticky.items())
    ]


def receipt_rows(
    receipts: Sequence[RenderReceipt], time: Callable[[datetime], str]
) -> list[ReceiptRowValues]:
    """One tuple per receipt, in :data:`RECEIPT_COLUMNS` order and the
    batch's order (receipts take their ids in it)."""
    return [
        (
            r.entry_id,
            r.version,
            r.variant,
            r.locale,
            r.channel,
            r.customer_id,
            r.request_id,
            time(r.at),
        )
        for r in receipts
    ]
