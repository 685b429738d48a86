"""Domain errors: one base, one subclass per failure, each with an explicit 4xx.

The API maps every :class:`HubError` to an RFC 9457 problem document in one
place (``content_hub.api.problems``); services and repositories only raise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import msgspec

PROBLEM_BASE = "https://content-hub.dev/problems/"


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One validation failure: where (a JSON path as a list), what, and its kind."""

    loc: list[str | int]
    msg: str
    type: str = "invalid"


class HubError(Exception):
    """Base of every failure the hub reports to a caller."""

    status: ClassVar[int] = 400
    type_slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        extra: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.extra = extra or {}
        self.headers = headers or {}

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.type_slug


class ValidationFailed(HubError):
    status = 422
    type_slug = "validation-failed"
    title = "Validation failed"


class BadRequest(HubError):
    status = 400
    type_slug = "bad-request"
    title = "Bad request"


class UnknownQueryParameter(HubError):
    status = 400
    type_slug = "unknown-query-parameter"
    title = "Unknown query parameter"


class NotAuthenticated(HubError):
    status = 401
    type_slug = "not-authenticated"
    title = "Missing or invalid API key"


class Forbidden(HubError):
    status = 403
    type_slug = "forbidden"
    title = "The API key lacks the required scope"


class NotFound(HubError):
    status = 404
    type_slug = "not-found"
    title = "Not found"


class Conflict(HubError):
    status = 409
    type_slug = "conflict"
    title = "Conflict"


class PreconditionFailed(HubError):
    status = 412
    type_slug = "version-mismatch"
    title = "The resource changed since you read it"


class PreconditionRequired(HubError):
    status = 428
    type_slug = "version-required"
    title = "If-Match with the current version is required"


class LocaleNotConfigured(HubError):
    status = 400
    type_slug = "locale-not-configured"
    title = "The requested locale is not configured"


class NulCharacter(HubError):
    """PostgreSQL can store no NUL (U+0000) in text or JSON, so the hub takes
    none from anyone, on any backend: a lookup or write with one is a 400."""

    status = 400
    type_slug = "nul-character"
    title = "Text may not contain NUL characters"


class InvalidCredentials(NotAuthenticated):
    """A failed sign-in: one message whether the email exists or not."""

    type_slug = "invalid-credentials"
    title = "Wrong email or password"


class CsrfFailed(Forbidden):
    """A state-changing request on a session cookie without the session's
    CSRF token (``X-CSRF-Token`` header or ``_csrf`` form field)."""

    type_slug = "csrf-failed"
    title = "Missing or wrong CSRF token"


class SessionStoreUnavailable(HubError):
    """The Studio's session store (Redis, or the database) failed or did not
    answer within its timeout: the request cannot know who is signed in, or
    cannot keep the session it changed. Nothing was kept; retry shortly."""

    status = 503
    type_slug = "session-store-unavailable"
    title = "The session store is unreachable"

    def __init__(self, detail: str = "Retry the request shortly.") -> None:
        super().__init__(detail, headers={"Retry-After": "1"})
