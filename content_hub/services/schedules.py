"""Scheduled publish and unpublish.

Times are stored on the entry (``publish_at``, ``unpublish_at``), so nothing
is lost across a restart. Every hub process starts a :class:`Scheduler`; the
one holding the ``scheduler`` lease (:mod:`content_hub.workers.lease`) polls
for due schedules, and another takes over within seconds if it dies. Each
due item is still claimed by a conditional UPDATE in the same transaction
that publishes (a holder that lost its lease mid-run cannot act twice), and
a crash before commit leaves the schedule in place for the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.errors import Conflict, FieldError, HubError, ValidationFailed
from content_hub.domain.inputs import ScheduleUpdate
from content_hub.domain.keys import Principal, Scope
from content_hub.domain.permissions import Action, require
from content_hub.retry import retry_until_stopped
from content_hub.services.audit import record
from content_hub.services.base import Deps
from content_hub.services.entries import EntryService
from content_hub.services.releases import due_releases, run_scheduled_release
from content_hub.settings import Settings
from content_hub.store.db import commit
from content_hub.store.repositories._util import now
from content_hub.store.repositories.revisions import RevisionRepository
from content_hub.workers.lease import Lease, lease_for, run_leased

log = logging.getLogger(__name__)
SCHEDULER = Principal("scheduler", "scheduler", frozenset(Scope))
BATCH = 100


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


async def set_schedule(deps: Deps, entry_id: str, data: ScheduleUpdate) -> Entry:
    """Set or clear an entry's publish-at and unpublish-at times."""
    require(deps.actor, Action.ENTRIES_PUBLISH)
    entries = EntryService(deps)
    current = await entries.get(entry_id)
    if current.status is EntryStatus.ARCHIVED:
        raise Conflict("The entry is archived; restore it before scheduling.")
    publish_at, unpublish_at = _utc(data.publish_at), _utc(data.unpublish_at)
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise ValidationFailed(
            "unpublish_at must be later than publish_at.",
            errors=[FieldError(loc=["unpublish_at"], msg="not after publish_at")],
        )
    await RevisionRepository(deps.session).set_schedule(
        entry_id, publish_at=publish_at, unpublish_at=unpublish_at
    )
    await record(
        deps,
        "schedule",
        "entry",
        entry_id,
        before=current.version,
        after=current.version,
        detail={
            "publish_at": publish_at.isoformat() if publish_at else None,
            "unpublish_at": unpublish_at.isoformat() if unpublish_at else None,
        },
    )
    return msgspec.structs.replace(
        current, publish_at=publish_at, unpublish_at=unpublish_at
    )


class Scheduler:
    """Runs due schedules of every entry every few seconds, while this
    process holds the scheduler's lease."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        on_change: Callable[[], Awaitable[None]] | None = None,
        lease: Lease | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.on_change = on_change
        self.lease = lease or lease_for(
            settings.database.url, settings.data_dir, "scheduler"
        )

    async def run_due(self, when: datetime | None = None) -> int:
        """Publish or unpublish everything due at ``when``; returns how many."""
        when = when or now()
        async with self.sessions() as session:
            due = await RevisionRepository(session).due(when, BATCH)
        done = 0
        for entry_id, kind in due:
            async with self.sessions() as session:
                deps = Deps(session, SCHEDULER, self.settings, self.on_change)
                if await self._run(deps, entry_id, kind, when):
                    done += 1
                await commit(session)
        return done + await self._run_releases(when)

    async def _run_releases(self, when: datetime) -> int:
        """Publish every due release, each in its own transaction."""
        async with self.sessions() as session:
            due = await due_releases(
                Deps(session, SCHEDULER, self.settings), when, BATCH
            )
        done = 0
        for release_id in due:
            async with self.sessions() as session:
                deps = Deps(session, SCHEDULER, self.settings, self.on_change)
                if await run_scheduled_release(deps, release_id, when):
                    done += 1
                await commit(session)
        return done

    async def _run(self, deps: Deps, entry_id: str, kind: str, when: datetime) -> bool:
        if not await RevisionRepository(deps.session).claim(entry_id, kind, when):
            return False  # another worker took it, or it was rescheduled
        entries = EntryService(deps)
        current = await entries.get(entry_id)
        try:
            if kind == "publish":
                await entries.publish_current(current, action="scheduled_publish")
            elif current.published_version is not None:
                await entries.unpublish_current(current, action="scheduled_unpublish")
        except HubError as exc:  # e.g. a required field is missing: report it
            log.warning("scheduled %s of %s failed: %s", kind, entry_id, exc.detail)
            await record(
                deps,
                f"scheduled_{kind}_failed",
                "entry",
                entry_id,
                before=current.version,
                detail={"detail": exc.detail},
            )
            return False
        return True

    async def poll(self, stop: asyncio.Event) -> None:
        """Every worker runs this until ``stop``; the lease holder runs due
        schedules every ``schedule_interval``."""
        await run_leased(
            self.lease, self._poll, stop, interval=self.settings.retry.lease
        )

    async def _poll(self, until: asyncio.Event) -> None:
        """Run due schedules until ``until``; a failed run (a lost
        connection) is retried with jittered backoff."""
        interval = self.settings.workflow.schedule_interval
        while not until.is_set():
            done = await retry_until_stopped(
                self.run_due, until, self.settings.retry, name="scheduled publishing"
            )
            if done is None:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(until.wait(), timeout=interval)
