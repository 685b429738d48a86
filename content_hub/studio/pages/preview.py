"""Server-side markdown preview (htmx): the project's own renderer, so the
preview is what delivery and the channels make of it."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency

from content_hub.domain.keys import Principal
from content_hub.studio.views import ENV, NO_STORE
from renderers import markdown_html

MAX_SOURCE = 200_000


@post("/preview/markdown", status_code=200)
async def markdown_preview(
    request: Request[Any, Any, Any], studio_principal: NamedDependency[Principal]
) -> Response[str]:
    """Renders the form field named by ``field`` (an HTML fragment)."""
    form = await request.form()
    name = str(form.get("field") or "")
    source = str(form.get(name) or "")[:MAX_SOURCE] if name.startswith("f:") else ""
    html = ENV.get_template("_preview.html").render(html=markdown_html(source))
    return Response(html, media_type="text/html", headers=NO_STORE)
