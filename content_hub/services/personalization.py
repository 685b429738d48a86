"""An entry's variants and rules: validated by ``variants``, versioned with
the entry (a change is a new entry version), published with it."""

from __future__ import annotations

from typing import Any

import msgspec

from content_hub.domain.entries import Entry
from content_hub.domain.errors import ValidationFailed
from content_hub.domain.inputs import EntryPatch
from content_hub.domain.permissions import Action, allowed, denied
from content_hub.domain.render import BASELINE, Personalization
from content_hub.domain.translator_edits import check_variants_edit
from content_hub.domain.validation import validate_fields
from content_hub.live.rules import ruleset_of
from content_hub.services.audiences import problems_of
from content_hub.services.base import Deps, require_version
from content_hub.services.entries import EntryService
from content_hub.services.translations import track_variants
from content_hub.store.repositories import ContentTypeRepository, LocaleRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.render import (
    AudienceRepository,
    PersonalizationRepository,
)
from variants import Audience as VAudience
from variants import VariantsError


class PersonalizationService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = PersonalizationRepository(deps.session)
        self.entries = EntryService(deps)

    async def get(self, entry_id: str) -> tuple[Entry, Personalization]:
        entry = await self.entries.get(entry_id)
        data = await self.repo.as_of(entry.id, entry.version)
        return entry, msgspec.convert(data, Personalization)

    async def set(
        self, entry_id: str, data: Personalization, expected: int | None
    ) -> tuple[Entry, Personalization]:
        """Replace the variants and rules; a new version of the entry. A
        translator may change only their locales' override values
        (:func:`~content_hub.domain.translator_edits.check_variants_edit`)."""
        actor = self.deps.actor
        if not allowed(actor, Action.VARIANTS_WRITE) and not allowed(
            actor, Action.ENTRIES_TRANSLATE
        ):
            raise denied(actor, Action.VARIANTS_WRITE)
        entry = await self.entries.get(entry_id)
        require_version(expected, entry.version, "entry")
        if BASELINE in data.variants:
            raise ValidationFailed(
                f"{BASELINE!r} is the entry itself and cannot be a variant name.",
                errors=[],
            )
        stored = await self._validate(entry, data)
        if not allowed(actor, Action.VARIANTS_WRITE):
            ctype = await ContentTypeRepository(self.deps.session).get(entry.type)
            assert ctype is not None
            _, current = await self.get(entry_id)  # stored in this version's shape
            check_variants_edit(actor, ctype, msgspec.to_builtins(current), stored)
        before = await self.repo.as_of(entry_id, entry.version)
        updated = await self.entries.patch(entry_id, EntryPatch(), expected)
        await self.repo.add(
            entry_id, updated.version, stored, now(), self.deps.actor.name
        )
        ctype = await self.entries._type(entry.type)
        await track_variants(self.deps, ctype, entry_id, before, stored)
        return updated, data

    async def validated(self, entry: Entry, data: Personalization) -> dict[str, Any]:
        """``data`` checked as :meth:`set` checks it, in its stored shape,
        storing nothing (a preview of unsaved variants and rules)."""
        if BASELINE in data.variants:
            raise ValidationFailed(
                f"{BASELINE!r} is the entry itself and cannot be a variant name.",
                errors=[],
            )
        return await self._validate(entry, data)

    async def _validate(self, entry: Entry, data: Personalization) -> dict[str, Any]:
        ctype = await ContentTypeRepository(self.deps.session).get(entry.type)
        locales = await LocaleRepository(self.deps.session).all()
        default = next(
            (loc.code for loc in locales if loc.is_default),
            self.deps.settings.default_locale,
        )
        stored: dict[str, Any] = msgspec.to_builtins(data)
        errors = []
        assert ctype is not None
        for name, variant in data.variants.items():
            clean, problems = validate_fields(
                ctype,
                variant.fields,
                locales=frozenset(loc.code for loc in locales),
                default_locale=default,
                require=False,
            )
            errors += [
                msgspec.structs.replace(p, loc=["variants", name, *p.loc])
                for p in problems
            ]
            stored["variants"][name]["fields"] = clean
        audiences = [
            VAudience(key=a.key, condition=a.condition, name=a.name)
            for a in await AudienceRepository(self.deps.session).all()
        ]
        try:
            ruleset_of(entry.type, entry.key, stored, audiences)
        except VariantsError as exc:
            failure = problems_of(exc, "rule set")
            errors += failure.errors
        if errors:
            raise ValidationFailed(
                f"The variants and rules are not valid: {len(errors)} problem(s).",
                errors=errors,
            )
        return stored
