"""Search use cases: query the engine off the event loop, published or drafts."""

from __future__ import annotations

from collections.abc import Sequence

import anyio.to_thread

from content_hub.domain.errors import LocaleNotConfigured
from content_hub.live.delivery_state import DeliverySnapshot
from content_hub.search import (
    Eq,
    FacetField,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Stage,
    and_,
    parse_filter_params,
)


class SearchService:
    def __init__(self, backend: SearchBackend, snapshot: DeliverySnapshot) -> None:
        self.backend = backend
        self.snapshot = snapshot

    def _locales(self, requested: Sequence[str] | None) -> list[str] | None:
        if not requested:
            return None
        configured = {c.lower(): c for c in self.snapshot.state.locales.chains}
        out = []
        for code in requested:
            found = configured.get(code.lower())
            if found is None:
                raise LocaleNotConfigured(
                    f"Locale {code!r} is not configured; "
                    f"configured: {', '.join(sorted(configured.values()))}.",
                    extra={"configured": sorted(configured.values())},
                )
            out.append(found)
        return out

    async def search(
        self,
        *,
        q: str,
        stage: Stage,
        locales: Sequence[str] | None = None,
        filters: dict[str, list[str]] | None = None,
        facets: Sequence[FacetField] = (),
        limit: int = 20,
        offset: int = 0,
        highlight: bool = True,
    ) -> SearchResults:
        """Run a word query; ``filters`` uses the query-parameter form
        (``type``, ``term``, ``channel``, ``status``), never raw strings."""
        expr = and_(Eq("stage", stage), parse_filter_params(filters or {}))
        query = SearchQuery(
            q=q,
            locales=self._locales(locales),
            filter=expr,
            facets=list(facets),
            limit=limit,
            offset=offset,
            highlight=highlight,
        )
        return await anyio.to_thread.run_sync(self.backend.search, query)
