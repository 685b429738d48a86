"""Saving the editor's form: the one path every save takes (the editor,
the conflict view's re-apply), and the editor shown again after a refusal."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from content_hub.domain.errors import HubError, PreconditionFailed, ValidationFailed
from content_hub.domain.inputs import EntryPatch
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.studio.forms import (
    Form,
    changed_only,
    convert,
    errors_by_input,
    read_fields,
)
from content_hub.studio.pages.conflict import conflict_page
from content_hub.studio.pages.editor_model import (
    editor_context,
    locales_of,
    pick_locales,
)
from content_hub.studio.views import page, problem_of, redirect


async def read_form(request: Request[Any, Any, Any]) -> Form:
    return Form.of(list((await request.form()).multi_items()))


def version_of(form: Form) -> int | None:
    raw = form.get("version")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def editor_url(entry_id: str, form: Form | None = None) -> str:
    url = f"/studio/entries/{entry_id}"
    if form is not None and form.get("target"):
        url += f"?source={form.get('source')}&target={form.get('target')}"
    return url


async def save(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    form: Form,
) -> Response[Any]:
    """Patch the draft with the form's target-locale values, unlocalised
    fields, key and terms. Whatever the form sends goes to the service, which
    decides what this user may change (the page only disables what it
    would refuse)."""
    entries = EntryService(deps)
    entry = await entries.get(entry_id)
    ctype = await ContentTypeService(deps).get(entry.type)
    _, target = pick_locales(
        await locales_of(deps), form.get("source"), form.get("target")
    )
    fields, raw, errors = read_fields(ctype, form, target.code)
    fields = changed_only(fields, ctype, entry.fields, target.code)
    data: dict[str, Any] = {"fields": fields}
    if form.has("key"):
        data["key"] = form.get("key").strip()
    if form.has("terms:present"):
        data["terms"] = form.getall("terms")
    same_terms = sorted(data.get("terms", entry.terms)) == sorted(entry.terms)
    if (
        not fields
        and not errors
        and data.get("key", entry.key) == entry.key
        and same_terms
    ):
        return redirect(editor_url(entry_id, form), "unchanged")  # no empty revision
    try:
        # Inputs that did not parse are left out and the rest still goes
        # through the service, so every error shows at once; with any error
        # the unit of work is rolled back.
        try:
            await entries.patch(entry_id, convert(data, EntryPatch), version_of(form))
        except ValidationFailed as exc:
            errors = [*errors, *exc.errors]
        if errors:
            raise ValidationFailed(
                f"The entry cannot be saved: {len(errors)} field error(s).",
                errors=errors,
            )
    except PreconditionFailed:
        await deps.session.rollback()
        return await conflict_page(request, deps, principal, entry, form, data)
    except HubError as exc:
        await deps.session.rollback()
        return await refused(request, deps, principal, entry_id, form, exc, raw)
    return redirect(editor_url(entry_id, form), "saved")


async def refused(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    form: Form,
    exc: HubError,
    raw: dict[str, str] | None = None,
) -> Response[str]:
    """The editor again, with the problem and its field errors inline."""
    entry = await EntryService(deps).get(entry_id)
    ctype = await ContentTypeService(deps).get(entry.type)
    source, target = form.get("source"), form.get("target")
    _, tgt = pick_locales(await locales_of(deps), source, target)
    problem = problem_of(exc)
    by_input, problem["other"] = errors_by_input(problem["errors"], ctype, tgt.code)
    context = await editor_context(
        deps, entry, principal, source, target, raw=raw, errors=by_input
    )
    return page(
        request,
        "entry_edit.html",
        principal=principal,
        status=exc.status,
        problem=problem,
        **context,
    )
