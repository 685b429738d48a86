"""The batch render reads recipients line by line: a bad line — not JSON, too
deep, too long, the wrong shape — gets its own error line and the rest go on;
every input line has exactly one output line, in order; the body limits are
413 problems. Through the app (``TestClient``), and the input side alone."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.api.batch_input import Inbox, Lines
from content_hub.settings import BatchSettings, Settings
from tests.app_cache import app_for
from tests.content_hub.bodies_support import assert_problem, nested
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer

LIMITS = BatchSettings(
    max_line_bytes=2048, max_body_bytes=300_000, max_array_bytes=20_000
)
GOOD = st.builds(
    lambda i, name: {"customer": {"id": f"c-{i}", "attributes": {"first_name": name}}},
    st.integers(0, 10**6),
    st.text(max_size=20),
)
# (line, the slug of its error or None when it renders)
LINES = st.one_of(
    GOOD.map(lambda d: (json.dumps(d).encode(), None)),
    st.sampled_from(
        [
            (b"not json", "invalid-request"),
            (b'{"customer": {"id": 5}}', "invalid-request"),
            (b'{"customer": {}, "bogus": 1}', "invalid-request"),
            (b"[]", "invalid-request"),
            (b'{"customer": {}, "locale": "fr"}', "locale-not-configured"),
            (b"\xff\xfe", "invalid-request"),
            (b'{"customer": {"attributes": {"n": 1e999}}}', "invalid-request"),
        ]
    ),
    st.integers(65, 1000).map(lambda d: (nested(d, "array"), "body-too-deep")),
    st.integers(0, 500).map(
        lambda n: (
            b'{"customer": {"id": "' + b"x" * (LIMITS.max_line_bytes + n) + b'"}}',
            "line-too-large",
        )
    ),
)
BLANK = st.sampled_from([b"", b"  ", b"\r", b"\t "])


@pytest.fixture
def batch_client(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    small = msgspec.structs.replace(settings, batch=LIMITS)
    with TestClient(app_for(small)) as client:
        yield client


@pytest.fixture
def offer(batch_client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    return build_offer(batch_client, keys.headers("admin"))


def _batch(
    client: TestClient[Any], keys: Keys, offer: dict[str, Any], body: bytes, ct: str
) -> Any:
    return client.post(
        "/render/v1/render/batch",
        params={"entry_id": offer["id"], "channel": "email"},
        content=body,
        headers=keys.headers("render", **{"Content-Type": ct}),
    )


def _check(lines: list[dict[str, Any]], expected: list[str | None]) -> None:
    assert [line["index"] for line in lines] == list(range(len(expected)))
    for line, slug in zip(lines, expected, strict=True):
        if slug is None:
            assert line["ok"] is True, line
            assert line["render"]["output"]["subject"]
        else:
            assert line["ok"] is False
            assert line["error"]["type"].endswith("/" + slug), line
            assert line["error"]["status"] in (400, 413)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    items=st.lists(
        st.tuples(LINES, st.lists(BLANK, max_size=2)), min_size=10, max_size=80
    ),
    newline=st.sampled_from([b"\n", b"\r\n"]),
    final_newline=st.booleans(),
)
def test_bad_lines_get_their_own_line_and_the_rest_go_on(
    batch_client: TestClient[Any],
    keys: Keys,
    offer: dict[str, Any],
    items: list[tuple[tuple[bytes, str | None], list[bytes]]],
    newline: bytes,
    final_newline: bool,
) -> None:
    raw = [line for (line, _), blanks in items for line in (*blanks, line)]
    body = newline.join(raw) + (newline if final_newline else b"")
    r = _batch(batch_client, keys, offer, body, "application/x-ndjson")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    _check([json.loads(x) for x in r.text.splitlines()], [s for (_, s), _ in items])


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.lists(GOOD | st.sampled_from([{"customer": 1}, [], "x", None]), max_size=30))
def test_a_json_array_in_order(
    batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any], items: list[Any]
) -> None:
    r = _batch(
        batch_client, keys, offer, json.dumps(items).encode(), "application/json"
    )
    assert r.status_code == 200, r.text
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [line["index"] for line in lines] == list(range(len(items)))
    for line, item in zip(lines, items, strict=True):
        good = isinstance(item, dict) and isinstance(item["customer"], dict)
        assert line["ok"] is good, line
        if not good:
            assert line["error"]["type"].endswith("/invalid-request")


class TestLimits:
    def test_a_body_over_the_limit_is_413_before_any_line(
        self, batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        line = json.dumps({"customer": {"id": "c"}}).encode()
        body = b"\n".join([line] * (LIMITS.max_body_bytes // len(line) + 1))
        r = _batch(batch_client, keys, offer, body, "application/x-ndjson")
        problem = assert_problem(r, 413, "body-too-large")
        assert problem["max_body_bytes"] == LIMITS.max_body_bytes
        assert "CONTENT_HUB_BATCH_MAX_BODY_BYTES" in problem["detail"]

    def test_a_json_array_over_its_limit_is_413(
        self, batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        items = [{"customer": {"id": f"c-{i}"}} for i in range(1000)]
        r = _batch(
            batch_client, keys, offer, json.dumps(items).encode(), "application/json"
        )
        problem = assert_problem(r, 413, "body-too-large")
        assert "CONTENT_HUB_BATCH_MAX_ARRAY_BYTES" in problem["detail"]

    def test_a_json_body_that_is_not_an_array_or_too_deep_is_400(
        self, batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        for body, slug in [
            (b'{"customer": {}}', "bad-request"),
            (nested(100, "array"), "body-too-deep"),
            (b"[1,", "invalid-request"),
            (b"", "bad-request"),
        ]:
            r = _batch(batch_client, keys, offer, body, "application/json")
            assert_problem(r, 400, slug)

    def test_other_media_types_are_415(
        self, batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        for ct in ("text/plain", "application/xml", "text/csv", ""):
            r = _batch(batch_client, keys, offer, b'{"customer": {}}', ct)
            problem = assert_problem(r, 415, "unsupported-media-type")
            assert "application/x-ndjson" in problem["accepted"]

    def test_an_empty_ndjson_body_is_an_empty_answer(
        self, batch_client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = _batch(batch_client, keys, offer, b"\n\n", "application/x-ndjson")
        assert (r.status_code, r.text) == (200, "")


# The input side alone: any split of the stream into chunks, any spill.


@given(
    lines=st.lists(
        st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30
    ),
    cuts=st.lists(st.integers(0, 2000), max_size=20),
    memory=st.integers(0, 64),
    limit=st.integers(1, 30),
)
def test_lines_survive_any_chunking_and_spilling(
    lines: list[bytes], cuts: list[int], memory: int, limit: int
) -> None:
    stream = b"\n".join(lines)
    points = sorted({0, len(stream), *(c % (len(stream) + 1) for c in cuts)})
    chunks = [stream[a:b] for a, b in itertools.pairwise(points)]
    inbox = Inbox(memory)
    splitter = Lines(limit)
    out: list[tuple[int, bytes | Exception]] = []
    try:
        for i, chunk in enumerate(chunks):
            inbox.put(chunk)
            if i % 2:  # take some while more arrives, like the renderer
                block = inbox.take()
                out += splitter.feed(block) if block is not None else []
        while (block := inbox.take()) is not None:
            out += splitter.feed(block)
        out += splitter.close()
    finally:
        inbox.close()
    # blank lines take no index; a line over the limit is an error even blank
    kept = [line for line in lines if len(line) > limit or not line.isspace()]
    kept = [line for line in kept if line]
    assert [index for index, _ in out] == list(range(len(kept)))
    for (_, got), want in zip(out, kept, strict=True):
        if len(want) > limit:
            assert isinstance(got, Exception)
        else:
            assert got == want


def test_the_inbox_wakes_its_reader() -> None:
    async def run() -> bytes:
        inbox = Inbox(0)
        waiter = asyncio.ensure_future(inbox.wait())
        await asyncio.sleep(0)
        inbox.put(b"abc")
        await waiter
        block = inbox.take()
        inbox.close()
        return block or b""

    assert asyncio.run(run()) == b"abc"
