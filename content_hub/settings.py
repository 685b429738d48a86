"""Settings: one frozen Struct built once from ``CONTENT_HUB_*`` variables.

Nothing reads the environment at import time; :func:`Settings.from_env` is
called by the CLI or by whoever builds the app, and the result is injected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.domain.browser import parse_origins
from content_hub.domain.rate_limits import parse_rate

PREFIX = "CONTENT_HUB_"


class DatabaseSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Where the relational store lives; SQLite in the data dir by default."""

    url: str
    echo: bool = False
    pool_size: int = 10

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class SearchSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Meilisearch when a URL is set, SQLite FTS5 in the data dir otherwise."""

    meilisearch_url: str | None = None
    meilisearch_key: str | None = None
    index_prefix: str = "content_hub"


class DeliverySettings(msgspec.Struct, frozen=True, kw_only=True):
    """Cache headers and the snapshot poll interval of the delivery API."""

    s_maxage: int = 300
    max_age: int = 0
    stale_while_revalidate: int = 60
    poll_interval: float = 0.5


class WorkflowSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Editorial workflow: how often due publish/unpublish schedules are run."""

    schedule_interval: float = 5.0


class RenderSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Render time budgets and where renders run (see services/render_runner)."""

    time_budget: Annotated[float, msgspec.Meta(gt=0, le=60)] = 0.5
    """Wall-clock seconds one template part may render before it is stopped
    with a 422 ``render-budget-exceeded``."""
    slice: Annotated[float, msgspec.Meta(ge=0, le=10)] = 0.02
    """Seconds a render may hold the event loop before it moves to a render
    thread (0: every render runs on a thread)."""
    threads: Annotated[int, msgspec.Meta(ge=1, le=64)] = 4
    """Render threads per worker, for renders that outlive their slice."""


class EventSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Buffered event writes; render receipts off (0), sampled or on (1)."""

    receipts: float = 0.0
    buffer_size: int = 10_000
    flush_interval: float = 1.0


class BatchSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Limits of ``POST /render/v1/render/batch``. NDJSON is streamed, so the
    body limit bounds work, not memory; a JSON array is decoded whole, so it
    has its own, smaller limit."""

    max_line_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1 << 20
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1 << 30
    max_array_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 16 << 20


def parse_receipts(value: str) -> float:
    """``off`` -> 0, ``on`` -> 1, ``sample:0.1`` -> 0.1 (``CONTENT_HUB_RECEIPTS``)."""
    text = value.strip().lower()
    if text in {"off", "on"}:
        return 1.0 if text == "on" else 0.0
    kind, _, rate = text.partition(":")
    if kind == "sample":
        try:
            share = float(rate)
        except ValueError:
            share = -1.0
        if 0.0 <= share <= 1.0:
            return share
    raise ValueError(f"CONTENT_HUB_RECEIPTS must be off, on or sample:<0..1>: {value}")


class CorsSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Origins browsers may call the hub from (``content_hub.api.browser``):
    ``origins`` for delivery, render, events and ``/api/features`` (``*`` counts
    for delivery and ``/api/features`` only), ``manage_origins`` for
    ``/manage`` (listed origins only, never ``*``). Empty: no CORS headers."""

    origins: tuple[str, ...] = ()
    manage_origins: tuple[str, ...] = ()
    max_age: Annotated[int, Meta(ge=0, le=86_400)] = 600

    def __post_init__(self) -> None:
        parse_origins(",".join(self.origins), "CONTENT_HUB_CORS_ORIGINS")
        parse_origins(
            ",".join(self.manage_origins),
            "CONTENT_HUB_CORS_MANAGE_ORIGINS",
            wildcard=False,
        )
        if not 0 <= self.max_age <= 86_400:
            raise ValueError("CONTENT_HUB_CORS_MAX_AGE must be 0..86400 seconds")


class RateLimitSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Request limits (``content_hub.services.rate_limits``): per API key, and
    per client address for failed authentication; ``"N/minute"`` etc. or
    ``"off"``. Counted per worker in memory, shared through Redis when
    ``redis_url`` is set."""

    key: str = "600000/minute"
    auth_failures: str = "20/minute"
    redis_url: str | None = None
    redis_prefix: Annotated[str, Meta(min_length=1, max_length=100)] = "content_hub"
    sync_interval: Annotated[float, Meta(gt=0, le=60)] = 0.2

    def __post_init__(self) -> None:
        for name, value in (("KEY", self.key), ("AUTH_FAILURES", self.auth_failures)):
            try:
                parse_rate(value)
            except ValueError as exc:
                raise ValueError(f"CONTENT_HUB_RATE_LIMIT_{name}: {exc}") from None
        if not 0 < self.sync_interval <= 60:
            raise ValueError("CONTENT_HUB_RATE_LIMIT_SYNC_INTERVAL must be 0 < s <= 60")
        scheme = (self.redis_url or "redis:").partition(":")[0]
        if scheme not in {"redis", "rediss", "unix"}:
            raise ValueError(
                "CONTENT_HUB_REDIS_URL must be a redis://, rediss:// or unix:// URL"
            )


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """All settings of one hub process."""

    data_dir: Path
    database: DatabaseSettings
    search: SearchSettings = SearchSettings()
    delivery: DeliverySettings = DeliverySettings()
    workflow: WorkflowSettings = WorkflowSettings()
    events: EventSettings = EventSettings()
    render: RenderSettings = RenderSettings()
    cors: CorsSettings = CorsSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    batch: BatchSettings = BatchSettings()
    default_locale: str = "en"
    auth_cache_seconds: float = 5.0
    debug: bool = False
    access_log: bool = False
    """One JSON access-log line per request (``CONTENT_HUB_ACCESS_LOG=1``);
    off by default: it costs about as much as a cached delivery read."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``CONTENT_HUB_*`` variables (or a given mapping)."""
        env = os.environ if environ is None else environ

        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(PREFIX + name)
            return default if value in (None, "") else value

        data_dir = Path(get("DATA_DIR", "data") or "data").expanduser().resolve()
        url = get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}"
        return cls(
            data_dir=data_dir,
            database=DatabaseSettings(url=normalise_database_url(url)),
            search=SearchSettings(
                meilisearch_url=get("MEILISEARCH_URL"),
                meilisearch_key=get("MEILISEARCH_KEY"),
                index_prefix=get("SEARCH_INDEX_PREFIX", "content_hub") or "content_hub",
            ),
            delivery=DeliverySettings(
                s_maxage=int(get("CACHE_S_MAXAGE", "300") or 300),
                stale_while_revalidate=int(get("CACHE_SWR", "60") or 60),
                poll_interval=float(get("POLL_INTERVAL", "0.5") or 0.5),
            ),
            workflow=WorkflowSettings(
                schedule_interval=float(get("SCHEDULE_INTERVAL", "5") or 5),
            ),
            events=EventSettings(receipts=parse_receipts(get("RECEIPTS", "off") or "")),
            render=msgspec.convert(
                {
                    k: float(v) if k != "threads" else int(v)
                    for k, v in (
                        ("time_budget", get("RENDER_TIME_BUDGET")),
                        ("slice", get("RENDER_SLICE")),
                        ("threads", get("RENDER_THREADS")),
                    )
                    if v is not None
                },
                RenderSettings,
            ),
            cors=CorsSettings(
                origins=parse_origins(
                    get("CORS_ORIGINS", "") or "", "CONTENT_HUB_CORS_ORIGINS"
                ),
                manage_origins=parse_origins(
                    get("CORS_MANAGE_ORIGINS", "") or "",
                    "CONTENT_HUB_CORS_MANAGE_ORIGINS",
                    wildcard=False,
                ),
                max_age=int(get("CORS_MAX_AGE", "600") or 600),
            ),
            rate_limit=RateLimitSettings(
                key=get("RATE_LIMIT_KEY", "600000/minute") or "",
                auth_failures=get("RATE_LIMIT_AUTH_FAILURES", "20/minute") or "",
                redis_url=get("REDIS_URL"),
                redis_prefix=get("REDIS_PREFIX", "content_hub") or "content_hub",
                sync_interval=float(get("RATE_LIMIT_SYNC_INTERVAL", "0.2") or 0.2),
            ),
            batch=BatchSettings(
                max_line_bytes=int(get("BATCH_MAX_LINE_BYTES", "1048576") or 0),
                max_body_bytes=int(get("BATCH_MAX_BODY_BYTES", "1073741824") or 0),
                max_array_bytes=int(get("BATCH_MAX_ARRAY_BYTES", "16777216") or 0),
            ),
            default_locale=get("DEFAULT_LOCALE", "en") or "en",
            debug=(get("DEBUG", "0") or "0").lower() in {"1", "true", "yes"},
            access_log=(get("ACCESS_LOG", "0") or "0").lower() in {"1", "true", "yes"},
        )


def normalise_database_url(url: str) -> str:
    """Pick the async driver the hub uses for a plain SQLite/PostgreSQL URL."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
