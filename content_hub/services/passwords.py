"""Password hashing: argon2id through pwdlib, off the event loop.

Hashes carry their parameters (``$argon2id$v=19$m=...,t=...,p=...``), so a
sign-in whose stored hash used other parameters gets a new hash
(:meth:`Passwords.verify`'s second value) and the account moves on to the
current ones.
"""

from __future__ import annotations

import asyncio
import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

GENERATED_LENGTH = 24
"""Characters of a generated password (url-safe base64: 144 bits)."""


def generate_password() -> str:
    """A one-time password for a new account (the CLI prints it)."""
    return secrets.token_urlsafe(GENERATED_LENGTH * 3 // 4)


class Passwords:
    """Hash and verify with argon2id; ``hasher`` lets tests pick cheap
    parameters."""

    def __init__(self, hasher: Argon2Hasher | None = None) -> None:
        self.context = PasswordHash((hasher or Argon2Hasher(),))
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.context.hash, password)

    async def verify(
        self, password: str, stored: str | None
    ) -> tuple[bool, str | None]:
        """Whether ``password`` matches ``stored``, and a new hash to store
        when ``stored`` used other parameters. Without a stored hash (unknown
        email, no password set) a dummy hash is verified all the same, so the
        answer takes as long and says nothing about the account."""
        if stored is None:
            await asyncio.to_thread(self.context.verify, password, await self._any())
            return False, None
        try:
            return await asyncio.to_thread(
                self.context.verify_and_update, password, stored
            )
        except Exception:  # an unreadable stored hash matches nothing
            await asyncio.to_thread(self.context.verify, password, await self._any())
            return False, None

    async def _any(self) -> str:
        if self._dummy is None:
            self._dummy = await self.hash(secrets.token_urlsafe(16))
        return self._dummy


DEFAULT = Passwords()
"""The process's hasher (argon2-cffi's RFC 9106 low-memory parameters)."""
