"""Identifiers: time-ordered, so cursors over ids follow creation order."""

from __future__ import annotations

import os
import time


def new_id() -> str:
    """26 lowercase hex-ish chars: 48-bit milliseconds then 80 random bits."""
    ms = time.time_ns() // 1_000_000
    return f"{ms:012x}{os.urandom(10).hex()}"
