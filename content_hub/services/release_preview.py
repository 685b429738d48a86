"""A release as a whole in preview: the drafts, overlaid by the entry
versions the release would publish (``?release=<id>`` with a preview key)."""

from __future__ import annotations

import msgspec

from content_hub.domain.entries import Entry
from content_hub.domain.errors import NotFound
from content_hub.domain.releases import Release
from content_hub.services.base import Deps
from content_hub.store.repositories.releases import ReleaseRepository
from content_hub.store.repositories.revisions import RevisionRepository
from variants import Audience as VAudience


def release_versions(release: Release) -> dict[str, int]:
    """Entry id -> the version the release publishes."""
    return {i.entry: i.version for i in release.items.entries}


def release_templates(release: Release | None) -> dict[tuple[str, str], int]:
    """(type, channel) -> the template version the release publishes."""
    if release is None:
        return {}
    return {(t.type, t.channel): t.version for t in release.items.templates}


def release_audiences(
    release: Release | None, current: list[VAudience]
) -> tuple[VAudience, ...]:
    """The audiences as they will be once ``release`` is live."""
    by_key = {a.key: a for a in current}
    for item in release.items.audiences if release is not None else []:
        if item.delete or item.condition is None:
            by_key.pop(item.key, None)
        else:
            by_key[item.key] = VAudience(
                key=item.key, condition=item.condition, name=item.name
            )
    return tuple(by_key.values())


class ReleaseOverlay:
    """The entry versions of one release, applied to entries read as drafts."""

    def __init__(self, deps: Deps, versions: dict[str, int]) -> None:
        self.deps = deps
        self.versions = versions

    @classmethod
    async def load(cls, deps: Deps, release_id: str) -> ReleaseOverlay:
        release = await ReleaseRepository(deps.session).get(release_id)
        if release is None:
            raise NotFound(f"No release {release_id!r} to preview.")
        return cls(deps, release_versions(release))

    async def apply(self, entry: Entry) -> Entry:
        """``entry`` as the release would publish it (unchanged if not in it)."""
        version = self.versions.get(entry.id)
        if version is None or version == entry.version:
            return entry
        revision = await RevisionRepository(self.deps.session).get(entry.id, version)
        if revision is None:
            return entry
        return msgspec.structs.replace(
            entry,
            key=revision.key,
            fields=revision.fields,
            terms=revision.terms,
            version=revision.version,
        )
