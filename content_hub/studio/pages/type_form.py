"""The content-type form: rows of field definitions as the page shows them,
and the form back into the JSON the API's ``POST``/``PUT`` take.

Field ``i`` posts ``field-<i>-key``, ``-name``, ``-type``, ``-localized``,
``-required``, ``-remove`` and one input per validation. A row without a key
is a blank "new field" row and is left out; a row marked ``remove`` is
dropped (the service then reports whether entries break). Changing a key is
what the API makes of it: the old field removed and a new one added.
Migration defaults post as ``default-<field>`` and are parsed as the field's
type, like the entry editor's inputs.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import msgspec

from content_hub.domain.content_types import FieldDef, FieldType
from content_hub.domain.errors import FieldError
from content_hub.studio.forms import Form

FIELD_TYPES = [t.value for t in FieldType]
NUMBERS = ("min_length", "max_length", "min", "max")
_INT = re.compile(r"^[+-]?\d{1,18}$")
MAX_ROWS = 200


class FieldRow(msgspec.Struct, kw_only=True):
    """One field's inputs, as text (what the user typed stays on the page)."""

    index: int
    key: str = ""
    name: str = ""
    type: str = "text"
    localized: bool = False
    required: bool = False
    remove: bool = False
    min_length: str = ""
    max_length: str = ""
    pattern: str = ""
    enum: str = ""
    min: str = ""
    max: str = ""
    allowed_types: list[str] = []
    original: str = ""
    """The key the field had when the form was shown ('' for a new row)."""


def _text(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_of(index: int, fdef: FieldDef) -> FieldRow:
    v = fdef.validations
    return FieldRow(
        index=index,
        key=fdef.key,
        name=fdef.name,
        type=fdef.type.value,
        localized=fdef.localized,
        required=fdef.required,
        min_length=_text(v.min_length),
        max_length=_text(v.max_length),
        pattern=v.pattern or "",
        enum="\n".join(str(x) for x in v.enum or []),
        min=_text(v.min),
        max=_text(v.max),
        allowed_types=list(v.allowed_types or []),
        original=fdef.key,
    )


def rows_of(form: Form) -> list[FieldRow]:
    """The rows the form posted, in order (``field_count`` says how many)."""
    raw = form.get("field_count")
    count = min(int(raw), MAX_ROWS) if raw.isdigit() and len(raw) < 4 else 0
    rows = []
    for i in range(count):
        p = f"field-{i}-"
        rows.append(
            FieldRow(
                index=i,
                key=form.get(p + "key").strip(),
                name=form.get(p + "name").strip(),
                type=form.get(p + "type", "text"),
                localized=form.has(p + "localized"),
                required=form.has(p + "required"),
                remove=form.has(p + "remove"),
                min_length=form.get(p + "min_length").strip(),
                max_length=form.get(p + "max_length").strip(),
                pattern=form.get(p + "pattern"),
                enum=form.get(p + "enum").replace("\r\n", "\n"),
                min=form.get(p + "min").strip(),
                max=form.get(p + "max").strip(),
                allowed_types=[
                    t.strip()
                    for t in form.get(p + "allowed_types").split(",")
                    if t.strip()
                ],
                original=form.get(p + "original"),
            )
        )
    return rows


def _number(raw: str, integer: bool) -> int | float:
    if _INT.match(raw):
        return int(raw)
    if integer:
        raise ValueError(raw)
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _enum(row: FieldRow) -> list[str | int | float]:
    items = [line.strip() for line in row.enum.split("\n") if line.strip()]
    if row.type == FieldType.NUMBER.value:
        return [_number(item, integer=False) for item in items]
    return list(items)


def field_json(row: FieldRow, errors: list[FieldError]) -> dict[str, Any]:
    """One row as a field definition of the API's body; inputs that do not
    parse (a length that is no number) add to ``errors``."""
    validations: dict[str, Any] = {}
    for name in NUMBERS:
        raw = getattr(row, name)
        if raw:
            try:
                validations[name] = _number(raw, integer=name.endswith("length"))
            except ValueError:
                errors.append(
                    FieldError(
                        loc=["fields", row.index, "validations", name],
                        msg="expected a number",
                        type="form",
                    )
                )
    if row.pattern:
        validations["pattern"] = row.pattern
    if row.enum.strip():
        try:
            validations["enum"] = _enum(row)
        except ValueError:
            errors.append(
                FieldError(
                    loc=["fields", row.index, "validations", "enum"],
                    msg="a number field's allowed values must be numbers",
                    type="form",
                )
            )
    if row.allowed_types:
        validations["allowed_types"] = row.allowed_types
    out: dict[str, Any] = {
        "key": row.key,
        "type": row.type,
        "name": row.name,
        "localized": row.localized,
        "required": row.required,
    }
    if validations:
        out["validations"] = validations
    return out


def definition(
    form: Form, rows: list[FieldRow]
) -> tuple[dict[str, Any], list[FieldError]]:
    """The body of a create/update from the form (``key`` included when the
    form has one), and the form errors found before the service runs."""
    errors: list[FieldError] = []
    fields = [field_json(r, errors) for r in rows if r.key and not r.remove]
    data: dict[str, Any] = {
        "name": form.get("name").strip(),
        "description": form.get("description").replace("\r\n", "\n").strip(),
        "fields": fields,
        "channels": [c for c in form.getall("channels") if c],
    }
    if form.has("key"):
        data["key"] = form.get("key").strip()
    return data, errors


def loc_index(loc: list[str | int], rows: list[FieldRow]) -> list[str | int]:
    """A service error's ``["fields", i, ...]`` (``i`` counts the fields
    sent, without blank and removed rows) as the index of the form's row."""
    if len(loc) > 1 and loc[0] == "fields" and isinstance(loc[1], int):
        sent = [r for r in rows if r.key and not r.remove]
        if loc[1] < len(sent):
            return ["fields", sent[loc[1]].index, *loc[2:]]
    return loc


def default_value(fdef: FieldDef, raw: str) -> tuple[Any, str | None]:
    """A migration default typed in the form, as the field's value (an
    error message when it does not parse); JSON types take JSON, references
    ``type:id`` items separated by commas."""
    raw = raw.replace("\r\n", "\n")
    raw = raw if fdef.type in (FieldType.MARKDOWN, FieldType.RICH_TEXT) else raw.strip()
    try:
        match fdef.type:
            case FieldType.NUMBER:
                return _number(raw, integer=False), None
            case FieldType.BOOLEAN:
                if raw not in ("true", "false"):
                    return raw, "expected true or false"
                return raw == "true", None
            case FieldType.MEDIA | FieldType.ENTRY:
                return {"type": fdef.type.value, "id": raw}, None
            case FieldType.REFERENCES:
                refs = [i.strip().partition(":") for i in raw.split(",") if i.strip()]
                return [{"type": t, "id": i} for t, _, i in refs], None
            case FieldType.JSON:
                return json.loads(raw), None
            case _:
                return raw, None
    except ValueError as exc:
        return raw, f"not a valid value ({exc})"
