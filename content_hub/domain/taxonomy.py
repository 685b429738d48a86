"""Taxonomies: named trees of terms with localised labels, shared by channels.

Entries carry term ids. A term is found by id or by ``taxonomy:key``; a
filter by a term includes its descendants, and terms a deleted term was
merged into stand in for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime

import msgspec

MAX_DEPTH = 12


class Taxonomy(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class Term(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    taxonomy: str
    key: str
    parent_id: str | None
    labels: dict[str, str]
    position: int
    version: int
    created_at: datetime
    updated_at: datetime
    merged_into: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.taxonomy}:{self.key}"


class TermIndex(msgspec.Struct, frozen=True):
    """Every term by id, with the tree walks filters and ranking need."""

    terms: Mapping[str, Term]

    @classmethod
    def of(cls, terms: Iterable[Term]) -> TermIndex:
        return cls({t.id: t for t in terms})

    def by_ref(self, ref: str) -> Term | None:
        """A live term by id or ``taxonomy:key`` (merged terms give their target)."""
        term = self.terms.get(ref)
        if term is None and ":" in ref:
            taxonomy, _, key = ref.partition(":")
            term = next(
                (
                    t
                    for t in self.terms.values()
                    if t.taxonomy == taxonomy and t.key == key and t.merged_into is None
                ),
                None,
            )
        return None if term is None else self.live(term.id)

    def live(self, term_id: str) -> Term | None:
        """Follow ``merged_into`` from a (possibly deleted) term to a live one."""
        term = self.terms.get(term_id)
        for _ in range(MAX_DEPTH):
            if term is None or term.merged_into is None:
                return term
            term = self.terms.get(term.merged_into)
        return None

    def ancestors(self, term_id: str) -> list[str]:
        """Ids from the term up to its root, the term first."""
        out: list[str] = []
        term = self.live(term_id)
        while term is not None and len(out) < MAX_DEPTH and term.id not in out:
            out.append(term.id)
            term = self.terms.get(term.parent_id) if term.parent_id else None
        return out

    def depth(self, term_id: str) -> int:
        """1 for a root term, 2 for its children, ..."""
        return len(self.ancestors(term_id))

    def subtree(self, term_id: str) -> set[str]:
        """The term, its descendants, and every term merged into one of them."""
        children: dict[str, list[str]] = {}
        for t in self.terms.values():
            parent = t.merged_into or t.parent_id
            if parent is not None:
                children.setdefault(parent, []).append(t.id)
        out: set[str] = set()
        stack = [term_id]
        while stack:
            current = stack.pop()
            if current in out:
                continue
            out.add(current)
            stack.extend(children.get(current, ()))
        return out

    def expand(self, term_ids: Iterable[str]) -> frozenset[str]:
        """Live terms and all their ancestors (what an entry is "about")."""
        out: set[str] = set()
        for term_id in term_ids:
            out.update(self.ancestors(term_id))
        return frozenset(out)

    def refs(self, term_ids: Iterable[str]) -> list[str]:
        """``taxonomy:key`` of each live term, in order, without duplicates."""
        out: list[str] = []
        for term_id in term_ids:
            term = self.live(term_id)
            if term is not None and term.ref not in out:
                out.append(term.ref)
        return out


def term_weight(depth: int, with_term: int, total: int) -> float:
    """Specificity of a shared term: deeper and rarer terms weigh more."""
    return depth * (1.0 + math.log((1 + total) / (1 + with_term)))
