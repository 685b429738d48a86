"""The release table (see :mod:`content_hub.domain.releases`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from content_hub.store.tables import JSONType, UTCDateTime


class ReleaseRow(SQLModel, table=True):
    """A release: its items as JSON and, once published, what was live before."""

    __tablename__ = "release"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    status: str = Field(max_length=16, index=True)
    items: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    previous: dict[str, Any] | None = Field(
        default=None, sa_type=JSONType, sa_column_kwargs={"nullable": True}
    )
    version: int
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    publish_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_by: str | None = Field(default=None, max_length=200)
    rolled_back_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
