"""What the admin screens share: a refused action shows its page again with
the problem (the unit of work rolled back), and forms read as lists."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.studio.views import problem_of

ShowPage = Callable[..., Awaitable[Response[str]]]

_SEPARATORS = re.compile(r"[\s,]+")


def codes(text: str) -> list[str]:
    """Locale codes typed into one input, separated by commas or spaces."""
    return [c for c in _SEPARATORS.split(text.strip()) if c]


def one_time_password() -> str:
    """A password for an account an admin makes or resets, shown once: 20
    random URL-safe characters (the minimum length is 12)."""
    return secrets.token_urlsafe(15)


async def refused(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    exc: HubError,
    show: ShowPage,
    **context: Any,
) -> Response[str]:
    """The page again with the problem, at the problem's status. A refusal
    of the page itself (a non-admin) propagates: the Studio's 403 page."""
    await deps.session.rollback()
    return await show(
        request,
        deps,
        principal,
        problem=problem_of(exc),
        status=exc.status,
        **context,
    )
