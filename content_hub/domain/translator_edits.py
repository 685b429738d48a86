"""What a translator may change: the values of localised fields in their
locales, in an entry and in its variants' overrides; nothing else.

Compared on validated values against the stored draft, so values sent back
unchanged (a full form post, other locales included) are no change. Every
refused field and locale is listed (``errors: [{loc, msg, type}]``, like a
validation problem) in one 403 that names them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from content_hub.domain.content_types import ContentType
from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.errors import FieldError, Forbidden
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed, denied, require

__all__ = [
    "check_entry_edit",
    "check_variants_edit",
    "translation_problems",
    "translation_refused",
]

_MISSING: Any = object()


def translation_problems(
    ctype: ContentType,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    locales: frozenset[str],
    prefix: tuple[str | int, ...] = ("fields",),
) -> list[FieldError]:
    """Each change from ``before`` to ``after`` (field values of an entry or a
    variant's overrides) that a translator of ``locales`` may not make: a
    non-localised field, or another locale's value of a localised one.
    Unchanged values, whatever their locale, are no change."""
    problems: list[FieldError] = []
    mine = ", ".join(sorted(locales)) or "none"
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old == new:
            continue
        fdef = ctype.field(key)
        old_map = {} if old is _MISSING else old
        new_map = {} if new is _MISSING else new
        if (
            fdef is None
            or not fdef.localized
            or not isinstance(old_map, dict)
            or not isinstance(new_map, dict)
        ):
            problems.append(
                FieldError(
                    loc=[*prefix, key],
                    msg=f"{key!r} is not a localised field: a translator cannot "
                    "change it.",
                    type="forbidden",
                )
            )
            continue
        for code in sorted(set(old_map) | set(new_map)):
            if code in locales:
                continue
            if old_map.get(code, _MISSING) != new_map.get(code, _MISSING):
                problems.append(
                    FieldError(
                        loc=[*prefix, key, code],
                        msg=f"the {code} value of {key!r} is not in your locales "
                        f"({mine}).",
                        type="forbidden",
                    )
                )
    return problems


def check_entry_edit(
    actor: Principal,
    ctype: ContentType,
    current: Entry,
    key: str,
    fields: Mapping[str, Any],
    terms: list[str],
) -> None:
    """Refuse an edit of ``current`` (to ``key``, validated ``fields`` and
    resolved ``terms``) that ``actor`` may not make: anything for someone who
    may not even translate, anything but their locales' localised values for
    a translator; nothing for whoever may ``entries.write``."""
    if allowed(actor, Action.ENTRIES_WRITE):
        return
    require(actor, Action.ENTRIES_TRANSLATE)
    problems: list[FieldError] = []
    if current.status is EntryStatus.ARCHIVED:
        problems.append(
            FieldError(
                loc=["status"],
                msg="the entry is archived: only an editor can restore it.",
                type="forbidden",
            )
        )
    if key != current.key:
        problems.append(
            FieldError(
                loc=["key"],
                msg="the key is not a localised field: a translator cannot change it.",
                type="forbidden",
            )
        )
    if sorted(terms) != sorted(current.terms):
        problems.append(
            FieldError(
                loc=["terms"],
                msg="the terms are not a localised field: a translator cannot "
                "change them.",
                type="forbidden",
            )
        )
    problems += translation_problems(ctype, current.fields, fields, actor.locales)
    if problems:
        raise translation_refused(actor, problems)


def check_variants_edit(
    actor: Principal,
    ctype: ContentType,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """Refuse a change of an entry's variants and rules (stored form, as of
    the draft: ``before``; validated: ``after``) that ``actor`` may not make.
    Whoever may not ``variants.write`` may still translate override values:
    the same variants, rules and descriptions, and only localised values of
    their locales changed."""
    if allowed(actor, Action.VARIANTS_WRITE):
        return
    if not allowed(actor, Action.ENTRIES_TRANSLATE):
        raise denied(actor, Action.VARIANTS_WRITE)
    problems: list[FieldError] = []
    if before.get("rules", []) != after.get("rules", []):
        problems.append(
            FieldError(
                loc=["rules"],
                msg="the rules are not a localised field: a translator cannot "
                "change them.",
                type="forbidden",
            )
        )
    old_variants: Mapping[str, Any] = before.get("variants", {})
    new_variants: Mapping[str, Any] = after.get("variants", {})
    for name in sorted(set(old_variants) | set(new_variants)):
        old, new = old_variants.get(name), new_variants.get(name)
        if old is None or new is None:
            problems.append(
                FieldError(
                    loc=["variants", name],
                    msg=f"a translator cannot {'add' if old is None else 'remove'} "
                    f"the variant {name!r}.",
                    type="forbidden",
                )
            )
            continue
        if old.get("description", "") != new.get("description", ""):
            problems.append(
                FieldError(
                    loc=["variants", name, "description"],
                    msg="a variant's description is not a localised field: a "
                    "translator cannot change it.",
                    type="forbidden",
                )
            )
        problems += translation_problems(
            ctype,
            old.get("fields", {}),
            new.get("fields", {}),
            actor.locales,
            prefix=("variants", name, "fields"),
        )
    if problems:
        raise translation_refused(actor, problems, Action.VARIANTS_WRITE)


def translation_refused(
    actor: Principal,
    problems: list[FieldError],
    action: Action = Action.ENTRIES_WRITE,
) -> Forbidden:
    """The 403 for a translator's change outside their locales: the message
    names every refused field and locale, ``errors`` lists them."""
    where = ", ".join(".".join(str(part) for part in p.loc) for p in problems)
    mine = ", ".join(sorted(actor.locales)) or "none"
    return denied(
        actor,
        action,
        detail=f"{actor.name} is a {actor.role or 'key'} for the locales {mine}: "
        "they may change only the values of localised fields in those locales; "
        f"refused: {where}.",
        errors=problems,
    )
