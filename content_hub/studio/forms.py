"""Entry forms: the input name of every field, and the form back into the
JSON the services take (the same values the API would be sent).

A localised field's input is ``f:<field>:<locale>``, an unlocalised one
``f:<field>``; a field the form did not show is left as it is. An empty input
removes the value (a localised field then falls back again).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec

from content_hub.domain.content_types import ContentType, FieldDef, FieldType
from content_hub.domain.errors import FieldError, ValidationFailed

T = TypeVar("T")

_INT = re.compile(r"^[+-]?\d{1,18}$")


class Form(msgspec.Struct, frozen=True):
    """A submitted form: each name's values in order (repeated for multi-selects)."""

    values: dict[str, list[str]]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, Any]]) -> Form:
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            if isinstance(value, str):
                values.setdefault(name, []).append(value)
        return cls(values)

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0] if found else default

    def getall(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def has(self, name: str) -> bool:
        return name in self.values


def datetime_input(form: Form, name: str) -> str | None:
    """A ``datetime-local`` input as ISO 8601 in UTC (the Studio shows times
    in UTC; no zone is typed), ``None`` when empty, a 422 at ``name`` when it
    is no date and time."""
    raw = form.get(name).strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=UTC).isoformat()
    except ValueError:
        raise ValidationFailed(
            f"{name} is not a date and time.",
            errors=[FieldError(loc=[name], msg="expected a date and time")],
        ) from None


def input_name(fdef: FieldDef, locale: str) -> str:
    return f"f:{fdef.key}:{locale}" if fdef.localized else f"f:{fdef.key}"


def shown(value: Any, fdef: FieldDef) -> str:
    """A stored value as the text of its input."""
    if value is None:
        return ""
    if fdef.type is FieldType.JSON:
        return json.dumps(value, ensure_ascii=False, indent=2)
    if fdef.type is FieldType.BOOLEAN:
        return "true" if value else "false"
    if fdef.type in (FieldType.MEDIA, FieldType.ENTRY) and isinstance(value, dict):
        return str(value.get("id", ""))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def selected_refs(value: Any) -> set[str]:
    """``type:id`` of each reference in a list-of-references value."""
    if not isinstance(value, list):
        return set()
    return {
        f"{ref.get('type')}:{ref.get('id')}" for ref in value if isinstance(ref, dict)
    }


def _parse(fdef: FieldDef, form: Form, name: str) -> tuple[Any, str | None]:
    """(value, error message) of one input; ``None`` removes the value."""
    if fdef.type is FieldType.REFERENCES:
        refs = []
        for item in form.getall(name):
            kind, _, ref_id = item.partition(":")
            if item:
                refs.append({"type": kind, "id": ref_id})
        return (refs or None), None
    raw = form.get(name).replace("\r\n", "\n")  # browsers send textareas with CRLF
    if fdef.type is not FieldType.RICH_TEXT:
        raw = raw.strip() if fdef.type is not FieldType.MARKDOWN else raw
    if raw == "":
        return None, None
    match fdef.type:
        case FieldType.NUMBER:
            try:
                return (int(raw) if _INT.match(raw) else float(raw)), None
            except ValueError:
                return raw, "expected a number"
        case FieldType.BOOLEAN:
            if raw not in ("true", "false"):
                return raw, "expected yes or no"
            return raw == "true", None
        case FieldType.MEDIA | FieldType.ENTRY:
            return {"type": fdef.type.value, "id": raw}, None
        case FieldType.JSON:
            try:
                return json.loads(raw), None
            except ValueError as exc:
                return raw, f"not valid JSON ({exc})"
        case _:
            return raw, None


def read_fields(
    ctype: ContentType, form: Form, locale: str
) -> tuple[dict[str, Any], dict[str, str], list[FieldError]]:
    """The ``fields`` of a PATCH from the form, the raw text of every input
    (to show again after an error) and the errors found before the services
    run (a number that is no number, JSON that does not parse)."""
    fields: dict[str, Any] = {}
    raw: dict[str, str] = {}
    errors: list[FieldError] = []
    for fdef in ctype.fields:
        name = input_name(fdef, locale)
        if not (form.has(name) or form.has(name + ":present")):
            continue
        raw[name] = "\n".join(form.getall(name))
        value, error = _parse(fdef, form, name)
        loc: list[str | int] = ["fields", fdef.key]
        if fdef.localized:
            loc.append(locale)
        if error is not None:
            errors.append(FieldError(loc=loc, msg=error, type="form"))
            continue
        fields[fdef.key] = {locale: value} if fdef.localized else value
    return fields, raw, errors


def errors_by_input(
    errors: Sequence[dict[str, Any]], ctype: ContentType, locale: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Problem ``errors[{loc, msg}]`` by the input they belong to, and the
    messages that belong to no input (shown at the top of the form)."""
    by_input: dict[str, list[str]] = {}
    other: list[str] = []
    for error in errors:
        loc = error["loc"]
        fdef = ctype.field(str(loc[1])) if len(loc) > 1 and loc[0] == "fields" else None
        if fdef is not None and (not fdef.localized or len(loc) > 2):
            code = str(loc[2]) if fdef.localized else locale
            if code == locale:
                by_input.setdefault(input_name(fdef, code), []).append(error["msg"])
            else:  # another locale's value: not on this form
                other.append(f"{fdef.name or fdef.key} ({code}): {error['msg']}")
        elif loc and loc[0] in ("key", "terms"):
            by_input.setdefault(str(loc[0]), []).append(error["msg"])
        else:
            where = ".".join(str(p) for p in loc)
            other.append(f"{where}: {error['msg']}" if where else error["msg"])
    return by_input, other


_PATH = re.compile(r"at `\$(?P<path>[^`]*)`")
_SEGMENT = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


def convert(data: dict[str, Any], kind: type[T]) -> T:
    """``data`` as the API's input Struct, checked by the same constraints
    (``msgspec.convert``); a failure is the API's 422 with the field path."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _PATH.search(text)
        loc: list[str | int] = []
        if found:
            for name, index in _SEGMENT.findall(found["path"]):
                loc.append(int(index) if index else name)
        msg = _PATH.sub("", text).rstrip(" -")
        raise ValidationFailed(
            f"The form is not valid: {msg}.",
            errors=[FieldError(loc=loc, msg=msg)],
        ) from exc


def changed_only(
    fields: dict[str, Any], ctype: ContentType, stored: dict[str, Any], locale: str
) -> dict[str, Any]:
    """The patch without the values that are already stored, so a save that
    leaves an input as it was writes nothing for it (an empty localised input
    of a field with no value does not become ``{}``)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        fdef = ctype.field(key)
        current = stored.get(key)
        if fdef is not None and fdef.localized:
            before = current.get(locale) if isinstance(current, dict) else None
            if value.get(locale) == before:
                continue
        elif value == current:
            continue
        out[key] = value
    return out
