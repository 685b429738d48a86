"""Media: metadata records of images and other assets (the bytes live at ``url``)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class FocalPoint(msgspec.Struct, frozen=True, kw_only=True):
    """Where the subject is, as fractions of width and height (0..1)."""

    x: float
    y: float


class Media(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str
    mime_type: str
    title: str
    alt: dict[str, str]
    width: int | None
    height: int | None
    focal_point: FocalPoint | None
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
