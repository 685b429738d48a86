"""A release's items in the Studio: add one (an entry version, a template
version or an audience change) or remove one from its page, the revisions
an entry offers (an htmx fragment of the add form), and "Add to a release"
from the entry editor. The same :class:`ReleaseService` calls as
``/manage/v1/releases/{id}/items``, with the release's version as If-Match.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.errors import HubError, PreconditionFailed
from content_hub.domain.keys import Principal
from content_hub.domain.releases import ReleaseItems
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.releases import ReleaseService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.release_model import items_of, revision_options
from content_hub.studio.pages.releases import PATH, change_release
from content_hub.studio.pages.saving import editor_url, read_form, refused, version_of
from content_hub.studio.views import page, redirect

EntryParam = Annotated[str, QueryParameter(name="entry", max_length=64)]


@post(PATH + "/items", status_code=303)
async def add_item(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[Any]:
    """The item the form describes (replacing the release's item for the
    same entry, template or audience, as the API does)."""

    async def change(service: ReleaseService, form: Form) -> object:
        items = await items_of(service.deps, form)
        return await service.add_items(release_id, items, version_of(form))

    return await change_release(
        request,
        studio_deps,
        studio_principal,
        release_id,
        change,
        "release_item_added",
    )


@post(PATH + "/items/remove", status_code=303)
async def remove_item(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
) -> Response[Any]:
    """``kind`` and ``ref`` as in ``DELETE .../items/{kind}/{ref}``."""

    async def change(service: ReleaseService, form: Form) -> object:
        kind, ref = form.get("kind"), form.get("ref")
        return await service.remove_item(release_id, kind, ref, version_of(form))

    return await change_release(
        request,
        studio_deps,
        studio_principal,
        release_id,
        change,
        "release_item_removed",
    )


@get(PATH + "/revisions", name="studio_release_revisions")
async def entry_revisions(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    release_id: FromPath[str],
    entry: EntryParam = "",
) -> Response[str]:
    """htmx: the revision picker of the add form for the entry chosen."""
    await ReleaseService(studio_deps).get(release_id)
    return page(
        request,
        "_release_revisions.html",
        principal=studio_principal,
        revisions=await revision_options(studio_deps, entry),
        errors={},
        typed=Form({}),
    )


@post("/entries/{entry_id:str}/add-to-release", status_code=303)
async def add_to_release(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    """The editor's draft (the version the page showed) into the release
    chosen (``release`` is ``<id>:<version>``: the release as listed)."""
    form = await read_form(request)
    await EntryService(studio_deps).get(entry_id)  # 404 before anything
    release_id, _, raw = form.get("release").rpartition(":")
    expected = version_of(Form({"version": [raw]}))
    service = ReleaseService(studio_deps)
    try:
        item = {"entry": entry_id, "version": version_of(form)}
        items = convert({"entries": [item]}, ReleaseItems)
        await service.add_items(release_id, items, expected)
    except PreconditionFailed:
        await studio_deps.session.rollback()
        name = (await service.get(release_id)).name
        exc = PreconditionFailed(
            f"Release {name!r} changed since this page was loaded: nothing was "
            "added. Choose it again to add this draft to it as it is now."
        )
        return await refused(
            request, studio_deps, studio_principal, entry_id, form, exc
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        return await refused(
            request, studio_deps, studio_principal, entry_id, form, exc
        )
    return redirect(editor_url(entry_id, form), "added_to_release")


RELEASE_ITEM_PAGES = [add_item, remove_item, entry_revisions, add_to_release]
