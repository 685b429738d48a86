"""The template conflict view: a save or publish based on a draft someone
else has changed since never overwrites or publishes unseen work.

Like the entries' conflict view (``conflict.py``) it says who saved in
between and when and what they changed (the diff from the version the form
was loaded at), and offers the way on: for a save, the author's parts kept
in the form to save against the current draft; for a publish, publishing
the current draft having seen it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from content_hub.domain.errors import NotFound
from content_hub.domain.keys import Principal
from content_hub.domain.render import PartDiff
from content_hub.services.base import Deps
from content_hub.services.templates import TemplateService
from content_hub.studio.forms import Form
from content_hub.studio.pages.saving import version_of
from content_hub.studio.views import page


async def template_conflict(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    type_key: str,
    channel: str,
    form: Form,
    action: str,
) -> Response[str]:
    service = TemplateService(deps)
    current = await service.current(type_key, channel)
    base = version_of(form) or 0
    theirs: list[PartDiff] = []
    if 0 < base < current.version:
        try:
            theirs = (
                await service.diff(type_key, channel, base, current.version)
            ).parts
        except NotFound:
            theirs = []
    kept = [(k, v) for k, values in form.values.items() for v in values]
    return page(
        request,
        "template_conflict.html",
        principal=principal,
        status=409,
        action=action,
        state=current,
        base_version=base,
        theirs=theirs,
        kept=[(k, v) for k, v in kept if k.startswith("part:") or k == "format"],
        url=f"/studio/content-types/{type_key}/templates/{channel}",
    )
