"""/manage/v1/translations: translation status (missing, present,
outdated) per entry, field and locale, a summary per locale, and the
per-locale review state of an entry."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from content_hub.api.entries import TypeFilter
from content_hub.api.params import Cursor, IfMatch, Limit, etag, version_from
from content_hub.domain.keys import Scope
from content_hub.domain.translations import (
    LocaleSummary,
    Review,
    ReviewState,
    TranslationItem,
    TranslationStatus,
)
from content_hub.services.base import Deps
from content_hub.services.translations import EntryTranslations, TranslationService
from content_hub.services.xliff import ImportReport, export, import_document

LocaleFilter = Annotated[
    str | None,
    QueryParameter(
        name="locale",
        max_length=35,
        description="One locale (default: all but the source).",
    ),
]
StateFilter = Annotated[TranslationStatus | None, QueryParameter(name="state")]
Target = Annotated[str, QueryParameter(name="target", max_length=35)]
Source = Annotated[
    str | None,
    QueryParameter(
        name="source", max_length=35, description="Default: the default locale."
    ),
]
Types = Annotated[list[str] | None, QueryParameter(name="type", max_items=50)]
EntryIds = Annotated[list[str] | None, QueryParameter(name="entry", max_items=500)]
Terms = Annotated[
    list[str] | None,
    QueryParameter(
        name="term",
        max_items=50,
        description="entries carrying this term (an id or taxonomy:key; "
        "descendants included); repeat for any of several",
    ),
]
Only = Annotated[
    TranslationStatus | None,
    QueryParameter(name="only", description="missing or outdated units only"),
]
XLIFF = "application/xliff+xml"


class TranslationPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TranslationItem]
    next_cursor: str | None


class TranslationSummary(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    locales: list[LocaleSummary]


class ReviewIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    state: ReviewState


class TranslationController(Controller):
    path = "/manage/v1"
    tags = ["translations"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get("/translations", summary="Translation status per entry, field and locale")
    async def list_translations(
        self,
        deps: NamedDependency[Deps],
        locale: LocaleFilter = None,
        status: StateFilter = None,
        type_key: TypeFilter = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> TranslationPage:
        page = await TranslationService(deps).page(
            locale=locale, state=status, type_key=type_key, cursor=cursor, limit=limit
        )
        return TranslationPage(items=page.items, next_cursor=page.next_cursor)

    @get("/translations/summary", summary="Per locale: counts and completeness")
    async def translation_summary(
        self, deps: NamedDependency[Deps], type_key: TypeFilter = None
    ) -> TranslationSummary:
        service = TranslationService(deps)
        locales = await service.summary(type_key)
        source = await service.of_source()
        return TranslationSummary(source=source, locales=locales)

    @get(
        "/entries/{entry_id:str}/translations",
        summary="An entry's translation status and review state per locale",
    )
    async def entry_translations(
        self, deps: NamedDependency[Deps], entry_id: FromPath[str]
    ) -> EntryTranslations:
        return await TranslationService(deps).of_entry(entry_id)

    @put(
        "/entries/{entry_id:str}/translations/{locale:str}",
        summary="Set an entry's review state in a locale (If-Match: its version)",
    )
    async def set_review(
        self,
        deps: NamedDependency[Deps],
        entry_id: FromPath[str],
        locale: FromPath[str],
        data: JSONBody[ReviewIn],
        if_match: IfMatch = None,
    ) -> Response[Review]:
        review = await TranslationService(deps).set_review(
            entry_id, locale, data.state, version_from(if_match)
        )
        return Response(review, headers=etag(review.version))

    @get("/xliff", summary="Export translations as XLIFF 2.1", media_type=XLIFF)
    async def export_xliff(
        self,
        deps: NamedDependency[Deps],
        target: Target,
        source: Source = None,
        types: Types = None,
        entries: EntryIds = None,
        term: Terms = None,
        only: Only = None,
    ) -> Response[bytes]:
        body = await export(
            deps,
            target=target,
            source=source,
            types=types or (),
            entry_ids=entries or (),
            terms=term or (),
            only=only,
        )
        return Response(body, media_type=XLIFF)

    @post("/xliff", status_code=200, summary="Import an XLIFF 2 file into drafts")
    async def import_xliff(
        self, deps: NamedDependency[Deps], request: Request[Any, Any, Any]
    ) -> ImportReport:
        return await import_document(deps, await request.body())
