"""XLIFF export and import of entry translations (``content-hub xliff``,
``GET/POST /manage/v1/xliff``).

Export: per entry (filtered by types, entry ids) each localised field whose
source-locale value is text, as a unit with the target's current value and
the source hash; ``only`` keeps units ``missing`` or ``outdated`` in the
target. Import: each unit is checked against the entry's current source
value; a changed source (or a unit without hash) is a **conflict** and not
written; the others are written to the drafts, one new revision per entry,
as the importing actor (a translator only for their locales). Every unit is
reported. Variant overrides travel as units ``v.<entry>.<variant>.<field>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from content_hub.domain.errors import BadRequest, HubError, NotFound
from content_hub.domain.inputs import EntryPatch
from content_hub.domain.render import Personalization
from content_hub.domain.translations import (
    VARIANTS,
    TranslationStatus,
    field_status,
    source_hash,
    with_variants,
)
from content_hub.domain.xliff import Document, Unit, XliffError, read, write
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.personalization import PersonalizationService
from content_hub.services.translations import TranslationService, source_locale
from content_hub.store.repositories.render import PersonalizationRepository
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
    terms: Sequence[str] = (),
    only: TranslationStatus | None = None,
) -> bytes:
    """The XLIFF 2.1 document of the filtered entries' text fields: of
    ``types``, among ``entry_ids``, carrying one of ``terms`` (an id or
    ``taxonomy:key``, its descendants included; an unknown one is a 400)."""
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
    tagged: set[str] | None = None
    if terms:
        entries = EntryService(deps)
        term_ids = {t for term in terms for t in await entries.term_filter(term)}
        tagged = await repo.tagged(sorted(term_ids))
    personalization = PersonalizationRepository(deps.session)
    while rows := await repo.entries(list(types) or None, after):
        after = rows[-1][0]
        rows = [
            r
            for r in rows
            if (not wanted or r[0] in wanted) and (tagged is None or r[0] in tagged)
        ]
        recorded = await repo.sources([r[0] for r in rows])
        variants = await personalization.as_of_many({r[0]: r[4] for r in rows})
        for eid, tkey, key, draft, _ in rows:
            ctype = known.get(tkey)
            localized = [f.key for f in ctype.fields if f.localized] if ctype else []
            fields, flat_keys = with_variants(draft, variants.get(eid), localized)
            for flat in flat_keys:
                unit = _unit(fields, flat, eid, f"{tkey}/{key}", src, target)
                status = field_status(
                    fields, flat, target, src, recorded.get(eid, {}).get((flat, target))
                )
                if unit is not None and (only is None or status is only):
                    units.append(unit)
    return write(Document(source_locale=src, target_locale=target, units=units))


def _split(flat: str) -> tuple[str | None, str]:
    """(variant, field) of a key of :func:`with_variants`."""
    if flat.startswith(VARIANTS + "."):
        _, variant, field = flat.split(".", 2)
        return variant, field
    return None, flat


def _flat(unit: Unit) -> str:
    if unit.variant is None:
        return unit.field
    return f"{VARIANTS}.{unit.variant}.{unit.field}"


def _unit(
    fields: dict[str, Any], flat: str, eid: str, name: str, src: str, target: str
) -> Unit | None:
    """The unit of one (flattened) field, if its source value is text."""
    value = fields.get(flat)
    per_locale = value if isinstance(value, dict) else {}
    origin = per_locale.get(src)
    if not isinstance(origin, str):
        return None
    mine = per_locale.get(target)
    variant, field = _split(flat)
    return Unit(
        entry_id=eid,
        field=field,
        variant=variant,
        source=origin,
        target=mine if isinstance(mine, str) else None,
        source_hash=source_hash(origin),
        name=f"{name}/{flat}",
    )


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
        ctype = await entries._type(current.type)
    except HubError as exc:
        return [UnitResult(unit=u.id, status="error", detail=str(exc)) for u in units]
    variants = await PersonalizationRepository(deps.session).as_of(
        current.id, current.version
    )
    localized = [f.key for f in ctype.fields if f.localized]
    fields, _ = with_variants(current.fields, variants, localized)
    out: list[UnitResult] = []
    written: list[Unit] = []
    for unit in units:
        value = fields.get(_flat(unit))
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
            written.append(unit)
    if not written:
        return out
    try:
        async with deps.session.begin_nested():
            await _write(
                deps, entries, current.id, current.version, variants, written, target
            )
    except HubError as exc:
        return out + [
            UnitResult(unit=u.id, status="error", detail=str(exc)) for u in written
        ]
    return out + [UnitResult(unit=u.id, status="written") for u in written]


async def _write(
    deps: Deps,
    entries: EntryService,
    entry_id: str,
    version: int,
    variants: dict[str, Any],
    units: list[Unit],
    target: str,
) -> None:
    """The entry's own values (one revision), then the overrides (another)."""
    own = {u.field: {target: u.target} for u in units if u.variant is None}
    if own:
        version = (
            await entries.patch(entry_id, EntryPatch(fields=own), version)
        ).version
    overrides = [u for u in units if u.variant is not None]
    if not overrides:
        return
    data = dict(variants)
    data["variants"] = {
        name: {**v, "fields": dict(v.get("fields") or {})}
        for name, v in (variants.get("variants") or {}).items()
    }
    for unit in overrides:
        variant = data["variants"].get(unit.variant)
        if variant is None:
            raise NotFound(f"No variant {unit.variant!r}.")
        per_locale = dict(variant["fields"].get(unit.field) or {})
        per_locale[target] = unit.target
        variant["fields"][unit.field] = per_locale
    service = PersonalizationService(deps)
    await service.set(entry_id, msgspec.convert(data, Personalization), version)
