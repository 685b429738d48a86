"""Content type changes against existing entries.

Adding fields is always safe. A change that would make existing entries
invalid (a removed field that has values, a narrowed type, a tightened
validation, a field made required that published entries lack) is refused
with the list of affected entries, unless the caller asks for a migration
(``?migrate=true``) and gives an explicit value in ``migration_defaults`` for
every field whose current values break. A migration writes a new revision of
each affected draft, removing fields the type no longer has, and republishes
entries whose live copy was affected and had no unpublished changes.
"""

from __future__ import annotations

from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType
from content_hub.domain.entries import Entry
from content_hub.domain.errors import FieldError, HubError, ValidationFailed
from content_hub.services.audit import record
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.entry_validation import validate_entry_fields
from content_hub.store.repositories import EntryRepository, LocaleRepository
from content_hub.store.repositories.entries import EntryFilter

MAX_LISTED = 100


class BreakingTypeChange(HubError):
    status = 409
    type_slug = "breaking-type-change"
    title = "The change would invalidate existing entries"


class Affected(msgspec.Struct, frozen=True, kw_only=True):
    entry: Entry
    copy: str  # "draft" or "published"
    errors: list[FieldError]


async def affected_entries(deps: Deps, ctype: ContentType) -> list[Affected]:
    """Entries of ``ctype.key`` whose draft or live copy ``ctype`` rejects."""
    repo = EntryRepository(deps.session)
    entries: list[Entry] = []
    after: str | None = None
    while True:
        batch = await repo.page(
            EntryFilter(type_keys=[ctype.key]), after=after, limit=500
        )
        entries.extend(batch)
        if len(batch) < 500:
            break
        after = batch[-1].id
    live_ids = [e.id for e in entries if e.published_version is not None]
    live = {p.id: p.fields for p in await repo.published(live_ids)} if live_ids else {}
    out: list[Affected] = []
    for entry in entries:
        errors = await _errors(deps, ctype, entry.fields, require=False)
        if errors:
            out.append(Affected(entry=entry, copy="draft", errors=errors))
        if entry.id in live:
            errors = await _errors(deps, ctype, live[entry.id], require=True)
            if errors:
                out.append(Affected(entry=entry, copy="published", errors=errors))
    return out


async def _errors(
    deps: Deps, ctype: ContentType, fields: dict[str, Any], *, require: bool
) -> list[FieldError]:
    try:
        await validate_entry_fields(deps, ctype, fields, require=require)
    except ValidationFailed as exc:
        return exc.errors
    return []


def refuse(ctype: ContentType, affected: list[Affected]) -> BreakingTypeChange:
    ids = {a.entry.id for a in affected}
    fields = sorted(
        {str(e.loc[1]) for a in affected for e in a.errors if len(e.loc) > 1}
    )
    return BreakingTypeChange(
        f"The new definition of {ctype.key!r} would invalidate {len(ids)} "
        f"entr{'y' if len(ids) == 1 else 'ies'} (fields: {', '.join(fields)}). "
        "Fix them first, or repeat the request with ?migrate=true and a value "
        "for each of these fields in migration_defaults.",
        extra={
            "entries": [
                {
                    "id": a.entry.id,
                    "key": a.entry.key,
                    "copy": a.copy,
                    "errors": msgspec.to_builtins(a.errors),
                }
                for a in affected[:MAX_LISTED]
            ],
            "affected_count": len(ids),
            "fields": fields,
        },
    )


def migrated_fields(
    ctype: ContentType,
    fields: dict[str, Any],
    errors: list[FieldError],
    defaults: dict[str, Any],
    default_locale: str,
) -> dict[str, Any]:
    """``fields`` with removed fields dropped and broken ones set to defaults."""
    out = {k: v for k, v in fields.items() if ctype.field(k) is not None}
    missing: list[FieldError] = []
    for key in sorted({str(e.loc[1]) for e in errors if len(e.loc) > 1}):
        fdef = ctype.field(key)
        if fdef is None:
            continue  # removed from the type: dropped above
        if key not in defaults:
            missing.append(
                FieldError(
                    loc=["migration_defaults", key],
                    msg="existing values break this field; give a value for them",
                    type="required",
                )
            )
            continue
        value = defaults[key]
        if fdef.localized and not isinstance(value, dict):
            value = {default_locale: value}
        out[key] = value
    if missing:
        raise ValidationFailed(
            "A migration needs a default for every field whose values break.",
            errors=missing,
        )
    return out


async def migrate_entries(
    deps: Deps, ctype: ContentType, affected: list[Affected], defaults: dict[str, Any]
) -> None:
    """Rewrite each affected draft (a new revision) and republish live copies
    that had no unpublished changes; run after the new type is stored."""
    service = EntryService(deps)
    locales = await deps.memo(("locales",), LocaleRepository(deps.session).all)
    default_locale = next(
        (loc.code for loc in locales if loc.is_default), deps.settings.default_locale
    )
    by_entry: dict[str, list[Affected]] = {}
    for item in affected:
        by_entry.setdefault(item.entry.id, []).append(item)
    pending = [
        items[0]
        for items in by_entry.values()
        if any(a.copy == "published" for a in items)
        and items[0].entry.has_unpublished_changes
    ]
    if pending:
        raise BreakingTypeChange(
            "Some affected entries are live with unpublished changes; a migration "
            "would have to publish those changes. Publish or revert them first.",
            extra={
                "entries": [{"id": a.entry.id, "key": a.entry.key} for a in pending]
            },
        )
    for entry_id, items in by_entry.items():
        current = await service.get(entry_id)
        errors = [e for a in items for e in a.errors]
        fields = migrated_fields(
            ctype, current.fields, errors, defaults, default_locale
        )
        saved = await service.save(current, current.key, fields, None)
        await record(
            deps,
            "migrate",
            "entry",
            entry_id,
            before=current.version,
            after=saved.version,
            detail={"content_type_version": ctype.version},
        )
        if any(a.copy == "published" for a in items):
            await service.publish_current(saved, action="publish")
