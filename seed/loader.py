"""Load the Voltaro demo (and synthetic bulk entries) through the service
layer, idempotently: everything is looked up by its key first.

``load_demo`` writes in one transaction, so a refused record (``SeedError``)
leaves nothing behind; ``load_synthetic`` commits in chunks and skips the
``synthetic-<i>`` keys that already exist, so a re-run resumes.
"""

from __future__ import annotations

from content_hub.services.base import Deps
from content_hub.services.commands import Database, Progress, unit_of_work
from content_hub.services.entries import EntryService
from content_hub.settings import Settings
from seed import data
from seed._world import SeedError, SeedReport, World
from seed.synthetic import synthetic_entry

CHUNK = 50
COUNT_PAGE = 1000

__all__ = ["SeedError", "SeedReport", "entry_count", "load_demo", "load_synthetic"]


async def _model(world: World) -> None:
    """Locales, taxonomies, content types, templates, media and audiences."""
    for locale in data.LOCALES:
        await world.locale(locale)
    for taxonomy in data.TAXONOMIES:
        await world.taxonomy(taxonomy)
    for ctype in data.CONTENT_TYPES:
        await world.content_type(ctype)
    for (type_key, channel), parts in data.TEMPLATES.items():
        await world.template(type_key, channel, parts)
    for slug, media in data.MEDIA.items():
        await world.media(slug, media)
    for audience in data.AUDIENCES:
        await world.audience(audience)
    for sample in data.SAMPLE_CUSTOMERS:
        await world.sample_customer(sample)


async def load_demo(settings: Settings) -> SeedReport:
    """Load the demo world; running it again creates nothing new."""
    report = SeedReport()
    async with unit_of_work(settings) as deps:
        world = World(deps, report)
        await _model(world)
        for entry in data.ENTRIES:
            personal = data.PERSONALIZATIONS.get((entry["type"], entry["key"]))
            await world.entry(entry, personal)
    return report


async def load_synthetic(
    settings: Settings, n: int, progress: Progress | None = None
) -> SeedReport:
    """``n`` generated entries ``synthetic-<i>`` on top of the demo's model."""
    report = SeedReport()
    async with Database.open(settings) as database:
        async with database.unit() as deps:
            await _model(World(deps, SeedReport()))
        for start in range(0, n, CHUNK):
            async with database.unit() as deps:
                world = World(deps, report)
                world.media_ids = await _media_refs(deps)
                for i in range(start, min(n, start + CHUNK)):
                    entry, personal = synthetic_entry(i)
                    await world.entry(entry, personal)
            if progress is not None:
                progress(min(n, start + CHUNK), n)
    return report


async def _media_refs(deps: Deps) -> dict[str, str]:
    """The demo's ``@media:<slug>`` ids (looked up; already created)."""
    quiet = World(deps, SeedReport())
    for slug, media in data.MEDIA.items():
        await quiet.media(slug, media)
    return quiet.media_ids


async def entry_count(settings: Settings) -> int:
    """How many entries the hub holds (for reports and tests)."""
    count, cursor = 0, None
    async with unit_of_work(settings) as deps:
        service = EntryService(deps)
        while True:
            page = await service.page(
                type_key=None,
                status=None,
                channel=None,
                cursor=cursor,
                limit=COUNT_PAGE,
            )
            count += len(page.items)
            if page.next_cursor is None:
                return count
            cursor = page.next_cursor
