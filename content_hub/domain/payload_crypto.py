"""Encrypted GrowthBook SDK payloads, as the SDKs decrypt them.

A client key may have a payload key: 128 random bits, given to front-ends in
base64 (the SDKs' ``decryptionKey``). With one, ``features`` (and
``savedGroups``) are served as ``encryptedFeatures`` (``encryptedSavedGroups``):
``"<base64 IV>.<base64 ciphertext>"``, AES-128-CBC with PKCS#7 padding and a
fresh random IV — what the JavaScript SDK's ``decrypt`` reads with
SubtleCrypto (``importKey("raw", base64 key, AES-CBC)``, split on ``"."``).

This keeps a payload from being read in passing (in a CDN log, a browser's
cache); the key itself ships inside every front-end that decrypts, so it is
no secret from the visitors and the hub stores it as it is.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_BYTES = 16
"""AES-128: the key length the SDKs import."""
_BLOCK = 128


class PayloadDecryptError(ValueError):
    """The text is not ``iv.ciphertext`` under this key (wrong key, bad data)."""


def new_payload_key() -> str:
    """A fresh payload key in base64 (24 characters)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PayloadDecryptError("the key is not base64") from exc
    if len(key) != KEY_BYTES:
        raise PayloadDecryptError(f"the key is not {KEY_BYTES} bytes")
    return key


def encrypt_payload(plaintext: bytes, key: str) -> str:
    """``plaintext`` encrypted under the base64 ``key``, with a random IV."""
    iv = secrets.token_bytes(KEY_BYTES)
    padder = padding.PKCS7(_BLOCK).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_key(key)), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return b".".join(base64.b64encode(part) for part in (iv, ciphertext)).decode()


def decrypt_payload(text: str, key: str) -> str:
    """The text ``encrypt_payload`` encrypted (what an SDK's ``decrypt``
    answers); :class:`PayloadDecryptError` for anything the SDK refuses."""
    iv_text, dot, body_text = text.partition(".")
    if not dot:
        raise PayloadDecryptError("no '.' between the IV and the ciphertext")
    try:
        iv = base64.b64decode(iv_text, validate=True)
        body = base64.b64decode(body_text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PayloadDecryptError("the IV or the ciphertext is not base64") from exc
    if len(iv) != KEY_BYTES or not body or len(body) % KEY_BYTES:
        raise PayloadDecryptError("the IV or the ciphertext has a wrong length")
    decryptor = Cipher(algorithms.AES(_key(key)), modes.CBC(iv)).decryptor()
    padded = decryptor.update(body) + decryptor.finalize()
    unpadder = padding.PKCS7(_BLOCK).unpadder()
    try:
        plain = unpadder.update(padded) + unpadder.finalize()
        return plain.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadDecryptError("wrong key or corrupted ciphertext") from exc
