"""The variants editor of an entry: its variants (add, rename, delete:
editors and admins) and, for one variant in one locale, each field
inherited or overridden (``pages/variant_model.py``).

Every save writes the whole personalisation through
``PersonalizationService.set`` with the entry version the page was read at
(If-Match): the same validation, permissions (a translator: their locales'
override text only) and versioning as ``PUT .../personalization``. A stale
save writes nothing and shows the form again, as typed, against the version
now saved.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.errors import (
    FieldError,
    HubError,
    PreconditionFailed,
    ValidationFailed,
)
from content_hub.domain.keys import Principal
from content_hub.domain.locales import LocaleSet
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import Personalization, VariantIn, VariantName
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.personalization import PersonalizationService
from content_hub.studio.forms import Form
from content_hub.studio.pages.editor_model import allowed as allowed_options
from content_hub.studio.pages.editor_model import locales_of, pick_locales, pickers
from content_hub.studio.pages.params import LocaleParam
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.variant_model import (
    apply_form,
    may_shape,
    override_rows,
    renamed,
    variant_errors,
    with_variant,
)
from content_hub.studio.views import page, problem_of, redirect

VariantParam = Annotated[str | None, QueryParameter(max_length=64)]


def variants_url(entry_id: str, variant: str = "", locale: str = "") -> str:
    url = f"/studio/entries/{entry_id}/variants"
    query = "&".join(
        f"{k}={v}" for k, v in (("variant", variant), ("locale", locale)) if v
    )
    return f"{url}?{query}" if query else url


async def show_variants(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    variant: str | None,
    locale: str | None,
    *,
    form: Form | None = None,
    status: int = 200,
    problem: dict[str, Any] | None = None,
    **extra: Any,
) -> Response[str]:
    """The page; with ``form`` (a refused save), the override inputs as typed;
    ``extra``: more context (the structure forms' errors)."""
    entry, data = await PersonalizationService(deps).get(entry_id)
    ctype = await ContentTypeService(deps).get(entry.type)
    locales = await locales_of(deps)
    loc, _ = pick_locales(locales, locale, None)
    name = variant if variant in data.variants else next(iter(data.variants), None)
    rows: list[Any] = []
    other: list[str] = []
    if name is not None:
        current = data.variants[name]
        raw = checked = errors = None
        if form is not None:
            current, raw, checked, _ = apply_form(ctype, current, form, loc.code)
        if problem is not None:
            errors, other = variant_errors(problem["errors"], name, ctype, loc.code)
            problem["other"] = other
        rows = override_rows(
            entry,
            ctype,
            data.variants[name],
            loc,
            LocaleSet.build(locales, deps.settings.default_locale),
            principal,
            raw,
            checked,
            errors,
        )
        if form is not None and form.has("description"):
            data = with_variant(data, name, current)
    return page(
        request,
        "variants.html",
        principal=principal,
        status=status,
        problem=problem,
        entry=entry,
        ctype=ctype,
        data=data,
        variant=name,
        locale=loc,
        locales=locales,
        rows=rows,
        may_shape=may_shape(principal),
        pickers=await pickers(deps, ctype),
        allowed=allowed_options,
        **{"name_error": "", "name_action": "", "typed": {}, **extra},
    )


@get("/entries/{entry_id:str}/variants", name="studio_variants")
async def edit_variants(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
    variant: VariantParam = None,
    locale: LocaleParam = None,
) -> Response[str]:
    return await show_variants(
        request, studio_deps, studio_principal, entry_id, variant, locale
    )


async def _write(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    form: Form,
    data: Personalization,
    *,
    variant: str,
    flash: str,
    parse_errors: list[FieldError] | None = None,
) -> Response[Any]:
    """Save ``data`` against the form's version; a refusal shows the page
    again with the problem (a stale version: with the version now saved)."""
    locale = form.get("locale")
    try:
        errors = list(parse_errors or [])
        try:
            await PersonalizationService(deps).set(entry_id, data, version_of(form))
        except ValidationFailed as exc:
            errors += exc.errors
            if not errors:
                raise
        if errors:
            raise ValidationFailed(
                f"The variant cannot be saved: {len(errors)} problem(s).",
                errors=errors,
            )
    except HubError as exc:
        await deps.session.rollback()
        problem = problem_of(exc)
        if isinstance(exc, PreconditionFailed):
            problem["detail"] = (
                "Someone saved this entry while you were editing. Nothing was "
                "saved; your values are kept below, next to what is saved now. "
                "Save again to apply them."
            )
        return await show_variants(
            request,
            deps,
            principal,
            entry_id,
            form.get("variant") or variant,
            locale,
            form=form,
            status=exc.status,
            problem=problem,
        )
    return redirect(variants_url(entry_id, variant, locale), flash)


@post("/entries/{entry_id:str}/variants", status_code=303)
async def save_variant(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    entry_id: FromPath[str],
) -> Response[Any]:
    """The overrides of one variant in one locale (and its description)."""
    form = await read_form(request)
    entry, data = await PersonalizationService(studio_deps).get(entry_id)
    name = form.get("variant")
    if name not in data.variants:
        raise ValidationFailed(f"The entry has no variant {name!r}.")
    ctype = await ContentTypeService(studio_deps).get(entry.type)
    loc, _ = pick_locales(await locales_of(studio_deps), form.get("locale"), None)
    updated, _, _, errors = apply_form(ctype, data.variants[name], form, loc.code)
    return await _write(
        request,
        studio_deps,
        studio_principal,
        entry_id,
        form,
        with_variant(data, name, updated),
        variant=name,
        flash="variants_saved",
        parse_errors=errors,
    )


def _new_name(form: Form, field: str = "name") -> str:
    """A variant name as the API checks it (``VariantName``), or a 422 at it."""
    raw = form.get(field).strip()
    try:
        return msgspec.convert(raw, VariantName)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(
            f"{raw!r} cannot be a variant name: {exc} (lower-case letters, "
            "digits, _ and -, starting with a letter).",
            errors=[FieldError(loc=[field], msg=str(exc))],
        ) from None


async def _structure(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    entry_id: str,
    action: str,
) -> Response[Any]:
    # the service would refuse too, but only after validating: a translator
    # deleting a variant a rule uses must hear "not yours", not "in use"
    require(principal, Action.VARIANTS_WRITE)
    form = await read_form(request)
    _, data = await PersonalizationService(deps).get(entry_id)
    old = form.get("variant")
    try:
        if action != "add" and old not in data.variants:
            raise ValidationFailed(f"The entry has no variant {old!r}.")
        if action == "delete":
            variants = {k: v for k, v in data.variants.items() if k != old}
            changed = Personalization(variants=variants, rules=data.rules)
            target, flash = "", "variant_deleted"
        else:
            new = _new_name(form)
            if new in data.variants:
                raise ValidationFailed(
                    f"The entry has a variant {new!r} already.",
                    errors=[FieldError(loc=["name"], msg="already a variant")],
                )
            if action == "add":
                variant = VariantIn(description=form.get("description"))
                changed = with_variant(data, new, variant)
                target, flash = new, "variant_added"
            else:
                changed, target, flash = renamed(data, old, new), new, "variant_renamed"
    except HubError as exc:
        return await show_variants(
            request,
            deps,
            principal,
            entry_id,
            old,
            form.get("locale"),
            status=exc.status,
            problem=problem_of(exc),
            name_error="; ".join(e.msg for e in exc.errors if e.loc == ["name"]),
            name_action=action,
            typed={"name": form.get("name"), "description": form.get("description")},
        )
    return await _write(
        request, deps, principal, entry_id, form, changed, variant=target, flash=flash
    )


def _structure_action(action: str) -> Any:
    @post(
        f"/entries/{{entry_id:str}}/variants/{action}",
        status_code=303,
        name=f"studio_variant_{action}",
    )
    async def handler(
        request: Request[Any, Any, Any],
        studio_deps: NamedDependency[Deps],
        studio_principal: NamedDependency[Principal],
        entry_id: FromPath[str],
    ) -> Response[Any]:
        return await _structure(
            request, studio_deps, studio_principal, entry_id, action
        )

    handler.fn.__name__ = f"studio_variant_{action}"
    return handler


VARIANT_PAGES = [
    edit_variants,
    save_variant,
    *(_structure_action(a) for a in ("add", "rename", "delete")),
]
