"""The authenticator's cache never keeps what a lookup read before a change.

A key's revocation or payload-key change commits, then clears the cache. A
lookup that read the key before that commit but finishes after the clear must
not store its stale answer: CI saw ``/api/features`` served unencrypted after
``POST …/encryption`` answered 201, because an SSE stream's background
refresh had read the key just before the commit.

Each example interleaves lookups (their table reads held open), changes of
the key (followed by ``clear()``, as the services do after commit) and
releases of held reads in a drawn order. When everything has settled, what
the cache answers must be the table's current state.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content_hub.domain.keys import ApiKey, Scope, hash_secret
from content_hub.services import keys as keys_module
from content_hub.services.keys import Authenticator

SECRET = "chk_race"
DIGEST = hash_secret(SECRET)
KEY_ID = "k1"


class Table:
    """One key row; reads are held until released, in the order drawn."""

    def __init__(self) -> None:
        self.payload_key: str | None = None
        self.revoked = False
        self.held: list[asyncio.Event] = []
        self.version = 0

    def row(self) -> tuple[ApiKey, str | None]:
        key = ApiKey(
            id=KEY_ID,
            name=f"v{self.version}",
            prefix="chk_",
            scopes=[Scope.DELIVERY],
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            revoked_at=datetime(2026, 1, 2, tzinfo=UTC) if self.revoked else None,
        )
        return key, self.payload_key

    def release_one(self, order: Any) -> None:
        """Let one held read (drawn by ``order``) answer, if any is held."""
        if self.held:
            self.held.pop(order.randrange(len(self.held))).set()

    async def settle(self, tasks: list[asyncio.Task[Any]]) -> None:
        """Release every held read, now and as they come, until ``tasks`` end."""
        while self.held or not all(task.done() for task in tasks):
            for gate in self.held:
                gate.set()
            self.held.clear()
            await asyncio.sleep(0)


@asynccontextmanager
async def _no_sessions() -> AsyncIterator[None]:
    """The authenticator's session factory: no database, the table answers."""
    yield None


def _run_against(table: Table, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``run`` with the key repository reading ``table`` (held reads)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys_module, "KeyRepository", lambda _s: HeldRepository(table))
        asyncio.run(run())


async def _let_tasks_run() -> None:
    for _ in range(3):
        await asyncio.sleep(0)  # let tasks reach their reads


class HeldRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    async def credentials(self, key_hash: str) -> tuple[ApiKey, str | None] | None:
        assert key_hash == DIGEST
        snapshot = self.table.row()  # the read: what the table holds now
        gate = asyncio.Event()
        self.table.held.append(gate)
        await gate.wait()
        return snapshot


ACTIONS = st.lists(
    st.sampled_from(["lookup", "cached", "encrypt", "decrypt", "revoke", "release"]),
    min_size=1,
    max_size=14,
)


@given(actions=ACTIONS, release_order=st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_no_lookup_stores_what_it_read_before_a_clear(
    actions: list[str], release_order: Any
) -> None:
    table = Table()

    async def run() -> None:
        auth = Authenticator(_no_sessions, ttl=3600.0)  # type: ignore[arg-type]
        callers: list[asyncio.Task[Any]] = []
        for action in actions:
            if action == "lookup":
                callers.append(asyncio.create_task(auth.principal(SECRET)))
            elif action == "cached":
                auth.cached(SECRET)
            elif action == "release":
                table.release_one(release_order)
            else:  # a change commits, then the cache is cleared
                table.version += 1
                if action == "encrypt":
                    table.payload_key = f"pk{table.version}"
                elif action == "decrypt":
                    table.payload_key = None
                else:
                    table.revoked = True
                auth.clear()
            await _let_tasks_run()
        await table.settle(callers)
        await asyncio.gather(*callers)
        # settled: the next lookup answers the table as it is now
        answer = asyncio.create_task(auth.principal(SECRET))
        await table.settle([answer])
        principal = answer.result()
        if table.revoked:
            assert principal is None
        else:
            assert principal is not None
            assert principal.name == f"v{table.version}"
            assert auth.payload_key(KEY_ID) == table.payload_key
        assert auth.cached(SECRET) == principal

    _run_against(table, run)


ZERO_TTL_ACTIONS = st.lists(
    st.sampled_from(["lookup", "cached", "revoke", "restore", "encrypt", "release"]),
    min_size=1,
    max_size=14,
)


@given(actions=ZERO_TTL_ACTIONS, release_order=st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_zero_ttl_answers_every_lookup_from_a_read_of_its_own(
    actions: list[str], release_order: Any
) -> None:
    """``CONTENT_HUB_AUTH_CACHE_SECONDS=0`` ("every request"): each lookup
    answers what the table held when it began, even when another process
    changed the key meanwhile (no ``clear()`` here) and an older lookup is
    still in flight; ``cached`` never answers."""
    table = Table()

    async def run() -> None:
        auth = Authenticator(_no_sessions, ttl=0.0)  # type: ignore[arg-type]
        lookups: list[tuple[asyncio.Task[Any], tuple[bool, int, str | None]]] = []
        for action in actions:
            if action == "lookup":
                seen = (table.revoked, table.version, table.payload_key)
                lookups.append((asyncio.create_task(auth.principal(SECRET)), seen))
            elif action == "cached":
                assert auth.cached(SECRET) is None
            elif action == "release":
                table.release_one(release_order)
            else:  # another process changes the key: this one is not told
                table.version += 1
                table.revoked = action == "revoke"
                if action == "encrypt":
                    table.payload_key = f"pk{table.version}"
            await _let_tasks_run()
        await table.settle([task for task, _ in lookups])
        for task, (revoked, version, _) in lookups:
            principal = task.result()
            if revoked:
                assert principal is None
            else:
                assert principal is not None and principal.name == f"v{version}"
        assert auth.cached(SECRET) is None

    _run_against(table, run)
