"""XLIFF export and import of entry translations (``content-hub xliff``,
``GET/POST /manage/v1/xliff``).

Export: per entry (filtered by types, entry ids) each localised field whose
source-locale value is text, as a unit with the target's current value and
the source hash; ``only`` keeps units ``missing`` or ``outdated`` in the
target. Import: each unit is checked against the entry's current source
value; a changed source (or a unit without hash) is a **conflict** and not
written; the others are written to the drafts, one new revision per entry,
as the importing actor (a translator only for their locales). Every unit is
reported. Variant overrides are not exported yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from content_hub.domain.errors import BadRequest, HubError
from content_hub.domain.inputs import EntryPatch
from content_hub.domain.translations import (
    TranslationStatus,
    field_status,
    source_hash,
)
from content_hub.domain.xliff import Document, Unit, XliffError, read, write
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.translations import TranslationService, source_locale
from content_hub.store.repositories.translations import TranslationRepository


class UnitResult(msgspec.Struct, frozen=True, kw_only=True):
    unit: str
    status: str
    """``written``, ``unchanged``, ``conflict`` or ``error``."""
    detail: str = ""


class ImportReport(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    target: str
    written: int
    conflicts: int
    errors: int
    units: list[UnitResult]


async def _locales(deps: Deps, target: str, source: str | None) -> str:
    default, codes = await source_locale(deps)
    src = source or default
    for code in (src, target):
        if code not in codes:
            raise BadRequest(f"No locale {code!r} is configured.")
    if src == target:
        raise BadRequest("The source and target locales must differ.")
    return src


async def export(
    deps: Deps,
    *,
    target: str,
    source: str | None = None,
    types: Sequence[str] = (),
    entry_ids: Sequence[str] = (),
    only: TranslationStatus | None = None,
) -> bytes:
    """The XLIFF 2.1 document of the filtered entries' text fields."""
    src = await _locales(deps, target, source)
    service = TranslationService(deps)
    known = await service._types()
    for key in types:
        if key not in known:
            raise BadRequest(f"No content type {key!r}.", extra={"type": key})
    repo = TranslationRepository(deps.session)
    units: list[Unit] = []
    after: str | None = None
    wanted = set(entry_ids)
    while rows := await repo.entries(list(types) or None, after):
        after = rows[-1][0]
        rows = [r for r in rows if not wanted or r[0] in wanted]
        recorded = await repo.sources([r[0] for r in rows])
        for eid, tkey, key, fields, _ in rows:
            ctype = known.get(tkey)
            for fdef in ctype.fields if ctype else []:
                value = fields.get(fdef.key)
                per_locale = value if fdef.localized and isinstance(value, dict) else {}
                origin = per_locale.get(src)
                if not isinstance(origin, str):
                    continue
                status = field_status(
                    fields,
                    fdef.key,
                    target,
                    src,
                    recorded.get(eid, {}).get((fdef.key, target)),
                )
                if only is not None and status is not only:
                    continue
                mine = per_locale.get(target)
                units.append(
                    Unit(
                        entry_id=eid,
                        field=fdef.key,
                        source=origin,
                        target=mine if isinstance(mine, str) else None,
                        source_hash=source_hash(origin),
                        name=f"{tkey}/{key}/{fdef.key}",
                    )
                )
    return write(Document(source_locale=src, target_locale=target, units=units))


async def import_document(deps: Deps, data: bytes) -> ImportReport:
    """Write the units whose source is unchanged; report every unit."""
    try:
        doc, bad = read(data)
    except XliffError as exc:
        raise BadRequest(f"The XLIFF document cannot be read: {exc}") from exc
    src = await _locales(deps, doc.target_locale, doc.source_locale)
    results = [UnitResult(unit=uid, status="error", detail=why) for uid, why in bad]
    by_entry: dict[str, list[Unit]] = {}
    for unit in doc.units:
        by_entry.setdefault(unit.entry_id, []).append(unit)
    entries = EntryService(deps)
    for eid, units in by_entry.items():
        results += await _import_entry(
            deps, entries, eid, units, src, doc.target_locale
        )
    counts = {
        s: sum(r.status == s for r in results) for s in ("written", "conflict", "error")
    }
    return ImportReport(
        source=src,
        target=doc.target_locale,
        written=counts["written"],
        conflicts=counts["conflict"],
        errors=counts["error"],
        units=results,
    )


async def _import_entry(
    deps: Deps,
    entries: EntryService,
    entry_id: str,
    units: list[Unit],
    src: str,
    target: str,
) -> list[UnitResult]:
    try:
        current = await entries.get(entry_id)
    except HubError as exc:
        return [UnitResult(unit=u.id, status="error", detail=str(exc)) for u in units]
    out: list[UnitResult] = []
    patch: dict[str, Any] = {}
    for unit in units:
        value = current.fields.get(unit.field)
        per_locale = value if isinstance(value, dict) else {}
        if unit.target is None:
            out.append(UnitResult(unit=unit.id, status="unchanged", detail="no target"))
        elif unit.source_hash != source_hash(per_locale.get(src)):
            out.append(
                UnitResult(
                    unit=unit.id,
                    status="conflict",
                    detail=f"the {src} source changed since the export; not written",
                )
            )
        elif per_locale.get(target) == unit.target:
            out.append(UnitResult(unit=unit.id, status="unchanged"))
        else:
            patch[unit.field] = {target: unit.target}
    if not patch:
        return out
    written = [u for u in units if u.field in patch]
    try:
        async with deps.session.begin_nested():
            await entries.patch(entry_id, EntryPatch(fields=patch), current.version)
    except HubError as exc:
        return out + [
            UnitResult(unit=u.id, status="error", detail=str(exc)) for u in written
        ]
    return out + [UnitResult(unit=u.id, status="written") for u in written]
