"""Settings: one frozen Struct built once from ``CONTENT_HUB_*`` variables.

Nothing reads the environment at import time; :func:`Settings.from_env` is
called by the CLI or by whoever builds the app, and the result is injected.

Every field is a variable (see :mod:`content_hub.settings_env`): to add a
setting, add one annotated field with a default to the right sub-Struct, e.g.
``batch_limit: Annotated[Count, Env("what it means")] = 100`` in
``EventSettings`` is ``CONTENT_HUB_EVENTS_BATCH_LIMIT``; ``Env(name=...)``
chooses another name. Then paste the row ``markdown_table(Settings)`` prints
into the README's Configuration table (a test compares them).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from content_hub.domain.locales import canonical_code
from content_hub.settings_env import Env, SettingsError, decode_env, variables
from content_hub.settings_http import CorsSettings, RateLimitSettings, StudioSettings
from content_hub.settings_sse import SseSettings
from content_hub.settings_webhooks import WebhookSettings

__all__ = [
    "BatchSettings",
    "CorsSettings",
    "DatabaseSettings",
    "DeliverySettings",
    "Env",
    "EventSettings",
    "RateLimitSettings",
    "RenderSettings",
    "RetrySettings",
    "SearchSettings",
    "Settings",
    "SettingsError",
    "SseSettings",
    "StudioSettings",
    "WebhookSettings",
    "WorkflowSettings",
    "normalise_database_url",
    "parse_receipts",
    "variables",
]

Seconds = Annotated[float, Meta(gt=0, le=86_400)]
"""An interval: more than nothing, at most a day."""
CacheSeconds = Annotated[int, Meta(ge=0, le=31_536_000)]
"""A Cache-Control lifetime: 0 up to a year (RFC 9111 caps sensible values)."""
Count = Annotated[int, Meta(gt=0, le=100_000_000)]
DRIVERS = ("sqlite+aiosqlite", "postgresql+psycopg")


def normalise_database_url(url: str) -> str:
    """Pick the async driver the hub uses for a plain SQLite/PostgreSQL URL."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _database_url(text: str) -> str:
    url = normalise_database_url(text)
    try:
        driver = make_url(url).drivername
    except ArgumentError as exc:
        raise ValueError("not a database URL") from exc
    if driver not in DRIVERS:
        raise ValueError(f"the {driver!r} driver is not supported")
    return url


def _http_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    return text


def _path(text: str) -> Path:
    """An absolute path; ``~`` and ``~user`` expanded. An unknown user (or no
    home directory) is a bad value, not a crash at start-up."""
    try:
        return Path(text).expanduser().resolve()
    except (RuntimeError, OSError) as exc:
        raise ValueError(f"not a usable path: {exc}") from None


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
    raise ValueError(f"{value!r} is not off, on or sample:<a share from 0 to 1>")


class DatabaseSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Where the relational store lives; SQLite in the data dir by default."""

    url: Annotated[
        str,
        Env(
            "SQLite, or PostgreSQL for scale-out: `postgresql+psycopg://user@host/db` "
            "(run `content-hub migrate` first)",
            parse=_database_url,
            allowed="a `sqlite:///`, `sqlite+aiosqlite:///`, `postgresql://` or "
            "`postgresql+psycopg://` URL",
            default="`sqlite+aiosqlite:///<data dir>/hub.sqlite3`",
        ),
    ]
    echo: Annotated[bool, Env("log every SQL statement (debugging)")] = False
    pool_size: Annotated[
        int,
        Meta(gt=0, le=1000),
        Env("connections per worker kept open (as many again may overflow)"),
    ] = 10

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class SearchSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Meilisearch when a URL is set, SQLite FTS5 in the data dir otherwise."""

    meilisearch_url: Annotated[
        str | None,
        Env(
            "use Meilisearch at this URL instead of SQLite FTS5 for search",
            name="MEILISEARCH_URL",
            parse=_http_url,
            allowed="an http(s) URL (empty: unset)",
        ),
    ] = None
    meilisearch_key: Annotated[
        str | None, Env("Meilisearch API key", name="MEILISEARCH_KEY", secret=True)
    ] = None
    index_prefix: Annotated[
        str,
        Meta(min_length=1, max_length=100, pattern="^[A-Za-z0-9_-]+$"),
        Env("prefix of the Meilisearch index names (one index per locale)"),
    ] = "content_hub"


class DeliverySettings(msgspec.Struct, frozen=True, kw_only=True):
    """Cache headers and the snapshot poll interval of the delivery API."""

    s_maxage: Annotated[
        CacheSeconds,
        Env("delivery `Cache-Control: s-maxage` (CDNs)", name="CACHE_S_MAXAGE"),
    ] = 300
    max_age: Annotated[
        CacheSeconds,
        Env("delivery `Cache-Control: max-age` (browsers)", name="CACHE_MAX_AGE"),
    ] = 0
    stale_while_revalidate: Annotated[
        CacheSeconds,
        Env("delivery `Cache-Control: stale-while-revalidate`", name="CACHE_SWR"),
    ] = 60
    poll_interval: Annotated[
        Seconds,
        Env(
            "seconds between checks for publishes made by other workers or hosts "
            "(x10 while a PostgreSQL `LISTEN` connection is up)",
            name="POLL_INTERVAL",
        ),
    ] = 0.5


class WorkflowSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Editorial workflow: how often due publish/unpublish schedules are run."""

    schedule_interval: Annotated[
        Seconds,
        Env(
            "seconds between runs of due publish/unpublish schedules",
            name="SCHEDULE_INTERVAL",
        ),
    ] = 5.0


class EventSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Buffered event writes; render receipts off (0), sampled or on (1)."""

    receipts: Annotated[
        float,
        Meta(ge=0, le=1),
        Env(
            "record a receipt per render: never, always, or a sampled share",
            name="RECEIPTS",
            parse=parse_receipts,
            allowed="off, on, sample:<0..1>",
            default="`off`",
        ),
    ] = 0.0
    buffer_size: Annotated[
        Count,
        Env("buffered events per worker before a flush is forced and batches wait"),
    ] = 10_000
    flush_interval: Annotated[
        Seconds, Env("seconds between writes of buffered exposures and receipts")
    ] = 1.0


class RetrySettings(msgspec.Struct, frozen=True, kw_only=True):
    """Backoff of the background loops (search indexer, LISTEN reconnect, event
    flush, snapshot follower, scheduler) after a failure: exponential, with
    random jitter, so workers that failed together do not retry together."""

    initial: Annotated[
        float,
        Meta(gt=0, le=60),
        Env(
            "seconds: upper bound of the first retry's random delay; each "
            "further failure doubles it"
        ),
    ] = 0.5
    maximum: Annotated[
        Seconds,
        Env(
            "seconds: cap on any retry's random delay (the first one included)",
            name="RETRY_MAX",
        ),
    ] = 30.0
    lease: Annotated[
        Seconds,
        Env(
            "seconds between attempts to take the lease of a once-per-deployment "
            "loop (search indexer, scheduler), and between its holder's checks "
            "that it still holds it: a dead holder is replaced within about this",
            name="LEASE_INTERVAL",
        ),
    ] = 2.0


class RenderSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Render time budgets and where renders run (see services/render_runner)."""

    time_budget: Annotated[
        float,
        Meta(gt=0, le=60),
        Env(
            "seconds one template part may render before it is stopped with a 422 "
            "`render-budget-exceeded`"
        ),
    ] = 0.5
    slice: Annotated[
        float,
        Meta(ge=0, le=10),
        Env(
            "seconds a render may hold the event loop before it is moved to a "
            "render thread (0: every render runs on a thread)"
        ),
    ] = 0.02
    threads: Annotated[
        int,
        Meta(ge=1, le=64),
        Env("render threads per worker, for renders that outlive their slice"),
    ] = 4


class BatchSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Limits of ``POST /render/v1/render/batch``. NDJSON is streamed, so the
    body limit bounds work, not memory; a JSON array is decoded whole, so it
    has its own, smaller limit."""

    max_line_bytes: Annotated[
        int,
        Meta(ge=1024, le=1 << 30),
        Env(
            "longest recipient line of a batch render; a longer line gets its "
            "own 413 error line"
        ),
    ] = 1 << 20
    max_body_bytes: Annotated[
        int,
        Meta(ge=1024, le=1 << 40),
        Env(
            "largest NDJSON batch body (streamed, so this bounds work, not memory); 413"
        ),
    ] = 1 << 30
    max_array_bytes: Annotated[
        int,
        Meta(ge=1024, le=1 << 32),
        Env("largest JSON-array batch body (decoded whole); 413"),
    ] = 16 << 20
    processes: Annotated[
        int,
        Meta(ge=0, le=64),
        Env(
            "processes a batch render forks to render its chunks on several cores "
            "(0: every chunk on the worker's event loop)"
        ),
    ] = 2


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """All settings of one hub process."""

    data_dir: Annotated[
        Path,
        Env(
            "SQLite database, search index and demo keys",
            parse=_path,
            allowed="a directory path",
            fallback="data",
        ),
    ]
    database: DatabaseSettings
    search: SearchSettings = SearchSettings()
    delivery: DeliverySettings = DeliverySettings()
    workflow: WorkflowSettings = WorkflowSettings()
    events: EventSettings = EventSettings()
    retry: RetrySettings = RetrySettings()
    render: RenderSettings = RenderSettings()
    batch: BatchSettings = BatchSettings()
    cors: CorsSettings = CorsSettings()
    sse: SseSettings = SseSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    studio: StudioSettings = StudioSettings()
    webhooks: WebhookSettings = WebhookSettings()
    default_locale: Annotated[
        str,
        Env(
            "the default locale, created on first start",
            parse=canonical_code,
            allowed="a BCP 47 tag CLDR knows (`en`, `de-CH`, `zh-Hant`)",
        ),
    ] = "en"
    auth_cache_seconds: Annotated[
        float,
        Meta(ge=0, le=3600),
        Env(
            "seconds a worker trusts a looked-up API key; an expired one "
            "answers while it is looked up again (0: a lookup of its own for "
            "every request)"
        ),
    ] = 5.0
    debug: Annotated[bool, Env("Litestar debug mode (tracebacks in responses)")] = False
    secret_key: Annotated[
        str | None,
        Env(
            "the key webhook signing secrets are encrypted with (HKDF-derived); "
            "unset: a random key generated once and kept in the database",
            name="SECRET_KEY",
            secret=True,
        ),
    ] = None
    access_log: Annotated[
        bool,
        Env(
            "one JSON access-log line per request (costs about as much as a "
            "cached delivery read)"
        ),
    ] = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``CONTENT_HUB_*`` variables (or a given mapping).

        Raises :class:`SettingsError` naming every variable whose value is
        not allowed, with the value and the allowed values.
        """
        values = decode_env(cls, os.environ if environ is None else environ)
        database = values.setdefault("database", {})
        database.setdefault(
            "url", f"sqlite+aiosqlite:///{values['data_dir'] / 'hub.sqlite3'}"
        )
        return cls(**_sections(cls, values))


def _sections(cls: type[msgspec.Struct], values: dict[str, Any]) -> dict[str, Any]:
    """Turn each section's dict of values into its sub-Struct."""
    hints = typing.get_type_hints(cls)
    return {
        name: hints[name](**value) if isinstance(value, dict) else value
        for name, value in values.items()
    }
