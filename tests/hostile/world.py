"""A small but complete hub for the hostile-input suite, and the three things
every hostile test needs from it: a way to call it (also with bytes no HTTP
client would send), the problem-document check, and a snapshot of everything
stored so that "a refused request changed nothing" is a plain equality.

The world is built once per test module and backend through the API itself:
every resource kind exists, so every route has a real path to aim at and a
hostile request reaches as deep as its body lets it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import anyio
from litestar.testing import TestClient

from content_hub.hub import Hub
from tests.hostile.seed import seed
from tests.hostile.state import KnownState, State, StateReader

PROBLEM_JSON = "application/problem+json"


class World:
    """The seeded hub: its client, a key per scope and the ids of what exists."""

    def __init__(self, client: TestClient[Any], secrets: Mapping[str, str]) -> None:
        self.client = client
        self.secrets = dict(secrets)
        self.ids = seed(client, self.auth("admin"))
        self.reader = StateReader(self.hub.settings.database.url)
        self.known = KnownState(self.reader, self._flush)
        self.versions: dict[str, bytes | None] = {}
        """ETags of resources by path, valid until something may have written."""

    # --- calling -------------------------------------------------------------

    @property
    def hub(self) -> Hub:
        hub: Hub = self.client.app.state.hub
        return hub

    def auth(self, scope: str | None) -> dict[str, str]:
        if scope is None:
            return {}
        return {"Authorization": f"Bearer {self.secrets[scope]}"}

    def raw(
        self,
        method: str,
        path: str,
        *,
        query: bytes = b"",
        headers: list[tuple[bytes, bytes]] = (),  # type: ignore[assignment]
        body: bytes = b"",
    ) -> RawResponse:
        """One request straight into the ASGI app: the query string and the
        headers go in as the given bytes, as an HTTP server passes on what a
        hostile client sent, not as an HTTP client would clean them up.
        ``path`` is the percent-encoded form on the wire; the decoded ``path``
        of the scope is made from it the way uvicorn does."""
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode("ascii"),
            "root_path": "",
            "query_string": query,
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "extensions": {},
            "state": {},
        }
        response = RawResponse()
        sent = False
        done: anyio.Event | None = None

        async def receive() -> dict[str, Any]:
            # like a server: the body, then a disconnect only once the answer
            # is complete (a streamed answer listens for it meanwhile), or,
            # for an event stream that never completes, once it sent an event
            nonlocal sent, done
            if sent:
                done = done or anyio.Event()
                if not response.read_enough:
                    await done.wait()
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Mapping[str, Any]) -> None:
            response.take(message)
            if response.read_enough and done is not None:
                done.set()

        try:
            self.client.blocking_portal.call(self.client.app, scope, receive, send)
        except Exception as exc:  # the app let an error escape: report, not raise
            response.error = f"{type(exc).__name__}: {exc}"[:2000]
        return response

    # --- what is stored ------------------------------------------------------

    def state(self) -> State:
        """Every stored row of every table, after writing the buffered events
        (they are flushed in the background, so an earlier successful render
        must not look like a change made by the request under test)."""
        return self.known.read()[0]

    def _flush(self) -> None:
        if self.hub.events.depth:
            self.client.blocking_portal.call(self.hub.events.flush)

    def state_before(self) -> State:
        """The stored state as a refused request left it (reused: a refusal
        changes nothing, so the state after one is the state before the next),
        or read afresh after anything that may have written."""
        return self.known.current()[0]

    def refused(self, before: State, what: str) -> None:
        """Check that a refused request (or a read) changed nothing,
        remembering the state; the rows are read again only if something was
        committed since ``before`` was read (:class:`KnownState`)."""
        known = self.known.current()
        at = known[1] if before is known[0] else None  # None: read the rows
        try:
            self.known.unchanged((before, at), what)
        except AssertionError:
            self.versions.clear()
            raise

    def may_have_written(self) -> None:
        """Forget what is known of the stored state (and the versions in it)."""
        self.known.forget()
        self.versions.clear()


class RawResponse:
    """What the ASGI app sent back for :meth:`World.raw`."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""
        self.error: str | None = None
        """An exception the app raised instead of (or while) answering."""
        self.complete = False

    @property
    def read_enough(self) -> bool:
        """Complete, or an event stream (``/sub``) with its first event: a
        client of one reads on, this one hangs up there."""
        stream = self.headers.get("content-type", "").startswith("text/event-stream")
        return self.complete or (stream and b"\n\n" in self.body)

    def take(self, message: Mapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in message.get("headers", [])
            }
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
            self.complete = not message.get("more_body", False)

    @classmethod
    def of(cls, response: Any) -> RawResponse:
        """The same view of an ``httpx`` response."""
        raw = cls()
        raw.status = response.status_code
        raw.headers = {k.lower(): v for k, v in response.headers.items()}
        raw.body = response.content
        return raw


def assert_problem(response: RawResponse, what: str = "") -> None:
    """No 5xx; every 4xx is an RFC 9457 problem document."""
    status, headers, body = response.status, response.headers, response.body
    assert response.error is None, f"{what}: the app raised {response.error}"
    assert 100 <= status < 500, f"{what}: {status}: {body[:2000]!r}"
    if status < 400:
        return
    content_type = headers.get("content-type", "")
    assert content_type.startswith(PROBLEM_JSON), (
        f"{what}: {status} with content-type {content_type!r}: {body[:500]!r}"
    )
    problem = json.loads(body)
    assert isinstance(problem, dict), problem
    assert isinstance(problem.get("type"), str) and problem["type"], problem
    assert isinstance(problem.get("title"), str) and problem["title"], problem
    assert problem.get("status") == status, problem
