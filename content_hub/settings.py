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


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """All settings of one hub process."""

    data_dir: Path
    database: DatabaseSettings
    search: SearchSettings = SearchSettings()
    delivery: DeliverySettings = DeliverySettings()
    workflow: WorkflowSettings = WorkflowSettings()
    events: EventSettings = EventSettings()
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
