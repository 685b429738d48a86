"""The rules editor of an entry: its ordered rules (first match wins), each
a personalise, rollout or experiment rule, edited in one form.

The form's buttons (``action``): ``save`` writes the rules in the posted
order through ``PersonalizationService.set`` (the API's validation: weights
that sum to 1, known variants and audiences; errors shown at the input they
locate) with the entry version read as If-Match; ``move:<token>:up|down``,
``add:<kind>`` and ``delete:<token>`` show the form again changed and not
yet saved. With JavaScript, studio.js moves rules in the page instead (Move
buttons and drag and drop) and announces the move. Editors and admins only.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import (
    FieldError,
    HubError,
    PreconditionFailed,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.permissions import Action, allowed, require
from content_hub.domain.render import BASELINE, Personalization
from content_hub.services.audiences import AudienceService
from content_hub.services.base import Deps
from content_hub.services.personalization import PersonalizationService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.rule_form import (
    KINDS,
    STATUSES,
    RuleView,
    new_rule,
    place_errors,
    rule_json,
    views_of,
    views_of_form,
)
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.views import page, problem_of, redirect


async def show_rules(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    views: list[RuleView] | None = None,
    *,
    status: int = 200,
    problem: dict[str, Any] | None = None,
    moved: str = "",
    announce: str = "",
    version: int | None = None,
) -> Response[str]:
    entry, data = await PersonalizationService(deps).get(entry_id)
    if views is None:
        views = views_of(msgspec.to_builtins(data.rules))
    return page(
        request,
        "rules.html",
        principal=principal,
        status=status,
        problem=problem,
        entry=entry,
        version=entry.version if version is None else version,
        rules=views,
        variants=[BASELINE, *data.variants],
        audiences=await AudienceService(deps).all(),
        kinds=KINDS,
        statuses=STATUSES,
        may_write=allowed(principal, Action.VARIANTS_WRITE),
        moved=moved,
        announce=announce,
    )


@get("/entries/{entry_id:str}/rules", name="studio_rules")
async def edit_rules(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[str]:
    return await show_rules(request, studio_deps, studio_principal, entry_id)


def _label(view: RuleView) -> str:
    return view.text.get("id") or view.type


def moved_views(
    views: list[RuleView], token: str, step: int
) -> tuple[list[RuleView], str]:
    """``token``'s rule one place up (-1) or down (+1), and what to announce."""
    at = next((i for i, v in enumerate(views) if v.token == token), None)
    if at is None:
        return views, ""
    to = max(0, min(len(views) - 1, at + step))
    out = [v for v in views if v.token != token]
    out.insert(to, views[at])
    if to == at:
        edge = "top" if step < 0 else "bottom"
        return out, f"Rule {_label(views[at])} is already at the {edge}."
    return out, f"Rule {_label(views[at])} moved to position {to + 1}."


@post("/entries/{entry_id:str}/rules", status_code=303)
async def save_rules(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    require(studio_principal, Action.VARIANTS_WRITE)
    form = await read_form(request)
    views = views_of_form(form)
    action = form.get("action", "save")
    version = version_of(form)
    verb, _, rest = action.partition(":")
    if verb == "move":
        token, _, way = rest.partition(":")
        views, said = moved_views(views, token, -1 if way == "up" else 1)
        return await show_rules(
            request,
            studio_deps,
            studio_principal,
            entry_id,
            views,
            moved=f"{token}:{way}",
            announce=said,
            version=version,
        )
    if verb == "add" and rest in KINDS:
        _, data = await PersonalizationService(studio_deps).get(entry_id)
        views = [*views, new_rule(rest, views, list(data.variants))]
        return await show_rules(
            request,
            studio_deps,
            studio_principal,
            entry_id,
            views,
            announce=f"A {rest} rule was added at position {len(views)}.",
            version=version,
        )
    if verb == "delete":
        views = [v for v in views if v.token != rest]
        return await show_rules(
            request,
            studio_deps,
            studio_principal,
            entry_id,
            views,
            announce="Rule removed (not saved yet).",
            version=version,
        )
    return await _save(request, studio_deps, studio_principal, entry_id, form, views)


async def _save(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    form: Form,
    views: list[RuleView],
) -> Response[Any]:
    service = PersonalizationService(deps)
    _, data = await service.get(entry_id)
    rules: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for i, view in enumerate(views):
        rule, problems = rule_json(view, i)
        rules.append(rule)
        errors += problems
    try:
        try:
            if errors:
                raise ValidationFailed(
                    f"The rules cannot be saved: {len(errors)} problem(s).",
                    errors=errors,
                )
            parsed = convert(
                {"variants": msgspec.to_builtins(data.variants), "rules": rules},
                Personalization,
            )
            await service.set(entry_id, parsed, version_of(form))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.detail, errors=exc.errors or errors) from None
    except HubError as exc:
        await deps.session.rollback()
        problem = problem_of(exc)
        problem["other"] = place_errors(views, problem["errors"])
        version = version_of(form)
        if isinstance(exc, PreconditionFailed):
            problem["detail"] = (
                "Someone saved this entry while you were editing. Nothing was "
                "saved; your rules are kept below. Save again to replace the "
                "rules now saved with them."
            )
            version = None
        return await show_rules(
            request,
            deps,
            principal,
            entry_id,
            views,
            status=exc.status,
            problem=problem,
            version=version,
        )
    return redirect(f"/studio/entries/{entry_id}/rules", "rules_saved")


RULE_PAGES = [edit_rules, save_rules]
