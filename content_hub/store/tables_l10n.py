"""Tables of the translation workflow: which source value each translation
was written against, and the per-locale review state of an entry."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content_hub.store.tables import UTCDateTime


def _entry_fk() -> sa.Column[str]:
    return sa.Column(
        sa.String(32),
        sa.ForeignKey("entry.id", ondelete="CASCADE"),
        primary_key=True,
    )


class TranslationSourceRow(SQLModel, table=True):
    """A translation (``field`` in ``locale``) of an entry's draft and the
    hash of the source-locale value it was last written against."""

    __tablename__ = "translation_source"

    entry_id: str = Field(sa_column=_entry_fk())
    field: str = Field(primary_key=True, max_length=160)
    """A field key, or ``variants.<name>.<field>`` for an override."""
    locale: str = Field(primary_key=True, max_length=35)
    source_hash: str = Field(max_length=16)
    written_at: datetime = Field(sa_type=UTCDateTime)


class TranslationReviewRow(SQLModel, table=True):
    """An entry's review state in one locale."""

    __tablename__ = "translation_review"

    entry_id: str = Field(sa_column=_entry_fk())
    locale: str = Field(primary_key=True, max_length=35)
    state: str = Field(max_length=16)
    version: int = 1
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=200)
