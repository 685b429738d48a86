"""Signing in and out of the Studio, and who is signed in.

* ``POST /studio/sign-in``: a form (``email``, ``password``, ``next``) answers
  303 to ``next`` when it is a Studio path (else ``/studio``), or on failure
  303 to ``/studio/sign-in?error=credentials|throttled&next=...`` (the sign-in
  page shows the message); JSON (``{"email", "password"}``) answers 200
  ``{"user", "csrf_token"}``, 401 ``invalid-credentials`` or 429.
* ``POST /studio/sign-out`` (CSRF-checked when signed in): ends the session,
  303 to ``/studio/sign-in``.
* ``studio_principal``: the dependency key of :func:`provide_studio_principal`
  (the signed-in user's :class:`Principal`, or :class:`SignInRequired`).
* :class:`SignInRequired` answers an HTML ``GET`` with a 303 to the sign-in
  page (``?next=`` the page asked for), a browser's form post (its session
  expired meanwhile) with a 303 to the sign-in page (``?next=`` the page it
  was posted from), an htmx request with 401 and ``HX-Redirect``, anything
  else with a 401 problem; :func:`require_sign_in`
  is the same check as a Litestar guard (``opt={"public": True}`` exempts a
  route).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import Request, Response, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import QueryParameter
from litestar.response import Redirect

from content_hub.api.bodies import json_media
from content_hub.api.problems import hub_error_handler
from content_hub.domain.errors import (
    FieldError,
    InvalidCredentials,
    NotAuthenticated,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.rate_limits import TooManyRequests
from content_hub.domain.users import SignIn, User
from content_hub.services.base import Deps
from content_hub.services.sign_in import SignInThrottle, authenticate, signed_out
from content_hub.studio.sessions import (
    FORMS,
    csrf_token,
    end_session,
    start_session,
)

SIGN_IN_PATH = "/studio/sign-in"
HOME = "/studio"


class SignInRequired(NotAuthenticated):
    """A Studio page or action without a signed-in session."""

    type_slug = "sign-in-required"
    title = "Sign in to the Studio"


class SignedIn(msgspec.Struct, kw_only=True):
    """A JSON sign-in's answer: who, and the token for state-changing calls."""

    user: User
    csrf_token: str


def safe_next(value: object) -> str:
    """``value`` when it is a path inside the Studio, else ``/studio`` (an
    open redirect to another site is never followed)."""
    if not isinstance(value, str) or "\\" in value or len(value) > 2000:
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return HOME
    if parts.path != HOME and not parts.path.startswith(HOME + "/"):
        return HOME
    return value


def sign_in_url(next_path: str | None = None, error: str | None = None) -> str:
    query = {k: v for k, v in (("error", error), ("next", next_path)) if v}
    return SIGN_IN_PATH + ("?" + urlencode(query) if query else "")


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@post(
    SIGN_IN_PATH,
    summary="Sign in to the Studio (form or JSON)",
    tags=["studio"],
    status_code=200,
)
async def sign_in(
    request: Request[Any, Any, Any],
    deps: NamedDependency[Deps],
    studio_throttle: NamedDependency[SignInThrottle],
    next_path: Annotated[str | None, QueryParameter(name="next")] = None,
) -> Response[Any]:
    address = _address(request)
    if request.content_type[0] in FORMS:
        form = await request.form()
        target = safe_next(form.get("next") or next_path)
        try:
            user = await authenticate(
                deps,
                _text(form, "email"),
                _text(form, "password"),
                address=address,
                throttle=studio_throttle,
            )
        except InvalidCredentials:
            return Redirect(sign_in_url(target, "credentials"), status_code=303)
        except TooManyRequests:
            return Redirect(sign_in_url(target, "throttled"), status_code=303)
        start_session(request, user)
        return Redirect(target, status_code=303)
    json_media(request.headers.get("content-type"), "POST")
    try:  # the app's JSON rules (depth, UTF-8) apply: api/bodies.py
        data = msgspec.convert(await request.json(), SignIn)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(
            str(exc), errors=[FieldError(loc=[], msg=str(exc))]
        ) from exc
    user = await authenticate(
        deps, data.email, data.password, address=address, throttle=studio_throttle
    )
    start_session(request, user)
    return Response(SignedIn(user=user, csrf_token=csrf_token(request)))


@post("/studio/sign-out", summary="Sign out of the Studio", tags=["studio"])
async def sign_out(
    request: Request[Any, Any, Any], deps: NamedDependency[Deps]
) -> Redirect:
    principal = request.scope.get("user")
    if isinstance(principal, Principal) and principal.user_id:
        await signed_out(deps, principal.user_id, principal.name)
    end_session(request)
    return Redirect(SIGN_IN_PATH, status_code=303)


def session_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The signed-in user's principal, or :class:`SignInRequired`."""
    principal = connection.scope.get("user")
    if isinstance(principal, Principal) and principal.user_id:
        return principal
    raise SignInRequired("Sign in to the Studio to continue.")


async def provide_studio_principal(request: Request[Any, Any, Any]) -> Principal:
    """The ``studio_principal`` dependency."""
    return session_principal(request)


def require_sign_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A Litestar guard: the route needs a signed-in user unless its
    ``opt`` says ``public``."""
    if not handler.opt.get("public"):
        session_principal(connection)


def wants_html(request: Request[Any, Any, Any]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    best = request.accept.best_match(
        ["application/json", "application/problem+json", "text/html"],
        default="application/json",
    )
    return best == "text/html"


def _form_post(request: Request[Any, Any, Any]) -> bool:
    """A browser's form post (a page's form, not a program's call)."""
    return (
        request.method == "POST"
        and request.content_type[0] in FORMS
        and request.accept.best_match(
            ["application/json", "application/problem+json", "text/html"],
            default="application/json",
        )
        == "text/html"
    )


def _came_from(request: Request[Any, Any, Any]) -> str | None:
    """The Studio page a form was posted from (its ``Referer``, on this
    host): where the user is sent back after signing in again."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.headers.get("host") or not referer.path:
        return None
    here = referer.path + (f"?{referer.query}" if referer.query else "")
    return here if safe_next(here) == here else None


def sign_in_required_handler(
    request: Request[Any, Any, Any], exc: SignInRequired
) -> Response[Any]:
    """HTML pages redirect to the sign-in page; so does a form posted after
    the session ended (nothing is done; ``next`` is the page it was posted
    from, so signing in again lands there); API clients get a problem."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = sign_in_url(safe_next(here) if here.startswith(HOME) else None)
    if request.headers.get("hx-request") == "true":
        exc.headers = {**exc.headers, "HX-Redirect": target}
    elif wants_html(request):
        return Redirect(target, status_code=303)
    elif _form_post(request):
        return Redirect(sign_in_url(_came_from(request)), status_code=303)
    return hub_error_handler(request, exc)


STUDIO_AUTH_ROUTES: list[Any] = [sign_in, sign_out]
STUDIO_AUTH_DEPENDENCIES = {"studio_principal": Provide(provide_studio_principal)}
STUDIO_AUTH_EXCEPTION_HANDLERS: dict[Any, Any] = {
    SignInRequired: sign_in_required_handler
}
