"""Look-up-then-create steps for each kind of demo record (idempotent).

Every read and write goes through the services the API uses (``seed`` never
imports ``content_hub.store``: an import-linter contract); a record that is
already there (by its key, or its url for media) is left as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec

from content_hub.domain.entries import Entry
from content_hub.domain.errors import FieldError, HubError, NotFound
from content_hub.domain.inputs import (
    ContentTypeCreate,
    EntryCreate,
    LocaleCreate,
    MediaWrite,
    TaxonomyCreate,
    TermCreate,
)
from content_hub.domain.render import AudienceCreate, Personalization, TemplateIn
from content_hub.domain.samples import SampleCustomerCreate
from content_hub.services.audiences import AudienceService
from content_hub.services.base import Deps
from content_hub.services.content_types import ContentTypeService
from content_hub.services.entries import EntryService
from content_hub.services.locales import LocaleService
from content_hub.services.media import MediaService
from content_hub.services.personalization import PersonalizationService
from content_hub.services.sample_customers import SampleCustomerService
from content_hub.services.taxonomy import TaxonomyService
from content_hub.services.templates import TemplateService

T = TypeVar("T")
MEDIA_PAGE = 500


class SeedError(RuntimeError):
    """The hub refused a seed record: the demo data breaks a validation."""


class SeedReport(msgspec.Struct, kw_only=True):
    """How many records of each kind were created, and how many were there."""

    created: dict[str, int] = {}
    existing: dict[str, int] = {}

    def add(self, kind: str, *, created: bool) -> None:
        counts = self.created if created else self.existing
        counts[kind] = counts.get(kind, 0) + 1

    def total(self, kind: str) -> int:
        return self.created.get(kind, 0) + self.existing.get(kind, 0)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        return ", ".join(
            f"{k}: {self.created.get(k, 0)} new / {self.total(k)}" for k in kinds
        )


def _explain(errors: list[FieldError]) -> str:
    return "; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors)


async def checked(what: str, step: Awaitable[T]) -> T:
    """Run a service call; a refusal becomes a SeedError naming the record."""
    try:
        return await step
    except HubError as exc:
        detail = _explain(exc.errors)
        raise SeedError(
            f"the hub refused {what}: {exc.detail}" + (f" ({detail})" if detail else "")
        ) from exc


def build(data: dict[str, Any], kind: type[T]) -> T:
    """An input Struct from plain data; a shape error fails loudly."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        raise SeedError(f"invalid {kind.__name__} {data!r:.120}: {exc}") from exc


async def _exists(lookup: Callable[[], Awaitable[object]]) -> bool:
    try:
        await lookup()
    except NotFound:
        return False
    return True


async def _media_by_url(service: MediaService) -> dict[str, str]:
    """Every media item's id by its url, a page at a time."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        page = await service.page(cursor=cursor, limit=MEDIA_PAGE)
        found.update((m.url, m.id) for m in page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


class World:
    """The seed's writes in one unit of work (its ``Deps``; the caller's
    ``Database.unit`` commits)."""

    def __init__(self, deps: Deps, report: SeedReport) -> None:
        self.deps = deps
        self.report = report
        self.media_ids: dict[str, str] = {}
        self.entry_ids: dict[str, str] = {}

    async def locale(self, data: dict[str, Any]) -> None:
        service = LocaleService(self.deps)
        found = await _exists(lambda: service.get(data["code"]))
        if not found:
            await checked(
                f"locale {data['code']}", service.create(build(data, LocaleCreate))
            )
        self.report.add("locales", created=not found)

    async def taxonomy(self, data: dict[str, Any]) -> None:
        service = TaxonomyService(self.deps)
        key = data["key"]
        found = await _exists(lambda: service.get(key))
        if not found:
            body = {k: v for k, v in data.items() if k != "terms"}
            await checked(
                f"taxonomy {key}", service.create(build(body, TaxonomyCreate))
            )
        self.report.add("taxonomies", created=not found)
        have = {t.key for t in await service.terms(key)}
        for position, (term, labels, parent) in enumerate(data["terms"]):
            if term not in have:
                create = TermCreate(
                    key=term, labels=labels, parent=parent, position=position
                )
                await checked(f"term {key}:{term}", service.create_term(key, create))
            self.report.add("terms", created=term not in have)

    async def content_type(self, data: dict[str, Any]) -> None:
        service = ContentTypeService(self.deps)
        found = await _exists(lambda: service.get(data["key"]))
        if not found:
            create = build(data, ContentTypeCreate)
            await checked(f"content type {data['key']}", service.create(create))
        self.report.add("content_types", created=not found)

    async def template(
        self, type_key: str, channel: str, parts: dict[str, Any]
    ) -> None:
        service = TemplateService(self.deps)
        found = await _exists(lambda: service.current(type_key, channel))
        if not found:
            data = build({"parts": parts}, TemplateIn)
            what = f"the {channel} template of {type_key}"
            draft = await checked(what, service.save(type_key, channel, data))
            # a saved template is a draft: the demo renders it once published
            await checked(what, service.publish(type_key, channel, draft.version))
        self.report.add("templates", created=not found)

    async def media(self, slug: str, data: dict[str, Any]) -> None:
        if not self.media_ids:
            self.media_ids = await _media_by_url(MediaService(self.deps))
        found = data["url"] in self.media_ids
        if not found:
            create = build(data, MediaWrite)
            media = await checked(
                f"media {slug}", MediaService(self.deps).create(create)
            )
            self.media_ids[media.url] = media.id
        self.media_ids[f"@media:{slug}"] = self.media_ids[data["url"]]
        self.report.add("media", created=not found)

    async def audience(self, data: dict[str, Any]) -> None:
        service = AudienceService(self.deps)
        found = await _exists(lambda: service.get(data["key"]))
        if not found:
            create = build(data, AudienceCreate)
            await checked(f"audience {data['key']}", service.create(create))
        self.report.add("audiences", created=not found)

    async def sample_customer(self, data: dict[str, Any]) -> None:
        service = SampleCustomerService(self.deps)
        found = await _exists(lambda: service.get(data["key"]))
        if not found:
            create = build(data, SampleCustomerCreate)
            await checked(f"sample customer {data['key']}", service.create(create))
        self.report.add("sample_customers", created=not found)

    async def entry(
        self, data: dict[str, Any], personalization: dict[str, Any] | None = None
    ) -> None:
        """Create, personalise and publish an entry unless its key exists."""
        type_key, key = data["type"], data["key"]
        what = f"entry {type_key}/{key}"
        service = EntryService(self.deps)
        try:
            existing = await service.by_key(type_key, key)
        except NotFound:
            existing = None
        self.report.add("entries", created=existing is None)
        if existing is not None:
            self.entry_ids[f"@entry:{type_key}/{key}"] = existing.id
            if personalization is not None and await self._personalized(existing):
                self.report.add("personalized_entries", created=False)
            return
        fields = {k: self._ref(v) for k, v in data["fields"].items()}
        create = build({**data, "fields": fields}, EntryCreate)
        entry = await checked(what, service.create(create))
        self.entry_ids[f"@entry:{type_key}/{key}"] = entry.id
        if personalization is not None:
            entry, _ = await checked(
                f"the variants and rules of {what}",
                PersonalizationService(self.deps).set(
                    entry.id, build(personalization, Personalization), entry.version
                ),
            )
            self.report.add("personalized_entries", created=True)
        await checked(f"publishing {what}", service.publish(entry.id, entry.version))

    async def _personalized(self, entry: Entry) -> bool:
        """Whether an entry's current version has variants or rules: a re-run
        counts what exists, so every run prints the same summary lines."""
        _, data = await PersonalizationService(self.deps).get(entry.id)
        return bool(data.variants or data.rules)

    def _ref(self, value: Any) -> Any:
        """``@media:<slug>`` / ``@entry:<type>/<key>`` as a reference object."""
        if not isinstance(value, str) or not value.startswith("@"):
            return value
        kind = "media" if value.startswith("@media:") else "entry"
        ids = self.media_ids if kind == "media" else self.entry_ids
        if value not in ids:
            raise SeedError(f"unknown reference {value!r}: load its target first")
        return {"type": kind, "id": ids[value]}
