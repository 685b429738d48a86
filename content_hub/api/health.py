"""/health: liveness and readiness (the snapshot is loaded)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from content_hub.api.schemas import Health
from content_hub.live.generation import Published


@get("/health", tags=["operations"], summary="Liveness and readiness")
async def health(published_generation: NamedDependency[Published]) -> Response[Health]:
    state = published_generation.generation.delivery
    ready = published_generation.loaded
    return Response(
        Health(
            status="ok" if ready else "starting",
            snapshot_seq=state.seq,
            entries=len(state.entries),
        ),
        status_code=200 if ready else 503,
    )
