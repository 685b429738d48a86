"""Settings of the GrowthBook SDK event streams (``GET /sub/{client_key}``).

A section of :class:`content_hub.settings.Settings` kept in a module of its
own (``settings.py`` is long enough): ``CONTENT_HUB_SSE_*``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.settings_env import Env


class SseSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Server-sent event streams that GrowthBook SDKs follow publishes with."""

    ping_interval: Annotated[
        float,
        Meta(gt=0, le=3600),
        Env(
            "seconds between keep-alive comments on an idle SDK event stream "
            "(`/sub/{client_key}`), so proxies do not close it"
        ),
    ] = 30.0
    max_connections: Annotated[
        int,
        Meta(ge=0, le=1_000_000),
        Env(
            "open SDK event streams per worker; one more is a 503 with "
            "`Retry-After` (0: streaming off, SDKs poll)"
        ),
    ] = 1000
