"""Webhook tables (migration 0013): subscriptions, the deliveries the
dispatcher fans out from the change log, their attempts, and the hub's
generated secret key (used when ``CONTENT_HUB_SECRET_KEY`` is unset)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content_hub.store.tables import JSONType, UTCDateTime


class WebhookRow(SQLModel, table=True):
    __tablename__ = "webhook"

    id: str = Field(primary_key=True, max_length=32)
    url: str = Field(max_length=2000)
    events: list[str] = Field(sa_type=JSONType, sa_column_kwargs={"nullable": False})
    description: str = Field(default="", max_length=500)
    content_types: list[str] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    terms: list[str] = Field(sa_type=JSONType, sa_column_kwargs={"nullable": False})
    active: bool = True
    headers: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    secret: str = Field(sa_type=sa.Text, nullable=False)
    """The signing secret, encrypted (``content_hub.workers.webhooks.secrets``)."""
    version: int = 1
    start_seq: int = Field(default=0, sa_type=sa.BigInteger)
    consecutive_failures: int = 0
    disabled_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class WebhookDeliveryRow(SQLModel, table=True):
    """One event for one subscription. ``(position, ordinal)`` (the change's
    seq, the event's number among those the change makes: migration 0018)
    orders the deliveries of one (subscription, entry): they go out one
    after another in that order."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index("ix_webhook_delivery_due", "status", "next_at"),
        sa.Index(
            "ix_webhook_delivery_order",
            "webhook_id",
            "entry_id",
            "status",
            "position",
            "ordinal",
        ),
    )

    id: str = Field(primary_key=True, max_length=40)
    webhook_id: str = Field(
        sa_column=sa.Column(
            sa.String(32),
            sa.ForeignKey("webhook.id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    position: int = Field(sa_type=sa.BigInteger)
    """The seq of the change the event is of (0: a test event)."""
    ordinal: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """The event's number among those of its change (a release makes many)."""
    entry_id: str = Field(max_length=32)
    event_type: str = Field(max_length=40)
    payload: str = Field(sa_type=sa.Text, nullable=False)
    """The JSON body, fixed at fan-out (every retry sends the same bytes)."""
    status: str = Field(max_length=16)
    attempts: int = 0
    requeued: int = 0
    """Counts manual redeliveries: an attempt in flight when one is asked
    for must not mark the delivery done (its result is only logged)."""
    next_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class WebhookAttemptRow(SQLModel, table=True):
    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(
        sa_column=sa.Column(
            sa.String(40),
            sa.ForeignKey("webhook_delivery.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status_code: int | None = None
    latency_ms: float = 0.0
    error: str | None = Field(default=None, max_length=500)
    response_excerpt: str | None = Field(default=None, sa_type=sa.Text)
