"""/manage/v1/taxonomies and their terms."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.params import IfMatch, etag, version_from
from content_hub.api.schemas_editorial import TaxonomyList, TermList, TermOut
from content_hub.domain.inputs import (
    TaxonomyCreate,
    TaxonomyUpdate,
    TermCreate,
    TermUpdate,
)
from content_hub.domain.keys import Scope
from content_hub.domain.taxonomy import Taxonomy
from content_hub.services.base import Deps
from content_hub.services.taxonomy import TaxonomyService, term_index

ReassignTo = Annotated[
    str | None,
    QueryParameter(
        name="reassign_to",
        max_length=230,
        description="Move entries carrying the term to this term (id or "
        "'taxonomy:key'); without it a term in use is not deleted.",
    ),
]


async def _term_out(deps: Deps, term_id: str) -> TermOut:
    index = await term_index(deps)
    return TermOut.of(index.terms[term_id], index.depth(term_id))


class TaxonomyController(Controller):
    path = "/manage/v1/taxonomies"
    tags = ["taxonomy"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/", summary="List taxonomies")
    async def list_taxonomies(self, deps: NamedDependency[Deps]) -> TaxonomyList:
        return TaxonomyList(items=await TaxonomyService(deps).all())

    @get("/{key:str}", summary="Get a taxonomy")
    async def get_taxonomy(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> Response[Taxonomy]:
        taxonomy = await TaxonomyService(deps).get(key)
        return Response(taxonomy, headers=etag(taxonomy.version))

    @post("/", summary="Create a taxonomy")
    async def create_taxonomy(
        self, deps: NamedDependency[Deps], data: JSONBody[TaxonomyCreate]
    ) -> Response[Taxonomy]:
        taxonomy = await TaxonomyService(deps).create(data)
        return Response(taxonomy, status_code=201, headers=etag(taxonomy.version))

    @put("/{key:str}", summary="Rename or describe a taxonomy")
    async def update_taxonomy(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        data: JSONBody[TaxonomyUpdate],
        if_match: IfMatch = None,
    ) -> Response[Taxonomy]:
        service = TaxonomyService(deps)
        taxonomy = await service.update(key, data, version_from(if_match))
        return Response(taxonomy, headers=etag(taxonomy.version))

    @delete("/{key:str}", summary="Delete a taxonomy without terms")
    async def delete_taxonomy(
        self, deps: NamedDependency[Deps], key: FromPath[str], if_match: IfMatch = None
    ) -> None:
        await TaxonomyService(deps).delete(key, version_from(if_match))

    @get("/{key:str}/terms", summary="List a taxonomy's terms (tree order)")
    async def list_terms(
        self, deps: NamedDependency[Deps], key: FromPath[str]
    ) -> TermList:
        terms = await TaxonomyService(deps).terms(key)
        index = await term_index(deps)
        return TermList(items=[TermOut.of(t, index.depth(t.id)) for t in terms])

    @get("/{key:str}/terms/{term:str}", summary="Get a term by id or key")
    async def get_term(
        self, deps: NamedDependency[Deps], key: FromPath[str], term: FromPath[str]
    ) -> Response[TermOut]:
        found = await TaxonomyService(deps).term(key, term)
        body = await _term_out(deps, found.id)
        return Response(body, headers=etag(body.version))

    @post("/{key:str}/terms", summary="Add a term (parent: id or key)")
    async def create_term(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        data: JSONBody[TermCreate],
    ) -> Response[TermOut]:
        term = await TaxonomyService(deps).create_term(key, data)
        body = await _term_out(deps, term.id)
        return Response(body, status_code=201, headers=etag(body.version))

    @put("/{key:str}/terms/{term:str}", summary="Rename or move a term")
    async def update_term(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        term: FromPath[str],
        data: JSONBody[TermUpdate],
        if_match: IfMatch = None,
    ) -> Response[TermOut]:
        service = TaxonomyService(deps)
        updated = await service.update_term(key, term, data, version_from(if_match))
        body = await _term_out(deps, updated.id)
        return Response(body, headers=etag(body.version))

    @delete(
        "/{key:str}/terms/{term:str}",
        summary="Delete a term (refused while in use unless reassign_to is given)",
    )
    async def delete_term(
        self,
        deps: NamedDependency[Deps],
        key: FromPath[str],
        term: FromPath[str],
        if_match: IfMatch = None,
        reassign_to: ReassignTo = None,
    ) -> None:
        await TaxonomyService(deps).delete_term(
            key, term, version_from(if_match), reassign_to
        )
