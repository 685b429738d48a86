"""Media records: the list (pages by cursor), a record's metadata form, a new
record by URL, delete.

The same ``MediaService`` calls as ``/manage/v1/media``: a save replaces the
record (the API's PUT) with the form's ``version`` as If-Match, so a record
someone else saved meanwhile is refused (412) and the form comes back with
what was typed; nothing is overwritten unseen.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError, PreconditionFailed
from content_hub.domain.inputs import MediaWrite
from content_hub.domain.keys import Principal
from content_hub.domain.media import Media
from content_hub.domain.permissions import Action, allowed
from content_hub.services.base import Deps
from content_hub.services.media import MediaService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.editor_model import locales_of
from content_hub.studio.pages.params import CursorParam
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.taxonomy_model import inline_errors
from content_hub.studio.views import page, problem_of, redirect

PAGE_SIZE = 25
FIELDS = ("url", "mime_type", "title", "width", "height", "focal_x", "focal_y")


def filename(url: str) -> str:
    """The last path segment of the URL (what people call the file)."""
    try:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    except ValueError:
        name = ""
    return name or url


def _number(raw: str, kind: type[int] | type[float]) -> Any:
    """An int/float input: empty is None, an unreadable one stays text so
    the API's validation names the field."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        return raw


def media_input(form: Form, codes: list[str]) -> MediaWrite:
    """The form as the API's ``MediaWrite`` (422 with the field's path)."""
    x, y = _number(form.get("focal_x"), float), _number(form.get("focal_y"), float)
    data = {
        "url": form.get("url").strip(),
        "mime_type": form.get("mime_type").strip(),
        "title": form.get("title").strip(),
        "alt": {c: form.get(f"alt:{c}") for c in codes if form.get(f"alt:{c}")},
        "width": _number(form.get("width"), int),
        "height": _number(form.get("height"), int),
        "focal_point": None if x is None and y is None else {"x": x, "y": y},
    }
    return convert(data, MediaWrite)


def values_of(media: Media | None) -> dict[str, str]:
    """A record as its form's input values."""
    if media is None:
        return {}
    focal = media.focal_point
    out = {
        "url": media.url,
        "mime_type": media.mime_type,
        "title": media.title,
        "width": "" if media.width is None else str(media.width),
        "height": "" if media.height is None else str(media.height),
        "focal_x": "" if focal is None else str(focal.x),
        "focal_y": "" if focal is None else str(focal.y),
    }
    out.update({f"alt:{code}": text for code, text in media.alt.items()})
    return out


async def _form_page(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    media: Media | None,
    *,
    form: Form | None = None,
    exc: HubError | None = None,
) -> Response[str]:
    """The new-record form (``media`` None) or a record's form; after a
    refusal, what was typed and the errors next to their inputs."""
    errors = {} if exc is None else inline_errors(exc)
    errors = {
        k.replace("alt.", "alt:").replace("focal_point.", "focal_"): v
        for k, v in errors.items()
    }
    typed = {} if form is None else {k: v[0] for k, v in form.values.items() if v}
    stored = values_of(media)
    # after a 412 the form keeps what was typed, shows what is stored now, and
    # carries the stored version: saving again is a decision, not an accident
    theirs = (
        [
            (k, stored.get(k, ""), typed.get(k, ""))
            for k in sorted({*stored, *typed})
            if k not in ("_csrf", "version") and stored.get(k, "") != typed.get(k, "")
        ]
        if isinstance(exc, PreconditionFailed) and media is not None
        else []
    )
    return page(
        request,
        "media_edit.html",
        principal=principal,
        status=200 if exc is None else exc.status,
        problem=None if exc is None else problem_of(exc),
        media=media,
        values=typed if form is not None else stored,
        theirs=theirs,
        errors=errors,
        locales=await locales_of(deps),
        can_write=allowed(principal, Action.MEDIA_WRITE),
    )


@get("/media", name="studio_media")
async def list_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    cursor: CursorParam = None,
) -> Response[str]:
    found = await MediaService(studio_deps).page(cursor=cursor, limit=PAGE_SIZE)
    locales = await locales_of(studio_deps)
    default = next((loc.code for loc in locales if loc.is_default), "en")
    return page(
        request,
        "media_list.html",
        principal=studio_principal,
        rows=[(m, filename(m.url)) for m in found.items],
        default_locale=default,
        next_cursor=found.next_cursor,
        first_page=cursor is not None,
        can_write=allowed(studio_principal, Action.MEDIA_WRITE),
    )


@get("/media/new", name="studio_new_media")
async def new_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    return await _form_page(request, studio_deps, studio_principal, None)


@post("/media", status_code=303)
async def create_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    form = await read_form(request)
    codes = [loc.code for loc in await locales_of(studio_deps)]
    try:
        media = await MediaService(studio_deps).create(media_input(form, codes))
    except HubError as exc:
        await studio_deps.session.rollback()
        return await _form_page(
            request, studio_deps, studio_principal, None, form=form, exc=exc
        )
    return redirect(f"/studio/media/{media.id}", "media_created")


@get("/media/{media_id:str}", name="studio_media_record")
async def show_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    media_id: FromPath[str],
) -> Response[str]:
    media = await MediaService(studio_deps).get(media_id)
    return await _form_page(request, studio_deps, studio_principal, media)


@post("/media/{media_id:str}", status_code=303)
async def save_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    media_id: FromPath[str],
) -> Response[Any]:
    """Replace the record's metadata, If-Match the version the form showed."""
    form = await read_form(request)
    codes = [loc.code for loc in await locales_of(studio_deps)]
    service = MediaService(studio_deps)
    try:
        await service.replace(media_id, media_input(form, codes), version_of(form))
    except HubError as exc:
        await studio_deps.session.rollback()
        media = await service.get(media_id)
        return await _form_page(
            request, studio_deps, studio_principal, media, form=form, exc=exc
        )
    return redirect(f"/studio/media/{media_id}", "media_saved")


@post("/media/{media_id:str}/delete", status_code=303)
async def delete_media(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    media_id: FromPath[str],
) -> Response[Any]:
    form = await read_form(request)
    service = MediaService(studio_deps)
    try:
        await service.delete(media_id, version_of(form))
    except HubError as exc:
        await studio_deps.session.rollback()
        media = await service.get(media_id)
        return await _form_page(request, studio_deps, studio_principal, media, exc=exc)
    return redirect("/studio/media", "media_deleted")


MEDIA_PAGES: list[Any] = [
    list_media,
    new_media,
    create_media,
    show_media,
    save_media,
    delete_media,
]
