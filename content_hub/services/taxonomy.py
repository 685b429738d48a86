"""Taxonomies and their terms (manage scope).

Entries point at term ids, so renaming a term (key, labels) or moving it
(parent) keeps every assignment. A term in use is deleted only with an
explicit ``reassign_to``: it stays as a tombstone merged into that term, so
drafts and published copies naming it resolve to the new one.
"""

from __future__ import annotations

import msgspec

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from content_hub.domain.ids import new_id
from content_hub.domain.inputs import (
    TaxonomyCreate,
    TaxonomyUpdate,
    TermCreate,
    TermUpdate,
)
from content_hub.domain.permissions import Action, require
from content_hub.domain.taxonomy import MAX_DEPTH, Taxonomy, Term, TermIndex
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.taxonomy import TaxonomyRepository


async def term_index(deps: Deps) -> TermIndex:
    """Every term (tombstones included), cached for the unit of work."""
    repo = TaxonomyRepository(deps.session)
    return await deps.memo(("terms",), lambda: _load(repo))


async def _load(repo: TaxonomyRepository) -> TermIndex:
    return TermIndex.of(await repo.terms())


def resolve_terms(index: TermIndex, refs: list[str]) -> list[str]:
    """Term ids for refs (ids or ``taxonomy:key``); unknown refs are a 422."""
    ids: list[str] = []
    errors: list[FieldError] = []
    for i, ref in enumerate(refs):
        term = index.by_ref(ref)
        if term is None:
            errors.append(
                FieldError(loc=["terms", i], msg=f"no term {ref!r}", type="unknown")
            )
        elif term.id not in ids:
            ids.append(term.id)
    if errors:
        raise ValidationFailed(
            f"{len(errors)} unknown term(s); use a term id or 'taxonomy:key'.",
            errors=errors,
        )
    return ids


class TaxonomyService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = TaxonomyRepository(deps.session)

    async def all(self) -> list[Taxonomy]:
        return await self.repo.taxonomies()

    async def get(self, key: str) -> Taxonomy:
        taxonomy = await self.repo.get(key)
        if taxonomy is None:
            raise NotFound(f"No taxonomy {key!r}.")
        return taxonomy

    async def create(self, data: TaxonomyCreate) -> Taxonomy:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        if await self.repo.get(data.key) is not None:
            raise Conflict(f"Taxonomy {data.key!r} already exists.")
        when = now()
        taxonomy = Taxonomy(
            key=data.key,
            name=data.name,
            description=data.description,
            version=1,
            created_at=when,
            updated_at=when,
        )
        await self.repo.add(taxonomy)
        await record(self.deps, "create", "taxonomy", data.key, after=1)
        return taxonomy

    async def update(
        self, key: str, data: TaxonomyUpdate, expected: int | None
    ) -> Taxonomy:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "taxonomy")
        updated = Taxonomy(
            key=key,
            name=data.name,
            description=data.description,
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=now(),
        )
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("taxonomy")
        await record(
            self.deps,
            "update",
            "taxonomy",
            key,
            before=current.version,
            after=updated.version,
        )
        return updated

    async def delete(self, key: str, expected: int | None) -> None:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "taxonomy")
        if await self.repo.terms(key):
            raise Conflict(
                f"Taxonomy {key!r} still has terms; delete or reassign them first."
            )
        if not await self.repo.delete(key, expected_version=current.version):
            raise stale("taxonomy")
        await record(self.deps, "delete", "taxonomy", key, before=current.version)

    async def terms(self, key: str) -> list[Term]:
        await self.get(key)
        return [t for t in await self.repo.terms(key) if t.merged_into is None]

    async def term(self, key: str, ref: str) -> Term:
        index = await term_index(self.deps)
        term = index.terms.get(ref) or index.by_ref(f"{key}:{ref}")
        if term is None or term.taxonomy != key or term.merged_into is not None:
            raise NotFound(f"No term {ref!r} in taxonomy {key!r}.")
        return term

    async def create_term(self, key: str, data: TermCreate) -> Term:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        await self.get(key)
        index = await term_index(self.deps)
        if index.by_ref(f"{key}:{data.key}") is not None:
            raise Conflict(f"Term {data.key!r} already exists in {key!r}.")
        parent = await self._parent(key, index, data.parent, None)
        when = now()
        term = Term(
            id=new_id(),
            taxonomy=key,
            key=data.key,
            parent_id=parent,
            labels=dict(data.labels),
            position=data.position,
            version=1,
            created_at=when,
            updated_at=when,
        )
        await self.repo.add_term(term)
        await self._changed("create", term, None, 1)
        return term

    async def update_term(
        self, key: str, ref: str, data: TermUpdate, expected: int | None
    ) -> Term:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        current = await self.term(key, ref)
        require_version(expected, current.version, "term")
        index = await term_index(self.deps)
        other = index.by_ref(f"{key}:{data.key}")
        if other is not None and other.id != current.id:
            raise Conflict(f"Term {data.key!r} already exists in {key!r}.")
        parent = await self._parent(key, index, data.parent, current.id)
        updated = Term(
            id=current.id,
            taxonomy=key,
            key=data.key,
            parent_id=parent,
            labels=dict(data.labels),
            position=data.position,
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=now(),
        )
        if not await self.repo.update_term(updated, expected_version=current.version):
            raise stale("term")
        await self._changed("update", updated, current.version, updated.version)
        return updated

    async def delete_term(
        self, key: str, ref: str, expected: int | None, reassign_to: str | None
    ) -> None:
        require(self.deps.actor, Action.TAXONOMY_WRITE)
        current = await self.term(key, ref)
        require_version(expected, current.version, "term")
        index = await term_index(self.deps)
        if any(
            t.parent_id == current.id and t.merged_into is None
            for t in index.terms.values()
        ):
            raise Conflict(
                f"Term {current.ref!r} has child terms; move or delete them first."
            )
        merged = {t.id for t in index.terms.values() if t.merged_into == current.id}
        users = await self.repo.entries_using({current.id} | merged)
        target = None
        if reassign_to is not None:
            target = index.by_ref(reassign_to)
            if target is None or target.id == current.id:
                raise ValidationFailed(
                    f"Cannot reassign to {reassign_to!r}: no such other term.",
                    errors=[FieldError(loc=["reassign_to"], msg="unknown term")],
                )
        if users and target is None:
            raise Conflict(
                f"Term {current.ref!r} is used by {len(users)} entr"
                f"{'y' if len(users) == 1 else 'ies'}; pass reassign_to=<term> to "
                "move them to another term, or remove it from them first.",
                extra={"entries": users},
            )
        if target is None:
            await self.repo.delete_term(current.id)
            detail = None
        else:
            await self._tombstone(current, merged, target)
            detail = {"reassigned_to": target.id, "entries": len(users)}
        await self._changed("delete", current, current.version, None, detail)

    async def _tombstone(self, term: Term, merged: set[str], target: Term) -> None:
        """Keep the term as an alias of ``target`` (its key freed for reuse)."""
        for term_id in {term.id} | merged:
            await self.repo.reassign(term_id, target.id)
        tomb = Term(
            id=term.id,
            taxonomy=term.taxonomy,
            key=f"{term.key}~{term.id}",
            parent_id=None,
            labels=term.labels,
            position=term.position,
            version=term.version + 1,
            created_at=term.created_at,
            updated_at=now(),
            merged_into=target.id,
        )
        if not await self.repo.update_term(tomb, expected_version=term.version):
            raise stale("term")
        for alias in merged:
            old = (await term_index(self.deps)).terms[alias]
            moved = msgspec.structs.replace(
                old, merged_into=target.id, version=old.version + 1
            )
            await self.repo.update_term(moved, expected_version=old.version)

    async def _parent(
        self, key: str, index: TermIndex, ref: str | None, moving: str | None
    ) -> str | None:
        if ref is None:
            return None
        parent = index.by_ref(ref) or index.by_ref(f"{key}:{ref}")
        if parent is None or parent.taxonomy != key:
            raise ValidationFailed(
                f"No parent term {ref!r} in taxonomy {key!r}.",
                errors=[FieldError(loc=["parent"], msg="unknown term")],
            )
        ancestors = index.ancestors(parent.id)
        if moving is not None and moving in ancestors:
            raise ValidationFailed(
                "A term cannot move under itself or one of its descendants.",
                errors=[FieldError(loc=["parent"], msg="would create a cycle")],
            )
        if len(ancestors) >= MAX_DEPTH:
            raise ValidationFailed(
                f"Terms nest at most {MAX_DEPTH} levels deep.",
                errors=[FieldError(loc=["parent"], msg="too deep")],
            )
        return parent.id

    async def _changed(
        self,
        action: str,
        term: Term,
        before: int | None,
        after: int | None,
        detail: dict[str, object] | None = None,
    ) -> None:
        self.deps.forget()
        await record(
            self.deps,
            action,
            "term",
            term.id,
            before=before,
            after=after,
            detail={"ref": term.ref, **(detail or {})},
        )
        await ChangeRepository(self.deps.session).log(
            "*", "*", ChangeKind.TAXONOMY, now()
        )
        self.deps.delivery_changed()
