"""Webhook signing secrets: made, shown once, stored encrypted.

A secret is ``whsec_`` and the base64 of 32 random bytes (the Standard
Webhooks format every ``standardwebhooks`` verifier takes). It is stored
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived with
HKDF-SHA256 from ``CONTENT_HUB_SECRET_KEY``; when that is unset, from a
random key generated once and kept in the database (table ``hub_secret``),
so every worker and host derives the same key. Both are tried when
decrypting, so setting ``CONTENT_HUB_SECRET_KEY`` later keeps the secrets
made before readable (new and rotated ones use the set key).
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "whsec_"
INFO = b"content-hub webhook signing secrets v1"


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks format."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_master_key() -> str:
    """A random key for the ``hub_secret`` row."""
    return secrets.token_urlsafe(48)


def _fernet(master: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        master.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


class SecretBox:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, *masters: str) -> None:
        if not masters:
            raise ValueError("at least one key")
        self._box = MultiFernet([_fernet(m) for m in masters])

    def seal(self, secret: str) -> str:
        return self._box.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        """The secret; :class:`SecretUnreadable` if no key opens it."""
        try:
            return self._box.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SecretUnreadable(
                "the signing secret cannot be decrypted: was CONTENT_HUB_SECRET_KEY "
                "changed? Rotate the secret."
            ) from None


class SecretUnreadable(Exception):
    pass
