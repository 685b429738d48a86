"""The sign-in page (the form posts to ``/studio/sign-in``, which the
session layer answers). Registered on the app, beside that POST handler,
not on the Studio router: one path, one set of methods."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from content_hub.studio.auth import safe_next
from content_hub.studio.views import page

ErrorParam = Annotated[str | None, QueryParameter(max_length=20)]
NextParam = Annotated[str | None, QueryParameter(name="next", max_length=2000)]


@get("/studio/sign-in", name="studio_sign_in", include_in_schema=False)
async def sign_in_page(
    request: Request[Any, Any, Any],
    error: ErrorParam = None,
    next_path: NextParam = None,
) -> Response[str]:
    """``error=credentials`` or ``throttled`` after a refused attempt."""
    return page(
        request,
        "sign_in.html",
        principal=None,
        status=200,
        error=error if error in ("credentials", "throttled") else None,
        next=safe_next(next_path),
    )
