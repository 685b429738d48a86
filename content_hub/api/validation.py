"""Litestar's validation failures as stable, human ``errors: [{loc, msg, type}]``.

Litestar reports a failed parameter or body as ``{"message", "key",
"source"}`` items whose parts are internal: ``source`` is an enum
(``ParamType.QUERY`` once turned into text), ``key`` is the handler's Python
argument name (``type_key``, ``accept_language``) rather than the name the
caller sent (``type``, ``Accept-Language``), a missing body is the ``str`` of
a ``KeyError`` (``'data'``), and a missing parameter comes as one sentence
with no items at all. :func:`field_errors` turns every one of those shapes
into the one the API documents:

* ``loc`` starts with where the value travels — ``"body"``, ``"query"``,
  ``"header"``, ``"path"`` or ``"cookie"`` — followed by the public name and,
  inside a body, the JSON path (``["body", "fields", 0]``, ``["query",
  "locale"]``, ``["header", "If-Match"]``);
* ``msg`` says what is wrong in words (``"The request body is required ..."``,
  ``"Expected `int`, got `str`"``, ``"Missing required query parameter
  'channel'"``); ``type`` is ``missing`` or ``invalid``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from litestar import Request
from litestar.exceptions import ValidationException
from litestar.params import ParameterKwarg

from content_hub.domain.errors import FieldError

_PATH = re.compile(r"at `\$(?P<path>[^`]*)`")
_SEGMENT = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[['\"]?([^\]'\"]*)['\"]?\]")
_MISSING = re.compile(r"^Missing required (?P<source>\w+) parameter '(?P<name>[^']*)'")
_KEY_ERROR = re.compile(r"^'(?P<name>[^']*)'$")
BODY_REQUIRED = (
    "The request body is required and was empty: send a JSON document "
    "(Content-Type: application/json)."
)


def field_errors(
    request: Request[Any, Any, Any], exc: ValidationException
) -> list[FieldError]:
    """The errors of a Litestar validation failure, with human locations."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [_item_error(request, item) for item in extra if isinstance(item, dict)]
    if errors:
        return errors
    detail = str(exc.detail)
    missing = _MISSING.match(detail)
    if missing:
        return [
            FieldError(
                loc=[missing["source"], missing["name"]],
                msg=missing.group(0),
                type="missing",
            )
        ]
    return [FieldError(loc=["request"], msg=detail, type="invalid")]


def msgspec_error(exc: Exception, root: str) -> FieldError:
    """A msgspec validation/decode error as a field error under ``root``
    (``["line", "customer", "id"]`` for a batch line)."""
    message = str(exc)
    return FieldError(
        loc=[root, *_body_loc(None, message)[1:]],
        msg=_PATH.sub("", message).rstrip(" -"),
        type="invalid",
    )


def _item_error(request: Request[Any, Any, Any], item: dict[str, Any]) -> FieldError:
    message = str(item.get("message", "invalid"))
    raw_key = item.get("key")
    key = str(raw_key) if raw_key else None
    source = _source(request, item.get("source"), key)
    missing = _KEY_ERROR.match(message)
    if source == "body":
        loc = _body_loc(key, message)
        if missing and key in (None, "data", missing["name"]):
            return FieldError(loc=["body"], msg=BODY_REQUIRED, type="missing")
    else:
        name = _public_name(request, key) if key else None
        loc = [source, name] if name else [source]
        if missing:
            return FieldError(loc=loc, msg=f"{name} is required", type="missing")
    return FieldError(loc=loc, msg=_PATH.sub("", message).rstrip(" -"), type="invalid")


def _source(request: Request[Any, Any, Any], source: Any, key: str | None) -> str:
    """``body``, ``query``, ``header``, ``path`` or ``cookie``: an enum's value,
    or the parameter's declared kind when Litestar did not say."""
    if isinstance(source, Enum):
        return str(source.value)
    if source:
        return str(source)
    kwarg = _kwarg(request, key) if key else None
    if isinstance(kwarg, ParameterKwarg):
        return str(kwarg.param_type.value)
    return "body" if key in (None, "data") else "request"


def _body_loc(key: str | None, message: str) -> list[str | int]:
    """``["body", ...]`` and the JSON path, from the message or the key."""
    loc: list[str | int] = ["body"]
    match = _PATH.search(message)
    path = match.group("path") if match else ""
    if key and key != "data" and not path:
        path = "." + key
    for name, index, quoted in _SEGMENT.findall(path):
        loc.append(int(index) if index else (name or quoted))
    return loc


def _kwarg(request: Request[Any, Any, Any], key: str) -> Any:
    try:
        parameters = request.route_handler.parsed_fn_signature.parameters
    except (AttributeError, KeyError):  # not routed (404/405): no signature
        return None
    field = parameters.get(key)
    return getattr(field, "kwarg_definition", None)


def _public_name(request: Request[Any, Any, Any], key: str) -> str:
    """The name the caller sent (``type``, ``Accept-Language``), not the
    handler's argument name (``type_key``, ``accept_language``)."""
    kwarg = _kwarg(request, key)
    if isinstance(kwarg, ParameterKwarg):
        return kwarg.name or key
    return key


__all__ = ["BODY_REQUIRED", "field_errors", "msgspec_error"]
