"""Creating and editing a content type: the same ``ContentTypeService``
calls as ``POST``/``PUT /manage/v1/content-types``.

A save sends the form's version as the API's If-Match: a stale one is
refused (412) and the form comes back with a message and nothing written.
A change that existing entries break comes back as the service reports it
(409, the entries and fields affected) with an input per broken field for
its migration default; "Apply and migrate" repeats the save with
``migrate=True`` and those defaults, as ``?migrate=true`` does.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.content_types import CHANNELS, ContentType
from content_hub.domain.errors import (
    FieldError,
    HubError,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
)
from content_hub.domain.inputs import ContentTypeCreate, ContentTypeUpdate
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, require
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entry_lists import EntryLists
from content_hub.services.type_changes import BreakingTypeChange
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.type_form import (
    FIELD_TYPES,
    FieldRow,
    default_value,
    definition,
    loc_index,
    row_of,
    rows_of,
)
from content_hub.studio.views import page, problem_of, redirect

_PASS_THROUGH = (401, 403, 404)
"""Problems shown as the error page, not inline on the form."""


async def _form_page(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    *,
    ctype: ContentType | None,
    form: Form | None,
    rows: list[FieldRow],
    status: int = 200,
    exc: HubError | None = None,
    breaking: dict[str, Any] | None = None,
) -> Response[str]:
    """The form (new when ``ctype`` is None), with the submitted values when
    there is a ``form``, and the problem of ``exc`` inline."""
    problem = problem_of(exc) if exc is not None else None
    row_errors: dict[int, list[str]] = {}
    if problem is not None:
        other = []
        for error in problem["errors"]:
            loc = loc_index(error["loc"], rows)
            if len(loc) > 1 and loc[0] == "fields" and isinstance(loc[1], int):
                where = ".".join(str(p) for p in loc[2:])
                row_errors.setdefault(loc[1], []).append(
                    f"{where}: {error['msg']}" if where else error["msg"]
                )
            elif loc and loc[0] != "migration_defaults":
                other.append(f"{'.'.join(str(p) for p in loc)}: {error['msg']}")
        problem["other"] = other
    if form is None and ctype is not None:
        values = {
            "key": ctype.key,
            "name": ctype.name,
            "description": ctype.description,
            "channels": list(ctype.channels),
            "version": str(ctype.version),
        }
    elif form is not None:
        values = {
            "key": form.get("key") if ctype is None else ctype.key,
            "name": form.get("name"),
            "description": form.get("description"),
            "channels": form.getall("channels"),
            "version": form.get("version"),
        }
    else:
        values = {"key": "", "name": "", "description": "", "channels": ["web"]}
        values["version"] = ""
    types = await EntryLists(deps).types()
    return page(
        request,
        "content_type_form.html",
        principal=principal,
        status=status,
        problem=problem,
        ctype=ctype,
        values=values,
        rows=rows,
        row_errors=row_errors,
        field_types=FIELD_TYPES,
        channels=CHANNELS,
        type_keys=sorted(types),
        breaking=breaking,
        stale=isinstance(exc, PreconditionFailed | PreconditionRequired),
    )


@get("/content-types/new", name="studio_new_content_type")
async def new_content_type(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    require(studio_principal, Action.TYPES_WRITE)  # the service's rule, early
    rows = [FieldRow(index=0), FieldRow(index=1)]
    return await _form_page(
        request, studio_deps, studio_principal, ctype=None, form=None, rows=rows
    )


@get("/content-types/{type_key:str}/edit", name="studio_edit_content_type")
async def edit_content_type(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
) -> Response[str]:
    require(studio_principal, Action.TYPES_WRITE)
    ctype = await ContentTypeService(studio_deps).get(type_key)
    rows = [row_of(i, f) for i, f in enumerate(ctype.fields)]
    rows.append(FieldRow(index=len(rows)))
    return await _form_page(
        request, studio_deps, studio_principal, ctype=ctype, form=None, rows=rows
    )


@post("/content-types", status_code=303)
async def create_content_type(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    form = await read_form(request)
    rows = rows_of(form)
    if form.has("add_field"):
        rows.append(FieldRow(index=len(rows)))
        return await _form_page(
            request, studio_deps, studio_principal, ctype=None, form=form, rows=rows
        )
    data, errors = definition(form, rows)
    try:
        require(studio_principal, Action.TYPES_WRITE)
        _raise(errors)
        ctype = await ContentTypeService(studio_deps).create(
            convert(data, ContentTypeCreate)
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        if exc.status in _PASS_THROUGH:
            raise
        return await _form_page(
            request,
            studio_deps,
            studio_principal,
            ctype=None,
            form=form,
            rows=rows,
            status=exc.status,
            exc=exc,
        )
    return redirect(f"/studio/content-types/{ctype.key}", "type_created")


@post("/content-types/{type_key:str}", status_code=303)
async def update_content_type(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: FromPath[str],
) -> Response[Any]:
    """``PUT /manage/v1/content-types/{key}`` with If-Match: the form's
    version, and ``?migrate=true`` when "Apply and migrate" was pressed."""
    service = ContentTypeService(studio_deps)
    current = await service.get(type_key)
    form = await read_form(request)
    rows = rows_of(form)
    if form.has("add_field"):
        rows.append(FieldRow(index=len(rows)))
        return await _form_page(
            request, studio_deps, studio_principal, ctype=current, form=form, rows=rows
        )
    data, errors = definition(form, rows)
    migrate = form.has("migrate")
    breaking: dict[str, Any] | None = None
    try:
        require(studio_principal, Action.TYPES_WRITE)
        _raise(errors)
        update = convert(data, ContentTypeUpdate)
        if migrate:
            update = _with_defaults(update, form)
        await service.update(type_key, update, version_of(form), migrate)
    except HubError as exc:
        await studio_deps.session.rollback()
        if exc.status in _PASS_THROUGH:
            raise
        if isinstance(exc, BreakingTypeChange) or (migrate and form.has("defaults")):
            breaking = _breaking(exc, form, data)
        return await _form_page(
            request,
            studio_deps,
            studio_principal,
            ctype=current,
            form=form,
            rows=rows,
            status=exc.status,
            exc=exc,
            breaking=breaking,
        )
    return redirect(f"/studio/content-types/{type_key}", "type_saved")


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(
            f"The content type cannot be saved: {len(errors)} field error(s).",
            errors=errors,
        )


def _with_defaults(update: ContentTypeUpdate, form: Form) -> ContentTypeUpdate:
    """``update`` with ``migration_defaults`` from the ``default-<field>``
    inputs (typed as the new definition's field; an empty input gives none,
    so the service names the field as still missing one)."""
    defaults: dict[str, Any] = {}
    errors: list[FieldError] = []
    for fdef in update.fields:
        raw = form.get(f"default-{fdef.key}")
        if not raw.strip():
            continue
        value, error = default_value(fdef, raw)
        if error is not None:
            errors.append(FieldError(loc=["migration_defaults", fdef.key], msg=error))
        defaults[fdef.key] = value
    _raise(errors)
    return msgspec.structs.replace(update, migration_defaults=defaults)


def _breaking(exc: HubError, form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """What the breaking-change section shows: the affected entries and
    fields (from the 409; carried in the form when the migration itself was
    refused, e.g. for a missing default) and an input per field that is
    kept and needs a default."""
    kept = {f["key"]: f for f in data["fields"]}
    extra = exc.extra if isinstance(exc, BreakingTypeChange) else {}
    fields = extra.get("fields")
    names = (
        [str(f) for f in fields]
        if isinstance(fields, list)
        else form.getall("defaults")
    )
    listed = extra.get("entries")
    entries = list(listed) if isinstance(listed, list) else []
    count = extra.get("affected_count") or form.get("affected_count") or len(entries)
    errors = {
        str(e.loc[1]): e.msg
        for e in exc.errors
        if len(e.loc) > 1 and e.loc[0] == "migration_defaults"
    }
    needs = [
        {
            "key": key,
            "field": kept[key],
            "value": form.get(f"default-{key}"),
            "error": errors.get(key),
        }
        for key in names
        if key in kept
    ]
    return {
        "entries": entries,
        "count": count,
        "removed": [key for key in names if key not in kept],
        "fields": names,
        "needs": needs,
    }
