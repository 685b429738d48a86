"""The one place errors become RFC 9457 problem documents."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import IntegrityError, OperationalError

from content_hub.api.validation import field_errors, msgspec_error
from content_hub.domain.errors import PROBLEM_BASE, FieldError, HubError
from content_hub.search import SearchError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
    extra: dict[str, Any] = {}


def problem_response(
    request: Request[Any, Any, Any] | None,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    if errors:
        body["errors"] = msgspec.to_builtins(errors)
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    return Response(
        content=msgspec.json.encode(body),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def problem_body(exc: Exception) -> dict[str, Any]:
    """The problem document of an error, as a dict (batch lines embed it)."""
    if isinstance(exc, HubError):
        body: dict[str, Any] = {
            "type": exc.type_uri,
            "title": exc.title,
            "status": exc.status,
            "detail": exc.detail,
        }
        if exc.errors:
            body["errors"] = msgspec.to_builtins(exc.errors)
        body.update({k: v for k, v in exc.extra.items() if k not in body})
        return body
    if isinstance(exc, msgspec.ValidationError | msgspec.DecodeError):
        error = msgspec_error(exc, "line")
        return {
            "type": PROBLEM_BASE + "invalid-request",
            "title": "The request is malformed",
            "status": 400,
            "detail": error.msg,
            "errors": [msgspec.to_builtins(error)],
        }
    log.exception("unexpected error in a batch line", exc_info=exc)
    return {
        "type": PROBLEM_BASE + "internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": "This line failed; the error has been logged.",
    }


def hub_error_handler(
    request: Request[Any, Any, Any], exc: HubError
) -> Response[bytes]:
    return problem_response(
        request,
        status=exc.status,
        slug=exc.type_slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        extra=exc.extra,
        headers=exc.headers,
    )


def search_error_handler(
    request: Request[Any, Any, Any], exc: SearchError
) -> Response[bytes]:
    if exc.status >= 500:
        log.warning("search engine failure: %s", exc.detail)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.type_slug,
        title=exc.title,
        detail=exc.detail,
        headers={"Retry-After": "5"} if exc.status == 503 else None,
    )


def validation_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[bytes]:
    """Invalid parameters or body: every failure with its ``loc`` (where the
    value travels, its public name, the JSON path) and a human ``msg``."""
    errors = field_errors(request, exc)
    return problem_response(
        request,
        status=400,
        slug="invalid-request",
        title="The request is malformed",
        detail=f"{len(errors)} problem(s) with the request: {errors[0].msg}",
        errors=errors,
    )


def http_error_handler(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[bytes]:
    status = exc.status_code
    slug = {
        400: "invalid-request",
        401: "not-authenticated",
        403: "forbidden",
        404: "not-found",
        405: "method-not-allowed",
        413: "body-too-large",
        415: "unsupported-media-type",
        429: "too-many-requests",
    }.get(status, "http-error" if status < 500 else "server-error")
    headers = dict(exc.headers or {})
    return problem_response(
        request,
        status=status,
        slug=slug,
        title=_phrase(status),
        detail=str(exc.detail),
        headers=headers,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


def integrity_handler(
    request: Request[Any, Any, Any], exc: IntegrityError
) -> Response[bytes]:
    log.info("integrity error turned into 409: %s", exc.orig)
    return problem_response(
        request,
        status=409,
        slug="conflict",
        title="Conflict",
        detail="The change conflicts with one made at the same time; re-read, retry.",
    )


def unavailable_handler(
    request: Request[Any, Any, Any], exc: OperationalError
) -> Response[bytes]:
    log.warning("database unavailable: %s", exc.orig)
    return problem_response(
        request,
        status=503,
        slug="store-unavailable",
        title="The content store is busy or unreachable",
        detail="Retry the request shortly.",
        headers={"Retry-After": "1"},
    )


def internal_handler(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[bytes]:
    log.exception(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return problem_response(
        request,
        status=500,
        slug="internal-error",
        title="Internal error",
        detail="The hub failed to handle this request; it has been logged.",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HubError: hub_error_handler,
    SearchError: search_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_error_handler,
    IntegrityError: integrity_handler,
    OperationalError: unavailable_handler,
    Exception: internal_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "Problem", "problem_response"]
