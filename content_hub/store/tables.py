"""SQLModel tables. They never leave ``store/``: repositories return domain Structs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

import content_hub.store.guards  # noqa: F401  (every engine refuses NUL text)

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
UTCDateTime = sa.DateTime(timezone=True)


def _json(nullable: bool = False) -> Any:
    return Field(sa_type=JSONType, sa_column_kwargs={"nullable": nullable})


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=UTCDateTime,
        nullable=nullable,
        index=index,
    )


class LocaleRow(SQLModel, table=True):
    __tablename__ = "locale"

    code: str = Field(primary_key=True, max_length=35)
    name: str = Field(max_length=200)
    native_name: str = Field(max_length=200)
    direction: str = Field(max_length=3)
    fallbacks: list[str] = _json()
    is_default: bool = False
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ContentTypeRow(SQLModel, table=True):
    __tablename__ = "content_type"

    key: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    description: str = ""
    fields: list[dict[str, Any]] = _json()
    channels: list[str] = _json()
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class EntryRow(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        sa.UniqueConstraint("type_key", "key"),
        # the Studio list's orders (migration 0006)
        sa.Index("ix_entry_updated_at_id", "updated_at", "id"),
        sa.Index("ix_entry_key_id", "key", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    type_key: str = Field(foreign_key="content_type.key", max_length=64, index=True)
    key: str = Field(max_length=128)
    fields: dict[str, Any] = _json()
    status: str = Field(max_length=16, index=True)
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    created_by: str = Field(max_length=200)
    updated_by: str = Field(max_length=200)
    published_version: int | None = None
    published_at: datetime | None = _ts(nullable=True)
    publish_seq: int = Field(default=0, index=True)
    terms: list[str] = Field(
        default_factory=list,
        sa_type=JSONType,
        sa_column_kwargs={"nullable": False, "server_default": sa.text("'[]'")},
    )
    publish_at: datetime | None = _ts(nullable=True, index=True)
    unpublish_at: datetime | None = _ts(nullable=True, index=True)


class EntryRevisionRow(SQLModel, table=True):
    """Every save of an entry: an immutable JSON copy (Wagtail's revision table)."""

    __tablename__ = "entry_revision"
    __table_args__ = (sa.UniqueConstraint("entry_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(
        sa_column=sa.Column(
            sa.String(32),
            sa.ForeignKey("entry.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    version: int
    key: str = Field(max_length=128)
    fields: dict[str, Any] = _json()
    created_at: datetime = _ts()
    created_by: str = Field(max_length=200)
    terms: list[str] | None = _json(nullable=True)


class ApiKeyRow(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, unique=True)
    scopes: list[str] = _json()
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)
    payload_key: str | None = Field(default=None, max_length=44)
    """Base64 AES key its GrowthBook SDK payload is encrypted with (stored
    as is: it ships in every front-end that decrypts, see
    :mod:`content_hub.domain.payload_crypto`)."""


class CounterRow(SQLModel, table=True):
    """Named monotonic counters; ``publish_seq`` orders every delivery change."""

    __tablename__ = "counter"

    name: str = Field(primary_key=True, max_length=64)
    value: int = 0


class ChangeRow(SQLModel, table=True):
    """What delivery must learn: one row per publish, unpublish or delete.

    ``seq`` comes from the ``publish_seq`` counter, taken inside the writing
    transaction, so readers that follow ``seq`` never skip a change. Worker
    snapshots and the sync endpoint both read this log.
    """

    __tablename__ = "change_log"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entry_id: str = Field(max_length=32, index=True)
    type_key: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    at: datetime = _ts()
    version: int | None = None
    """A publish: the entry version it made live (migration 0019)."""
    before: int | None = None
    """A publish: the version that was live before it (None: none was)."""
    key: str | None = Field(default=None, max_length=128)
    """An entry change: the entry's key then (a publish or unpublish: the key
    of the version live; a delete: of the one last published, else the
    draft's), so an event fanned out after the entry is gone still names
    it (migration 0020). NULL for configuration changes and older rows."""


# --- Editorial workflow (migration 0002): taxonomy, media, audit --------------


class TaxonomyRow(SQLModel, table=True):
    """A named taxonomy (``topic``, ``journey_stage``) shared by every channel."""

    __tablename__ = "taxonomy"

    key: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    description: str = ""
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class TermRow(SQLModel, table=True):
    """A term of a taxonomy; entries point at its stable ``id``, so renaming
    (``key``, ``labels``) or moving (``parent_id``) never loses assignments.
    A deleted term that was reassigned stays as a tombstone ``merged_into``
    its replacement, so published copies naming it still resolve."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (sa.UniqueConstraint("taxonomy_key", "key"),)

    id: str = Field(primary_key=True, max_length=32)
    taxonomy_key: str = Field(foreign_key="taxonomy.key", max_length=64, index=True)
    key: str = Field(max_length=160)
    parent_id: str | None = Field(default=None, max_length=32, index=True)
    labels: dict[str, str] = _json()
    position: int = 0
    merged_into: str | None = Field(default=None, max_length=32)
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class EntryTermRow(SQLModel, table=True):
    """Which terms an entry's draft carries (an index of ``entry.terms``)."""

    __tablename__ = "entry_term"

    entry_id: str = Field(
        sa_column=sa.Column(
            sa.String(32),
            sa.ForeignKey("entry.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    term_id: str = Field(
        primary_key=True, max_length=32, index=True, foreign_key="taxonomy_term.id"
    )


class MediaRow(SQLModel, table=True):
    """Metadata of a media asset; the bytes live elsewhere (``url``)."""

    __tablename__ = "media"

    id: str = Field(primary_key=True, max_length=32)
    url: str = Field(max_length=2000)
    mime_type: str = Field(max_length=100)
    title: str = Field(default="", max_length=200)
    alt: dict[str, str] = _json()
    width: int | None = None
    height: int | None = None
    focal_x: float | None = None
    focal_y: float | None = None
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    created_by: str = Field(max_length=200)
    updated_by: str = Field(max_length=200)


class AuditRow(SQLModel, table=True):
    """One management write: who, what, when, and the versions around it."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index(None, "resource_type", "resource_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(index=True)
    actor: str = Field(max_length=200, index=True)
    actor_key_id: str = Field(max_length=32)
    action: str = Field(max_length=40, index=True)
    resource_type: str = Field(max_length=40)
    resource_id: str = Field(max_length=200)
    before_version: int | None = None
    after_version: int | None = None
    detail: dict[str, Any] | None = _json(nullable=True)
