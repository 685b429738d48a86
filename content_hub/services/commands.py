"""What commands outside a request use: the database opened for a command,
units of work that commit, and the demo loader found by its entry point.

The CLI and the demo loader (``seed``, a separate package) write through the
same services the API uses; this module is their boundary, as the request is
the API's: it opens sessions, builds :class:`Deps` and commits, so neither
reaches into ``store``.

A demo loader is any installed object registered under the entry-point group
:data:`DEMO_GROUP` that has :class:`DemoLoader`'s two coroutines; the hub
finds it by name at run time and never imports it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.keys import SYSTEM, Principal
from content_hub.services.base import Deps
from content_hub.settings import Settings
from content_hub.store.db import commit, create_engine, create_session_factory

DEMO_GROUP = "content_hub.demo"
"""Entry-point group of demo loaders (``seed`` registers ``voltaro``)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called as a long load goes."""


class Database:
    """A command's engine and sessions; :meth:`unit` is one transaction."""

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        self.settings = settings
        self._sessions = sessions

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings) -> AsyncIterator[Database]:
        """The settings' database for the block; the engine is disposed after."""
        engine = create_engine(settings.database.url)
        try:
            yield cls(settings, create_session_factory(engine))
        finally:
            await engine.dispose()

    @asynccontextmanager
    async def unit(self, actor: Principal = SYSTEM) -> AsyncIterator[Deps]:
        """Services' collaborators for one unit of work, committed when the
        block ends normally and rolled back when it raises."""
        async with self._sessions() as session:
            yield Deps(session, actor, self.settings)
            await commit(session)


@asynccontextmanager
async def unit_of_work(
    settings: Settings, actor: Principal = SYSTEM
) -> AsyncIterator[Deps]:
    """One unit of work on a database opened for it (a one-shot command)."""
    async with Database.open(settings) as database, database.unit(actor) as deps:
        yield deps


class Report(Protocol):
    """What a load reports: one line of counts."""

    def summary(self) -> str:
        """``kind: <new> new / <total>, ...``."""
        ...


@runtime_checkable
class DemoLoader(Protocol):
    """What a :data:`DEMO_GROUP` entry point provides (``seed.loader`` is one:
    a module works as well as an object)."""

    async def load_demo(self, settings: Settings) -> Report:
        """Load the demo world idempotently, in one transaction."""
        ...

    async def load_synthetic(
        self, settings: Settings, n: int, progress: Progress | None = None
    ) -> Report:
        """``n`` generated entries on top of the demo's model (resumable)."""
        ...


class NoDemoLoader(LookupError):
    """No usable demo loader: none installed, or not the one asked for."""


def demo_loaders() -> dict[str, EntryPoint]:
    """The installed demo loaders by entry-point name."""
    return {ep.name: ep for ep in entry_points(group=DEMO_GROUP)}


def find_demo_loader(name: str | None = None) -> DemoLoader:
    """The demo loader called ``name``, or the only one installed.

    Raises :class:`NoDemoLoader` with a message that says what to install or
    choose; a loader that fails to import or lacks the two coroutines is
    refused the same way rather than failing later with an ``AttributeError``.
    """
    found = demo_loaders()
    names = ", ".join(sorted(found)) or "none"
    if not found:
        raise NoDemoLoader(
            f"no demo loader is installed (entry-point group {DEMO_GROUP!r}); "
            "install the content-hub distribution that ships `seed` "
            "(pip install -e .) or a package that registers one"
        )
    if name is None:
        if len(found) > 1:
            raise NoDemoLoader(
                f"several demo loaders are installed ({names}); choose one "
                "with --demo NAME"
            )
        (name,) = found
    if name not in found:
        raise NoDemoLoader(f"no demo loader {name!r}; installed: {names}")
    try:
        loader = found[name].load()
    except Exception as exc:  # an installed plug-in that cannot be imported
        raise NoDemoLoader(
            f"the demo loader {name!r} ({found[name].value}) failed to load: {exc}"
        ) from exc
    if not isinstance(loader, DemoLoader):
        raise NoDemoLoader(
            f"the demo loader {name!r} ({found[name].value}) has no "
            "load_demo/load_synthetic coroutines"
        )
    return loader
