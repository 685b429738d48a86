"""Term postings of a snapshot state: filtering by term (descendants included)
and "related across channels" ranked by shared specificity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from content_hub.domain.taxonomy import term_weight

if TYPE_CHECKING:  # delivery imports this module
    from content_hub.live.state import SnapshotState


class Related(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: str
    score: float
    shared_terms: list[str]


class TermPostings:
    """For each term, the published entries about it (ancestors included, so a
    filter by a term includes entries tagged with its descendants)."""

    def __init__(self, state: SnapshotState) -> None:
        self.state = state
        self.about: dict[str, frozenset[str]] = {}
        self.postings: dict[str, set[str]] = {}
        for entry in state.entries.values():
            if not entry.terms:
                continue
            expanded = state.terms.expand(entry.terms)
            self.about[entry.id] = expanded
            for term_id in expanded:
                self.postings.setdefault(term_id, set()).add(entry.id)

    def with_term(self, term_id: str) -> set[str]:
        return self.postings.get(term_id, set())

    def related(
        self,
        entry_id: str,
        *,
        type_key: str | None,
        channel: str | None,
        limit: int,
    ) -> list[Related]:
        """Entries sharing terms with ``entry_id``: the score sums each shared
        term's weight (deeper and rarer terms weigh more); ties by id."""
        state = self.state
        source = self.about.get(entry_id, frozenset())
        total = len(state.entries)
        weights = {
            t: term_weight(state.terms.depth(t), len(self.with_term(t)), total)
            for t in source
        }
        scores: dict[str, float] = {}
        shared: dict[str, list[str]] = {}
        for term_id in source:
            for other in self.with_term(term_id):
                if other == entry_id or not _fits(state, other, type_key, channel):
                    continue
                scores[other] = scores.get(other, 0.0) + weights[term_id]
                shared.setdefault(other, []).append(term_id)
        ranked = sorted(scores, key=lambda e: (-scores[e], e))[:limit]
        return [
            Related(
                entry_id=e,
                score=round(scores[e], 6),
                shared_terms=sorted(
                    state.terms.refs(shared[e]),
                ),
            )
            for e in ranked
        ]


def _fits(
    state: SnapshotState, entry_id: str, type_key: str | None, channel: str | None
) -> bool:
    entry = state.entries[entry_id]
    if type_key is not None and entry.type != type_key:
        return False
    if channel is None:
        return True
    info = state.types.get(entry.type)
    return info is not None and channel in info.channels
