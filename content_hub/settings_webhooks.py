"""Settings of webhook delivery (``content_hub.workers.webhooks``).

A section of :class:`content_hub.settings.Settings` kept in a module of its
own, as :mod:`content_hub.settings_sse`: ``CONTENT_HUB_WEBHOOKS_*``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.settings_env import Env


def parse_schedule(text: str) -> tuple[float, ...]:
    """``5,30,120`` -> the delays (seconds) before each retry of a webhook."""
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError("not comma-separated numbers of seconds") from None
    if not delays or len(delays) > 50:
        raise ValueError("1 to 50 delays")
    if any(not 0 < d <= 86_400 for d in delays):
        raise ValueError("each delay is > 0 and <= 86400 seconds")
    return delays


DEFAULT_SCHEDULE = (
    5.0,
    30.0,
    120.0,
    600.0,
    1800.0,
    3600.0,
    7200.0,
    14400.0,
    28800.0,
    36000.0,
)
"""About a day (25.8 h) over ten retries."""


class WebhookSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Webhook delivery (``content_hub.workers.webhooks``): timeouts, the
    retry schedule, when a failing subscription is turned off, and the SSRF
    guard's two exceptions (local receivers, on-premise use)."""

    timeout: Annotated[
        float, Meta(gt=0, le=60), Env("seconds a webhook request may take")
    ] = 5.0
    retry_schedule: Annotated[
        tuple[float, ...],
        Env(
            "seconds before each retry of a failed webhook delivery (each "
            "jittered by up to +-20%); after the last the delivery has failed",
            parse=parse_schedule,
            allowed="comma-separated seconds (1-50 of them, each > 0 and <= 86400)",
            default="`5,30,120,600,1800,3600,7200,14400,28800,36000` (about a day)",
        ),
    ] = DEFAULT_SCHEDULE
    disable_after: Annotated[
        int,
        Meta(ge=1, le=10_000),
        Env(
            "deliveries in a row that failed for good (every retry) after which "
            "a subscription is turned off (audited)"
        ),
    ] = 3
    concurrency: Annotated[
        int, Meta(ge=1, le=1000), Env("webhook requests the dispatcher sends at once")
    ] = 64
    per_host: Annotated[
        int,
        Meta(ge=1, le=1000),
        Env(
            "connections the dispatcher keeps open to one receiver host (requests "
            "beyond it wait for a free connection; browsers keep 6)"
        ),
    ] = 8
    allow_http: Annotated[
        bool, Env("allow `http://` webhook URLs (otherwise `https://` only)")
    ] = False
    allow_private: Annotated[
        bool,
        Env(
            "allow webhook destinations on loopback, private, link-local and "
            "cloud-metadata addresses (local receivers, on-premise use)"
        ),
    ] = False

    def __post_init__(self) -> None:  # programmatic construction (tests, embedding)
        parse_schedule(",".join(str(d) for d in self.retry_schedule))
