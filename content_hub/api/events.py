"""/render/v1/events: exposures (from GrowthBook SDKs) and conversions (from
orchestrators), idempotent by event id."""

from __future__ import annotations

from litestar import Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from content_hub.domain.events import EventBatch, EventsAccepted
from content_hub.domain.keys import Scope
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.events import EventService


@post(
    "/render/v1/events",
    tags=["events"],
    summary="Record exposures and conversions (idempotent by event id)",
    description=(
        "Up to 1,000 exposures and 1,000 conversions per request. An event id "
        "seen before (in this or an earlier request) is counted as a duplicate "
        "and changes nothing. Answered with 202 and the counts."
    ),
    status_code=202,
    opt={"scopes": (Scope.RENDER, Scope.DELIVERY)},
)
async def record_events(
    deps: NamedDependency[Deps],
    feature_payloads: NamedDependency[FeaturePayloads],
    data: JSONBody[EventBatch],
) -> Response[EventsAccepted]:
    rules = feature_payloads.rules()
    accepted = await EventService(deps, rules.variant_of).ingest(data)
    return Response(accepted, status_code=202)
