"""Revisions of an entry: the list, what each changed (per locale), revert."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.entries import FieldChange
from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.services.revisions import RevisionService
from content_hub.studio.pages.saving import read_form, refused, version_of
from content_hub.studio.views import page, redirect

CursorParam = Annotated[str | None, QueryParameter(max_length=40)]
PAGE_SIZE = 20


@get("/entries/{entry_id:str}/revisions", name="studio_revisions")
async def list_revisions(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
    cursor: CursorParam = None,
) -> Response[str]:
    entry = await EntryService(studio_deps).get(entry_id)
    found = await RevisionService(studio_deps).page(
        entry_id, cursor=cursor, limit=PAGE_SIZE
    )
    return page(
        request,
        "revisions.html",
        principal=studio_principal,
        entry=entry,
        revisions=found.items,
        next_cursor=found.next_cursor,
    )


def by_locale(
    changes: list[FieldChange], localized: set[str]
) -> list[tuple[str, list[FieldChange]]]:
    """Changes grouped per locale (unlocalised fields, key and terms first)."""
    groups: dict[str, list[FieldChange]] = {}
    for change in changes:
        path = change.path
        locale = (
            str(path[2])
            if len(path) > 2 and path[0] == "fields" and str(path[1]) in localized
            else "all locales"
        )
        groups.setdefault(locale, []).append(change)
    return sorted(groups.items(), key=lambda item: (item[0] != "all locales", item[0]))


@get("/entries/{entry_id:str}/revisions/{version:int}", name="studio_revision")
async def show_revision(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
    version: FromPath[int],
) -> Response[str]:
    entry = await EntryService(studio_deps).get(entry_id)
    revisions = RevisionService(studio_deps)
    revision = await revisions.get(entry_id, version)
    ctype = await ContentTypeService(studio_deps).get(entry.type)
    localized = {f.key for f in ctype.fields if f.localized}
    changes = await revisions.diff(entry_id, version, None)
    return page(
        request,
        "revision.html",
        principal=studio_principal,
        entry=entry,
        revision=revision,
        groups=by_locale(changes, localized),
    )


@post("/entries/{entry_id:str}/revert", status_code=303)
async def revert_entry(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    """The chosen revision becomes the draft (a new revision), If-Match as
    the list showed it."""
    form = await read_form(request)
    raw = form.get("revision")
    try:
        await RevisionService(studio_deps).revert(
            entry_id,
            int(raw) if raw.isdigit() and len(raw) < 10 else 0,
            version_of(form),
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        return await refused(
            request, studio_deps, studio_principal, entry_id, form, exc
        )
    return redirect(f"/studio/entries/{entry_id}/revisions", "reverted")
