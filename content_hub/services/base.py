"""What every service is built with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.errors import (
    BadRequest,
    PreconditionFailed,
    PreconditionRequired,
)
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


class UnreadableVersion(int):
    """An If-Match value that is not an ETag of this API (``abc``, ``"1.5"``).

    The header is parsed before the service has read the resource, so the
    parser cannot yet say which version to send. It hands this marker on
    instead (an ``int``, so every ``expected: int | None`` signature takes
    it unchanged) and :func:`require_version` refuses it with a 400 that
    names the resource's current version and ETag.
    """

    raw: str

    def __new__(cls, raw: str) -> UnreadableVersion:
        marker = super().__new__(cls, -1)
        marker.raw = raw
        return marker


def require_version(expected: int | None, current: int, what: str) -> int:
    """The If-Match check: missing is 428, unreadable 400, stale 412 (nothing
    is written)."""
    if isinstance(expected, UnreadableVersion):
        shown = expected.raw if len(expected.raw) <= 60 else expected.raw[:60] + "..."
        raise BadRequest(
            "If-Match must be an ETag this API returned: the version number in "
            f"double quotes (W/ allowed). The {what} is at version {current}, so "
            f"""If-Match: "{current}" changes that version; got {shown!r}.""",
            extra={"current_version": current, "etag": f'"{current}"'},
        )
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
