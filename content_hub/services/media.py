"""Media records (manage scope): url, alt text per locale, size, focal point."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import FieldError, NotFound, ValidationFailed
from content_hub.domain.ids import new_id
from content_hub.domain.inputs import MediaWrite
from content_hub.domain.media import FocalPoint, Media
from content_hub.domain.pagination import Page, decode_cursor, page_of
from content_hub.domain.permissions import Action, require
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.media import MediaRepository


def _check(data: MediaWrite) -> None:
    try:
        parts = urlsplit(data.url)
        ok = parts.scheme in {"http", "https"} and bool(parts.netloc)
    except ValueError:
        ok = False
    if not ok:
        raise ValidationFailed(
            "The media url must be an absolute http(s) URL.",
            errors=[FieldError(loc=["url"], msg="expected an absolute http(s) URL")],
        )


class MediaService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = MediaRepository(deps.session)

    async def page(self, *, cursor: str | None, limit: int) -> Page[Media]:
        items = await self.repo.page(after=decode_cursor(cursor), limit=limit + 1)
        return page_of(items, limit, lambda m: m.id)

    async def get(self, media_id: str) -> Media:
        media = await self.repo.get(media_id)
        if media is None:
            raise NotFound(f"No media {media_id!r}.")
        return media

    async def create(self, data: MediaWrite) -> Media:
        require(self.deps.actor, Action.MEDIA_WRITE)
        _check(data)
        when = now()
        actor = self.deps.actor.name
        media = self._build(new_id(), data, 1, when, actor)
        await self.repo.add(media)
        await self._changed("create", media.id, None, 1)
        return media

    async def replace(
        self, media_id: str, data: MediaWrite, expected: int | None
    ) -> Media:
        require(self.deps.actor, Action.MEDIA_WRITE)
        current = await self.get(media_id)
        require_version(expected, current.version, "media")
        _check(data)
        media = self._build(
            media_id, data, current.version + 1, current.created_at, current.created_by
        )
        if not await self.repo.update(media, expected_version=current.version):
            raise stale("media")
        await self._changed("update", media_id, current.version, media.version)
        return media

    async def delete(self, media_id: str, expected: int | None) -> None:
        require(self.deps.actor, Action.MEDIA_WRITE)
        current = await self.get(media_id)
        require_version(expected, current.version, "media")
        if not await self.repo.delete(media_id, expected_version=current.version):
            raise stale("media")
        await self._changed("delete", media_id, current.version, None)

    def _build(
        self,
        media_id: str,
        data: MediaWrite,
        version: int,
        created_at: datetime,
        created_by: str,
    ) -> Media:
        when = now()
        focal = data.focal_point
        return Media(
            id=media_id,
            url=data.url,
            mime_type=data.mime_type,
            title=data.title,
            alt=dict(data.alt),
            width=data.width,
            height=data.height,
            focal_point=None if focal is None else FocalPoint(x=focal.x, y=focal.y),
            version=version,
            created_at=created_at,
            updated_at=when,
            created_by=created_by,
            updated_by=self.deps.actor.name,
        )

    async def _changed(
        self, action: str, media_id: str, before: int | None, after: int | None
    ) -> None:
        await record(self.deps, action, "media", media_id, before=before, after=after)
        await ChangeRepository(self.deps.session).log("*", "*", ChangeKind.MEDIA, now())
        self.deps.delivery_changed()
