"""Studio tables (migrations 0005, 0007): user accounts and server-side web
sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from content_hub.store.tables import JSONType, UTCDateTime


class UserRow(SQLModel, table=True):
    """A Studio account; ``email`` is stored normalised (lower-case)."""

    __tablename__ = "app_user"

    id: str = Field(primary_key=True, max_length=32)
    email: str = Field(max_length=254, unique=True)
    password_hash: str | None = Field(default=None, max_length=512)
    role: str = Field(max_length=16)
    locales: list[str] = Field(sa_type=JSONType, sa_column_kwargs={"nullable": False})
    disabled: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    version: int = 1
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Moves on when the user's sessions must end (password set or changed,
    account disabled): a session made under another epoch is over (0007)."""


class WebSessionRow(SQLModel, table=True):
    """One server-side session: the SHA-256 of its id (a leaked table
    reveals no usable cookie), its data and when it expires."""

    __tablename__ = "web_session"

    id: str = Field(primary_key=True, max_length=64)
    data: bytes = Field(sa_type=sa.LargeBinary, nullable=False)
    expires_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, nullable=True, index=True
    )
