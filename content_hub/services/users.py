"""Studio accounts (admin): create, list, read, change role / locales /
disabled, delete, set a password. Every write is audited and names the user;
setting a password or disabling the account ends the user's sessions."""

from __future__ import annotations

from content_hub.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from content_hub.domain.ids import new_id
from content_hub.domain.locales import InvalidLocaleCode, canonical_code
from content_hub.domain.permissions import Action, require
from content_hub.domain.users import (
    Role,
    User,
    UserCreate,
    UserUpdate,
    normalise_email,
)
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.services.passwords import DEFAULT, Passwords
from content_hub.store.repositories import LocaleRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.users import UserRepository


def _locale_error(index: int | None, msg: str) -> ValidationFailed:
    loc: list[str | int] = ["locales"] if index is None else ["locales", index]
    return ValidationFailed(msg, errors=[FieldError(loc=loc, msg=msg, type="locale")])


class UserService:
    def __init__(self, deps: Deps, passwords: Passwords = DEFAULT) -> None:
        self.deps = deps
        self.repo = UserRepository(deps.session)
        self.passwords = passwords

    async def create(self, data: UserCreate) -> User:
        """A new account; 409 when the email is taken, 422 for locales that
        do not fit the role."""
        require(self.deps.actor, Action.USERS_MANAGE)
        email = normalise_email(data.email)
        if await self.repo.email_taken(email):
            raise Conflict(f"A user with the email {email!r} exists already.")
        locales = await self._locales(data.role, data.locales)
        user = User(
            id=new_id(), email=email, role=data.role, locales=locales, created_at=now()
        )
        hashed = (
            None if data.password is None else await self.passwords.hash(data.password)
        )
        await self.repo.add(user, hashed)
        await record(
            self.deps,
            "create",
            "user",
            user.id,
            after=user.version,
            detail={"email": email, "role": str(user.role), "locales": list(locales)},
        )
        return user

    async def all(self) -> list[User]:
        require(self.deps.actor, Action.USERS_MANAGE)
        return await self.repo.all()

    async def get(self, user_id: str) -> User:
        require(self.deps.actor, Action.USERS_MANAGE)
        user = await self.repo.get(user_id)
        if user is None:
            raise NotFound(f"No user {user_id!r}.")
        return user

    async def by_email(self, email: str) -> User | None:
        found = await self.repo.by_email(normalise_email(email))
        return None if found is None else found[0]

    async def update(
        self, user_id: str, data: UserUpdate, expected: int | None
    ) -> User:
        """Change role, locales or disabled (If-Match). Leaving the translator
        role drops the locales; the last active admin stays one."""
        require(self.deps.actor, Action.USERS_MANAGE)
        user = await self.get(user_id)
        require_version(expected, user.version, "user")
        role = data.role if data.role is not None else user.role
        if data.locales is not None:
            wanted = data.locales
        elif role == Role.TRANSLATOR:
            wanted = list(user.locales)
        else:
            wanted = []
        locales = await self._locales(role, wanted)
        disabled = data.disabled if data.disabled is not None else user.disabled
        if user.role == Role.ADMIN and (role != Role.ADMIN or disabled):
            await self._keep_an_admin(user)
        changed = User(
            id=user.id,
            email=user.email,
            role=role,
            locales=locales,
            disabled=disabled,
            created_at=user.created_at,
            version=user.version + 1,
        )
        if not await self.repo.update(changed, expected_version=user.version, at=now()):
            raise stale("user")
        if disabled and not user.disabled:
            await self.repo.end_sessions(user.id)  # not back when enabled again
        await record(
            self.deps,
            "update",
            "user",
            user.id,
            before=user.version,
            after=changed.version,
            detail={
                "email": user.email,
                "role": str(role),
                "locales": list(locales),
                "disabled": disabled,
            },
        )
        return changed

    async def delete(self, user_id: str, expected: int | None) -> None:
        require(self.deps.actor, Action.USERS_MANAGE)
        user = await self.get(user_id)
        require_version(expected, user.version, "user")
        if user.role == Role.ADMIN:
            await self._keep_an_admin(user)
        if not await self.repo.delete(user.id, expected_version=user.version):
            raise stale("user")
        await record(
            self.deps,
            "delete",
            "user",
            user.id,
            before=user.version,
            detail={"email": user.email},
        )

    async def set_password(self, user_id: str, password: str) -> int:
        """Set (reset) a user's password; every session of theirs ends. The
        new session epoch (an admin resetting their own password keeps the
        session they did it in: :func:`keep_session`)."""
        require(self.deps.actor, Action.USERS_MANAGE)
        user = await self.get(user_id)
        await self.repo.set_password_hash(user.id, await self.passwords.hash(password))
        epoch = await self.repo.end_sessions(user.id)
        await record(
            self.deps, "set-password", "user", user.id, detail={"email": user.email}
        )
        return epoch

    async def _locales(self, role: Role, given: list[str]) -> tuple[str, ...]:
        """Translators need at least one configured locale; no one else has any."""
        if role != Role.TRANSLATOR:
            if given:
                raise _locale_error(
                    None, f"Only translators have locales; a {role} has none."
                )
            return ()
        if not given:
            raise _locale_error(None, "A translator needs at least one locale.")
        repo = LocaleRepository(self.deps.session)
        out: list[str] = []
        for index, value in enumerate(given):
            try:
                code = canonical_code(value)
            except InvalidLocaleCode as exc:
                raise _locale_error(index, str(exc)) from exc
            if await repo.get(code) is None:
                raise _locale_error(index, f"The locale {code!r} is not configured.")
            if code not in out:
                out.append(code)
        return tuple(out)

    async def _keep_an_admin(self, leaving: User) -> None:
        others = [
            u
            for u in await self.repo.all()
            if u.role == Role.ADMIN and not u.disabled and u.id != leaving.id
        ]
        if not leaving.disabled and not others:
            raise Conflict(
                f"{leaving.email} is the last active admin; make another user "
                "admin first."
            )
