"""Tables of previews: front-end preview URL patterns and signing secrets."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from content_hub.store.tables import UTCDateTime


class TypePreviewUrlRow(SQLModel, table=True):
    """A content type's front-end preview URL pattern (see
    :class:`~content_hub.domain.preview.PreviewUrlIn`)."""

    __tablename__ = "type_preview_url"

    type_key: str = Field(
        primary_key=True,
        max_length=64,
        foreign_key="content_type.key",
        ondelete="CASCADE",
    )
    pattern: str = Field(max_length=2000)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HubSecretRow(SQLModel, table=True):
    """A random secret the hub made for itself (e.g. to sign preview links)
    when no ``CONTENT_HUB_SECRET_KEY`` is set: every worker reads the same."""

    __tablename__ = "hub_secret"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=200)
