"""Repository of the hub's own named secrets (table ``hub_secret``): random
values made once, by whichever worker or host asks first, and then read by
all of them (preview-link signing, the webhook secrets' key when
``CONTENT_HUB_SECRET_KEY`` is unset)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.store.tables_preview import HubSecretRow


def _random() -> str:
    return secrets.token_urlsafe(32)


class HubSecretRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def secret(self, name: str, make: Callable[[], str] = _random) -> str:
        """The named secret, made by ``make`` (256 random bits by default) on
        first use; a worker that loses the race to make it reads the winner's."""
        row = await self.session.get(HubSecretRow, name)
        if row is not None:
            return row.value
        value = make()
        try:
            async with self.session.begin_nested():
                self.session.add(HubSecretRow(name=name, value=value))
        except IntegrityError:
            row = await self.session.get(HubSecretRow, name, populate_existing=True)
            assert row is not None
            return row.value
        return value
