"""What the variants editor shows and what its form means.

A variant is a partial override of the entry's fields, merged into the
entry per locale (a localised field per locale code). For one variant and
one locale the editor shows every field either *overridden* (its input
holds the variant's value) or *inherited*: the value a customer of that
locale gets without an override, from the entry's draft (``default``) or
from the variant's value in a fallback locale, resolved along the same
chain delivery uses.

The form posts, per field it shows, ``o:<field>:present`` (the field is in
the form and may be changed), ``o:<field>`` (checked: override) and the
field's input under the entry editor's name (``f:<field>:<locale>``), so the
entry editor's parsing is reused (``forms.read_fields``).
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType, FieldDef
from content_hub.domain.entries import Entry
from content_hub.domain.errors import FieldError
from content_hub.domain.keys import Principal
from content_hub.domain.locales import Locale, LocaleSet
from content_hub.domain.permissions import Action, allowed
from content_hub.domain.render import Personalization, VariantIn
from content_hub.studio.forms import (
    Form,
    errors_by_input,
    input_name,
    read_fields,
    selected_refs,
    shown,
)
from content_hub.studio.identity import can_edit
from content_hub.studio.pages.editor_model import FieldView


class OverrideRow(msgspec.Struct, kw_only=True):
    """One field of a variant in one locale."""

    view: FieldView
    overridden: bool
    inherited_text: str
    inherited_from: str
    """``default`` (the entry) or ``this variant``, with the locale served."""


def may_shape(principal: Principal) -> bool:
    """May add, rename and delete variants and change rules and descriptions."""
    return allowed(principal, Action.VARIANTS_WRITE)


def may_override(principal: Principal, fdef: FieldDef, locale: str) -> bool:
    """May change this field's override in ``locale`` (a translator: the
    localised fields of their locales only)."""
    if may_shape(principal):
        return True
    return (
        allowed(principal, Action.ENTRIES_TRANSLATE)
        and fdef.localized
        and can_edit(principal, locale)
    )


def _inherited(
    entry_value: Any, variant_value: Any, fdef: FieldDef, chain: tuple[str, ...]
) -> tuple[Any, str]:
    """What a customer of ``chain[0]`` gets without this locale's override."""
    if not fdef.localized:
        return entry_value, "default"
    entry_map = entry_value if isinstance(entry_value, dict) else {}
    variant_map = variant_value if isinstance(variant_value, dict) else {}
    for code in chain:
        if code != chain[0] and variant_map.get(code) is not None:
            return variant_map[code], f"this variant ({code})"
        if entry_map.get(code) is not None:
            return entry_map[code], f"default ({code})"
    return None, "default"


def override_rows(
    entry: Entry,
    ctype: ContentType,
    variant: VariantIn,
    locale: Locale,
    chains: LocaleSet,
    principal: Principal,
    raw: dict[str, str] | None = None,
    checked: dict[str, bool] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[OverrideRow]:
    """A row per field for ``variant`` in ``locale``; ``raw``/``checked``: the
    inputs as typed (after a refusal)."""
    chain = chains.chain(locale.code)
    rows = []
    for fdef in ctype.fields:
        name = input_name(fdef, locale.code)
        stored = variant.fields.get(fdef.key)
        if fdef.localized:
            mine = stored.get(locale.code) if isinstance(stored, dict) else None
            overridden = mine is not None
        else:
            mine, overridden = stored, fdef.key in variant.fields
        value, source = _inherited(entry.fields.get(fdef.key), stored, fdef, chain)
        inherited = shown(value, fdef)
        if checked is not None and fdef.key in checked:
            overridden = checked[fdef.key]
        rows.append(
            OverrideRow(
                view=FieldView(
                    fdef=fdef,
                    name=name,
                    label=fdef.name or fdef.key.replace("_", " ").capitalize(),
                    source_text=inherited,
                    source_served_by=None,
                    value_text=(raw or {}).get(
                        name, shown(mine, fdef) if overridden else inherited
                    ),
                    selected=selected_refs(mine if overridden else value),
                    falls_back_to=None,
                    fallback_text="",
                    editable=may_override(principal, fdef, locale.code),
                    errors=(errors or {}).get(name, []),
                ),
                overridden=overridden,
                inherited_text=inherited,
                inherited_from=source,
            )
        )
    return rows


def apply_form(
    ctype: ContentType, variant: VariantIn, form: Form, locale: str
) -> tuple[VariantIn, dict[str, str], dict[str, bool], list[FieldError]]:
    """The variant with the form's overrides in ``locale``; the raw inputs,
    the override boxes and the errors found reading them. A field whose
    override box is unchecked (or whose input is empty) inherits again."""
    parsed, raw, errors = read_fields(ctype, form, locale)
    fields: dict[str, Any] = copy.deepcopy(variant.fields)
    checked: dict[str, bool] = {}
    for fdef in ctype.fields:
        if not form.has(f"o:{fdef.key}:present"):
            continue
        on = form.get(f"o:{fdef.key}") == "1"
        checked[fdef.key] = on
        new = parsed.get(fdef.key) if on else None
        value = new.get(locale) if fdef.localized and new is not None else new
        if fdef.localized:
            per_locale = fields.get(fdef.key)
            per_locale = dict(per_locale) if isinstance(per_locale, dict) else {}
            if value is None:
                per_locale.pop(locale, None)
            else:
                per_locale[locale] = value
            if per_locale:
                fields[fdef.key] = per_locale
            else:
                fields.pop(fdef.key, None)
        elif value is None:
            fields.pop(fdef.key, None)
        else:
            fields[fdef.key] = value
    description = form.get("description") if form.has("description") else None
    updated = VariantIn(
        fields=fields,
        description=variant.description if description is None else description,
    )
    return updated, raw, checked, errors


def with_variant(
    data: Personalization, name: str, variant: VariantIn
) -> Personalization:
    return Personalization(variants={**data.variants, name: variant}, rules=data.rules)


def renamed(data: Personalization, old: str, new: str) -> Personalization:
    """``old`` called ``new``, in the same place, and every rule that names
    it naming the new name."""
    variants = {(new if k == old else k): v for k, v in data.variants.items()}
    rules = []
    for rule in data.rules:
        changes: dict[str, Any] = {}
        if getattr(rule, "variant", None) == old:
            changes["variant"] = new
        variations = getattr(rule, "variations", None)
        if variations is not None and old in variations:
            changes["variations"] = [new if v == old else v for v in variations]
        rules.append(msgspec.structs.replace(rule, **changes) if changes else rule)
    return Personalization(variants=variants, rules=rules)


def variant_errors(
    errors: list[dict[str, Any]], name: str, ctype: ContentType, locale: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Problem errors of this variant (and of reading the form: ``fields``)
    by input name; the rest as text."""
    mine, other = [], []
    for error in errors:
        loc = list(error["loc"])
        if loc[:2] == ["variants", name]:
            mine.append({**error, "loc": loc[2:]})
        elif loc[:1] == ["fields"]:
            mine.append(error)
        else:
            other.append(f"{'.'.join(str(p) for p in loc)}: {error['msg']}")
    by_input, rest = errors_by_input(mine, ctype, locale)
    return by_input, other + rest
