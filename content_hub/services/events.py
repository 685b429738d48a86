"""The ingest of SDK exposures and orchestrator conversions
(``POST /render/v1/events``), idempotent, in the request's session. The render
path's own exposures go through :mod:`content_hub.live.exposures`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.events import (
    Conversion,
    EventBatch,
    EventCounts,
    EventsAccepted,
    Exposure,
)
from content_hub.services.base import Deps
from content_hub.store.repositories.events import EventRepository

_E = TypeVar("_E", Exposure, Conversion)
VariantLookup = Callable[[str, int], str | None]
"""Variant key of ``(experiment key, variation index)`` in the published rules."""


class EventService:
    """``POST /render/v1/events``: idempotent ingest in the request's session."""

    def __init__(self, deps: Deps, variant_of: VariantLookup | None = None) -> None:
        self.deps = deps
        self.repo = EventRepository(deps.session)
        self.variant_of = variant_of

    async def ingest(self, batch: EventBatch) -> EventsAccepted:
        at = datetime.now(UTC)
        exposures = [
            Exposure(
                event_id=e.event_id,
                experiment_key=e.experiment_key,
                variation_id=e.variation_id,
                variant=e.variant or self._variant(e.experiment_key, e.variation_id),
                hash_attribute=e.hash_attribute,
                hash_value=e.hash_value,
                entry_id=e.entry_id,
                channel=e.channel,
                source="sdk",
                at=_utc(e.at, ["body", "exposures", i, "at"]) if e.at else at,
            )
            for i, e in enumerate(batch.exposures)
        ]
        conversions = [
            Conversion(
                event_id=c.event_id,
                goal=c.goal,
                hash_value=c.hash_value,
                value=c.value,
                at=_utc(c.at, ["body", "conversions", i, "at"]) if c.at else at,
            )
            for i, c in enumerate(batch.conversions)
        ]
        new_exposures = await self.repo.add_exposures(_unique(exposures))
        new_conversions = await self.repo.add_conversions(_unique(conversions))
        exp = EventCounts(
            accepted=len(new_exposures),
            duplicates=len(exposures) - len(new_exposures),
        )
        conv = EventCounts(
            accepted=len(new_conversions),
            duplicates=len(conversions) - len(new_conversions),
        )
        return EventsAccepted(
            accepted=exp.accepted + conv.accepted,
            duplicates=exp.duplicates + conv.duplicates,
            exposures=exp,
            conversions=conv,
        )

    def _variant(self, experiment_key: str, variation_id: int) -> str:
        found = (
            self.variant_of(experiment_key, variation_id) if self.variant_of else None
        )
        return found or str(variation_id)


def _utc(value: datetime, loc: list[str | int]) -> datetime:
    """The time in UTC; one that has no UTC equivalent is a 422."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed(
            "The event time is out of range.",
            errors=[FieldError(loc=loc, msg="time out of range")],
        ) from None


def _unique(items: list[_E]) -> list[_E]:
    """First occurrence of each event id (later ones are duplicates)."""
    seen: dict[str, _E] = {}
    for item in items:
        seen.setdefault(item.event_id, item)
    return list(seen.values())
