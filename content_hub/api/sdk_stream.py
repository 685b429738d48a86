"""``GET /sub/{client_key}``: server-sent events that GrowthBook SDKs follow.

What the official SDKs expect (JavaScript SDK ``feature-repository.ts``):
``/api/features/{client_key}`` answers ``x-sse-support: enabled``; an SDK
with ``streaming`` on then opens an ``EventSource`` at
``{streamingHost}/sub/{client_key}`` (``streamingHost`` defaults to
``apiHost``) and, for each ``features`` event, takes its data as a new
payload, the same JSON ``/api/features`` answers (encrypted for a client key
with a payload key). It ignores a payload whose ``dateUpdated`` it has.

The stream sends the current payload at once, then one ``features`` event
whenever a generation swap on this worker changes the rules (see
:mod:`content_hub.live.streams`), and a ``: ping`` comment when it was idle
for ``CONTENT_HUB_SSE_PING_INTERVAL`` seconds. At every wake it re-checks the
client key from the authenticator's cache: a revoked key ends the stream, a
payload key set or removed since the last event re-sends the payload in the
new form. Auth, rate limit and CORS are those of ``/api/features``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from content_hub.domain.keys import Scope as KeyScope
from content_hub.live.features import FeaturePayloads, check_client_key
from content_hub.live.streams import FeatureStreams, Subscription
from content_hub.services.keys import Authenticator
from content_hub.settings import Settings

PING = b": ping\n\n"
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
"""No cache may hold the stream, no proxy buffer it (nginx reads the latter)."""


def features_event(body: bytes) -> bytes:
    """One ``features`` event carrying a payload (JSON has no raw newline)."""
    return b"event: features\ndata: " + body + b"\n\n"


class _Closing:
    """The streaming ASGI response, closing its subscription however it ends
    (finished, client gone, cancelled) — no generator finaliser needed."""

    def __init__(self, inner: ASGIResponse, subscription: Subscription) -> None:
        self.inner = inner
        self.subscription = subscription

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.inner(scope, receive, send)
        finally:
            self.subscription.close()


class EventStream(Stream):
    """A ``text/event-stream`` response tied to a subscription."""

    def __init__(self, events: AsyncIterator[bytes], subscription: Subscription):
        super().__init__(events, media_type="text/event-stream", headers=HEADERS)
        self.subscription = subscription

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        inner = super().to_asgi_response(*args, **kwargs)
        return _Closing(inner, self.subscription)  # type: ignore[return-value]


async def _events(
    client_key: str,
    subscription: Subscription,
    authenticator: Authenticator,
    payloads: FeaturePayloads,
    ping_interval: float,
) -> AsyncIterator[bytes]:
    sent: tuple[str, str | None] | None = None
    while not subscription.closed:
        principal = authenticator.cached(client_key)
        if principal is None:  # cleared (a revocation here) or refused
            principal = await authenticator.principal(client_key)
        if principal is None or not principal.has(KeyScope.DELIVERY):
            return
        payload_key = authenticator.payload_key(principal.key_id)
        encoded = payloads.for_key(payload_key)
        if sent != (encoded.digest, payload_key):
            sent = (encoded.digest, payload_key)
            yield features_event(encoded.body)
        if not await subscription.wait(ping_interval) and not subscription.closed:
            yield PING


@get(
    "/sub/{client_key:str}",
    tags=["features"],
    summary="GrowthBook SDK payload updates (server-sent events)",
    description=(
        "What a GrowthBook SDK with `streaming` on subscribes to: a `features` "
        "event with the payload of /api/features/{client_key} at once and after "
        "every publish that changes it, `: ping` comments while idle. 503 with "
        "Retry-After when the worker has no room (the SDK retries)."
    ),
    security=[],
    media_type="text/event-stream",
    opt={"secret_path_param": "client_key"},
)
async def sdk_stream(
    request: Request[Any, Any, Any],
    key_authenticator: NamedDependency[Authenticator],
    feature_payloads: NamedDependency[FeaturePayloads],
    feature_streams: NamedDependency[FeatureStreams],
    hub_settings: NamedDependency[Settings],
    client_key: FromPath[str],
) -> Stream:
    check_client_key(await key_authenticator.principal(client_key))
    subscription = feature_streams.subscribe()
    events = _events(
        client_key,
        subscription,
        key_authenticator,
        feature_payloads,
        hub_settings.sse.ping_interval,
    )
    return EventStream(events, subscription)
