"""Content types: the list and one type's fields with their validations
(creating and editing them is ``type_editor.py``)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entry_lists import EntryLists
from content_hub.studio.views import page


@get("/content-types", name="studio_content_types")
async def list_content_types(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    types = await EntryLists(studio_deps).types()
    return page(
        request,
        "content_types.html",
        principal=studio_principal,
        types=sorted(types.values(), key=lambda t: t.name.lower()),
        may_model=allowed(studio_principal, Action.TYPES_WRITE),
    )


@get("/content-types/{type_key:str}", name="studio_content_type")
async def show_content_type(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
) -> Response[str]:
    ctype = await ContentTypeService(studio_deps).get(type_key)
    return page(
        request,
        "content_type.html",
        principal=studio_principal,
        ctype=ctype,
        may_model=allowed(studio_principal, Action.TYPES_WRITE),
    )
