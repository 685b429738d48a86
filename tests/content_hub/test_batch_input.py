"""The batch's NDJSON source hands on every recipient once, in order,
whatever the timing between the request body arriving and the renderer.

Seen in CI under load: while the source was suspended handing a chunk to the
renderer, the rest of the body arrived and the reader marked it complete; on
resuming, the source saw "finished" and stopped, so the lines still in its
inbox were lost and the partial one was answered "Input data was truncated".
Generated here: any split of the body into network chunks, any pauses of the
reader and of the renderer, spilled to disk or not.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from content_hub.api import batch, batch_input
from content_hub.api.batch import ndjson_source
from content_hub.domain.render import BatchItemIn
from content_hub.settings import BatchSettings


def _body(count: int) -> bytes:
    return b"".join(
        b'{"customer": {"id": "c-%d", "attributes": {"n": "%s"}}}\n'
        % (i, b"x" * (i % 50))
        for i in range(count)
    )


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(1, 700),
    cuts=st.lists(st.integers(1, 40_000), min_size=1, max_size=30),
    reader_pauses=st.lists(st.sampled_from([0, 0, 0, 1, 3]), min_size=1, max_size=30),
    renderer_pauses=st.lists(st.sampled_from([0, 1, 5, 20]), min_size=1, max_size=10),
    spill=st.sampled_from([64, 4096, 1 << 22]),
)
def test_every_line_comes_out_once_in_order(
    count: int,
    cuts: list[int],
    reader_pauses: list[int],
    renderer_pauses: list[int],
    spill: int,
) -> None:
    body = _body(count)
    pieces: list[bytes] = []
    at = 0
    for cut in cuts * (len(body) // sum(cuts) + 1):
        if at >= len(body):
            break
        pieces.append(body[at : at + cut])
        at += cut

    async def scenario() -> list[int]:
        sent = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            for _ in range(reader_pauses[sent % len(reader_pauses)]):
                await asyncio.sleep(0)
            if sent < len(pieces):
                sent += 1
                return {
                    "type": "http.request",
                    "body": pieces[sent - 1],
                    "more_body": sent < len(pieces),
                }
            await asyncio.sleep(3600)  # no disconnect while the answer streams
            raise AssertionError("unreachable")

        limits = BatchSettings(max_line_bytes=8192, max_body_bytes=64 << 20)
        seen: list[int] = []
        chunks = ndjson_source(limits)(receive)  # type: ignore[arg-type]
        n = 0
        async for chunk in chunks:
            for index, item in chunk:
                assert isinstance(item, BatchItemIn), (index, item)
                assert item.customer.id == f"c-{index}"
                seen.append(index)
            for _ in range(renderer_pauses[n % len(renderer_pauses)]):
                await asyncio.sleep(0)  # the reader runs meanwhile
            n += 1
        return seen

    batch.Inbox = functools.partial(batch_input.Inbox, memory=spill)  # type: ignore[misc]
    try:
        seen = asyncio.run(scenario())
    finally:
        batch.Inbox = batch_input.Inbox  # type: ignore[misc]
    assert seen == list(range(count))
