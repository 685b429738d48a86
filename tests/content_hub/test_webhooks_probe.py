"""The webhook dispatcher's idle probe: between full rounds it reads only
whether a change waits for fan-out or a delivery is due. For generated states
of the change log, the cursor, subscriptions and deliveries, the probe (through
a session, and on SQLite through the point reader) says idle exactly when a
full round has nothing to do; and the dispatcher, idle, runs no full rounds
until a change arrives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.domain.changes import ChangeKind
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.webhook_dispatch import CURSOR, DispatchRepository
from content_hub.store.sqlite_reads import SqlitePointReader
from content_hub.store.tables import CounterRow
from content_hub.store.tables_webhooks import WebhookDeliveryRow, WebhookRow
from content_hub.workers.webhooks import WebhookDispatcher
from tests.content_hub.retry_support import until

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
deliveries = st.lists(
    st.tuples(
        st.sampled_from(["pending", "delivered", "failed"]),
        st.sampled_from([-3600.0, -1.0, -0.000001, 0.0, 0.000001, 1.0, 86400.0]),
        st.integers(0, 2),  # which subscription
    ),
    max_size=6,
)
states = st.fixed_dictionaries(
    {
        "head": st.integers(0, 5),
        "cursor": st.integers(0, 5),
        "active": st.tuples(st.booleans(), st.booleans(), st.booleans()),
        "deliveries": deliveries,
    }
)


async def _set_state(sessions: Any, state: dict[str, Any]) -> None:
    async with sessions() as session:
        await session.execute(sa.delete(WebhookDeliveryRow))
        await session.execute(sa.delete(WebhookRow))
        await session.execute(sa.delete(CounterRow))
        session.add(CounterRow(name="publish_seq", value=state["head"]))
        session.add(CounterRow(name=CURSOR, value=state["cursor"]))
        for n, active in enumerate(state["active"]):
            session.add(
                WebhookRow(
                    id=f"w{n}",
                    url="https://example.com/hook",
                    events=["entry.published"],
                    content_types=[],
                    terms=[],
                    active=active,
                    headers={},
                    secret="sealed",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        await session.flush()
        for n, (status, offset, hook) in enumerate(state["deliveries"]):
            session.add(
                WebhookDeliveryRow(
                    id=f"d{n}",
                    webhook_id=f"w{hook}",
                    position=n,
                    entry_id="e",
                    event_type="entry.published",
                    payload="{}",
                    status=status,
                    next_at=NOW + timedelta(seconds=offset),
                    created_at=NOW,
                )
            )
        await session.commit()


def _expected(state: dict[str, Any]) -> bool:
    due = any(
        status == "pending" and offset <= 0 and state["active"][hook]
        for status, offset, hook in state["deliveries"]
    )
    return state["head"] <= state["cursor"] and not due


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(state=states)
def test_the_probe_is_idle_exactly_when_there_is_nothing_to_do(
    settings: Settings, state: dict[str, Any]
) -> None:
    url = settings.database.url
    reader = SqlitePointReader.for_url(url)

    async def scenario() -> list[bool | None]:
        engine = create_engine(url)
        try:
            sessions = create_session_factory(engine)
            await _set_state(sessions, state)
            async with sessions() as session:
                answers: list[bool | None] = [
                    await DispatchRepository(session).idle(NOW)
                ]
            if reader is not None:
                answers.append(reader.dispatch_idle(NOW))
            return answers
        finally:
            await engine.dispose()

    try:
        answers = asyncio.run(scenario())
    finally:
        if reader is not None:
            reader.close()
    assert answers == [_expected(state)] * (1 if reader is None else 2)


def test_an_idle_dispatcher_probes_and_runs_no_full_rounds(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between changes only the probe runs; a change committed by another
    worker (no wake here) is found by the probe and fanned out."""
    rounds: list[int] = []
    real = WebhookDispatcher.run_once

    async def counted(self: WebhookDispatcher, client: Any) -> int:
        done = await real(self, client)
        rounds.append(done)
        return done

    monkeypatch.setattr(WebhookDispatcher, "run_once", counted)

    async def scenario() -> None:
        engine = create_engine(settings.database.url)
        sessions = create_session_factory(engine)
        reader = SqlitePointReader.for_url(settings.database.url)
        dispatcher = WebhookDispatcher(
            sessions,
            settings,
            probe=reader.dispatch_idle if reader else None,
            clock=lambda: datetime.now(UTC),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(dispatcher.loop(stop))
        try:
            await until(lambda: len(rounds) >= 1, "the first round")
            await asyncio.sleep(1.5)  # six looks at MAX_WAIT 0.25 s
            assert rounds == [0], "an idle dispatcher ran full rounds"
            async with sessions() as session:  # a change from "another worker"
                await ChangeRepository(session).log(
                    "*", "*", ChangeKind.LOCALES, datetime.now(UTC)
                )
                await session.commit()
            await until(lambda: 1 in rounds, "a round for the change")
            await asyncio.sleep(1.0)
            assert rounds == [0, 1], "full rounds after the change was fanned out"
            async with sessions() as session:
                assert await DispatchRepository(session).idle(datetime.now(UTC))
        finally:
            stop.set()
            await task
            if reader is not None:
                reader.close()
            await engine.dispose()

    asyncio.run(scenario())
