"""Translation status: which localised values are missing, present or
outdated, and the per-locale review state of an entry.

A translation (a localised field's value in a locale other than the source
locale, the default one) remembers the hash of the source value it was made
from: :func:`written_translations` says which values a save wrote and the
hash to record. It is **outdated** when the source value's hash differs now
(:func:`field_status`). A value written before tracking began has no record
and counts as present.

A (field, locale) pair is listed when the source or the locale has a value:
``missing`` (a source but no value in the locale itself; fallbacks do not
count), ``present`` or ``outdated``. The source locale itself is never
outdated.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec


class TranslationStatus(enum.StrEnum):
    MISSING = "missing"
    PRESENT = "present"
    OUTDATED = "outdated"


class ReviewState(enum.StrEnum):
    IN_TRANSLATION = "in_translation"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"


Key = tuple[str, str]
"""(field, locale)"""


def source_hash(value: Any) -> str:
    """A short stable hash of a source value (``None``: no source)."""
    raw = msgspec.json.encode(value, order="sorted")
    return hashlib.sha256(raw).hexdigest()[:16]


def _locale_map(fields: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = fields.get(key)
    return value if isinstance(value, dict) else {}


def written_translations(
    localized: Iterable[str],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    source: str,
) -> dict[Key, str]:
    """The translations a save from ``before`` to ``after`` wrote (a value
    in a non-source locale that is new or changed), each with the hash of
    the source value it was written against (the source as saved)."""
    out: dict[Key, str] = {}
    for key in localized:
        old, new = _locale_map(before, key), _locale_map(after, key)
        for code, value in new.items():
            if code == source or value is None or old.get(code) == value:
                continue
            out[(key, code)] = source_hash(new.get(source))
    return out


def field_status(
    fields: Mapping[str, Any],
    key: str,
    locale: str,
    source: str,
    recorded: str | None,
) -> TranslationStatus | None:
    """The status of ``key`` in ``locale`` (``None``: neither the source
    nor the locale has a value, nothing to translate)."""
    per_locale = _locale_map(fields, key)
    mine, origin = per_locale.get(locale), per_locale.get(source)
    if mine is None:
        return None if origin is None else TranslationStatus.MISSING
    if locale == source or recorded is None or recorded == source_hash(origin):
        return TranslationStatus.PRESENT
    return TranslationStatus.OUTDATED


def entry_statuses(
    fields: Mapping[str, Any],
    localized: Iterable[str],
    locales: Iterable[str],
    source: str,
    recorded: Mapping[Key, str],
) -> dict[Key, TranslationStatus]:
    """Every listed (field, locale) status of one entry."""
    out: dict[Key, TranslationStatus] = {}
    codes = list(locales)
    for key in localized:
        for code in codes:
            status = field_status(fields, key, code, source, recorded.get((key, code)))
            if status is not None:
                out[(key, code)] = status
    return out


VARIANTS = "variants"


def with_variants(
    fields: Mapping[str, Any],
    personalization: Mapping[str, Any] | None,
    localized: Iterable[str],
) -> tuple[dict[str, Any], list[str]]:
    """The entry's fields plus each variant's override values, the latter
    under ``variants.<name>.<field>`` (their source is the override's own
    source-locale value), and the localised keys among them."""
    keys = list(localized)
    merged = dict(fields)
    out_keys = list(keys)
    variants = (personalization or {}).get(VARIANTS) or {}
    for name, variant in sorted(variants.items()):
        overrides = (variant or {}).get("fields") or {}
        for key in keys:
            if key in overrides:
                flat = f"{VARIANTS}.{name}.{key}"
                merged[flat] = overrides[key]
                out_keys.append(flat)
    return merged, out_keys


class TranslationItem(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the translation list: an entry's field in a locale."""

    entry_id: str
    type: str
    key: str
    field: str
    locale: str
    status: TranslationStatus
    review_state: ReviewState | None = None


class Review(msgspec.Struct, frozen=True, kw_only=True):
    """An entry's review state in one locale (version 0: never set)."""

    entry_id: str
    locale: str
    state: ReviewState | None
    version: int
    updated_by: str | None = None


class LocaleSummary(msgspec.Struct, frozen=True, kw_only=True):
    locale: str
    missing: int
    outdated: int
    present: int
    total: int
    completeness: float
    """``present / total`` in percent (100 when there is nothing to translate)."""
    review: dict[str, int]
    """Entries per review state; ``none`` for entries without one."""


def compose_published(
    localized: Iterable[str],
    draft: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    locales: Iterable[str],
) -> dict[str, Any]:
    """The fields a per-locale publish makes live: the draft's values of
    the localised fields in ``locales`` (absent there: absent live too), the
    previously published values (``previous``; ``None``: never published) in
    every other locale, and the draft's non-localised fields."""
    chosen = set(locales)
    keys = set(localized)
    out = {k: v for k, v in draft.items() if k not in keys}
    for key in sorted(keys):
        old = _locale_map(previous or {}, key)
        new = _locale_map(draft, key)
        merged = {c: v for c, v in old.items() if c not in chosen}
        merged.update({c: v for c, v in new.items() if c in chosen})
        if merged:
            out[key] = dict(sorted(merged.items()))
    return out


def compose_personalization(
    localized: Iterable[str],
    draft: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    locales: Iterable[str],
) -> dict[str, Any]:
    """The variants and rules a per-locale publish makes live: the draft's
    rules and variants, each variant's overrides of localised fields
    composed as :func:`compose_published` composes the entry's fields (the
    draft's in ``locales``, as last published in every other locale; a
    variant new since then overrides only ``locales``)."""
    chosen = list(locales)
    keys = list(localized)
    published = (previous or {}).get("variants") or {}
    out = dict(draft)
    variants = draft.get("variants")
    if isinstance(variants, dict):
        out["variants"] = {
            name: _compose_variant(keys, variant, published.get(name), chosen)
            for name, variant in variants.items()
        }
    return out


def _compose_variant(
    localized: list[str], variant: Any, previous: Any, locales: list[str]
) -> Any:
    if not isinstance(variant, dict):
        return variant
    old = previous.get("fields") if isinstance(previous, dict) else None
    fields = compose_published(
        localized,
        variant.get("fields") or {},
        old if isinstance(old, dict) else None,
        locales,
    )
    return {**variant, "fields": fields}
