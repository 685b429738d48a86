"""Validation of entry field values against their content type.

Errors carry JSON paths (``["fields", "title", "de"]``) so an editor UI can
point at the offending input. Rich text is sanitised here, on write.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import nh3

from content_hub.domain.content_types import ContentType, FieldDef, FieldType
from content_hub.domain.errors import FieldError
from content_hub.domain.patterns import PatternRefused, compile_pattern

Loc = list[str | int]
_REF_KINDS = {"entry", "media"}
MAX_TEXT = 200_000


def validate_fields(
    ctype: ContentType,
    fields: dict[str, Any],
    *,
    locales: frozenset[str],
    default_locale: str,
    require: bool,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Check and normalise ``fields``; return (clean values, errors).

    ``require`` enforces required fields (publishing does; saving a draft
    does not, so editors can save incomplete work).
    """
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    defs = {f.key: f for f in ctype.fields}
    for key in fields:
        if key not in defs:
            errors.append(
                FieldError(
                    loc=["fields", key], msg="unknown field", type="unknown_field"
                )
            )
    for key, fdef in defs.items():
        loc: Loc = ["fields", key]
        raw = fields.get(key)
        if raw is None:
            if require and fdef.required:
                errors.append(
                    FieldError(loc=loc, msg="field is required", type="required")
                )
            continue
        if fdef.localized:
            if not isinstance(raw, dict):
                errors.append(
                    FieldError(
                        loc=loc,
                        msg="localised field expects an object of locale -> value",
                        type="type",
                    )
                )
                continue
            per_locale: dict[str, Any] = {}
            for code, value in raw.items():
                if code not in locales:
                    errors.append(
                        FieldError(
                            loc=[*loc, code],
                            msg="locale is not configured",
                            type="unknown_locale",
                        )
                    )
                    continue
                if value is None:
                    continue
                per_locale[code] = _check_value(fdef, value, [*loc, code], errors)
            if require and fdef.required and per_locale.get(default_locale) is None:
                errors.append(
                    FieldError(
                        loc=[*loc, default_locale],
                        msg="required in the default locale",
                        type="required",
                    )
                )
            clean[key] = per_locale
        else:
            clean[key] = _check_value(fdef, raw, loc, errors)
    return clean, errors


def _check_value(fdef: FieldDef, value: Any, loc: Loc, errors: list[FieldError]) -> Any:
    def fail(msg: str, kind: str = "type") -> None:
        errors.append(FieldError(loc=loc, msg=msg, type=kind))

    t = fdef.type
    if t in (FieldType.TEXT, FieldType.MARKDOWN, FieldType.RICH_TEXT, FieldType.URL):
        if not isinstance(value, str):
            fail("expected a string")
            return value
        if len(value) > MAX_TEXT:
            fail(f"longer than {MAX_TEXT} characters", "length")
            return value
        if t is FieldType.RICH_TEXT:
            value = nh3.clean(value)
        if t is FieldType.URL and not _is_url(value):
            fail("expected an absolute http(s) URL", "url")
        _check_text_rules(fdef, value, loc, errors)
        return value
    if t is FieldType.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            fail("expected a finite number")
            return value
        v = fdef.validations
        if v.min is not None and value < v.min:
            fail(f"must be at least {v.min:g}", "range")
        if v.max is not None and value > v.max:
            fail(f"must be at most {v.max:g}", "range")
        if v.enum is not None and value not in v.enum:
            fail("not one of the allowed values", "enum")
        return value
    if t is FieldType.BOOLEAN:
        if not isinstance(value, bool):
            fail("expected true or false")
        return value
    if t is FieldType.DATE:
        try:
            return (
                date.fromisoformat(value).isoformat()
                if isinstance(value, str)
                else fail("expected a date (YYYY-MM-DD)")
            )
        except ValueError:
            fail("expected a date (YYYY-MM-DD)")
            return value
    if t is FieldType.DATETIME:
        return _check_datetime(value, fail)
    if t in (FieldType.MEDIA, FieldType.ENTRY):
        kind = "media" if t is FieldType.MEDIA else "entry"
        return _check_ref(value, loc, errors, only=kind)
    if t is FieldType.REFERENCES:
        if not isinstance(value, list):
            fail("expected a list of references")
            return value
        v = fdef.validations
        if v.min_length is not None and len(value) < v.min_length:
            fail(f"needs at least {v.min_length} references", "length")
        if v.max_length is not None and len(value) > v.max_length:
            fail(f"allows at most {v.max_length} references", "length")
        return [
            _check_ref(item, [*loc, i], errors, only=None)
            for i, item in enumerate(value)
        ]
    return value  # json: any JSON value


def _check_text_rules(
    fdef: FieldDef, value: str, loc: Loc, errors: list[FieldError]
) -> None:
    v = fdef.validations
    if v.min_length is not None and len(value) < v.min_length:
        errors.append(
            FieldError(
                loc=loc, msg=f"shorter than {v.min_length} characters", type="length"
            )
        )
    if v.max_length is not None and len(value) > v.max_length:
        errors.append(
            FieldError(
                loc=loc, msg=f"longer than {v.max_length} characters", type="length"
            )
        )
    if v.pattern is not None:
        try:
            matches = compile_pattern(v.pattern).matches(value)
        except PatternRefused as exc:  # saved before patterns ran on RE2
            errors.append(
                FieldError(
                    loc=loc,
                    msg=f"the content type's pattern cannot be checked ({exc}); "
                    "change the pattern first",
                    type="pattern",
                )
            )
        else:
            if not matches:
                errors.append(
                    FieldError(
                        loc=loc,
                        msg="does not match the required pattern",
                        type="pattern",
                    )
                )
    if v.enum is not None and value not in v.enum:
        errors.append(
            FieldError(loc=loc, msg="not one of the allowed values", type="enum")
        )


def _check_datetime(value: Any, fail: Any) -> Any:
    if not isinstance(value, str):
        fail("expected an ISO 8601 datetime with a time zone")
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail("expected an ISO 8601 datetime with a time zone")
        return value
    if parsed.tzinfo is None:
        fail("datetime needs a time zone offset")
        return value
    return parsed.isoformat()


def _check_ref(
    value: Any, loc: Loc, errors: list[FieldError], *, only: str | None
) -> Any:
    if (
        not isinstance(value, dict)
        or set(value) != {"type", "id"}
        or not isinstance(value.get("type"), str)
        or value["type"] not in _REF_KINDS
        or not isinstance(value.get("id"), str)
        or not 0 < len(value["id"]) <= 64
    ):
        shape = (
            f'{{"type": "{only}", "id": "..."}}'
            if only
            else '{"type": "entry"|"media", "id": "..."}'
        )
        errors.append(
            FieldError(loc=loc, msg=f"expected a reference {shape}", type="reference")
        )
        return value
    if only is not None and value["type"] != only:
        errors.append(
            FieldError(
                loc=[*loc, "type"],
                msg=f"expected a reference to {only}",
                type="reference",
            )
        )
    return value


def _is_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def entry_references(
    ctype: ContentType, fields: dict[str, Any]
) -> list[tuple[Loc, dict[str, str]]]:
    """Every entry reference in ``fields`` with its path, for existence checks."""
    found: list[tuple[Loc, dict[str, str]]] = []
    for fdef in ctype.fields:
        if fdef.type not in (FieldType.ENTRY, FieldType.REFERENCES):
            continue
        raw = fields.get(fdef.key)
        values: list[tuple[Loc, Any]] = (
            [(["fields", fdef.key, code], v) for code, v in raw.items()]
            if fdef.localized and isinstance(raw, dict)
            else [(["fields", fdef.key], raw)]
        )
        for loc, value in values:
            items = (
                list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            )
            for index, item in items:
                if isinstance(item, dict) and item.get("type") == "entry":
                    found.append(([*loc, index] if index is not None else loc, item))
    return found
