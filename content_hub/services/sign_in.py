"""Signing in to the Studio: email and password to a :class:`User`, with
throttling and without telling whether an email has an account.

Every failure is the same :class:`InvalidCredentials` problem (unknown email,
wrong password, no password set, disabled account), and each costs one
argon2 verification (a dummy hash when there is no real one), so neither
the message nor the time tells an email with an account from one without.

Failures are counted per email and per client address in fixed windows
(``CONTENT_HUB_STUDIO_SIGN_IN_FAILURES``, default 5 per 15 minutes, shared
through Redis when ``CONTENT_HUB_REDIS_URL`` is set): past either, every
attempt is refused with 429 and ``Retry-After`` before any password is
checked, including the right one.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.errors import FieldError, Forbidden, InvalidCredentials
from content_hub.domain.rate_limits import Rate, TooManyRequests, parse_rate
from content_hub.domain.users import User, normalise_email, principal_for
from content_hub.services.audit import record
from content_hub.services.base import Deps
from content_hub.services.passwords import DEFAULT, Passwords
from content_hub.services.rate_limits import RateLimits
from content_hub.settings import Settings
from content_hub.store import redis_client
from content_hub.store.repositories.users import UserRepository

log = logging.getLogger(__name__)
WRONG = "The email or password is wrong."
MAX_PASSWORD = 1024
"""Longer is no password of this hub (the form is not length-checked)."""


class SignInThrottle:
    """Failed sign-ins per email and per client address (either may refuse)."""

    def __init__(
        self,
        rate: Rate | None,
        *,
        redis_url: str | None = None,
        redis_prefix: str = "content_hub",
        redis_timeout: float = redis_client.TIMEOUT,
    ) -> None:
        self.by_email = RateLimits(
            None,
            rate,
            redis_url=redis_url,
            redis_prefix=f"{redis_prefix}:signin-email",
            redis_timeout=redis_timeout,
        )
        self.by_address = RateLimits(
            None,
            rate,
            redis_url=redis_url,
            redis_prefix=f"{redis_prefix}:signin-addr",
            redis_timeout=redis_timeout,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInThrottle:
        return cls(
            parse_rate(settings.studio.sign_in_failures),
            redis_url=settings.rate_limit.redis_url,
            redis_prefix=settings.rate_limit.redis_prefix,
            redis_timeout=settings.rate_limit.redis_timeout,
        )

    async def refuse_if_blocked(self, email: str, address: str) -> None:
        refused = await self.by_email.blocked_shared(
            email
        ) or await self.by_address.blocked_shared(address)
        if refused is not None:
            retry_after, rate = refused
            raise TooManyRequests(
                "Too many failed sign-ins", retry_after=retry_after, limit=rate
            )

    async def fail(self, email: str, address: str) -> None:
        await self.by_email.fail(email)
        await self.by_address.fail(address)

    async def succeeded(self, email: str) -> None:
        """A right password clears the email's failures (not the address's:
        one known password must not buy guesses at other accounts)."""
        await self.by_email.forgive(email)

    async def start(self) -> None:
        await self.by_email.start()
        await self.by_address.start()

    async def stop(self) -> None:
        await self.by_email.stop()
        await self.by_address.stop()


async def authenticate(
    deps: Deps,
    email: str,
    password: str,
    *,
    address: str,
    throttle: SignInThrottle,
    passwords: Passwords = DEFAULT,
) -> User:
    """The user these credentials belong to, audited as a sign-in; else
    :class:`InvalidCredentials` (401) or, past the limits, 429."""
    email = normalise_email(email)
    await throttle.refuse_if_blocked(email, address)
    repo = UserRepository(deps.session)
    found = await repo.by_email(email) if email and len(email) <= 254 else None
    user, stored = found if found is not None else (None, None)
    too_long = len(password) > MAX_PASSWORD
    ok, new_hash = await passwords.verify(
        password[:MAX_PASSWORD], None if too_long else stored
    )
    if not ok or user is None or user.disabled:
        await throttle.fail(email, address)
        log.info("studio sign-in failed from %s", address)
        raise InvalidCredentials(WRONG)
    await throttle.succeeded(email)
    if new_hash is not None:
        await repo.set_password_hash(user.id, new_hash)
    as_user = dataclasses.replace(deps, actor=principal_for(user))
    await record(as_user, "sign-in", "user", user.id, detail={"email": user.email})
    return user


async def change_own_password(
    deps: Deps,
    current: str,
    new: str,
    *,
    address: str,
    throttle: SignInThrottle,
    passwords: Passwords = DEFAULT,
) -> int:
    """A signed-in user sets a new password, proving the current one. A
    wrong current password is a 403 and counts as a failed sign-in (the same
    limits: a borrowed session must not become a password oracle). Every
    session of the user ends; the new session epoch is returned, for the
    caller to keep its own session (:func:`keep_session`)."""
    actor = deps.actor
    if actor.user_id is None:
        raise Forbidden(
            f"The key {actor.name!r} has no password; only a signed-in Studio "
            "user can change their own."
        )
    repo = UserRepository(deps.session)
    user = await repo.get(actor.user_id)
    if user is None or user.disabled:
        raise InvalidCredentials(WRONG)
    await throttle.refuse_if_blocked(user.email, address)
    found = await repo.by_email(user.email)
    stored = None if found is None else found[1]
    ok, _ = await passwords.verify(current[:MAX_PASSWORD], stored)
    if not ok or len(current) > MAX_PASSWORD:
        await throttle.fail(user.email, address)
        raise Forbidden(
            "The current password is wrong; the password was not changed.",
            errors=[
                FieldError(
                    loc=["current_password"], msg="wrong password", type="forbidden"
                )
            ],
        )
    await throttle.succeeded(user.email)
    await repo.set_password_hash(user.id, await passwords.hash(new))
    epoch = await repo.end_sessions(user.id)
    await record(deps, "change-password", "user", user.id, detail={"email": user.email})
    return epoch


def user_lookup(
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[[str], Awaitable[tuple[User, int] | None]]:
    """Reads a signed-in session's user and session epoch (on every session
    request: a disabled or deleted user is signed out at once, and so is a
    session of an older epoch)."""

    async def lookup(user_id: str) -> tuple[User, int] | None:
        async with sessions() as session:
            return await UserRepository(session).for_session(user_id)

    return lookup


async def signed_out(deps: Deps, user_id: str, email: str) -> None:
    """Audit a sign-out (the session itself is the caller's to end)."""
    await record(deps, "sign-out", "user", user_id, detail={"email": email})
