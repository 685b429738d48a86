"""What every service is built with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.errors import PreconditionFailed, PreconditionRequired
from content_hub.domain.keys import Principal
from content_hub.settings import Settings
from content_hub.store.db import after_commit

Hook = Callable[[], Awaitable[None]]
T = TypeVar("T")
MEMO = "memo"


@dataclass(frozen=True, slots=True)
class Deps:
    """A request's (or CLI command's) session, actor and delivery-change hook."""

    session: AsyncSession
    actor: Principal
    settings: Settings
    on_delivery_change: Hook | None = None

    async def memo(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """Read-through cache for this unit of work (content types, locales),
        so a batch of entry writes does not re-read them for every entry."""
        cache: dict[Hashable, Any] = self.session.info.setdefault(MEMO, {})
        if key not in cache:
            cache[key] = await load()
        value: T = cache[key]
        return value

    def forget(self) -> None:
        """Drop the unit-of-work cache after locales or content types change."""
        self.session.info.pop(MEMO, None)

    def delivery_changed(self) -> None:
        """Ask for a snapshot refresh once the caller has committed."""
        if self.on_delivery_change is not None:
            after_commit(self.session, self.on_delivery_change)


def require_version(expected: int | None, current: int, what: str) -> int:
    """The If-Match check: missing is 428, stale is 412 (nothing is written)."""
    if expected is None:
        raise PreconditionRequired(
            f"Send If-Match with the {what}'s current version (ETag) to change it."
        )
    if expected != current:
        raise PreconditionFailed(
            f"The {what} is at version {current}, not {expected}; "
            "re-read it and retry.",
            extra={"current_version": current},
        )
    return expected


def stale(what: str) -> PreconditionFailed:
    return PreconditionFailed(
        f"The {what} changed while this request ran; re-read it and retry."
    )
