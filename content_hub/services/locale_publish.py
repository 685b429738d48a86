"""Per-locale publishing: ``POST /manage/v1/entries/{id}/publish`` with
``{"locales": [...]}``.

The listed locales' values of localised fields go live from the draft; the
other locales keep their last published values (a locale never published
stays absent and falls back along its chain). Variants' overrides of
localised fields are composed the same way. Non-localised fields, the key,
the terms, the rules and the set of variants go live from the draft with
any per-locale publish.

The live copy is always one revision: when the composed fields differ
from the draft, the composition is saved as revision N+1 (published) and
the draft as revision N+2 (so the entry shows unpublished changes, and
delivery, render and search read one document, as for any publish). When
they are equal it is an ordinary publish of the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec

from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.errors import Conflict, FieldError, ValidationFailed
from content_hub.domain.permissions import Action, require
from content_hub.domain.translations import (
    compose_personalization,
    compose_published,
)
from content_hub.services.base import Deps, stale
from content_hub.services.translations import source_locale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.render import PersonalizationRepository
from content_hub.store.repositories.revisions import RevisionRepository

if TYPE_CHECKING:
    from content_hub.services.entries import EntryService


async def checked_locales(deps: Deps, locales: Sequence[str]) -> list[str]:
    """``locales`` if every one is configured (a 422 naming each other)."""
    _, codes = await source_locale(deps)
    errors = [
        FieldError(loc=["locales", i], msg=f"{code!r} is not a configured locale")
        for i, code in enumerate(locales)
        if code not in codes
    ]
    if not locales:
        errors.append(FieldError(loc=["locales"], msg="name at least one locale"))
    if errors:
        raise ValidationFailed(
            "The locales to publish must be configured locales.", errors=errors
        )
    return list(dict.fromkeys(locales))


async def publish_locales(
    service: EntryService, current: Entry, locales: Sequence[str]
) -> Entry:
    """Publish ``locales`` of ``current`` (as read in this unit of work)."""
    deps = service.deps
    require(deps.actor, Action.ENTRIES_PUBLISH)
    chosen = await checked_locales(deps, locales)
    if current.status is EntryStatus.ARCHIVED:
        raise Conflict("The entry is archived; restore it before publishing.")
    ctype = await service._type(current.type)
    previous = None
    if current.published_version is not None:
        found = await RevisionRepository(deps.session).get(
            current.id, current.published_version
        )
        previous = None if found is None else found.fields
    localized = [f.key for f in ctype.fields if f.localized]
    composed = compose_published(localized, current.fields, previous, chosen)
    rules = PersonalizationRepository(deps.session)
    drafted = await rules.as_of(current.id, current.version)
    before = (
        None
        if current.published_version is None
        else await rules.as_of(current.id, current.published_version)
    )
    personalization = compose_personalization(localized, drafted, before, chosen)
    if composed == current.fields and personalization == drafted:
        return await service.publish_current(current)
    composed = await service._validate(ctype, composed, require=True)
    when = now()
    live = msgspec.structs.replace(
        current,
        fields=composed,
        version=current.version + 1,
        updated_at=when,
        updated_by=deps.actor.name,
    )
    if not await service.repo.update(live, expected_version=current.version):
        raise stale("entry")
    draft = msgspec.structs.replace(
        current, version=live.version + 1, updated_at=when, updated_by=deps.actor.name
    )
    if not await service.repo.update(draft, expected_version=live.version):
        raise stale("entry")
    if personalization != drafted:  # live: the composition; the draft: as it was
        await rules.add(
            current.id, live.version, personalization, when, live.updated_by
        )
        await rules.add(current.id, draft.version, drafted, when, live.updated_by)
    return await service._set_publication(
        draft, live.version, EntryStatus.PUBLISHED, "publish"
    )
