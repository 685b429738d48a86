"""Taxonomies: the list, one taxonomy's terms as a tree, and one term's page
with its forms (rename, move, delete with reassignment).

The pages only read; ``taxonomy_actions.py`` holds the posts. Whoever may not
change taxonomies (``taxonomy.write``) sees the same tree without controls.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.taxonomy import TaxonomyService
from content_hub.studio.forms import Form
from content_hub.studio.pages.taxonomy_model import (
    inline_errors,
    path_to,
    subtree_ids,
    taxonomy_context,
)
from content_hub.studio.views import page, problem_of


@get("/taxonomies", name="studio_taxonomies")
async def list_taxonomies(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[str]:
    service = TaxonomyService(studio_deps)
    rows = [
        (taxonomy, len(await service.terms(taxonomy.key)))
        for taxonomy in sorted(await service.all(), key=lambda t: t.name.lower())
    ]
    return page(request, "taxonomies.html", principal=studio_principal, rows=rows)


@get("/taxonomies/{key:str}", name="studio_taxonomy")
async def show_taxonomy(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
) -> Response[str]:
    context = await taxonomy_context(studio_deps, studio_principal, key)
    return page(request, "taxonomy.html", principal=studio_principal, **context)


@get("/taxonomies/{key:str}/terms/{term_id:str}", name="studio_term")
async def show_term(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    key: FromPath[str],
    term_id: FromPath[str],
) -> Response[str]:
    return await term_page(request, studio_deps, studio_principal, key, term_id)


async def term_page(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    key: str,
    term_id: str,
    *,
    failed: str = "",
    form: Form | None = None,
    exc: HubError | None = None,
) -> Response[str]:
    """A term's page; after a refusal (``exc``) the form that ``failed``
    again with what was typed and the service's errors next to its inputs."""
    term = await TaxonomyService(deps).term(key, term_id)
    context = await taxonomy_context(deps, principal, key)
    nodes = context["nodes"]
    own = subtree_ids(nodes, term.id)
    trail = path_to(nodes, term.id)
    context.update(
        term=term,
        trail=trail,
        label=trail[-1].label if trail else term.key,
        parents=[c for c in context["choices"] if c.value not in own],
        targets=[c for c in context["choices"] if c.value != term.id],
        failed=failed,
        raw={} if form is None else {k: v[0] for k, v in form.values.items() if v},
        errors={} if exc is None else inline_errors(exc),
    )
    return page(
        request,
        "term.html",
        principal=principal,
        status=200 if exc is None else exc.status,
        problem=None if exc is None else problem_of(exc),
        **context,
    )


async def taxonomy_refused(
    request: Request[Any, Any, Any],
    deps: Deps,
    principal: Principal,
    key: str,
    form: Form,
    exc: HubError,
) -> Response[str]:
    """The taxonomy page again after a refused "add a term"."""
    context = await taxonomy_context(deps, principal, key)
    context.update(
        failed="add",
        raw={k: v[0] for k, v in form.values.items() if v},
        errors=inline_errors(exc),
    )
    return page(
        request,
        "taxonomy.html",
        principal=principal,
        status=exc.status,
        problem=problem_of(exc),
        **context,
    )
