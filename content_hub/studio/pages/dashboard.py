"""The dashboard: my drafts, recently published, scheduled, and entries
with missing translations."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency

from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.entry_lists import EntryLists
from content_hub.studio.views import page


@get("/", name="studio_dashboard")
async def dashboard(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    board = await EntryLists(studio_deps).dashboard(studio_principal.name)
    return page(request, "dashboard.html", principal=studio_principal, board=board)
