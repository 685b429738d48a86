"""Time buckets of an experiment's exposures and conversions, and the
experiments that have exposures, for the results charts and the Studio list.

Buckets are computed in SQL: a text key of the UTC day or hour
(``strftime`` on SQLite, ``to_char`` on PostgreSQL, both ``YYYY-MM-DD`` or
``YYYY-MM-DD HH``), grouped with the variation. Units and conversions follow
the results' rules (:mod:`content_hub.store.repositories.events`): a unit
counts in the bucket of its first exposure, a conversion only at or after it,
and a converted unit in the bucket of its first such conversion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.store.repositories.events import _FIRST

Bucket = Literal["day", "hour"]
_KEY_FORMATS = {"day": "%Y-%m-%d", "hour": "%Y-%m-%d %H"}
_SQLITE = {"day": "strftime('%Y-%m-%d', {0})", "hour": "strftime('%Y-%m-%d %H', {0})"}
_POSTGRES = {
    "day": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    "hour": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
}


class ExposureBucket(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    variation_id: int
    units: int


class ConversionBucket(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    variation_id: int
    converted: int
    conversions: int
    value: float


class ExperimentActivity(msgspec.Struct, frozen=True, kw_only=True):
    experiment_key: str
    units: int
    exposures: int
    first_at: datetime
    last_at: datetime


def _bucket_start(key: str, bucket: Bucket) -> datetime:
    return datetime.strptime(key, _KEY_FORMATS[bucket]).replace(tzinfo=UTC)


def _time(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite returns text here)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_EXPOSURES = """
SELECT {bucket} AS bucket, variation_id, COUNT(*) AS units
FROM first_exposure GROUP BY 1, 2 ORDER BY 1, 2"""

_CONVERSIONS = """,
per_conversion AS (
    SELECT f.variation_id, c.at AS at, c.value AS value,
           ROW_NUMBER() OVER (
               PARTITION BY f.hash_value ORDER BY c.at, c.event_id
           ) AS nth
    FROM first_exposure f
    JOIN conversion c
      ON c.hash_value = f.hash_value AND c.goal = :goal AND c.at >= f.at
)
SELECT {bucket} AS bucket, variation_id,
       SUM(CASE WHEN nth = 1 THEN 1 ELSE 0 END) AS converted,
       COUNT(*) AS conversions, SUM(COALESCE(value, 0.0)) AS value
FROM per_conversion GROUP BY 1, 2 ORDER BY 1, 2"""


def _queries(dialect: dict[str, str], bucket: Bucket) -> tuple[sa.TextClause, ...]:
    """Constant SQL per dialect and bucket size (values are bound parameters:
    only the fixed bucket expressions above are put into the text)."""
    expression = dialect[bucket].format("at")
    return tuple(
        sa.text("".join((_FIRST, rest.replace("{bucket}", expression))))
        for rest in (_EXPOSURES, _CONVERSIONS)
    )


_STATEMENTS = {
    (name, bucket): _queries(dialect, bucket)
    for name, dialect in (("sqlite", _SQLITE), ("postgresql", _POSTGRES))
    for bucket in ("day", "hour")
}

_ACTIVITY = sa.text(
    """
SELECT experiment_key, COUNT(DISTINCT hash_value) AS units, COUNT(*) AS exposures,
       MIN(at) AS first_at, MAX(at) AS last_at
FROM exposure GROUP BY experiment_key ORDER BY experiment_key LIMIT :limit
"""
)


class ExperimentTimelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _statements(self, bucket: Bucket) -> tuple[sa.TextClause, ...]:
        name = self.session.get_bind().dialect.name
        return _STATEMENTS["postgresql" if name == "postgresql" else "sqlite", bucket]

    async def exposure_buckets(
        self, experiment_key: str, bucket: Bucket
    ) -> list[ExposureBucket]:
        """Per bucket and variation: units first exposed in it."""
        stmt = self._statements(bucket)[0]
        result = await self.session.execute(stmt, {"key": experiment_key})
        return [
            ExposureBucket(
                at=_bucket_start(str(r.bucket), bucket),
                variation_id=int(r.variation_id),
                units=int(r.units),
            )
            for r in result
        ]

    async def conversion_buckets(
        self, experiment_key: str, goal: str, bucket: Bucket
    ) -> list[ConversionBucket]:
        """Per bucket and variation: units first converting on ``goal`` in it,
        conversion events and their values (all after the first exposure)."""
        stmt = self._statements(bucket)[1]
        result = await self.session.execute(stmt, {"key": experiment_key, "goal": goal})
        return [
            ConversionBucket(
                at=_bucket_start(str(r.bucket), bucket),
                variation_id=int(r.variation_id),
                converted=int(r.converted or 0),
                conversions=int(r.conversions),
                value=float(r.value or 0.0),
            )
            for r in result
        ]

    async def activity(self, limit: int = 1000) -> list[ExperimentActivity]:
        """Every experiment key with exposures: units, events, first and last."""
        result = await self.session.execute(_ACTIVITY, {"limit": limit})
        return [
            ExperimentActivity(
                experiment_key=str(r.experiment_key),
                units=int(r.units),
                exposures=int(r.exposures),
                first_at=_time(r.first_at),
                last_at=_time(r.last_at),
            )
            for r in result
        ]
