"""Who is signed in, as the Studio's pages need it.

The accounts, sessions and CSRF tokens themselves live in
``content_hub/studio/auth.py`` and ``sessions.py``; pages reach them only
through this module (``csrf``) and the ``studio_principal`` dependency, so
the pages do not care how a session is kept. The role helpers only decide
what a page *offers*: the services enforce the same rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal, Scope

PUBLISHERS = frozenset({"admin", "editor", "reviewer"})
WRITERS = frozenset({"admin", "editor", "translator"})


class SignInRequired(HubError):
    """No signed-in user: pages answer with a redirect to the sign-in page."""

    status = 401
    type_slug = "sign-in-required"
    title = "Sign in to use the Studio"


def signed_in(request: Request[Any, Any, Any]) -> Principal:
    """The ``studio_principal`` until the session layer provides it: the
    principal the request was authenticated as, else :class:`SignInRequired`."""
    user = request.scope.get("user")
    if isinstance(user, Principal):
        return user
    raise SignInRequired("Sign in to continue.")


def csrf(request: Request[Any, Any, Any]) -> str:
    """The CSRF token forms post as ``_csrf`` (and htmx as ``X-CSRF-Token``)."""
    token = request.scope.get("studio_csrf")  # set by the session layer, if any
    return token if isinstance(token, str) else ""


def role(principal: Principal) -> str:
    """The user's role (``admin``, ``editor``, ``translator``, ``reviewer``,
    ``viewer``); a principal without one (an API key) maps from its scopes."""
    given = getattr(principal, "role", None)
    if given:
        return str(getattr(given, "value", given))
    if principal.has(Scope.ADMIN):
        return "admin"
    return "editor" if principal.has(Scope.MANAGE) else "viewer"


def locales(principal: Principal) -> frozenset[str] | None:
    """The locales a translator may edit (``None``: any)."""
    given = getattr(principal, "locales", None)
    if role(principal) != "translator" or given is None:
        return None
    return frozenset(str(code) for code in given)


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


def sign_in_url(next_path: str, error: str | None = None) -> str:
    query = f"next={quote(next_path, safe='/')}"
    return f"/studio/sign-in?{query}" + (f"&error={error}" if error else "")
