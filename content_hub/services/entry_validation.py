"""Validation of entry fields against their type, with reference checks."""

from __future__ import annotations

from typing import Any

from content_hub.domain.content_types import ContentType
from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.validation import entry_references, validate_fields
from content_hub.services.base import Deps
from content_hub.store.repositories import EntryRepository, LocaleRepository


async def validate_entry_fields(
    deps: Deps, ctype: ContentType, fields: dict[str, Any], *, require: bool
) -> dict[str, Any]:
    """Check and clean ``fields`` (``require``: enforce required fields, as
    publishing does), including that referenced entries exist and are of an
    allowed type; a 422 lists every field error."""
    locales = await deps.memo(("locales",), LocaleRepository(deps.session).all)
    default = next(
        (loc.code for loc in locales if loc.is_default),
        deps.settings.default_locale,
    )
    clean, errors = validate_fields(
        ctype,
        fields,
        locales=frozenset(loc.code for loc in locales),
        default_locale=default,
        require=require,
    )
    refs = entry_references(ctype, clean) if not errors else []
    if refs:
        found = await EntryRepository(deps.session).existing_ids(
            [ref["id"] for _, ref in refs]
        )
        for loc, ref in refs:
            target_type = found.get(ref["id"])
            allowed = _allowed_types(ctype, loc)
            if target_type is None:
                errors.append(
                    FieldError(loc=loc, msg=f"no entry {ref['id']!r}", type="reference")
                )
            elif allowed is not None and target_type not in allowed:
                errors.append(
                    FieldError(
                        loc=loc,
                        msg=f"entries of type {target_type!r} are not allowed here",
                        type="reference_type",
                    )
                )
    if errors:
        action = "publish" if require else "save"
        raise ValidationFailed(
            f"The entry cannot be {action}d: {len(errors)} field error(s).",
            errors=errors,
        )
    return clean


def _allowed_types(ctype: ContentType, loc: list[str | int]) -> list[str] | None:
    fdef = ctype.field(str(loc[1]))
    return None if fdef is None else fdef.validations.allowed_types
