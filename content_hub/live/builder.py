"""Builds the next published generation from the change log.

One build reads everything it needs in one database snapshot (see
:func:`~content_hub.store.db.snapshot_reads`): the head of the change log,
the changes since the current generation, the published entries that changed,
their personalisation, the audiences and (published) templates when those changed. From
that it makes the delivery state and the render state of the same sequence
number. Nothing is swapped here: the follower swaps the finished generation,
so a build that fails half-way changes nothing and is simply tried again.

Unchanged parts are shared with the previous generation: entries, compiled
templates and converted rich text are reused, and only what the changes
touched is read again. A locale, type, taxonomy or media change, or more than
``MAX_INCREMENTAL`` changes at once, rebuilds everything.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.changes import ChangeKind
from content_hub.domain.content_types import REFERENCE_TYPES, ContentType, FieldType
from content_hub.domain.locales import LocaleSet
from content_hub.live.delivery_state import changed_state, full_state
from content_hub.live.generation import Generation
from content_hub.live.render_state import Renderer, RenderState
from content_hub.live.state import SnapshotState, TypeInfo
from content_hub.live.templates import compiled_renderer
from content_hub.store.db import snapshot_reads
from content_hub.store.repositories import (
    ContentTypeRepository,
    EntryRepository,
    LocaleRepository,
)
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.media import MediaRepository
from content_hub.store.repositories.render import (
    AudienceRepository,
    PersonalizationRepository,
    TemplateRepository,
)
from content_hub.store.repositories.taxonomy import TaxonomyRepository
from renderers import CompileError
from variants import Audience as VAudience

log = logging.getLogger(__name__)
MAX_INCREMENTAL = 5_000


def type_info(ctype: ContentType) -> TypeInfo:
    """What delivery and render need of a content type."""
    return TypeInfo(
        localized=frozenset(f.key for f in ctype.fields if f.localized),
        channels=tuple(ctype.channels),
        references=frozenset(f.key for f in ctype.fields if f.type in REFERENCE_TYPES),
        rich_text=frozenset(
            f.key for f in ctype.fields if f.type is FieldType.RICH_TEXT
        ),
        markdown=frozenset(f.key for f in ctype.fields if f.type is FieldType.MARKDOWN),
    )


class Built:
    """A finished generation and the entry ids it changed (None: all)."""

    __slots__ = ("generation", "touched")

    def __init__(self, generation: Generation, touched: frozenset[str] | None) -> None:
        self.generation = generation
        self.touched = touched


class GenerationBuilder:
    """Reads the store and makes the generation that follows a given one."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        default_locale: str,
        time_budget_s: float | None = None,
        head_reader: Callable[[], int | None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.default_locale = default_locale
        self.time_budget_s = time_budget_s
        self.head_reader = head_reader
        """A synchronous read of the head (SQLite), tried first: the follower
        asks every poll interval, and a session costs thread hops under load;
        ``None`` from it (or no reader) reads through a session."""

    async def head(self) -> int:
        """The change log's head (one indexed read)."""
        async with self.sessions() as session:
            return await ChangeRepository(session).head()

    async def build(self, previous: Generation) -> Built | None:
        """The generation after ``previous``, or None when it is the head."""
        if (
            self.head_reader is not None
            and previous.seq >= 0
            and self.head_reader() == previous.seq
        ):
            return None
        started = time.perf_counter()
        async with self.sessions() as session:
            await snapshot_reads(session)
            entries = EntryRepository(session)
            log = ChangeRepository(session)
            head = await log.head()
            if head == previous.seq:
                return None
            changes = (
                []
                if previous.seq < 0
                else await log.after(previous.seq, MAX_INCREMENTAL + 1)
            )
            changes = [c for c in changes if c.seq <= head]
            kinds = {c.kind for c in changes}
            full = (
                previous.seq < 0
                or bool(kinds & ChangeKind.full_reload())
                or len(changes) > MAX_INCREMENTAL
            )
            if full:
                delivery = await _full_delivery(session, head, self.default_locale)
                touched: frozenset[str] | None = None
            else:
                latest: dict[str, ChangeKind] = {}
                for change in changes:
                    if change.kind in ChangeKind.delivery():
                        latest[change.entry_id] = change.kind
                upsert_ids = [e for e, k in latest.items() if k is ChangeKind.PUBLISHED]
                removals = [
                    e for e, k in latest.items() if k is not ChangeKind.PUBLISHED
                ]
                upserts = await entries.published(upsert_ids) if upsert_ids else []
                delivery, touched = changed_state(
                    previous.delivery, seq=head, upserts=upserts, removals=removals
                )
            # Kept encoded; with the previous generation's documents only the
            # entries whose version changed are read.
            personalization = await PersonalizationRepository(session).as_of_many(
                {e.id: e.version for e in delivery.entries.values()},
                previous=None if full else previous.render.personalization,
            )
            old = previous.render
            if full or ChangeKind.AUDIENCES in kinds:
                audiences = tuple(
                    VAudience(key=a.key, condition=a.condition, name=a.name)
                    for a in await AudienceRepository(session).all()
                )
            else:
                audiences = old.audiences
            templates = (
                await TemplateRepository(session).all_published()
                if full or ChangeKind.TEMPLATES in kinds
                else None
            )
        if templates is not None:
            renderers, versions = await self._compile(templates, old)
        else:
            renderers, versions = dict(old.renderers), dict(old.template_versions)
        # Rich text and Markdown converted once per value, off the event loop.
        rich = await asyncio.to_thread(
            old.rich.successor,
            delivery.entries.values(),
            delivery.types,
            personalization,
        )
        render = RenderState(
            seq=delivery.seq,
            personalization=personalization,
            audiences=audiences,
            renderers=renderers,
            template_versions=versions,
            rich=rich,
        )
        return Built(
            Generation(
                delivery,
                render,
                built_at=time.time(),
                build_seconds=time.perf_counter() - started,
            ),
            touched,
        )

    async def _compile(
        self, templates: list[Any], old: RenderState
    ) -> tuple[dict[tuple[str, str], Renderer], dict[tuple[str, str], int]]:
        """Compiled renderers by (type, channel), reusing ``old``'s compiled
        template when its version did not change."""
        renderers: dict[tuple[str, str], Renderer] = {}
        versions: dict[tuple[str, str], int] = {}
        for template in templates:
            slot = (template.type, template.channel)
            versions[slot] = template.version
            if old.template_versions.get(slot) == template.version and (
                slot in old.renderers
            ):
                renderers[slot] = old.renderers[slot]
                continue
            try:
                # Off the event loop: a large template compiles for a second.
                renderers[slot] = await anyio.to_thread.run_sync(
                    compiled_renderer,
                    *slot,
                    template.version,
                    template.parts,
                    self.time_budget_s,
                )
            except CompileError:  # validated on save; a renderer upgrade may refuse
                log.exception(
                    "template %s v%d no longer compiles", slot, template.version
                )
        return renderers, versions


async def _full_delivery(
    session: AsyncSession, seq: int, default_locale: str
) -> SnapshotState:
    locales = await LocaleRepository(session).all()
    types = await ContentTypeRepository(session).all()
    return full_state(
        seq=seq,
        locales=LocaleSet.build(locales, default_locale),
        types={t.key: type_info(t) for t in types},
        entries=await EntryRepository(session).published(),
        terms=await TaxonomyRepository(session).terms(),
        media=await MediaRepository(session).all(),
    )
