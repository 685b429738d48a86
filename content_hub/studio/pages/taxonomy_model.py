"""What the taxonomy screens show: a taxonomy's terms as a tree, the parents
a term may move under, and the form posts turned into the API's inputs.

Everything here reads through :class:`TaxonomyService` (the same calls as
``/manage/v1/taxonomies``); the tree is only a view of its term list.
"""

from __future__ import annotations

from typing import Any

import msgspec

from content_hub.domain.errors import HubError
from content_hub.domain.keys import Principal
from content_hub.domain.locales import Locale
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.taxonomy import Taxonomy, Term
from content_hub.services.base import Deps
from content_hub.services.taxonomy import TaxonomyService
from content_hub.studio.forms import Form
from content_hub.studio.pages.editor_model import locales_of
from content_hub.studio.views import problem_of


class Node(msgspec.Struct, frozen=True, kw_only=True):
    """A term in the tree, with its label and its children in order."""

    term: Term
    label: str
    depth: int
    children: list[Node]


class Choice(msgspec.Struct, frozen=True, kw_only=True):
    """A term as an option of a select (indented by depth)."""

    value: str
    label: str
    depth: int


def label_of(term: Term, codes: list[str]) -> str:
    """The term's label in the first of ``codes`` that has one, else its key."""
    for code in codes:
        if term.labels.get(code):
            return term.labels[code]
    return next(iter(term.labels.values()), term.key)


def tree(terms: list[Term], codes: list[str]) -> list[Node]:
    """The roots, each with its descendants (siblings by position, then key)."""
    children: dict[str | None, list[Term]] = {}
    ids = {t.id for t in terms}
    for term in terms:
        parent = term.parent_id if term.parent_id in ids else None
        children.setdefault(parent, []).append(term)

    def build(parent: str | None, depth: int, seen: frozenset[str]) -> list[Node]:
        siblings = sorted(children.get(parent, []), key=lambda t: (t.position, t.key))
        return [
            Node(
                term=t,
                label=label_of(t, codes),
                depth=depth,
                children=build(t.id, depth + 1, seen | {t.id}),
            )
            for t in siblings
            if t.id not in seen
        ]

    return build(None, 1, frozenset())


def flatten(nodes: list[Node]) -> list[Choice]:
    """The tree depth-first, as select options."""
    out: list[Choice] = []
    for node in nodes:
        out.append(Choice(value=node.term.id, label=node.label, depth=node.depth - 1))
        out.extend(flatten(node.children))
    return out


def subtree_ids(nodes: list[Node], term_id: str) -> set[str]:
    """``term_id`` and every descendant of it."""
    for node in nodes:
        if node.term.id == term_id:
            return {node.term.id} | {c.value for c in flatten(node.children)}
        found = subtree_ids(node.children, term_id)
        if found:
            return found
    return set()


def path_to(nodes: list[Node], term_id: str) -> list[Node]:
    """The nodes from a root down to ``term_id`` (empty when absent)."""
    for node in nodes:
        if node.term.id == term_id:
            return [node]
        below = path_to(node.children, term_id)
        if below:
            return [node, *below]
    return []


def inline_errors(exc: HubError) -> dict[str, list[str]]:
    """The problem's field errors by input name (``labels.de`` is the input
    ``label:de``), to show next to the inputs."""
    out: dict[str, list[str]] = {}
    for error in problem_of(exc)["errors"]:
        loc = [str(part) for part in error["loc"]]
        name = f"label:{loc[1]}" if loc[:1] == ["labels"] and len(loc) > 1 else ""
        out.setdefault(name or ".".join(loc) or "form", []).append(error["msg"])
    return out


def labels_from(form: Form, locales: list[Locale]) -> dict[str, str]:
    """The non-empty ``label:<code>`` inputs (an empty one removes the label)."""
    return {
        loc.code: form.get(f"label:{loc.code}").strip()
        for loc in locales
        if form.get(f"label:{loc.code}").strip()
    }


async def taxonomy_context(
    deps: Deps, principal: Principal, key: str
) -> dict[str, Any]:
    """What the taxonomy page and the term page both need."""
    service = TaxonomyService(deps)
    taxonomy: Taxonomy = await service.get(key)
    locales = await locales_of(deps)
    codes = [loc.code for loc in sorted(locales, key=lambda loc: not loc.is_default)]
    nodes = tree(await service.terms(key), codes)
    return {
        "taxonomy": taxonomy,
        "nodes": nodes,
        "choices": flatten(nodes),
        "locales": locales,
        "default_locale": codes[0] if codes else "en",
        "can_write": allowed(principal, Action.TAXONOMY_WRITE),
        "errors": {},
        "failed": "",
        "raw": {},
    }
