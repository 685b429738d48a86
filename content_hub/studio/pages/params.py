"""Query parameters of the Studio's pages (declared, so the edge's
unknown-parameter rule knows them)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from content_hub.services.entry_lists import Sort

LocaleParam = Annotated[str | None, QueryParameter(max_length=35)]
TypeParam = Annotated[str | None, QueryParameter(name="type", max_length=64)]
StatusParam = Annotated[str | None, QueryParameter(max_length=16)]
CursorParam = Annotated[str | None, QueryParameter(max_length=200)]
SearchParam = Annotated[str | None, QueryParameter(max_length=200)]
SortParam = Annotated[Sort, QueryParameter()]
PageParam = Annotated[int, QueryParameter(ge=1, le=10_000)]
TermParam = Annotated[str | None, QueryParameter(name="term", max_length=230)]
