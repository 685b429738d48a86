"""Who is signed in, as the Studio's pages need it.

The accounts, sessions and CSRF tokens themselves live in
``content_hub/studio/auth.py`` and ``sessions.py``; pages reach them only
through this module (``csrf``) and the ``studio_principal`` dependency
(``auth.py`` provides it, at the app), so the pages do not care how a
session is kept. The role helpers only decide
what a page *offers*: the services enforce the same rules.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from content_hub.domain.keys import Principal, Scope
from content_hub.studio.sessions import csrf_token

PUBLISHERS = frozenset({"admin", "editor", "reviewer"})
WRITERS = frozenset({"admin", "editor", "translator"})


def csrf(request: Request[Any, Any, Any]) -> str:
    """The session's CSRF token, which forms post as ``_csrf`` (and htmx sends
    as ``X-CSRF-Token``)."""
    return csrf_token(request)


def role(principal: Principal) -> str:
    """The user's role (``admin``, ``editor``, ``translator``, ``reviewer``,
    ``viewer``); a principal without one (an API key) maps from its scopes."""
    if principal.role is not None:
        return principal.role.value
    if principal.has(Scope.ADMIN):
        return "admin"
    return "editor" if principal.has(Scope.MANAGE) else "viewer"


def locales(principal: Principal) -> frozenset[str] | None:
    """The locales a translator may edit (``None``: any)."""
    return principal.locales if role(principal) == "translator" else None


def can_publish(principal: Principal) -> bool:
    return role(principal) in PUBLISHERS


def can_edit(principal: Principal, locale: str | None = None) -> bool:
    """May write content (a translator only the localised fields of their
    locales: ``locale`` is the one in question, ``None`` for unlocalised)."""
    kind = role(principal)
    if kind != "translator":
        return kind in WRITERS
    allowed = locales(principal)
    return locale is not None and (allowed is None or locale in allowed)
