"""Content types: typed fields with validations and the channels they serve."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from content_hub.domain.errors import FieldError
from content_hub.domain.patterns import PatternRefused, compile_pattern

KeyStr = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Channel = Literal["web", "email", "push", "in_app", "sms"]
CHANNELS: tuple[str, ...] = ("web", "email", "push", "in_app", "sms")


class FieldType(enum.StrEnum):
    TEXT = "text"
    RICH_TEXT = "rich_text"
    MARKDOWN = "markdown"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    URL = "url"
    MEDIA = "media"
    ENTRY = "entry"
    REFERENCES = "references"
    JSON = "json"


TEXTUAL = {FieldType.TEXT, FieldType.RICH_TEXT, FieldType.MARKDOWN, FieldType.URL}
REFERENCE_TYPES = {FieldType.MEDIA, FieldType.ENTRY, FieldType.REFERENCES}


class Validations(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True
):
    """Per-field rules; each applies only to the field types it makes sense for."""

    min_length: Annotated[int, Meta(ge=0)] | None = None
    max_length: Annotated[int, Meta(ge=1)] | None = None
    pattern: Annotated[str, Meta(max_length=500)] | None = None
    enum: list[str | int | float] | None = None
    min: float | None = None
    max: float | None = None
    allowed_types: list[str] | None = None


class FieldDef(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One field of a content type."""

    key: KeyStr
    type: FieldType
    name: Annotated[str, Meta(max_length=200)] = ""
    localized: bool = False
    required: bool = False
    validations: Validations = Validations()


class ContentType(msgspec.Struct, frozen=True, kw_only=True):
    """A content model: the shape of its entries and where they may be shown."""

    key: str
    name: str
    description: str
    fields: list[FieldDef]
    channels: list[str]
    version: int
    created_at: datetime
    updated_at: datetime

    def field(self, key: str) -> FieldDef | None:
        return next((f for f in self.fields if f.key == key), None)


def check_definition(fields: list[FieldDef], channels: list[str]) -> list[FieldError]:
    """Consistency of a content-type definition (beyond what the Struct enforces)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, field in enumerate(fields):
        loc: list[str | int] = ["fields", index]
        if field.key in seen:
            errors.append(FieldError(loc=[*loc, "key"], msg="duplicate field key"))
        seen.add(field.key)
        errors.extend(_check_validations(field, loc))
    for index, channel in enumerate(channels):
        if channel not in CHANNELS:
            errors.append(
                FieldError(
                    loc=["channels", index],
                    msg=f"unknown channel; expected one of {', '.join(CHANNELS)}",
                )
            )
    if len(set(channels)) != len(channels):
        errors.append(FieldError(loc=["channels"], msg="duplicate channel"))
    return errors


def _check_validations(field: FieldDef, loc: list[str | int]) -> list[FieldError]:
    v = field.validations
    vloc = [*loc, "validations"]
    errors: list[FieldError] = []

    def bad(name: str, msg: str) -> None:
        errors.append(FieldError(loc=[*vloc, name], msg=msg))

    if (v.min_length is not None or v.max_length is not None) and (
        field.type not in TEXTUAL and field.type is not FieldType.REFERENCES
    ):
        bad("max_length", f"length does not apply to {field.type} fields")
    if (
        v.min_length is not None
        and v.max_length is not None
        and v.min_length > v.max_length
    ):
        bad("min_length", "min_length is greater than max_length")
    if v.pattern is not None:
        if field.type not in TEXTUAL:
            bad("pattern", f"pattern does not apply to {field.type} fields")
        try:
            compile_pattern(v.pattern)
        except PatternRefused as exc:
            bad("pattern", f"field {field.key!r}: {exc}")
    if v.enum is not None and field.type not in TEXTUAL | {FieldType.NUMBER}:
        bad("enum", f"enum does not apply to {field.type} fields")
    if (v.min is not None or v.max is not None) and field.type is not FieldType.NUMBER:
        bad("min", f"range does not apply to {field.type} fields")
    if v.min is not None and v.max is not None and v.min > v.max:
        bad("min", "min is greater than max")
    if v.allowed_types is not None and field.type not in {
        FieldType.ENTRY,
        FieldType.REFERENCES,
    }:
        bad("allowed_types", "allowed_types applies to entry references only")
    return errors
