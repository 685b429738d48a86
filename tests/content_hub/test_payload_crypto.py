"""Encrypted SDK payloads: the GrowthBook conformance file's ``decrypt``
cases, and what the hub encrypts decrypts back for any text and key."""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.domain.payload_crypto import (
    KEY_BYTES,
    PayloadDecryptError,
    decrypt_payload,
    encrypt_payload,
    new_payload_key,
)
from tests.variants.test_conformance import CASES_PATH

CASES: list[list[Any]] = json.loads(CASES_PATH.read_text(encoding="utf-8"))["decrypt"]
keys = st.binary(min_size=KEY_BYTES, max_size=KEY_BYTES).map(
    lambda raw: base64.b64encode(raw).decode()
)


@pytest.mark.parametrize(("name", "encrypted", "key", "expected"), CASES)
def test_the_sdk_conformance_cases(
    name: str, encrypted: str, key: str, expected: str | None
) -> None:
    if expected is None:
        with pytest.raises(PayloadDecryptError):
            decrypt_payload(encrypted, key)
    else:
        assert decrypt_payload(encrypted, key) == expected


def test_the_cases_cover_success_and_failure() -> None:
    assert len(CASES) == 10
    assert sum(expected is None for *_, expected in CASES) == 8


@given(text=st.text(), key=keys)
def test_what_is_encrypted_decrypts_back(text: str, key: str) -> None:
    encrypted = encrypt_payload(text.encode(), key)
    iv, _, body = encrypted.partition(".")
    assert len(base64.b64decode(iv)) == KEY_BYTES
    assert len(base64.b64decode(body)) % KEY_BYTES == 0
    assert decrypt_payload(encrypted, key) == text


@given(text=st.text(min_size=1), key=keys, other=keys)
def test_another_key_does_not_read_it(text: str, key: str, other: str) -> None:
    encrypted = encrypt_payload(text.encode(), key)
    if other != key:
        # usually the padding does not check out; if it does, the text differs
        with contextlib.suppress(PayloadDecryptError):
            assert decrypt_payload(encrypted, other) != text


def test_a_fresh_iv_every_time_and_fresh_keys() -> None:
    key = new_payload_key()
    assert len(base64.b64decode(key, validate=True)) == KEY_BYTES
    assert len({encrypt_payload(b"{}", key) for _ in range(50)}) == 50
    assert len({new_payload_key() for _ in range(50)}) == 50


@pytest.mark.parametrize(
    "key", ["", "abc", "!!!!", base64.b64encode(b"x" * 15).decode()]
)
def test_unusable_keys_are_refused(key: str) -> None:
    with pytest.raises(PayloadDecryptError):
        encrypt_payload(b"{}", key)
