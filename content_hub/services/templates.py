"""Templates per content type and channel: versioned drafts, compiled before
save, live only once published.

Every save (``PUT``) stores the next version, which is the **draft**; renders
use the **published** version, which changes only by :meth:`publish` (with
the draft's version as If-Match) and is read by the generation builder
through the change log. Publishing when the draft already is the published
version is refused with 409 (nothing new to publish). :meth:`restore` makes
an old version's parts the draft again (a new version, compiled again).
Editors and admins may do all of this (``templates.write``).
"""

from __future__ import annotations

import functools

import anyio.to_thread

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import (
    ChannelNotSupported,
    Template,
    TemplateDiff,
    TemplateIn,
    TemplateParts,
    TemplateState,
    TemplateVersion,
)
from content_hub.domain.templates import diff_parts
from content_hub.live.templates import template_id, to_renderer_templates
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version
from content_hub.services.revisions import MAX_VERSION
from content_hub.store.repositories import ContentTypeRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.render import Publication, TemplateRepository
from renderers import CompileError, validate_templates


def compile_problems(errors: list[CompileError]) -> list[FieldError]:
    """Compile problems as field errors at ``["parts", part, line]``."""
    return [
        FieldError(
            loc=["parts", p.part or "template", *([p.line] if p.line else [])],
            msg=str(p),
            type=p.code,
        )
        for p in errors
    ]


async def check_parts(
    deps: Deps, type_key: str, channel: str, parts: TemplateParts
) -> list[CompileError]:
    """Every compile problem of ``parts`` (the save's check, off the event
    loop: a 200,000-character template compiles for seconds)."""
    return await anyio.to_thread.run_sync(
        functools.partial(
            validate_templates,
            to_renderer_templates(parts),
            template_id(type_key, channel),
            time_budget_s=deps.settings.render.time_budget,
        )
    )


def _state(draft: Template, live: Publication | None) -> TemplateState:
    return TemplateState(
        type=draft.type,
        channel=draft.channel,
        version=draft.version,
        parts=draft.parts,
        created_at=draft.created_at,
        created_by=draft.created_by,
        published_version=live.version if live else None,
        published_at=live.at if live else None,
        published_by=live.by if live else None,
        has_unpublished_changes=live is None or live.version != draft.version,
    )


class TemplateService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = TemplateRepository(deps.session)

    async def current(self, type_key: str, channel: str) -> TemplateState:
        """The draft and which version is published."""
        draft = await self._draft(type_key, channel)
        return _state(draft, await self.repo.publication(type_key, channel))

    async def published(self, type_key: str, channel: str) -> TemplateVersion:
        found = await self.repo.published(type_key, channel)
        if found is None:
            raise NotFound(
                f"The {channel} template of content type {type_key!r} "
                "has no published version."
            )
        return _version(found, found.version)

    async def versions(self, type_key: str, channel: str) -> list[TemplateVersion]:
        live = await self.repo.publication(type_key, channel)
        return [
            _version(t, live.version if live else None)
            for t in await self.repo.versions(type_key, channel)
        ]

    async def version(
        self, type_key: str, channel: str, version: int
    ) -> TemplateVersion:
        in_range = 0 < version < MAX_VERSION  # the database's integers
        found = await self.repo.get(type_key, channel, version) if in_range else None
        if found is None:
            raise NotFound(
                f"No version {version} of the {channel} template of {type_key!r}."
            )
        live = await self.repo.publication(type_key, channel)
        return _version(found, live.version if live else None)

    async def diff(
        self,
        type_key: str,
        channel: str,
        from_version: int | None = None,
        to_version: int | None = None,
    ) -> TemplateDiff:
        """Part by part, ``from_version`` (default: the published one) to
        ``to_version`` (default: the draft)."""
        if from_version is None:
            live = await self.repo.publication(type_key, channel)
            if live is None:
                raise NotFound(
                    f"The {channel} template of {type_key!r} has no published "
                    "version to compare with; name one with from."
                )
            from_version = live.version
        old = await self.version(type_key, channel, from_version)
        new = (
            await self._draft(type_key, channel)
            if to_version is None
            else await self.version(type_key, channel, to_version)
        )
        return TemplateDiff(
            type=type_key,
            channel=channel,
            from_version=old.version,
            to_version=new.version,
            parts=diff_parts(
                old.parts, new.parts, f"v{old.version}", f"v{new.version}"
            ),
        )

    async def save(
        self, type_key: str, channel: str, data: TemplateIn
    ) -> TemplateState:
        """Compile the parts (every problem reported with part and line), then
        store them as the next version: the draft. What renders return does
        not change until it is published."""
        require(self.deps.actor, Action.TEMPLATES_WRITE)
        ctype = await ContentTypeRepository(self.deps.session).get(type_key)
        if ctype is None:
            raise NotFound(f"No content type {type_key!r}.")
        if channel not in ctype.channels:
            raise ChannelNotSupported(
                f"Content type {type_key!r} is rendered for "
                f"{', '.join(ctype.channels) or 'no channel'}, not {channel!r}."
            )
        parts_channel = type(data.parts).__struct_config__.tag
        if parts_channel != channel:
            raise ValidationFailed(
                f"The parts are for {parts_channel!r}, the URL names {channel!r}.",
                errors=[FieldError(loc=["parts", "type"], msg=f"expected {channel!r}")],
            )
        return await self._store(type_key, channel, data.parts)

    async def check(
        self, type_key: str, channel: str, parts: TemplateParts
    ) -> list[FieldError]:
        """The compile problems a save of ``parts`` would refuse (the Studio
        asks while the author types); nothing is stored."""
        require(self.deps.actor, Action.TEMPLATES_WRITE)
        return compile_problems(await check_parts(self.deps, type_key, channel, parts))

    async def publish(
        self, type_key: str, channel: str, expected: int | None
    ) -> TemplateState:
        """Make the draft live (If-Match: the draft's version). Publishing
        the version that is already live is a 409: nothing new to publish."""
        require(self.deps.actor, Action.TEMPLATES_WRITE)
        draft = await self._draft(type_key, channel)
        require_version(expected, draft.version, "template")
        live = await self.repo.publication(type_key, channel)
        if live is not None and live.version == draft.version:
            raise Conflict(
                f"Version {draft.version} of the {channel} template of "
                f"{type_key!r} is already published; save a draft first.",
                extra={"published_version": live.version},
            )
        when = now()
        await self.repo.publish(
            type_key, channel, draft.version, when, self.deps.actor.name
        )
        await ChangeRepository(self.deps.session).log(
            "*", type_key, ChangeKind.TEMPLATES, when
        )
        self.deps.delivery_changed()
        await record(
            self.deps,
            "publish",
            "template",
            template_id(type_key, channel),
            before=live.version if live else None,
            after=draft.version,
        )
        return _state(draft, Publication(draft.version, when, self.deps.actor.name))

    async def restore(
        self, type_key: str, channel: str, version: int, expected: int | None
    ) -> TemplateState:
        """Version ``version``'s parts become the draft (a new version; If-Match:
        the current draft's version). Publish it to make it live."""
        require(self.deps.actor, Action.TEMPLATES_WRITE)
        draft = await self._draft(type_key, channel)
        require_version(expected, draft.version, "template")
        old = await self.version(type_key, channel, version)
        return await self._store(type_key, channel, old.parts, restored=version)

    async def _draft(self, type_key: str, channel: str) -> Template:
        found = await self.repo.latest(type_key, channel)
        if found is None:
            raise NotFound(f"No {channel} template for content type {type_key!r}.")
        return found

    async def _store(
        self,
        type_key: str,
        channel: str,
        parts: TemplateParts,
        restored: int | None = None,
    ) -> TemplateState:
        problems = await check_parts(self.deps, type_key, channel, parts)
        if problems:
            raise ValidationFailed(
                f"The template does not compile: {problems[0]}",
                errors=compile_problems(problems),
            )
        previous = await self.repo.latest(type_key, channel)
        template = Template(
            type=type_key,
            channel=channel,
            version=(previous.version + 1) if previous else 1,
            parts=parts,
            created_at=now(),
            created_by=self.deps.actor.name,
        )
        await self.repo.add(template)
        await record(
            self.deps,
            "restore" if restored else "save",
            "template",
            template_id(type_key, channel),
            before=previous.version if previous else None,
            after=template.version,
            detail={"restored": restored} if restored else None,
        )
        return _state(template, await self.repo.publication(type_key, channel))


def _version(template: Template, published: int | None) -> TemplateVersion:
    return TemplateVersion(
        type=template.type,
        channel=template.channel,
        version=template.version,
        parts=template.parts,
        created_at=template.created_at,
        created_by=template.created_by,
        published=template.version == published,
    )
