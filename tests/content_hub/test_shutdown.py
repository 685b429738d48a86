"""A worker's shutdown ends, whatever one of its steps waits on.

CI once hung for ten minutes in a test client's exit: the app's shutdown was
closing the Studio session store's Redis client, whose close awaits the
stream's ``wait_closed`` with no timeout (a known redis-py stall,
redis/redis-py#3941). The class is "a shutdown step, or a request, that waits
on a peer with no bound". These tests stall each kind of wait for real:

* the stream close itself (``StreamWriter.wait_closed`` never returns) with
  every Redis client of the app in use;
* a Redis that accepts connections and never answers (requests get a 503
  problem document or go on without Redis, within the configured timeout);
* each step of :meth:`Hub.stop_steps` in turn (the step hangs; the exit still
  ends within the step bound and every later step still runs);
* :func:`content_hub.shutdown.bounded` on generated await chains.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient
from redis.exceptions import TimeoutError as RedisTimeout
from sqlalchemy.exc import OperationalError

from content_hub.app import create_app
from content_hub.domain.rate_limits import parse_rate
from content_hub.hub import Hub
from content_hub.services.rate_limits import RateLimits
from content_hub.settings import RateLimitSettings, Settings, StudioSettings
from content_hub.shutdown import awaiting, bounded
from tests.content_hub.conftest import Keys
from tests.content_hub.test_rate_limit import REDIS, redis_prefix
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    PASSWORD,
    cheap_passwords,
    make_user,
    sign_in,
)

__all__ = ["redis_prefix"]  # the real Redis under a prefix of its own (a fixture)
pytestmark = pytest.mark.usefixtures("cheap_passwords")

TIMEOUT = 0.4
"""The Redis timeout these tests configure (the default is 2 s)."""


def _with_redis(settings: Settings, url: str, prefix: str) -> Settings:
    """Redis for everything that can use it: key limits, failed-auth limits,
    the sign-in throttle and the Studio's sessions."""
    return msgspec.structs.replace(
        settings,
        rate_limit=RateLimitSettings(
            key="1000/minute",
            auth_failures="50/minute",
            redis_url=url,
            redis_prefix=prefix,
            redis_timeout=TIMEOUT,
            sync_interval=0.05,
        ),
        studio=StudioSettings(sign_in_failures="50/minute"),
    )


class _Records(logging.Handler):
    """The messages (with tracebacks) of one logger, while attached."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.messages.append(text)


@contextlib.contextmanager
def _logged(name: str) -> Iterator[list[str]]:
    """What logger ``name`` says meanwhile (the app's own logging set-up
    replaces the handlers pytest's ``caplog`` relies on)."""
    handler = _Records()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _exit_seconds(client: TestClient[Any]) -> float:
    started = time.monotonic()
    client.__exit__(None, None, None)
    return time.monotonic() - started


# -- the stalled close of redis/redis-py#3941 -----------------------------------


@pytest.mark.timeout(120)
def test_a_stalled_redis_close_does_not_hold_the_exit(
    settings: Settings,
    keys: Keys,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every Redis client of the app has open connections (a sign-in, a
    session read, a failed sign-in, keyed requests and their shared count);
    then closing a stream never completes. The app's exit still ends within
    a few Redis timeouts, naming what it gave up on; it hung for good when
    the session store's client had no timeout."""
    settings = _with_redis(settings, REDIS, redis_prefix)
    make_user(settings, "ed@example.com", "editor")
    client = TestClient(create_app(settings))
    client.__enter__()
    try:
        sign_in(client, "ed@example.com")
        assert client.get("/studio/").status_code == 200
        wrong = {"email": "ed@example.com", "password": "not the password"}
        assert client.post("/studio/sign-in", json=wrong).status_code == 401
        for _ in range(3):
            response = client.get(
                "/delivery/v1/entries", headers=keys.headers("delivery")
            )
            assert response.status_code == 200
        time.sleep(0.2)  # the shared counts are synced: those clients connected
    except BaseException:
        client.__exit__(None, None, None)
        raise

    async def never(self: asyncio.StreamWriter) -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(asyncio.StreamWriter, "wait_closed", never)
    with _logged("content_hub.store.redis_client") as said:
        took = _exit_seconds(client)
    assert took < 6 * TIMEOUT + 5, took
    gave_up = [message for message in said if "closing did not finish" in message]
    assert any("sessions" in message for message in gave_up), gave_up
    assert len(gave_up) >= 3, gave_up  # sessions, key limits, the throttle's


# -- a Redis that never answers ------------------------------------------------


class BlackHole:
    """A TCP listener that accepts connections, reads what comes and never
    answers: a Redis that has stalled (or a network that drops replies)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(conn)
            threading.Thread(target=self._swallow, args=(conn,), daemon=True).start()

    @staticmethod
    def _swallow(conn: socket.socket) -> None:
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass

    def close(self) -> None:
        self.server.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


Call = Callable[[TestClient[Any], Keys], Any]
"""One request of the generated cases below, given a client and the keys."""

CALLS: dict[str, tuple[Call, set[int]]] = {
    # what the request is, and the statuses it may answer with a stalled Redis
    "a Studio page with a session cookie": (
        lambda c, k: c.get(
            "/studio/", headers={"Cookie": "content_hub_session=" + "x" * 43}
        ),
        {503},
    ),
    "a Studio page without a cookie": (
        lambda c, k: c.get("/studio/", follow_redirects=False),
        {401},  # a JSON client: sign-in-required
    ),
    "a sign-in with the right password": (
        lambda c, k: c.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": PASSWORD}
        ),
        {503},
    ),
    "a sign-in with a wrong password": (
        lambda c, k: c.post(
            "/studio/sign-in", json={"email": "ed@example.com", "password": "nope"}
        ),
        {401},
    ),
    "a management call with a session cookie": (
        lambda c, k: c.get(
            "/manage/v1/content-types",
            headers={"Cookie": "content_hub_session=" + "y" * 43},
        ),
        {503},
    ),
    "a keyed delivery read": (
        lambda c, k: c.get("/delivery/v1/entries", headers=k.headers("delivery")),
        {200},
    ),
    "a wrong key": (
        lambda c, k: c.get(
            "/delivery/v1/entries", headers={"Authorization": "Bearer chk_wrong"}
        ),
        {401},
    ),
}


@pytest.fixture
def editor(settings: Settings) -> None:
    make_user(settings, "ed@example.com", "editor")


@pytest.mark.timeout(180)
@pytest.mark.usefixtures("editor")
@hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.lists(st.sampled_from(sorted(CALLS)), min_size=1, max_size=6))
def test_a_redis_that_never_answers_costs_a_timeout_not_a_hang(
    settings: Settings,
    keys: Keys,
    black_hole: BlackHole,
    order: list[str],
) -> None:
    """Generated sequences of requests while every Redis client points at a
    server that never answers: each request ends within a few Redis
    timeouts, with its usual answer when it can do without Redis, else a 503
    ``session-store-unavailable`` problem (never a 500, never a hang); and
    the app's exit ends in bounded time too."""
    settings = _with_redis(settings, black_hole.url, "hole")
    client = TestClient(create_app(settings))
    with client:
        for name in order:
            call, allowed = CALLS[name]
            started = time.monotonic()
            response = call(client, keys)
            took = time.monotonic() - started
            assert took < 4 * TIMEOUT + 2, (name, took)
            assert response.status_code in allowed, (name, response.text)
            if response.status_code == 503:
                problem = response.json()
                assert problem["type"].endswith("/session-store-unavailable"), problem
                assert response.headers["retry-after"] == "1"
        client.cookies.clear()
        started = time.monotonic()
    assert time.monotonic() - started < 6 * TIMEOUT + 5


# -- each step of the hub's shutdown, hung in turn ------------------------------


async def _stuck_here() -> None:
    await asyncio.Event().wait()


async def _hang() -> None:
    await _stuck_here()


BOUND = 1.0
"""Each step's bound in the hung-step test: the steps that are not hung must
end within it on a loaded CI machine (at 0.5 s a lease release once did not)."""


def test_whichever_step_hangs_the_exit_ends_and_the_later_steps_run(
    settings: Settings,
    keys: Keys,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """For each step of :meth:`Hub.stop_steps` (loops, flush, drain, clients,
    session store, database), an app whose step never finishes: its exit
    takes about one step bound, logs the step and where it was stuck, and
    every other step still runs; with no step hung, none is logged."""
    settings = _with_redis(settings, REDIS, redis_prefix)
    real = Hub.stop_steps
    names: list[str] = []
    ran: list[str] = []
    victim: list[str] = []

    def steps(hub: Hub) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
        hub.shutdown_step_seconds = BOUND
        out: list[tuple[str, Callable[[], Awaitable[object]]]] = []
        for name, step in real(hub):
            names.append(name)

            async def recorded(
                name: str = name, step: Callable[[], Awaitable[object]] = step
            ) -> None:
                ran.append(name)
                await (_hang() if [name] == victim else step())

            out.append((name, recorded))
        return out

    monkeypatch.setattr(Hub, "stop_steps", steps)
    with _logged("content_hub.shutdown") as said, TestClient(create_app(settings)):
        pass
    assert said == []
    every = list(names)
    assert "session store" in every and "database" in every, every
    assert sum(name.startswith("background loop") for name in every) >= 5, every
    assert ran == every
    for hung in every:
        names.clear(), ran.clear()
        victim[:] = [hung]
        client = TestClient(create_app(settings))
        client.__enter__()
        with _logged("content_hub.shutdown") as said:
            took = _exit_seconds(client)
        assert took < BOUND + 1.0 + 3, (hung, took)  # the bound, the unwind, slack
        assert ran == names == every, (hung, ran)
        [message] = said
        assert f"shutdown: {hung} did not finish" in message, message
        assert "in _stuck_here" in message and "in _hang" in message, message


# -- bounded() on generated await chains ----------------------------------------


@hsettings(max_examples=25, deadline=None)
@given(
    chain=st.lists(st.booleans(), min_size=1, max_size=6),
    outcome=st.sampled_from(["returns", "raises", "hangs"]),
)
def test_bounded_reports_where_a_step_waits(chain: list[bool], outcome: str) -> None:
    """A step made of nested coroutines (``True``: the next link is awaited
    as a task of its own): one that returns is True and quiet; one that
    raises is False with its traceback logged; one that hangs is abandoned
    after the bound and cancelled, and :func:`awaiting` names every link,
    outermost first, through the tasks."""
    events: list[str] = []

    async def link(depth: int) -> None:
        try:
            if depth == len(chain):
                if outcome == "raises":
                    raise RuntimeError("the step broke")
                if outcome == "hangs":
                    await asyncio.Event().wait()
                return
            inner = link(depth + 1)
            if chain[depth]:
                await asyncio.ensure_future(inner)
            else:
                await inner
        except asyncio.CancelledError:
            events.append(f"cancelled {depth}")
            raise

    async def run() -> tuple[bool, list[str], float]:
        with _logged("content_hub.shutdown") as said:
            started = time.monotonic()
            ok = await bounded("the step", link(0), 0.05)
            return ok, said, time.monotonic() - started

    ok, messages, took = asyncio.run(run())
    assert ok is (outcome == "returns")
    if outcome == "returns":
        assert messages == [] and events == []
        return
    [message] = messages
    if outcome == "raises":
        assert "shutdown: the step failed" in message and "the step broke" in message
        return
    assert took < 0.05 + 1.0 + 0.5
    assert "did not finish in 0.1 s" in message or "did not finish in 0.0 s" in message
    lines = [line for line in message.splitlines() if " in link" in line]
    assert len(lines) == len(chain) + 1, message
    assert sorted(events) == sorted(f"cancelled {d}" for d in range(len(chain) + 1))


def test_awaiting_a_finished_task_is_empty() -> None:
    async def run() -> list[str]:
        task = asyncio.ensure_future(asyncio.sleep(0))
        await task
        return awaiting(task)

    assert asyncio.run(run()) == []


# -- a loop whose cancellation is lost ------------------------------------------


@pytest.mark.parametrize("lost", [False, True])
def test_the_rate_limit_sharing_loop_ends_even_if_a_cancellation_is_lost(
    lost: bool, redis_prefix: str
) -> None:
    """The loop that pushes per-key counts to Redis is mid-sync when the app
    stops. Its Redis call either ends within the timeout or (``lost``) eats
    the cancellation and goes on, as a client that converts it into an
    error would. Stopping takes at most about two Redis timeouts either way,
    and the loop is over soon after: it ends on a stop event, not only by
    cancellation (it used to be cancelled and awaited with no bound)."""

    async def run() -> tuple[float, bool]:
        limits = RateLimits(
            parse_rate("100/minute"),
            None,
            redis_url=REDIS,
            redis_prefix=redis_prefix,
            sync_interval=0.01,
            redis_timeout=TIMEOUT,
        )
        assert limits.shared is not None
        entered = asyncio.Event()

        async def add(windows: object, amounts: object) -> list[int] | None:
            entered.set()
            try:
                await asyncio.sleep(TIMEOUT if not lost else 60)
            except asyncio.CancelledError:
                if not lost:
                    raise
            return None

        limits.shared.add = add  # type: ignore[method-assign]
        await limits.start()
        assert limits.hit_key("key-1") is None  # a count to share
        await asyncio.wait_for(entered.wait(), 5)
        task = limits._task
        assert task is not None
        started = time.monotonic()
        await limits.stop()
        took = time.monotonic() - started
        await asyncio.wait({task}, timeout=2)
        return took, task.done()

    took, done = asyncio.run(run())
    assert took < 2 * TIMEOUT + 1 + 1, took
    assert done


# -- a session store failing at any of its calls --------------------------------

FAILURES: dict[str, tuple[Callable[[], BaseException], int, str]] = {
    # what the store raises -> the status and problem type of the answer
    "redis timeout": (
        lambda: RedisTimeout("Timeout reading"),
        503,
        "session-store-unavailable",
    ),
    "broken socket": (
        lambda: ConnectionResetError(104, "reset"),
        503,
        "session-store-unavailable",
    ),
    "database down": (
        lambda: OperationalError("SELECT", {}, Exception("server closed")),
        503,
        "store-unavailable",
    ),
    "a bug": (lambda: RuntimeError("a bug in the store"), 500, "internal-error"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("method", ["get", "set", "delete"])
def test_a_failing_session_store_answers_a_problem_document(
    settings: Settings, keys: Keys, failure: str, method: str
) -> None:
    """The store fails in ``get`` (reading the cookie's session, before the
    handler), ``set`` (keeping a new session, as the response starts) or
    ``delete`` (signing out, as the response starts): the answer is that
    failure's problem document, never a half-sent response or an error
    raised out of the app (which the session layer's write used to be)."""
    make_user(settings, "ed@example.com", "editor")
    raise_it, status, slug = FAILURES[failure]
    with TestClient(create_app(settings)) as client:
        token = sign_in(client, "ed@example.com")["csrf_token"]
        store = client.app.state.hub.web_sessions

        async def broken(*args: object, **kwargs: object) -> None:
            raise raise_it()

        setattr(store, method, broken)
        if method == "get":
            response = client.get("/studio/")
        elif method == "set":
            client.cookies.clear()
            response = client.post(
                "/studio/sign-in",
                json={"email": "ed@example.com", "password": PASSWORD},
            )
        else:
            response = client.post(
                "/studio/sign-out",
                headers={"X-CSRF-Token": token},
                follow_redirects=False,
            )
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"].endswith("/" + slug), problem
        assert "set-cookie" not in response.headers
