"""Delivery changes as the sync API hands them out."""

from __future__ import annotations

from datetime import datetime

import msgspec


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One delivery change: an entry was published, unpublished or deleted."""

    seq: int
    kind: str
    entry_id: str
    type: str
    at: datetime


class ChangeBatch(msgspec.Struct, frozen=True, kw_only=True):
    """Changes after a cursor, in order, and the cursor to ask with next.

    ``has_more`` says the batch was cut at ``limit``: ask again at once.
    """

    changes: list[Change]
    next_cursor: str
    has_more: bool
