"""/health: liveness and readiness (the snapshot is loaded)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from content_hub.api.params import hub_of
from content_hub.api.schemas import Health


@get("/health", tags=["operations"], summary="Liveness and readiness")
async def health(request: Request[Any, Any, Any]) -> Response[Health]:
    snapshot = hub_of(request).snapshot
    state = snapshot.state
    ready = snapshot.loaded
    return Response(
        Health(
            status="ok" if ready else "starting",
            snapshot_seq=state.seq,
            entries=len(state.entries),
        ),
        status_code=200 if ready else 503,
    )
