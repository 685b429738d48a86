"""The taxonomy screens' posts: add, rename, move and delete a term.

Each is the JSON API's call (``TaxonomyService.create_term``, ``update_term``,
``delete_term``) with the form's ``version`` as If-Match; a success answers
303 (post, redirect, get), a refusal the page again with the problem and its
field errors next to the inputs, in the service's status (never a 500).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.inputs import TermCreate, TermUpdate
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.taxonomy import TaxonomyService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.editor_model import locales_of
from content_hub.studio.pages.saving import read_form, version_of
from content_hub.studio.pages.taxonomies import taxonomy_refused, term_page
from content_hub.studio.pages.taxonomy_model import labels_from
from content_hub.studio.views import redirect


def _url(key: str, term_id: str | None = None) -> str:
    base = f"/studio/taxonomies/{key}"
    return base if term_id is None else f"{base}/terms/{term_id}"


@post("/taxonomies/{key:str}/terms", status_code=303)
async def add_term(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[Any]:
    """A new term under ``parent`` (empty: at the root), labelled in the
    default locale."""
    form = await read_form(request)
    labels = labels_from(form, await locales_of(studio_deps))
    try:
        data = convert(
            {
                "key": form.get("key").strip(),
                "labels": labels,
                "parent": form.get("parent") or None,
            },
            TermCreate,
        )
        await TaxonomyService(studio_deps).create_term(key, data)
    except HubError as exc:
        await studio_deps.session.rollback()
        return await taxonomy_refused(
            request, studio_deps, studio_principal, key, form, exc
        )
    return redirect(_url(key), "term_created")


async def _update(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    key: str,
    term_id: str,
    failed: str,
    change: dict[str, Any],
    form: Form,
) -> Response[Any]:
    """``update_term`` with the term as it is but for ``change`` (key and
    labels, or parent)."""
    service = TaxonomyService(deps)
    try:
        term = await service.term(key, term_id)
        data = {
            "key": term.key,
            "labels": term.labels,
            "parent": term.parent_id,
            "position": term.position,
            **change,
        }
        await service.update_term(
            key, term.id, convert(data, TermUpdate), version_of(form)
        )
    except HubError as exc:
        await deps.session.rollback()
        return await term_page(
            request, deps, principal, key, term_id, failed=failed, form=form, exc=exc
        )
    return redirect(_url(key, term_id), f"term_{failed}d")


@post("/taxonomies/{key:str}/terms/{term_id:str}/rename", status_code=303)
async def rename_term(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
    term_id: FromPath[str],
) -> Response[Any]:
    """New key and labels (one input per locale; an empty one removes it)."""
    form = await read_form(request)
    change = {
        "key": form.get("key").strip(),
        "labels": labels_from(form, await locales_of(studio_deps)),
    }
    return await _update(
        request, studio_deps, studio_principal, key, term_id, "rename", change, form
    )


@post("/taxonomies/{key:str}/terms/{term_id:str}/move", status_code=303)
async def move_term(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
    term_id: FromPath[str],
) -> Response[Any]:
    """A new parent (empty: the root); the service refuses a cycle."""
    form = await read_form(request)
    change = {"parent": form.get("parent") or None}
    return await _update(
        request, studio_deps, studio_principal, key, term_id, "move", change, form
    )


@post("/taxonomies/{key:str}/terms/{term_id:str}/delete", status_code=303)
async def delete_term(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
    term_id: FromPath[str],
) -> Response[Any]:
    """Delete; entries carrying the term move to ``reassign_to`` when one is
    chosen (without one, a term in use is refused)."""
    form = await read_form(request)
    try:
        await TaxonomyService(studio_deps).delete_term(
            key, term_id, version_of(form), form.get("reassign_to") or None
        )
    except HubError as exc:
        await studio_deps.session.rollback()
        return await term_page(
            request,
            studio_deps,
            studio_principal,
            key,
            term_id,
            failed="delete",
            form=form,
            exc=exc,
        )
    return redirect(_url(key), "term_deleted")


TAXONOMY_ACTIONS: list[Any] = [add_term, rename_term, move_term, delete_term]
