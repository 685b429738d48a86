"""Templates per content type and channel: versioned, compiled before save."""

from __future__ import annotations

import functools

import anyio.to_thread

from content_hub.domain.changes import ChangeKind
from content_hub.domain.errors import FieldError, NotFound, ValidationFailed
from content_hub.domain.permissions import Action, require
from content_hub.domain.render import (
    ChannelNotSupported,
    Template,
    TemplateIn,
)
from content_hub.live.templates import template_id, to_renderer_templates
from content_hub.services.base import Deps
from content_hub.store.repositories import ContentTypeRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.render import TemplateRepository
from renderers import (
    validate_templates,
)


class TemplateService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = TemplateRepository(deps.session)

    async def current(self, type_key: str, channel: str) -> Template:
        found = await self.repo.latest(type_key, channel)
        if found is None:
            raise NotFound(f"No {channel} template for content type {type_key!r}.")
        return found

    async def versions(self, type_key: str, channel: str) -> list[Template]:
        return await self.repo.versions(type_key, channel)

    async def save(self, type_key: str, channel: str, data: TemplateIn) -> Template:
        """Compile the parts (every problem reported with part and line), then
        store them as the next version; delivery of renders picks it up."""
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
        # Off the event loop: a 200,000-character template compiles for seconds.
        problems = await anyio.to_thread.run_sync(
            functools.partial(
                validate_templates,
                to_renderer_templates(data.parts),
                template_id(type_key, channel),
                time_budget_s=self.deps.settings.render.time_budget,
            )
        )
        if problems:
            raise ValidationFailed(
                f"The template does not compile: {problems[0]}",
                errors=[
                    FieldError(
                        loc=[
                            "parts",
                            p.part or "template",
                            *([p.line] if p.line else []),
                        ],
                        msg=str(p),
                        type=p.code,
                    )
                    for p in problems
                ],
            )
        previous = await self.repo.latest(type_key, channel)
        template = Template(
            type=type_key,
            channel=channel,
            version=(previous.version + 1) if previous else 1,
            parts=data.parts,
            created_at=now(),
            created_by=self.deps.actor.name,
        )
        await self.repo.add(template)
        await ChangeRepository(self.deps.session).log(
            "*", type_key, ChangeKind.TEMPLATES, now()
        )
        self.deps.delivery_changed()
        return template
