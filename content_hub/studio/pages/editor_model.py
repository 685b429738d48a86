"""What the entry editor shows: each field with its source-locale value, its
target-locale input and where the target falls back to, the pickers'
options and the terms as a tree. Reads only (the handlers write)."""

from __future__ import annotations

from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType, FieldDef, FieldType
from content_hub.domain.entries import Entry, FieldChange, resolve_fields
from content_hub.domain.keys import Principal
from content_hub.domain.locales import Locale, LocaleSet
from content_hub.domain.permissions import Action
from content_hub.domain.permissions import allowed as may
from content_hub.domain.releases import EDITABLE
from content_hub.domain.translations import TranslationStatus
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entry_lists import EntryLists, missing_locales
from content_hub.services.locales import LocaleService
from content_hub.services.media import MediaService
from content_hub.services.releases import ReleaseService
from content_hub.services.revisions import RevisionService
from content_hub.services.taxonomy import TaxonomyService, term_index
from content_hub.services.translations import TranslationService
from content_hub.studio.forms import input_name, selected_refs, shown
from content_hub.studio.identity import can_edit

PICKER_LIMIT = 200


class FieldView(msgspec.Struct, kw_only=True):
    """One row of the editor."""

    fdef: FieldDef
    name: str
    label: str
    source_text: str
    source_served_by: str | None
    value_text: str
    selected: set[str]
    falls_back_to: str | None
    fallback_text: str
    editable: bool
    errors: list[str]


class Option(msgspec.Struct, frozen=True):
    value: str
    label: str
    depth: int = 0
    group: str = ""


async def locales_of(deps: Deps) -> list[Locale]:
    return await LocaleService(deps).all()


def pick_locales(
    locales: list[Locale], source: str | None, target: str | None
) -> tuple[Locale, Locale]:
    """The source (default: the default locale) and target (default: the source)."""
    by_code = {loc.code: loc for loc in locales}
    default = next((loc for loc in locales if loc.is_default), locales[0])
    src = by_code.get(source or "", default)
    return src, by_code.get(target or "", src)


def field_views(
    entry_fields: dict[str, Any],
    ctype: ContentType,
    source: Locale,
    target: Locale,
    principal: Principal,
    chains: LocaleSet,
    raw: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[FieldView]:
    """A row per field; ``raw`` holds inputs to show as typed (after an error).
    Fallbacks follow the chains delivery uses (``chains``)."""
    localized = frozenset(f.key for f in ctype.fields if f.localized)
    full = {f.key: entry_fields.get(f.key) for f in ctype.fields}
    src = resolve_fields(full, localized, chains.chain(source.code))
    tgt = resolve_fields(full, localized, chains.chain(target.code))
    rows = []
    for fdef in ctype.fields:
        name = input_name(fdef, target.code)
        stored = full[fdef.key]
        own = stored.get(target.code) if isinstance(stored, dict) else None
        value = own if fdef.localized else stored
        served = tgt.served_by[fdef.key]
        falls_back = fdef.localized and own is None and served is not None
        rows.append(
            FieldView(
                fdef=fdef,
                name=name,
                label=fdef.name or fdef.key.replace("_", " ").capitalize(),
                source_text=shown(src.values[fdef.key], fdef),
                source_served_by=src.served_by[fdef.key],
                value_text=(raw or {}).get(name, shown(value, fdef)),
                selected=selected_refs(value),
                falls_back_to=served if falls_back else None,
                fallback_text=shown(tgt.values[fdef.key], fdef) if falls_back else "",
                editable=can_edit(principal, target.code if fdef.localized else None),
                errors=(errors or {}).get(name, []),
            )
        )
    return rows


async def pickers(deps: Deps, ctype: ContentType) -> dict[str, list[Option]]:
    """Options of the media and entry pickers, loaded only when the type has
    such fields (one query each)."""
    kinds = {f.type for f in ctype.fields}
    out: dict[str, list[Option]] = {}
    if kinds & {FieldType.MEDIA, FieldType.REFERENCES}:
        media = await MediaService(deps).page(cursor=None, limit=PICKER_LIMIT)
        out["media"] = [
            Option(m.id, m.title or m.url, group="Media") for m in media.items
        ]
    if kinds & {FieldType.ENTRY, FieldType.REFERENCES}:
        labels = await EntryLists(deps).labels(None, PICKER_LIMIT)
        out["entry"] = [Option(i, f"{t} / {k}", group=t) for i, t, k in labels]
    return out


def allowed(options: list[Option], fdef: FieldDef) -> list[Option]:
    types = fdef.validations.allowed_types
    return [o for o in options if types is None or o.group in types]


async def term_options(deps: Deps) -> list[Option]:
    """Every live term, depth-first under its taxonomy, labelled by path."""
    index = await term_index(deps)
    taxonomies = {t.key: t.name for t in await TaxonomyService(deps).all()}
    children: dict[str | None, list[Any]] = {}
    for term in index.terms.values():
        if term.merged_into is None:
            children.setdefault(term.parent_id, []).append(term)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t.taxonomy, t.position, t.key))
    out: list[Option] = []

    def walk(parent: str | None, depth: int) -> None:
        for term in children.get(parent, []):
            label = term.labels.get("en") or next(iter(term.labels.values()), term.key)
            group = taxonomies.get(term.taxonomy, term.taxonomy)
            out.append(Option(term.id, label, depth=depth, group=group))
            walk(term.id, depth + 1)

    walk(None, 0)
    out.sort(key=lambda o: o.group)  # stable: trees stay in order per taxonomy
    return out


async def outdated_fields(deps: Deps, entry_id: str) -> dict[str, list[str]]:
    """Per locale the fields whose translation is outdated (the source
    value changed since it was written)."""
    found = await TranslationService(deps).of_entry(entry_id)
    return {
        code: [f for f, s in fields.items() if s is TranslationStatus.OUTDATED]
        for code, fields in found.statuses.items()
        if TranslationStatus.OUTDATED in fields.values()
    }


async def editor_context(
    deps: Deps,
    entry: Entry,
    principal: Principal,
    source: str | None,
    target: str | None,
    *,
    fields: dict[str, Any] | None = None,
    raw: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Everything the editor template needs (``fields``: the values to show
    instead of the stored ones, e.g. after a refused save)."""
    ctype = await ContentTypeService(deps).get(entry.type)
    locales = await locales_of(deps)
    src, tgt = pick_locales(locales, source, target)
    published_diff: list[FieldChange] = []
    if entry.published_version and entry.published_version != entry.version:
        published_diff = await RevisionService(deps).diff(
            entry.id, entry.version, entry.published_version
        )
    return {
        "entry": entry,
        "ctype": ctype,
        "locales": locales,
        "source": src,
        "target": tgt,
        "rows": field_views(
            fields if fields is not None else entry.fields,
            ctype,
            src,
            tgt,
            principal,
            LocaleSet.build(locales, deps.settings.default_locale),
            raw,
            errors,
        ),
        "pickers": await pickers(deps, ctype),
        "allowed": allowed,
        "terms": await term_options(deps),
        "missing": missing_locales(entry, ctype, [loc.code for loc in locales]),
        "outdated": await outdated_fields(deps, entry.id),
        "published_diff": published_diff,
        **await _releases(deps, entry, principal),
    }


async def _releases(deps: Deps, entry: Entry, principal: Principal) -> dict[str, Any]:
    """The releases that may still change (for "Add to a release") and
    which of them hold this entry, at which version."""
    releases = [r for r in await ReleaseService(deps).all() if r.status in EDITABLE]
    return {
        "releases": releases,
        "may_release": may(principal, Action.ENTRIES_WRITE),
        "in_releases": [
            (r, i.version)
            for r in releases
            for i in r.items.entries
            if i.entry == entry.id
        ],
    }
