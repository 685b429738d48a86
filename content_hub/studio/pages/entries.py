"""The entry list (search, filters, sorting, pages) and creating an entry."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from content_hub.domain.content_types import ContentType, FieldType
from content_hub.domain.entries import Entry
from content_hub.domain.errors import HubError
from content_hub.domain.inputs import EntryCreate
from content_hub.domain.keys import Principal
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.entry_lists import (
    EntryLists,
    Sort,
    Translated,
    missing_locales,
)
from content_hub.services.search import SearchService
from content_hub.studio.forms import Form, convert
from content_hub.studio.pages.editor_model import term_options
from content_hub.studio.pages.params import (
    SearchParam,
    StatusParam,
    TermParam,
    TypeParam,
)
from content_hub.studio.views import page, problem_of, redirect

PAGE_SIZE = 25
SORTS: list[tuple[Sort, str]] = [
    ("-updated", "Last changed"),
    ("updated", "Oldest change"),
    ("key", "Key A to Z"),
    ("-key", "Key Z to A"),
    ("title", "Title A to Z"),
    ("type", "Type"),
    ("status", "Status"),
]
SortText = Annotated[str | None, QueryParameter(name="sort", max_length=16)]
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=400)]
TranslationParam = Annotated[
    str | None, QueryParameter(name="translation", max_length=48)
]
"""``missing:<locale>``, ``complete:<locale>`` or ``outdated:<locale>``."""
STATUSES = ("draft", "published", "archived")


class Row(msgspec.Struct, frozen=True, kw_only=True):
    entry: Entry
    title: str
    title_locale: str | None
    missing: list[str]


def title_of(
    entry: Entry, ctype: ContentType | None, chain: list[str]
) -> tuple[str, str | None]:
    """The first text field's value (in the first locale of ``chain`` that has one)."""
    for fdef in ctype.fields if ctype else []:
        if fdef.type is not FieldType.TEXT:
            continue
        value = entry.fields.get(fdef.key)
        if isinstance(value, dict):
            for code in [*chain, *value]:
                if isinstance(value.get(code), str):
                    return value[code], code
        elif isinstance(value, str):
            return value, None
    return "", None


@get("/entries", name="studio_entries")
async def list_entries(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    search_service: NamedDependency[SearchService],
    q: SearchParam = None,
    type_key: TypeParam = None,
    status: StatusParam = None,
    sort: SortText = None,
    term: TermParam = None,
    translation: TranslationParam = None,
    page_number: PageNumber = 1,
) -> Response[str]:
    lists = EntryLists(studio_deps, search_service)
    types = await lists.types()
    codes = await lists.locale_codes()
    terms = await term_options(studio_deps)
    chosen_term = term if term in {t.value for t in terms} else None
    chosen_sort: Sort = next((s for s, _ in SORTS if s == sort), "-updated")
    chosen_type = type_key if type_key in types else None
    chosen_status = status if status in STATUSES else None
    translated = _translated(translation, codes)
    listing = await lists.listing(
        q=(q or "").strip() or None,
        type_key=chosen_type,
        status=chosen_status,
        sort=chosen_sort,
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        term=chosen_term,
        translated=translated,
    )
    rows = []
    for entry in listing.items:
        ctype = types.get(entry.type)
        title, locale = title_of(entry, ctype, codes)
        rows.append(
            Row(
                entry=entry,
                title=title,
                title_locale=locale,
                missing=missing_locales(entry, ctype, codes),
            )
        )
    query = {
        k: v
        for k, v in (
            ("q", q),
            ("type", chosen_type),
            ("status", chosen_status),
            ("term", chosen_term),
            ("translation", translation if translated else None),
            ("sort", None if chosen_sort == "-updated" else chosen_sort),
        )
        if v
    }

    def at(number: int) -> str:
        return "/studio/entries?" + urlencode({**query, "page": number})

    more = (
        listing.offset + len(listing.items) < listing.total
        and len(listing.items) == PAGE_SIZE
    )
    return page(
        request,
        "entries.html",
        principal=studio_principal,
        listing=listing,
        rows=rows,
        types=sorted(types.values(), key=lambda t: t.name.lower()),
        q=q or "",
        type_key=chosen_type,
        status_filter=chosen_status,
        terms=terms,
        term=chosen_term,
        translation=translation if translated else None,
        locale_codes=codes,
        sort=chosen_sort,
        sorts=SORTS,
        prev_url=at(page_number - 1) if page_number > 1 else None,
        next_url=at(page_number + 1) if more else None,
    )


def _translated(value: str | None, codes: list[str]) -> Translated | None:
    """The translation filter of ``missing:<locale>``, ``complete:<locale>``
    or ``outdated:<locale>`` (anything else, or a locale not configured, is
    no filter, like the other filters' unknown values)."""
    kind, _, code = (value or "").partition(":")
    if kind not in ("missing", "complete", "outdated") or code not in codes:
        return None
    return Translated(
        locale=code, missing=kind == "missing", outdated=kind == "outdated"
    )


@get("/entries/new", name="studio_new_entry")
async def new_entry(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    type_key: TypeParam = None,
) -> Response[str]:
    types = await EntryLists(studio_deps).types()
    return page(
        request,
        "entry_new.html",
        principal=studio_principal,
        types=sorted(types.values(), key=lambda t: t.name.lower()),
        type_key=type_key,
        key="",
    )


@post("/entries", status_code=303)
async def create_entry(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
) -> Response[Any]:
    """A new empty draft (the same ``EntryService.create`` as the API), then
    its editor."""
    form = Form.of(list((await request.form()).multi_items()))
    try:
        data = convert(
            {"type": form.get("type"), "key": form.get("key").strip()}, EntryCreate
        )
        entry = await EntryService(studio_deps).create(data)
    except HubError as exc:
        await studio_deps.session.rollback()
        types = await EntryLists(studio_deps).types()
        return page(
            request,
            "entry_new.html",
            principal=studio_principal,
            status=exc.status,
            problem=problem_of(exc),
            types=sorted(types.values(), key=lambda t: t.name.lower()),
            type_key=form.get("type"),
            key=form.get("key"),
        )
    return redirect(f"/studio/entries/{entry.id}", "created")
