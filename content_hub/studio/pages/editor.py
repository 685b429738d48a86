"""The entry editor: show, save (with the If-Match version from the form),
and the workflow buttons (publish, unpublish, archive, restore, schedule).

A refused save shows the form again with what was typed and the problem's
``errors`` next to their inputs; a stale one (someone saved in between) shows
the conflict view instead of overwriting (``pages/conflict.py``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.inputs import ScheduleUpdate
from content_hub.domain.keys import Principal
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.revisions import RevisionService
from content_hub.services.schedules import set_schedule
from content_hub.studio.forms import Form, convert, datetime_input
from content_hub.studio.pages.editor_model import editor_context
from content_hub.studio.pages.experiments import entry_experiments
from content_hub.studio.pages.params import LocaleParam
from content_hub.studio.pages.saving import (
    editor_url,
    read_form,
    refused,
    save,
    version_of,
)
from content_hub.studio.views import page, redirect


@get("/entries/{entry_id:str}", name="studio_entry")
async def edit_entry(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
    feature_payloads: NamedDependency[FeaturePayloads],
    source: LocaleParam = None,
    target: LocaleParam = None,
) -> Response[str]:
    entry = await EntryService(studio_deps).get(entry_id)
    context = await editor_context(studio_deps, entry, studio_principal, source, target)
    experiments = entry_experiments(
        studio_deps, feature_payloads, entry.type, entry.key
    )
    return page(
        request,
        "entry_edit.html",
        principal=studio_principal,
        experiments=experiments,
        **context,
    )


@post("/entries/{entry_id:str}", status_code=303)
async def save_entry(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    return await save(
        request, studio_deps, studio_principal, entry_id, await read_form(request)
    )


async def _workflow(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    action: str,
) -> Response[Any]:
    form = await read_form(request)
    expected = version_of(form)
    entries, revisions = EntryService(deps), RevisionService(deps)
    try:
        match action:
            case "publish":
                await entries.publish(entry_id, expected)
            case "unpublish":
                await entries.unpublish(entry_id, expected)
            case "archive":
                await revisions.archive(entry_id, expected)
            case "restore":
                await revisions.restore(entry_id, expected)
            case "schedule":
                await set_schedule(deps, entry_id, _schedule(form))
    except HubError as exc:
        await deps.session.rollback()
        return await refused(request, deps, principal, entry_id, form, exc)
    flash = {
        "publish": "published",
        "unpublish": "unpublished",
        "archive": "archived",
        "restore": "restored",
        "schedule": "scheduled",
    }[action]
    return redirect(editor_url(entry_id, form), flash)


def _schedule(form: Form) -> ScheduleUpdate:
    return convert(
        {
            "publish_at": datetime_input(form, "publish_at"),
            "unpublish_at": datetime_input(form, "unpublish_at"),
        },
        ScheduleUpdate,
    )


def _action(name: str) -> Any:
    @post(f"/entries/{{entry_id:str}}/{name}", status_code=303, name=f"studio_{name}")
    async def handler(
        request: Request[Any, Any, Any],
        studio_deps: NamedDependency[Deps],
        studio_principal: NamedDependency[Principal],
        entry_id: FromPath[str],
    ) -> Response[Any]:
        return await _workflow(request, studio_deps, studio_principal, entry_id, name)

    handler.fn.__name__ = f"studio_{name}"
    return handler


@post("/entries/{entry_id:str}/resolve", status_code=303)
async def resolve_conflict(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    """Save the values the user chose to re-apply, against the version the
    conflict view showed (a newer save meanwhile: the conflict view again)."""
    form = await read_form(request)
    chosen: dict[str, list[str]] = {
        name: [form.get(name)] for name in ("version", "source", "target")
    }
    for name in form.getall("inputs"):
        if form.get(f"use:{name}") == "mine":
            chosen[name] = form.getall(f"mine:{name}")
            chosen[f"{name}:present"] = ["1"]
    return await save(request, studio_deps, studio_principal, entry_id, Form(chosen))


WORKFLOW = [
    _action(n) for n in ("publish", "unpublish", "archive", "restore", "schedule")
]
