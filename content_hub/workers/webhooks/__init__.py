"""Webhooks: the dispatcher (a leased background loop), the SSRF guard, the
events a change makes, and the signing secrets' encryption."""

from __future__ import annotations

from content_hub.workers.webhooks.dispatcher import (
    LEASE,
    WebhookDispatcher,
    secret_box,
)
from content_hub.workers.webhooks.ssrf import (
    GuardedClient,
    GuardedResolver,
    Refused,
    Resolver,
    Unresolvable,
    check_url,
    safe_addresses,
    system_resolver,
)

__all__ = [
    "LEASE",
    "GuardedClient",
    "GuardedResolver",
    "Refused",
    "Resolver",
    "Unresolvable",
    "WebhookDispatcher",
    "check_url",
    "safe_addresses",
    "secret_box",
    "system_resolver",
]
