"""Settings of the hub's HTTP edge: CORS, request limits and Studio sessions
(sections of :class:`content_hub.settings.Settings`, re-exported there)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.domain.browser import parse_origins
from content_hub.domain.rate_limits import parse_rate
from content_hub.settings_env import Env


def _origins(text: str) -> tuple[str, ...]:
    return parse_origins(text, "CONTENT_HUB_CORS_ORIGINS")


def _manage_origins(text: str) -> tuple[str, ...]:
    return parse_origins(text, "CONTENT_HUB_CORS_MANAGE_ORIGINS", wildcard=False)


def _rate(text: str) -> str:
    parse_rate(text)
    return text.strip()


def _redis_url(text: str) -> str:
    if text.partition(":")[0] not in {"redis", "rediss", "unix"}:
        raise ValueError("not a redis://, rediss:// or unix:// URL")
    return text


_RATES = "N/second, N/minute, N/hour or N/day, N per M minutes, off or 0"


class CorsSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Origins browsers may call the hub from (``content_hub.api.browser``):
    ``origins`` for delivery, render, events and ``/api/features`` (``*`` counts
    for delivery and ``/api/features`` only), ``manage_origins`` for
    ``/manage`` (listed origins only, never ``*``). Empty: no CORS headers."""

    origins: Annotated[
        tuple[str, ...],
        Env(
            "origins browsers may call delivery, render, events and `/api/features` "
            "from; `*` for any (delivery and `/api/features` only)",
            parse=_origins,
            allowed="comma-separated origins (scheme://host[:port]), or *",
            default="unset (no CORS)",
        ),
    ] = ()
    manage_origins: Annotated[
        tuple[str, ...],
        Env(
            "origins allowed on `/manage/...` (never `*`)",
            parse=_manage_origins,
            allowed="comma-separated origins (scheme://host[:port])",
            default="unset",
        ),
    ] = ()
    max_age: Annotated[
        int,
        Meta(ge=0, le=86_400),
        Env("seconds a browser may cache a preflight answer"),
    ] = 600

    def __post_init__(self) -> None:  # programmatic construction (tests, embedding)
        _origins(",".join(self.origins))
        _manage_origins(",".join(self.manage_origins))


class RateLimitSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Request limits (``content_hub.services.rate_limits``): per API key, and
    per client address for failed authentication. Counted per worker in
    memory, shared through Redis when ``redis_url`` is set."""

    key: Annotated[str, Env("requests per API key", parse=_rate, allowed=_RATES)] = (
        "600000/minute"
    )
    auth_failures: Annotated[
        str,
        Env("failed authentications per client address", parse=_rate, allowed=_RATES),
    ] = "20/minute"
    redis_url: Annotated[
        str | None,
        Env(
            "share rate-limit counts through Redis (in memory per worker otherwise)",
            name="REDIS_URL",
            parse=_redis_url,
            allowed="a redis://, rediss:// or unix:// URL (empty: unset)",
        ),
    ] = None
    redis_prefix: Annotated[
        str,
        Meta(min_length=1, max_length=100, pattern="^[A-Za-z0-9_.:-]+$"),
        Env("prefix of the hub's Redis keys", name="REDIS_PREFIX"),
    ] = "content_hub"
    redis_timeout: Annotated[
        float,
        Meta(gt=0, le=60),
        Env(
            "seconds a Redis command, connect or close may take before it fails "
            "(a Studio request then answers 503 session-store-unavailable, "
            "rate-limit counts go on per process, shutdown goes on)",
            name="REDIS_TIMEOUT",
        ),
    ] = 2.0
    sync_interval: Annotated[
        float,
        Meta(gt=0, le=60),
        Env(
            "seconds between the batched additions of per-key counts to Redis (a "
            "key may overshoot by about processes x rate x this)"
        ),
    ] = 0.2

    def __post_init__(self) -> None:  # programmatic construction (tests, embedding)
        _rate(self.key)
        _rate(self.auth_failures)
        if self.redis_url is not None:
            _redis_url(self.redis_url)


def _cookie_name(text: str) -> str:
    return text.strip()


class StudioSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Studio sign-in and sessions (``content_hub.studio.sessions``): sessions
    live in the database, or in Redis when ``CONTENT_HUB_REDIS_URL`` is set."""

    idle_timeout: Annotated[
        float,
        Meta(gt=0, le=31 * 86_400),
        Env("seconds of inactivity after which a Studio session ends"),
    ] = 1800.0
    absolute_timeout: Annotated[
        float,
        Meta(gt=0, le=366 * 86_400),
        Env("seconds after sign-in after which a Studio session ends, active or not"),
    ] = 43_200.0
    cookie_name: Annotated[
        str,
        Meta(min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+$"),
        Env("name of the Studio's session cookie", parse=_cookie_name),
    ] = "content_hub_session"
    secure_cookie: Annotated[
        bool,
        Env(
            "always mark the session cookie Secure (it is whenever the request "
            "is HTTPS; set this behind a proxy that terminates TLS)"
        ),
    ] = False
    sign_in_failures: Annotated[
        str,
        Env(
            "failed sign-ins per email and per client address before 429",
            parse=_rate,
            allowed=_RATES,
        ),
    ] = "5 per 15 minutes"

    def __post_init__(self) -> None:  # programmatic construction (tests, embedding)
        _rate(self.sign_in_failures)
