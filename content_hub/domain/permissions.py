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
webhooks.manage    admin   admin
================== ======= ============================================

* ``entries.write``: create, edit any field, delete, revert, archive, restore.
* ``entries.translate``: edit an entry, but only the values of localised
  fields in the actor's locales (:mod:`~content_hub.domain.translator_edits`);
  whoever may ``entries.write`` may translate anything.
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

from content_hub.domain.errors import FieldError, Forbidden
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role

__all__ = [
    "PERMISSIONS",
    "Action",
    "Permission",
    "PermissionDenied",
    "allowed",
    "denied",
    "require",
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
    SAMPLES_WRITE = "samples.write"
    VARIANTS_WRITE = "variants.write"
    LOCALES_WRITE = "locales.write"
    KEYS_MANAGE = "keys.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_READ = "audit.read"
    WEBHOOKS_MANAGE = "webhooks.manage"


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
    Action.SAMPLES_WRITE: _content("change sample customers"),
    Action.VARIANTS_WRITE: _content("change variants, rules and experiments"),
    Action.LOCALES_WRITE: _admin("change locales"),
    Action.KEYS_MANAGE: _admin("manage API keys"),
    Action.USERS_MANAGE: _admin("manage Studio users"),
    Action.AUDIT_READ: _admin("read the audit log"),
    Action.WEBHOOKS_MANAGE: _admin("manage webhooks and read their delivery logs"),
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
    a_role = f"{'an' if actor.role[0] in 'aeiou' else 'a'} {actor.role}"
    return PermissionDenied(
        detail
        or f"{actor.name} is {a_role}: {a_role} may not "
        f"{permission.what} ({action}); {a_role} may read"
        + (f" and {', '.join(may)}." if may else " only."),
        extra=extra,
        errors=list(errors),
    )


def require(actor: Principal, action: Action) -> None:
    """Refuse (403) unless ``actor`` may do ``action``."""
    if not allowed(actor, action):
        raise denied(actor, action)
