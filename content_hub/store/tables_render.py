"""Tables of the render side: templates, audiences, entry personalisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content_hub.store.tables import JSONType, UTCDateTime


class TemplateRow(SQLModel, table=True):
    """Every version of a content type's template for one channel (immutable)."""

    __tablename__ = "template"
    __table_args__ = (sa.UniqueConstraint("type_key", "channel", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    type_key: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=16)
    version: int
    parts: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)


class TemplatePublicationRow(SQLModel, table=True):
    """Which version of a content type's template for one channel is live.

    The latest :class:`TemplateRow` is the draft; renders use the version
    named here (no row: nothing published yet, the channel does not render).
    """

    __tablename__ = "template_publication"

    type_key: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=16)
    version: int
    published_at: datetime = Field(sa_type=UTCDateTime)
    published_by: str = Field(max_length=200)


class AudienceRow(SQLModel, table=True):
    __tablename__ = "audience"

    key: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    condition: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    version: int = 1
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PersonalizationRow(SQLModel, table=True):
    """An entry's variants and rules as of an entry version.

    The rules in effect for entry version V are the row with the greatest
    ``version`` <= V, so the published copy (``published_version``) always has
    the variants and rules it was published with.
    """

    __tablename__ = "entry_personalization"

    entry_id: str = Field(
        sa_column=sa.Column(
            sa.String(32),
            sa.ForeignKey("entry.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    version: int = Field(primary_key=True)
    data: dict[str, Any] = Field(sa_type=JSONType, sa_column_kwargs={"nullable": False})
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)


class SampleCustomerRow(SQLModel, table=True):
    """A saved sample customer (``customer`` and ``context`` as msgspec-built
    JSON, decoded back into the request structs)."""

    __tablename__ = "sample_customer"

    key: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    description: str = Field(max_length=1000)
    customer: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    context: dict[str, Any] = Field(
        sa_type=JSONType, sa_column_kwargs={"nullable": False}
    )
    locale: str | None = Field(default=None, max_length=35)
    version: int = 1
    updated_at: datetime = Field(sa_type=UTCDateTime)
