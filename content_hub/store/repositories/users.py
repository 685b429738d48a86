"""Studio user repository: rows in, :class:`User` Structs out."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.users import Role, User
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables_users import UserRow


def _to_domain(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        locales=tuple(row.locales),
        disabled=row.disabled,
        created_at=utc(row.created_at),
        version=row.version,
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user: User, password_hash: str | None) -> None:
        self.session.add(
            UserRow(
                id=user.id,
                email=user.email,
                password_hash=password_hash,
                role=str(user.role),
                locales=list(user.locales),
                disabled=user.disabled,
                created_at=user.created_at,
                updated_at=user.created_at,
                version=user.version,
            )
        )
        await self.session.flush()

    async def get(self, user_id: str) -> User | None:
        row = await self.session.get(UserRow, user_id)
        return None if row is None else _to_domain(row)

    async def for_session(self, user_id: str) -> tuple[User, int] | None:
        """The user and their session epoch (read on every session request)."""
        row = await self.session.get(UserRow, user_id)
        return None if row is None else (_to_domain(row), row.session_epoch)

    async def end_sessions(self, user_id: str) -> int:
        """Move the user's session epoch on (every session made before is
        over from now on); the new epoch."""
        await self.session.execute(
            sa.update(UserRow)
            .where(col(UserRow.id) == user_id)
            .values(session_epoch=col(UserRow.session_epoch) + 1)
        )
        result = await self.session.execute(
            sa.select(col(UserRow.session_epoch)).where(col(UserRow.id) == user_id)
        )
        return int(result.scalar_one_or_none() or 0)

    async def by_email(self, email: str) -> tuple[User, str | None] | None:
        """The user with this (normalised) email and their password hash."""
        result = await self.session.execute(
            sa.select(UserRow).where(col(UserRow.email) == email)
        )
        row = result.scalar_one_or_none()
        return None if row is None else (_to_domain(row), row.password_hash)

    async def email_taken(self, email: str) -> bool:
        result = await self.session.execute(
            sa.select(col(UserRow.id)).where(col(UserRow.email) == email)
        )
        return result.first() is not None

    async def all(self) -> list[User]:
        rows = await self.session.execute(
            sa.select(UserRow).order_by(col(UserRow.email))
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def count(self) -> int:
        result = await self.session.execute(sa.select(sa.func.count(col(UserRow.id))))
        return int(result.scalar_one())

    async def update(self, user: User, *, expected_version: int, at: datetime) -> bool:
        """Write role, locales and disabled; ``user.version`` is the new one.
        False when the stored version is no longer ``expected_version``."""
        result = await self.session.execute(
            sa.update(UserRow)
            .where(
                col(UserRow.id) == user.id,
                col(UserRow.version) == expected_version,
            )
            .values(
                role=str(user.role),
                locales=list(user.locales),
                disabled=user.disabled,
                version=user.version,
                updated_at=at,
            )
        )
        return affected(result)

    async def set_password_hash(self, user_id: str, password_hash: str) -> bool:
        """Store a new hash (a password change or a rehash at sign-in); the
        version does not change: it guards role and locale edits."""
        result = await self.session.execute(
            sa.update(UserRow)
            .where(col(UserRow.id) == user_id)
            .values(password_hash=password_hash)
        )
        return affected(result)

    async def delete(self, user_id: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(UserRow).where(
                col(UserRow.id) == user_id, col(UserRow.version) == expected_version
            )
        )
        return affected(result)
