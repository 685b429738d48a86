"""Cursor pagination: opaque cursors over an ordered key."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import msgspec

from content_hub.domain.errors import BadRequest

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """One page of a list and the cursor of the next (``None`` at the end)."""

    items: list[T]
    next_cursor: str | None


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise BadRequest("The cursor is not one this API handed out.") from exc


def page_of(items: Sequence[T], limit: int, key: Callable[[T], str]) -> Page[T]:
    """Build a page from ``limit + 1`` fetched items."""
    more = len(items) > limit
    shown = list(items[:limit])
    return Page(
        items=shown,
        next_cursor=encode_cursor(key(shown[-1])) if more and shown else None,
    )
