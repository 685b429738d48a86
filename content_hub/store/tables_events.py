"""Event tables (migration 0004): exposures, conversions, sticky assignments and
render receipts. Written in batches by the event recorder, read by results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content_hub.store.tables import JSONType, UTCDateTime


def _ts(index: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, nullable=False, index=index)


class ExposureRow(SQLModel, table=True):
    """A unit (``hash_attribute`` = ``hash_value``) saw a variation."""

    __tablename__ = "exposure"
    __table_args__ = (sa.Index(None, "experiment_key", "hash_value"),)

    event_id: str = Field(primary_key=True, max_length=128)
    experiment_key: str = Field(max_length=200)
    variation_id: int
    variant: str = Field(max_length=128)
    hash_attribute: str = Field(max_length=100)
    hash_value: str = Field(max_length=256)
    entry_id: str | None = Field(default=None, max_length=32)
    channel: str | None = Field(default=None, max_length=16)
    source: str = Field(max_length=8)
    at: datetime = _ts()


class ConversionRow(SQLModel, table=True):
    """A unit reached a goal, optionally with a value."""

    __tablename__ = "conversion"
    __table_args__ = (sa.Index(None, "hash_value", "goal"),)

    event_id: str = Field(primary_key=True, max_length=128)
    goal: str = Field(max_length=200)
    hash_value: str = Field(max_length=256)
    value: float | None = None
    at: datetime = _ts()


class StickyAssignmentRow(SQLModel, table=True):
    """One GrowthBook sticky-bucket document, keyed ``attributeName||value``."""

    __tablename__ = "sticky_assignment"

    attribute_key: str = Field(primary_key=True, max_length=400)
    assignments: dict[str, str] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    updated_at: datetime = _ts()


class RenderReceiptRow(SQLModel, table=True):
    """A non-preview render, for audit and analysis (off, sampled or on)."""

    __tablename__ = "render_receipt"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=32, index=True)
    version: int
    variant: str = Field(max_length=128)
    locale: str = Field(max_length=35)
    channel: str = Field(max_length=16)
    customer_id: str | None = Field(default=None, max_length=256)
    request_id: str | None = Field(default=None, max_length=128)
    at: datetime = _ts(index=True)
