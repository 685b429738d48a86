"""Studio users: people who sign in with an email and a password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.domain.inputs import Input, LocaleCode
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role

__all__ = [
    "SESSION_EPOCH",
    "Email",
    "OwnPasswordChange",
    "PasswordChange",
    "Role",
    "User",
    "UserCreate",
    "UserUpdate",
    "keep_session",
    "normalise_email",
    "principal_for",
]

Email = Annotated[
    str,
    Meta(min_length=3, max_length=254, pattern=r"^\s*[^@\s]+@[^@\s]+\s*$"),
]
"""An address with one ``@`` and no inner white space (mail servers decide the
rest); surrounding white space is dropped with the case (:func:`normalise_email`)."""
Password = Annotated[str, Meta(min_length=12, max_length=1024)]
Locales = Annotated[list[LocaleCode], Meta(max_length=50)]

#: Scopes a user of each role acts with on the JSON API. What a role may do
#: within ``manage`` (translators: their locales; reviewers: publish) is the
#: services' business.
_READ_WRITE = frozenset({Scope.MANAGE, Scope.DELIVERY, Scope.PREVIEW})
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.EDITOR: _READ_WRITE | {Scope.RENDER},
    Role.TRANSLATOR: _READ_WRITE,
    Role.REVIEWER: _READ_WRITE,
    Role.VIEWER: _READ_WRITE,
}


def normalise_email(email: str) -> str:
    """The form emails are stored and looked up in: trimmed, lower-case."""
    return email.strip().lower()


class User(msgspec.Struct, frozen=True, kw_only=True):
    """A Studio account (never its password hash)."""

    id: str
    email: str
    role: Role
    locales: tuple[str, ...] = ()
    """The locales a translator works on (empty for every other role)."""
    disabled: bool = False
    created_at: datetime
    version: int = 1


class UserCreate(Input):
    email: Email
    role: Role
    locales: Locales = []
    password: Password | None = None
    """Omitted: the account cannot sign in until a password is set."""


class UserUpdate(Input):
    role: Role | None = None
    locales: Locales | None = None
    disabled: bool | None = None


class PasswordChange(Input):
    password: Password


class OwnPasswordChange(Input):
    """PUT /manage/v1/users/me/password: the current password and a new one."""

    current_password: Annotated[str, Meta(max_length=1024)]
    password: Password


class SignIn(Input):
    """A JSON sign-in (the Studio form sends the same fields form-encoded)."""

    email: Annotated[str, Meta(max_length=254)]
    password: Annotated[str, Meta(max_length=1024)]


def principal_for(user: User) -> Principal:
    """Who a signed-in user is on the API: scopes by role, named by email."""
    return Principal(
        user.id,  # ids are unique across keys and users (audit: actor_key_id)
        user.email,
        ROLE_SCOPES[user.role],
        user_id=user.id,
        role=user.role,
        locales=frozenset(user.locales),
    )


SESSION_EPOCH = "epoch"
"""The key of a web session's data that holds its user's session epoch as
it was when the session was made; the user's stored epoch moves on when
every session of theirs must end (the session layer compares the two)."""


def keep_session(session: object, user_id: str, epoch: int) -> None:
    """After ``user_id``'s sessions were ended (their epoch is now
    ``epoch``), the request's own session, when it is that user's, takes the
    new epoch and stays signed in. ``session`` is the request's session data
    (``scope["session"]``); anything else (a key's request) is left alone."""
    if isinstance(session, dict) and session.get("uid") == user_id:
        session[SESSION_EPOCH] = epoch
