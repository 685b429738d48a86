"""Operations: request ids, JSON logs and Prometheus metrics.

One plugin wires it all into the app (``plugins=[ObservabilityPlugin()]``):

* :class:`RequestIdMiddleware` takes ``X-Request-ID`` when the caller sends a
  sane one and makes one up otherwise, returns it in the response header,
  keeps it in ``request.scope["request_id"]`` (and ``request.state``) and in
  a contextvar (:func:`current_request_id`), so a handler or service can put
  it in its response, and writes one JSON access-log line per request;
* logs are JSON lines (:class:`JsonFormatter`) carrying the request id;
* ``/metrics`` (``metrics`` scope): Litestar's ``PrometheusController`` over
  the default registry (request latency per route template from
  ``PrometheusMiddleware``, plus the hub's series in
  ``content_hub.live.metrics``).
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import os
import re
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, cast

import msgspec
from litestar.config.app import AppConfig
from litestar.enums import ScopeType
from litestar.logging.config import LoggingConfig
from litestar.middleware import ASGIMiddleware
from litestar.plugins import InitPluginProtocol
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import Counter

import content_hub.live.metrics  # noqa: F401  (registers the hub's series)
from content_hub.domain.keys import Scope as KeyScope
from content_hub.tally import TallyCounter, TallyHistogram

HEADER = "X-Request-ID"
_DEFERRED = "content_hub.deferred_error"
_HEADER_BYTES = HEADER.lower().encode("latin-1")
_VALID = re.compile(r"^[A-Za-z0-9._:/=+-]{1,128}$")
_REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
access_log = logging.getLogger("content_hub.access")
_encoder = msgspec.json.Encoder()
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def current_request_id() -> str | None:
    """The id of the request being handled (None outside a request)."""
    return _REQUEST_ID.get()


def request_id_of(scope: Scope | Any) -> str | None:
    """The request id a :class:`RequestIdMiddleware` put in ``scope``
    (``scope["request_id"]``, also ``request.state["request_id"]``)."""
    if not isinstance(scope, dict):
        return None
    direct = scope.get("request_id")
    if isinstance(direct, str):
        return direct
    state = scope.get("state")
    value = state.get("request_id") if isinstance(state, dict) else None
    return value if isinstance(value, str) else None


def request_id_of_scope(scope: Scope) -> str | None:
    """The id an earlier layer (the edge) gave this request, if any."""
    value = cast(dict[str, Any], scope).get("request_id")
    return value if isinstance(value, str) else None


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _HEADER_BYTES:
            text = value.decode("latin-1").strip()
            return text if _VALID.match(text) else None
    return None


Guard = Callable[[Scope], Awaitable[None]]
"""Runs before the handler with the request id set; raises to refuse."""


class _RequestIds:
    """Unique request ids without a syscall per request: a random per-process
    prefix and a counter (``uuid4`` reads ``/dev/urandom`` each time, which
    costs tens of microseconds in some sandboxes)."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self.prefix = uuid.uuid4().hex[:16]
        self.counter = itertools.count(1)

    def new(self) -> str:
        return f"{self.prefix}{next(self.counter):016x}"


new_request_id = _RequestIds().new


class RequestIdMiddleware(ASGIMiddleware):
    """Request id in, request id out, route metrics, one access-log line, and
    an optional guard (the hub's authentication) — in one layer.

    Every Litestar middleware layer costs a few microseconds of wrapping and
    bypass checks per request; on a cached delivery read that adds up, so the
    per-request concerns share this one. After the guard, a route that
    declares ``opt["fast_path"]`` is answered by it without the handler
    machinery when it can (see :mod:`content_hub.api.fast_path`).
    """

    scopes = (ScopeType.HTTP,)

    def __init__(
        self,
        *,
        access_log: bool = True,
        metrics: bool = True,
        guard: Guard | None = None,
    ) -> None:
        self.access_log = access_log
        self.metrics = _RouteMetrics() if metrics else None
        self.guard = guard

    def begin(self, scope: Scope) -> tuple[str, contextvars.Token[str | None]]:
        """Give the request its id (the one the edge already gave it, the
        caller's ``X-Request-ID`` or a new one) and make it current."""
        request_id = request_id_of_scope(scope) or _incoming(scope) or new_request_id()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        cast(dict[str, Any], scope)["request_id"] = request_id
        return request_id, _REQUEST_ID.set(request_id)

    @staticmethod
    def defer(scope: Scope, exc: Exception) -> None:
        """Have :meth:`handle` raise ``exc`` (from the edge's fast path) where
        the app's exception handlers answer it."""
        cast(dict[str, Any], scope)[_DEFERRED] = exc

    @staticmethod
    def abandon(token: contextvars.Token[str | None]) -> None:
        """Undo :meth:`begin` (the request goes on down the full stack, which
        begins again with the same id)."""
        _REQUEST_ID.reset(token)

    @staticmethod
    def header(request_id: str) -> tuple[bytes, bytes]:
        """The response header that carries the request id."""
        return (_HEADER_BYTES, request_id.encode("latin-1"))

    def finish(
        self,
        scope: Scope,
        request_id: str,
        status: int,
        started: float,
        token: contextvars.Token[str | None],
    ) -> None:
        """Route metrics and the access-log line; the request id stops being
        current."""
        elapsed = time.perf_counter() - started
        if self.metrics is not None and not _is_metrics(scope):
            self.metrics.observe(scope, status, elapsed)
        if self.access_log:
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "route": scope.get("path_template"),
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                },
            )
        _REQUEST_ID.reset(token)

    async def handle(
        self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp
    ) -> None:
        request_id, token = self.begin(scope)
        started = time.perf_counter()
        status = 500
        header = self.header(request_id)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [
                    h for h in message.get("headers", ()) if h[0] != _HEADER_BYTES
                ]
                headers.append(header)
                message["headers"] = headers
            await send(message)

        try:
            if self.guard is not None:
                await self.guard(scope)
            deferred = cast(dict[str, Any], scope).pop(_DEFERRED, None)
            if deferred is not None:
                raise deferred
            fast_path = scope["route_handler"].opt.get("fast_path")
            answer = None
            if fast_path is not None:
                answer, receive = await fast_path(scope, receive)
            if answer is None:
                await next_app(scope, receive, send_with_id)
            else:
                code, headers, body = answer
                await send_with_id(
                    {"type": "http.response.start", "status": code, "headers": headers}
                )
                await send_with_id(
                    {"type": "http.response.body", "body": body, "more_body": False}
                )
        except Exception as exc:  # answered by the app's exception handlers
            status = _status_of(exc)
            raise
        finally:
            self.finish(scope, request_id, status, started, token)


def _status_of(exc: Exception) -> int:
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    return status if isinstance(status, int) else 500


async def add_request_id_header(message: Message, scope: Scope) -> None:
    """``before_send`` hook: the id also reaches responses that exception
    handlers write outside the middleware stack (401s, 404s, ...)."""
    if message["type"] != "http.response.start":
        return
    request_id = request_id_of(scope) or _incoming(scope) or new_request_id()
    header = (_HEADER_BYTES, request_id.encode("latin-1"))
    headers = message.get("headers", ())
    if isinstance(headers, list) and headers and headers[-1] == header:
        return  # appended by the middleware or the edge, which de-duplicate
    headers = [h for h in headers if h[0] != _HEADER_BYTES]
    headers.append(header)
    message["headers"] = headers


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and
    any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in data and key != "request_id":
                data[key] = value
        if record.exc_info:
            data["exc"] = "".join(traceback.format_exception(*record.exc_info))
        return _encoder.encode(
            msgspec.to_builtins(data, str_keys=True, enc_hook=str)
        ).decode()


class RequestIdFilter(logging.Filter):
    """Stamps the current request id on a record in the thread that logs it
    (the queue listener formats later, in its own thread)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def json_logging_config() -> LoggingConfig:
    """Litestar's logging set-up with every line formatted as JSON."""
    handlers = {
        name: {**config, "filters": ["request_id"]}
        for name, config in LoggingConfig().handlers.items()
    }
    return LoggingConfig(
        formatters={"standard": {"()": JsonFormatter}},
        filters={"request_id": {"()": RequestIdFilter}},
        handlers=handlers,
        loggers={
            "content_hub": {"level": "INFO", "propagate": True},
            "litestar": {"level": "INFO", "propagate": True},
        },
        log_exceptions="debug",
    )


_LABELS = ("method", "path", "status_code", "app_name")
HTTP_REQUESTS = TallyCounter(
    "content_hub_http_requests_total", "HTTP requests by route template", _LABELS
)
HTTP_ERRORS = Counter(
    "content_hub_http_requests_error_total", "HTTP 5xx responses by route", _LABELS
)
HTTP_DURATION = TallyHistogram(
    "content_hub_http_request_duration_seconds",
    "HTTP request latency by route template",
    _LABELS,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _is_metrics(scope: Scope) -> bool:
    return scope.get("path") == "/metrics"


class _RouteMetrics:
    """Request count and latency per route template, at a few microseconds:
    the labelled children are kept per (method, route, status), one observe
    per request (Litestar's Prometheus middleware builds a Request and four
    label sets per call)."""

    def __init__(self) -> None:
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, scope: Scope, status: int, elapsed: float) -> None:
        key = (str(scope.get("method")), str(scope.get("path_template")), status)
        children = self._children.get(key)
        if children is None:
            values = (*map(str, key), "content_hub")
            children = (HTTP_REQUESTS.labels(*values), HTTP_DURATION.labels(*values))
            self._children[key] = children
        children[0].inc()
        children[1].observe(elapsed)
        if status >= 500:
            HTTP_ERRORS.labels(*map(str, key), "content_hub").inc()


class MetricsController(PrometheusController):
    """``/metrics`` for a key with the ``metrics`` scope (or ``admin``): route
    names and latencies tell an outsider too much (Prometheus sends the key
    with ``authorization: {credentials: <key>}`` in its scrape config)."""

    path = "/metrics"
    tags = ["operations"]
    include_in_schema = True
    opt = {"scopes": (KeyScope.METRICS,)}


class ObservabilityPlugin(InitPluginProtocol):
    """Request ids, JSON logs, request metrics and ``/metrics`` for the app."""

    def __init__(
        self,
        *,
        json_logs: bool = True,
        access_log: bool = True,
        guard: Guard | None = None,
    ) -> None:
        self.json_logs = json_logs
        self.access_log = access_log
        self.guard = guard
        self.middleware: RequestIdMiddleware | None = None

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        middleware = RequestIdMiddleware(access_log=self.access_log, guard=self.guard)
        self.middleware = middleware
        """The app's request middleware (the edge shares it)."""
        app_config.middleware.insert(0, middleware)
        app_config.route_handlers.append(MetricsController)
        app_config.before_send.append(add_request_id_header)
        if self.json_logs:
            app_config.logging_config = json_logging_config()
        return app_config
