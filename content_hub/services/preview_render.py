"""Preview renders: an entry's unpublished state through the live render code.

:class:`PreviewRender` reads the draft side from the database (a saved
version or unsaved form state, its variants and rules, the audiences, the
draft or published templates) and builds a :class:`~content_hub.live.
target.Target` over a render state of its own. The decision, the field
resolution with locale fallback, the renderer, the output shaping and the
warnings are then :meth:`RenderService.decided
<content_hub.live.render.RenderService.decided>`, the code live renders run;
nothing is recorded (no exposure, receipt or sticky bucket).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.domain.decision_words import explain
from content_hub.domain.entries import Entry, PublishedEntry
from content_hub.domain.errors import HubError, ValidationFailed
from content_hub.domain.locales import LocaleSet
from content_hub.domain.permissions import Action, allowed, denied
from content_hub.domain.preview import PreviewRenderIn, PreviewRenderOut, TemplateStage
from content_hub.domain.releases import Release
from content_hub.domain.render import (
    BASELINE,
    ContextIn,
    CustomerIn,
    Personalization,
    Template,
)
from content_hub.live.builder import type_info
from content_hub.live.render import RenderOut, RenderService
from content_hub.live.render_problems import render_problem
from content_hub.live.render_state import Renderer, RenderState
from content_hub.live.rich import RichValues
from content_hub.live.state import TypeInfo
from content_hub.live.target import Target, target_of
from content_hub.live.templates import compiled_renderer
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.entry_validation import validate_entry_fields
from content_hub.services.personalization import PersonalizationService
from content_hub.services.release_preview import (
    release_audiences,
    release_templates,
    release_versions,
)
from content_hub.services.releases import ReleaseService
from content_hub.services.revisions import RevisionService
from content_hub.services.sample_customers import SampleCustomerService
from content_hub.store.repositories import ContentTypeRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.render import (
    AudienceRepository,
    PersonalizationRepository,
    TemplateRepository,
)
from renderers import CompileError
from variants import Audience as VAudience


async def draft_template(
    session: AsyncSession, type_key: str, channel: str
) -> Template | None:
    """The template an editor is working on: the latest saved version."""
    return await TemplateRepository(session).latest(type_key, channel)


async def published_template(
    session: AsyncSession, type_key: str, channel: str
) -> Template | None:
    """The template live renders use: the published version."""
    return await TemplateRepository(session).published(type_key, channel)


@dataclass(slots=True)
class Customer:
    """Who a preview renders for: the request's customer or a sample's."""

    customer: CustomerIn
    context: ContextIn | None
    locale: str | None


@dataclass(slots=True)
class DraftSource:
    """An entry's unpublished state, ready to render on its channels."""

    entry: PublishedEntry
    info: TypeInfo
    state: RenderState
    locales: LocaleSet
    stage: TemplateStage
    variants: list[str]
    unsaved: list[str]
    broken: dict[str, HubError] = field(default_factory=dict)
    """Channels whose template does not compile, and why."""

    def target(self, channel: str) -> Target:
        """The render target on ``channel``; raises the 422 the render API
        would (channel not rendered, no template) or the compile error."""
        if channel in self.broken and channel in self.info.channels:
            raise self.broken[channel]
        return target_of(
            self.entry, self.info, channel, self.state, self.locales, self.stage
        )


class PreviewRender:
    """Preview renders for the request's actor (a ``preview`` key or a
    Studio user with manage rights)."""

    def __init__(self, deps: Deps, service: RenderService) -> None:
        self.deps = deps
        self.service = service

    async def source(
        self,
        entry: Entry,
        *,
        version: int | None = None,
        fields: dict[str, Any] | None = None,
        personalization: Personalization | None = None,
        stage: TemplateStage = "draft",
        channels: list[str] | None = None,
        release: Release | None = None,
    ) -> DraftSource:
        """The draft side of ``entry`` (or of its saved ``version``), with
        unsaved ``fields`` / ``personalization`` checked as a save checks them."""
        deps, session = self.deps, self.deps.session
        ctype = await ContentTypeRepository(session).get(entry.type)
        assert ctype is not None  # an entry's type cannot be deleted
        saved_fields = entry.fields
        at = entry.version
        if release is not None and version is None:
            version = release_versions(release).get(entry.id)
        if version is not None and version != entry.version:
            saved_fields = (await RevisionService(deps).get(entry.id, version)).fields
            at = version
        unsaved = []
        if fields is not None:
            self._require_edit(Action.ENTRIES_WRITE)
            saved_fields = await validate_entry_fields(
                deps, ctype, fields, require=False
            )
            unsaved.append("fields")
        if personalization is not None:
            self._require_edit(Action.VARIANTS_WRITE)
            data = await PersonalizationService(deps).validated(entry, personalization)
            unsaved.append("personalization")
        else:
            data = await PersonalizationRepository(session).as_of(entry.id, at)
        audiences = release_audiences(
            release,
            [
                VAudience(key=a.key, condition=a.condition, name=a.name)
                for a in await AudienceRepository(session).all()
            ],
        )
        wanted = [c for c in ctype.channels if channels is None or c in channels]
        renderers, versions, broken = await self._renderers(
            entry.type, wanted, stage, release
        )
        state = RenderState(
            seq=-1,
            personalization={entry.id: data},
            audiences=audiences,
            renderers=renderers,
            template_versions=versions,
            rich=RichValues(),
        )
        draft = PublishedEntry(
            id=entry.id,
            type=entry.type,
            key=entry.key,
            fields=saved_fields,
            version=at,
            published_at=now(),
            publish_seq=0,
            terms=entry.terms,
        )
        generation = self.service.published.generation
        return DraftSource(
            entry=draft,
            info=type_info(ctype),
            state=state,
            locales=generation.delivery.locales,
            stage=stage,
            # by name: PostgreSQL's JSONB does not keep the saved order
            variants=[BASELINE, *sorted(data.get("variants", {}))],
            unsaved=unsaved,
            broken=broken,
        )

    def _require_edit(self, action: Action) -> None:
        """Unsaved state is previewed by those who could save it (a
        translator too: the preview stores nothing)."""
        actor = self.deps.actor
        if not allowed(actor, action) and not allowed(actor, Action.ENTRIES_TRANSLATE):
            raise denied(actor, action)

    async def _renderers(
        self,
        type_key: str,
        channels: list[str],
        stage: TemplateStage,
        release: Release | None = None,
    ) -> tuple[
        dict[tuple[str, str], Renderer], dict[tuple[str, str], int], dict[str, HubError]
    ]:
        read = draft_template if stage == "draft" else published_template
        renderers: dict[tuple[str, str], Renderer] = {}
        versions: dict[tuple[str, str], int] = {}
        broken: dict[str, HubError] = {}
        budget = self.deps.settings.render.time_budget
        in_release = release_templates(release)
        for channel in channels:
            template = (
                await TemplateRepository(self.deps.session).get(
                    type_key, channel, in_release[(type_key, channel)]
                )
                if (type_key, channel) in in_release
                else await read(self.deps.session, type_key, channel)
            )
            if template is None:
                continue
            try:
                renderers[(type_key, channel)] = await compiled(template, budget)
            except CompileError as exc:
                problem = render_problem(exc)
                assert isinstance(problem, HubError)
                broken[channel] = problem
            versions[(type_key, channel)] = template.version
        return renderers, versions, broken

    async def who(
        self,
        customer: CustomerIn | None,
        sample: str | None,
        context: ContextIn | None,
        locale: str | None,
    ) -> Customer:
        """The customer, context and locale of a preview: the request's, else
        the sample customer's, else an anonymous one."""
        if sample is not None:
            saved = await SampleCustomerService(self.deps).get(sample)
            return Customer(
                customer if customer is not None else saved.customer,
                context if context is not None else saved.context,
                locale if locale is not None else saved.locale,
            )
        return Customer(customer or CustomerIn(), context, locale)

    async def entry(
        self, entry_id: str | None, type_key: str | None, key: str | None
    ) -> Entry:
        entries = EntryService(self.deps)
        if entry_id is not None:
            return await entries.get(entry_id)
        if not type_key or not key:
            raise ValidationFailed(
                "Name the entry by entry_id, or by type and key.", errors=[]
            )
        return await entries.by_key(type_key, key)

    async def render(self, data: PreviewRenderIn) -> PreviewRenderOut:
        """``POST /render/v1/preview``: one cell, with its decision trace."""
        entry = await self.entry(data.entry_id, data.type, data.key)
        release = (
            None
            if data.release is None
            else await ReleaseService(self.deps).get(data.release)
        )
        source = await self.source(
            entry,
            version=data.version,
            fields=data.fields,
            personalization=data.personalization,
            stage=data.templates,
            channels=[data.channel],
            release=release,
        )
        who = await self.who(data.customer, data.sample, data.context, data.locale)
        out = await self.one(source, data.channel, who, forced=data.variant)
        return PreviewRenderOut(
            render=out,
            explanation=explain(out.decision, out.variant),
            templates=source.stage,
            template_version=source.state.template_versions[(entry.type, data.channel)],
            unsaved=source.unsaved,
        )

    async def one(
        self,
        source: DraftSource,
        channel: str,
        who: Customer,
        *,
        forced: str | None = None,
        locale: str | None = None,
    ) -> RenderOut:
        """One render of the draft: the live decision and render code, with
        no sticky buckets and nothing recorded."""
        target = source.target(channel)
        code = self.service.locale(locale or who.locale, None)
        decision, rendered = await self.service.decided(
            target, who.customer, who.context, code, forced
        )
        return self.service.out(target, decision, code, rendered, False, None)


async def compiled(template: Template, time_budget_s: float | None) -> Renderer:
    """The compiled renderer of a stored template (kept in the process's
    cache: the matrix and a Studio page re-render the same drafts); raises
    ``CompileError``."""
    return await anyio.to_thread.run_sync(
        compiled_renderer,
        template.type,
        template.channel,
        template.version,
        template.parts,
        time_budget_s,
    )
