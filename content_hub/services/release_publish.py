"""A release's publish and rollback: everything checked first, then every
item written in the caller's one transaction under ONE change-log entry
(:attr:`~content_hub.domain.changes.ChangeKind.RELEASE`), so the follower
swaps one generation that has all of the release or none of it.

At publish, what was live before each item is recorded in the release
(``previous``); rollback writes that back the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.changes import ChangeKind
from content_hub.domain.entries import EntryStatus
from content_hub.domain.errors import FieldError, HubError, ValidationFailed
from content_hub.domain.releases import (
    Release,
    ReleaseItems,
    parse_release_tag,
    release_moves,
    release_tag,
)
from content_hub.domain.render import Audience
from content_hub.domain.sync import Change
from content_hub.services.audiences import check_condition
from content_hub.services.base import Deps
from content_hub.services.entry_validation import validate_entry_fields
from content_hub.services.templates import check_parts
from content_hub.store.repositories import ContentTypeRepository, EntryRepository
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.releases import ReleaseRepository
from content_hub.store.repositories.render import AudienceRepository, TemplateRepository
from content_hub.store.repositories.revisions import RevisionRepository


async def release_changes(session: AsyncSession, change: Change) -> list[Change]:
    """The entry changes one ``release`` change-log row stands for, as the
    sync API lists them (every one under the row's ``seq``)."""
    release_id, action = parse_release_tag(change.type)
    release = await ReleaseRepository(session).get(release_id)
    if release is None:
        return []
    moved = release_moves(release, action).entries
    types = await EntryRepository(session).existing_ids([e for e, _ in moved])
    return [
        Change(
            seq=change.seq,
            kind=str(ChangeKind.PUBLISHED if live else ChangeKind.UNPUBLISHED),
            entry_id=entry_id,
            type=types[entry_id],
            at=change.at,
        )
        for entry_id, live in moved
        if entry_id in types
    ]


def _problem(loc: list[str | int], exc: HubError | str) -> list[FieldError]:
    if isinstance(exc, str):
        return [FieldError(loc=loc, msg=exc, type="release_item")]
    if exc.errors:
        return [
            FieldError(loc=[*loc, *e.loc], msg=e.msg, type=e.type) for e in exc.errors
        ]
    return [FieldError(loc=loc, msg=exc.detail, type="release_item")]


async def check_items(deps: Deps, items: ReleaseItems) -> list[FieldError]:
    """Every reason the items cannot go live (empty: they can)."""
    problems: list[FieldError] = []
    entries, revisions = EntryRepository(deps.session), RevisionRepository(deps.session)
    types = ContentTypeRepository(deps.session)
    for i, item in enumerate(items.entries):
        loc: list[str | int] = ["items", "entries", i]
        entry = await entries.get(item.entry)
        revision = await revisions.get(item.entry, item.version)
        if entry is None or revision is None:
            problems += _problem(
                loc, f"No version {item.version} of entry {item.entry!r}."
            )
            continue
        if entry.status is EntryStatus.ARCHIVED:
            problems += _problem(loc, f"Entry {item.entry!r} is archived.")
            continue
        ctype = await types.get(entry.type)
        if ctype is None:
            problems += _problem(loc, f"No content type {entry.type!r}.")
            continue
        try:
            await validate_entry_fields(deps, ctype, revision.fields, require=True)
        except HubError as exc:
            problems += _problem([*loc, "fields"], exc)
    templates = TemplateRepository(deps.session)
    for i, tpl in enumerate(items.templates):
        loc = ["items", "templates", i]
        found = await templates.get(tpl.type, tpl.channel, tpl.version)
        if found is None:
            problems += _problem(
                loc,
                f"No version {tpl.version} of the {tpl.channel} template "
                f"of {tpl.type!r}.",
            )
            continue
        compiled = await check_parts(deps, tpl.type, tpl.channel, found.parts)
        problems += [
            FieldError(
                loc=[*loc, "parts", p.part or "template"], msg=str(p), type=p.code
            )
            for p in compiled
        ]
    audiences = AudienceRepository(deps.session)
    for i, aud in enumerate(items.audiences):
        loc = ["items", "audiences", i]
        if aud.delete:
            if await audiences.get(aud.key) is None:
                problems += _problem(loc, f"No audience {aud.key!r} to delete.")
        elif aud.condition is None:
            problems += _problem(loc, "An audience change needs a condition.")
        else:
            try:
                check_condition(aud.condition)
            except HubError as exc:
                problems += _problem([*loc, "condition"], exc)
    return problems


async def require_valid(deps: Deps, items: ReleaseItems) -> None:
    problems = await check_items(deps, items)
    if problems:
        raise ValidationFailed(
            f"{len(problems)} item(s) of the release cannot go live; "
            "nothing was published.",
            errors=problems,
        )


async def apply_items(deps: Deps, release: Release, when: datetime) -> dict[str, Any]:
    """Write every item under one change-log entry; returns what was live
    before (for rollback). The caller validated the items."""
    session, by = deps.session, deps.actor.name
    seq = await ChangeRepository(session).log(
        "*", release_tag(release.id, "publish"), ChangeKind.RELEASE, when
    )
    repo, entries = ReleaseRepository(session), EntryRepository(session)
    previous: dict[str, Any] = {"entries": [], "templates": [], "audiences": []}
    for item in release.items.entries:
        entry = await entries.get(item.entry)
        assert entry is not None  # checked, and in this transaction
        previous["entries"].append(
            {
                "entry": entry.id,
                "version": entry.published_version,
                "status": str(entry.status),
                "published_at": entry.published_at.isoformat()
                if entry.published_at
                else None,
            }
        )
        await repo.set_entry_publication(
            entry.id,
            published_version=item.version,
            status=str(EntryStatus.PUBLISHED),
            published_at=when,
            seq=seq,
            by=by,
        )
    templates = TemplateRepository(session)
    for tpl in release.items.templates:
        live = await templates.publication(tpl.type, tpl.channel)
        previous["templates"].append(
            {
                "type": tpl.type,
                "channel": tpl.channel,
                "version": live.version if live else None,
            }
        )
        await templates.publish(tpl.type, tpl.channel, tpl.version, when, by)
    for aud in release.items.audiences:
        before = await AudienceRepository(session).get(aud.key)
        previous["audiences"].append(
            {
                "key": aud.key,
                "name": before.name if before else None,
                "condition": before.condition if before else None,
            }
        )
        await set_audience(
            deps, aud.key, None if aud.delete else (aud.name, aud.condition), when
        )
    deps.delivery_changed()
    return previous


async def restore_items(
    deps: Deps, release_id: str, previous: dict[str, Any], when: datetime
) -> None:
    """Write back what was live before the release, under one change-log entry."""
    session, by = deps.session, deps.actor.name
    seq = await ChangeRepository(session).log(
        "*", release_tag(release_id, "rollback"), ChangeKind.RELEASE, when
    )
    repo, entries = ReleaseRepository(session), EntryRepository(session)
    for item in previous.get("entries", []):
        entry = await entries.get(item["entry"])
        if entry is None:  # deleted since: nothing to restore
            continue
        version = item["version"]
        status = item["status"] if version is not None else str(EntryStatus.DRAFT)
        if entry.status is EntryStatus.ARCHIVED and version is None:
            status = str(EntryStatus.ARCHIVED)
        at = item.get("published_at")
        await repo.set_entry_publication(
            entry.id,
            published_version=version,
            status=status,
            published_at=datetime.fromisoformat(at) if at and version else None,
            seq=seq,
            by=by,
        )
    templates = TemplateRepository(session)
    for tpl in previous.get("templates", []):
        if tpl["version"] is None:
            await repo.unpublish_template(tpl["type"], tpl["channel"])
        else:
            await templates.publish(
                tpl["type"], tpl["channel"], tpl["version"], when, by
            )
    for aud in previous.get("audiences", []):
        value = None if aud["condition"] is None else (aud["name"], aud["condition"])
        await set_audience(deps, aud["key"], value, when)
    deps.delivery_changed()


async def set_audience(
    deps: Deps,
    key: str,
    value: tuple[str, dict[str, Any] | None] | None,
    when: datetime,
) -> None:
    """Create, change (``(name, condition)``) or delete (``None``) an audience
    without a change-log entry of its own."""
    repo = AudienceRepository(deps.session)
    current = await repo.get(key)
    if value is None or value[1] is None:
        if current is not None:
            await repo.delete(key, expected_version=current.version)
        return
    name, condition = value[0], value[1]
    if current is None:
        await repo.add(
            Audience(
                key=key, name=name, condition=condition, version=1, updated_at=when
            )
        )
    else:
        await repo.update(
            Audience(
                key=key,
                name=name,
                condition=condition,
                version=current.version + 1,
                updated_at=when,
            ),
            expected_version=current.version,
        )
