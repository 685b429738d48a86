"""Rebuilds the render snapshot when the published state changes."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.services.personalization import ruleset_of
from content_hub.services.templates import template_id, to_renderer_templates
from content_hub.snapshot import DeliverySnapshot
from content_hub.snapshot.render import RenderSnapshot, RenderState
from content_hub.store.repositories.render import (
    AudienceRepository,
    PersonalizationRepository,
    TemplateRepository,
)
from renderers import CompileError, compile_renderer
from variants import Audience as VAudience

log = logging.getLogger(__name__)


class RenderSync:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        delivery: DeliverySnapshot,
        render: RenderSnapshot,
        time_budget_s: float | None = None,
    ) -> None:
        self.sessions = sessions
        self.delivery = delivery
        self.render = render
        self.time_budget_s = time_budget_s

    async def refresh(self) -> None:
        """Rebuild if the delivery snapshot moved on since the last build.

        Compiled templates are reused across builds by (type, channel,
        version); rule sets and resolved fields are compiled lazily per state.
        """
        state = self.delivery.state
        if state.seq == self.render.state.seq:
            return
        started = time.perf_counter()
        published = state.entries
        previous = self.render.state
        async with self.sessions() as session:
            personalization = await PersonalizationRepository(session).as_of_many(
                {e.id: e.version for e in published.values()},
                previous=previous.personalization,  # reads only what changed
            )
            audiences = tuple(
                VAudience(key=a.key, condition=a.condition, name=a.name)
                for a in await AudienceRepository(session).all()
            )
            templates = await TemplateRepository(session).all_latest()
        renderers: dict[tuple[str, str], Any] = {}
        versions: dict[tuple[str, str], int] = {}
        for template in templates:
            slot = (template.type, template.channel)
            versions[slot] = template.version
            if (
                previous.template_versions.get(slot) == template.version
                and slot in previous.renderers
            ):
                renderers[slot] = previous.renderers[slot]
                continue
            try:
                # Off the event loop: a large template compiles for a second.
                renderers[slot] = await anyio.to_thread.run_sync(
                    functools.partial(
                        compile_renderer,
                        template_id(*slot),
                        template.version,
                        to_renderer_templates(template.parts),
                        time_budget_s=self.time_budget_s,
                    )
                )
            except (
                CompileError
            ):  # validated on save; a renderer upgrade may still refuse
                log.exception(
                    "template %s v%d no longer compiles", slot, template.version
                )
        # Rich text and Markdown converted once per value, off the event loop.
        rich = await asyncio.to_thread(
            previous.rich.successor, published.values(), state.types, personalization
        )
        self.render.replace(
            RenderState(
                seq=state.seq,
                personalization=personalization,
                audiences=audiences,
                renderers=renderers,
                template_versions=versions,
                ruleset_factory=ruleset_of,
                rich=rich,
            )
        )
        self.render.build_seconds = time.perf_counter() - started
        self.render.built_at = time.time()
