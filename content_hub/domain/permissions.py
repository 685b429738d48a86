"""Who may do what: one table of named actions, checked by the services.

Every mutating service function starts with :func:`require` (the API, the
Studio, the CLI and the seed loader all go through the services, so they all
get the same answer). The table says, per action, which **scope** an API key
needs (a key's principal has ``role`` None: its scopes decide, as on the
routes) and which **roles** a signed-in user needs:

================== ======= ============================================
action             scope   roles
================== ======= ============================================
entries.write      manage  admin, editor
entries.translate  manage  admin, editor, translator (own locales only)
entries.publish    manage  admin, editor, reviewer
types.write        manage  admin, editor
taxonomy.write     manage  admin, editor
media.write        manage  admin, editor
audiences.write    manage  admin, editor
templates.write    manage  admin, editor
variants.write     manage  admin, editor
locales.write      admin   admin
keys.manage        admin   admin
users.manage       admin   admin
audit.read         admin   admin
================== ======= ============================================

* ``entries.write``: create, edit any field, delete, revert, archive, restore.
* ``entries.translate``: edit an entry, but only the values of localised
  fields in the actor's locales (:func:`translation_problems`); whoever may
  ``entries.write`` may translate anything.
* ``entries.publish``: publish, unpublish and schedule either (a schedule is
  a publication decided in advance).
* ``variants.write``: an entry's variants and rules, experiments included
  (they are rules). A translator may still change the localised override
  values of their locales in a variant, nothing else of it.
* Reading content needs no action (every role reads); the audit log, the
  users and the keys are admin's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from content_hub.domain.content_types import ContentType
from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.errors import FieldError, Forbidden
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role

__all__ = [
    "PERMISSIONS",
    "Action",
    "Permission",
    "PermissionDenied",
    "allowed",
    "check_entry_edit",
    "check_variants_edit",
    "denied",
    "require",
    "translation_problems",
    "translation_refused",
]


class Action(enum.StrEnum):
    ENTRIES_WRITE = "entries.write"
    ENTRIES_TRANSLATE = "entries.translate"
    ENTRIES_PUBLISH = "entries.publish"
    TYPES_WRITE = "types.write"
    TAXONOMY_WRITE = "taxonomy.write"
    MEDIA_WRITE = "media.write"
    AUDIENCES_WRITE = "audiences.write"
    TEMPLATES_WRITE = "templates.write"
    VARIANTS_WRITE = "variants.write"
    LOCALES_WRITE = "locales.write"
    KEYS_MANAGE = "keys.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_READ = "audit.read"


@dataclass(frozen=True, slots=True)
class Permission:
    """The scope a key needs and the roles a user needs for one action."""

    scope: Scope
    roles: frozenset[Role]
    what: str
    """What the action does, for the refusal's message."""


_CONTENT = frozenset({Role.ADMIN, Role.EDITOR})
_ADMIN = frozenset({Role.ADMIN})


def _content(what: str) -> Permission:
    return Permission(Scope.MANAGE, _CONTENT, what)


def _admin(what: str) -> Permission:
    return Permission(Scope.ADMIN, _ADMIN, what)


PERMISSIONS: Mapping[Action, Permission] = {
    Action.ENTRIES_WRITE: _content("create, edit, delete, revert or archive entries"),
    Action.ENTRIES_TRANSLATE: Permission(
        Scope.MANAGE,
        _CONTENT | {Role.TRANSLATOR},
        "edit the localised fields of entries",
    ),
    Action.ENTRIES_PUBLISH: Permission(
        Scope.MANAGE,
        _CONTENT | {Role.REVIEWER},
        "publish, unpublish or schedule entries",
    ),
    Action.TYPES_WRITE: _content("change content types"),
    Action.TAXONOMY_WRITE: _content("change taxonomies and terms"),
    Action.MEDIA_WRITE: _content("change media records"),
    Action.AUDIENCES_WRITE: _content("change audiences"),
    Action.TEMPLATES_WRITE: _content("change templates"),
    Action.VARIANTS_WRITE: _content("change variants, rules and experiments"),
    Action.LOCALES_WRITE: _admin("change locales"),
    Action.KEYS_MANAGE: _admin("manage API keys"),
    Action.USERS_MANAGE: _admin("manage Studio users"),
    Action.AUDIT_READ: _admin("read the audit log"),
}


class PermissionDenied(Forbidden):
    """A signed-in user's role does not allow the action (a key without the
    scope gets the plain :class:`Forbidden`, as on the routes)."""

    type_slug = "permission-denied"
    title = "Your role does not allow this"


def allowed(actor: Principal, action: Action) -> bool:
    """Whether ``actor`` may do ``action`` (a user by role, a key by scope)."""
    permission = PERMISSIONS[action]
    if actor.role is None:
        return actor.has(permission.scope)
    return actor.role in permission.roles


def denied(
    actor: Principal,
    action: Action,
    detail: str | None = None,
    errors: Iterable[FieldError] = (),
) -> Forbidden:
    """The refusal of ``action`` to ``actor``, naming both."""
    permission = PERMISSIONS[action]
    extra: dict[str, object] = {"action": str(action)}
    if actor.role is None:
        return Forbidden(
            detail
            or f"The key {actor.name!r} may not {permission.what} ({action}): "
            f"that needs the scope {permission.scope}.",
            extra=extra,
            errors=list(errors),
        )
    extra["role"] = str(actor.role)
    may = [str(a) for a in Action if actor.role in PERMISSIONS[a].roles]
    return PermissionDenied(
        detail
        or f"{actor.name} is a {actor.role}: a {actor.role} may not "
        f"{permission.what} ({action}); a {actor.role} may read"
        + (f" and {', '.join(may)}." if may else " only."),
        extra=extra,
        errors=list(errors),
    )


def require(actor: Principal, action: Action) -> None:
    """Refuse (403) unless ``actor`` may do ``action``."""
    if not allowed(actor, action):
        raise denied(actor, action)


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
