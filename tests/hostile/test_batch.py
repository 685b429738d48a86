"""The batch render with hostile recipients: one bad NDJSON line (nested
thousands deep, not JSON, not UTF-8, the wrong shape, huge) gets its own
``ok: false`` line with a problem document and every other line is rendered,
in input order. The README promises it: a bad recipient never fails the batch.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.attack import attack
from tests.hostile.conftest import budget
from tests.hostile.routes import app_routes
from tests.hostile.strategies import huge, nested
from tests.hostile.world import World

BATCH = next(r for r in app_routes() if r.label == "POST /render/v1/render/batch")
NDJSON = b"application/x-ndjson"

good_lines = st.builds(
    lambda i, score: json.dumps(
        {"customer": {"id": f"c{i}", "attributes": {"lead_score": score}}}
    ).encode(),
    st.integers(0, 10**6),
    st.integers(0, 100),
)


def _deep_line(depth: int, shape: str, where: str) -> bytes:
    """A recipient with a value nested ``depth`` levels where anything goes
    (attributes, context extras), so that only the depth makes it bad."""
    value = nested(depth, shape)
    if where == "attributes":
        return f'{{"customer": {{"id": "d", "attributes": {{"a": {value}}}}}}}'.encode()
    return f'{{"customer": {{"id": "d"}}, "context": {{"extra": {{"a": {value}}}}}}}'.encode()


bad_lines = st.one_of(
    st.builds(
        _deep_line,
        st.sampled_from([5_000, 20_000]),
        st.sampled_from(["array", "object", "mixed"]),
        st.sampled_from(["attributes", "context"]),
    ),
    st.builds(lambda d: nested(d, "object").encode(), st.sampled_from([1_000, 20_000])),
    st.sampled_from(
        [
            b"{",
            b"not json",
            b'{"customer": {"id": "\xff\xfe"}}',
            b"\xc3\x28",
            b"[]",
            b"1",
            b"null",
            b'"text"',
            b'{"customer": []}',
            b'{"customer": {"id": 5}}',
            b'{"customer": {}, "extra": 1}',
            b'{"customer": {"id": "a\\u0000"}}',
            b'{"customer": {"id": "\\ud800"}}',
        ]
    ),
    huge.map(lambda v: b'{"customer": {"id": ' + v.encode() + b"}}"),  # id: 200 chars
)


@budget(15)
@given(
    lines=st.lists(
        st.tuples(st.booleans(), good_lines, bad_lines), min_size=1, max_size=8
    ),
    newline=st.sampled_from([b"\n", b"\r\n"]),
    blank=st.booleans(),
)
def test_a_bad_line_fails_only_itself(
    world: World, lines: list[tuple[bool, bytes, bytes]], newline: bytes, blank: bool
) -> None:
    sent = [good if ok else bad for ok, good, bad in lines]
    body = newline.join(sent) + (newline * 2 if blank else b"")
    response = attack(world, BATCH, body, content_type=NDJSON)
    if response.status == 413:  # over the per-request limit: one problem
        return
    assert response.status == 200, response.body[:300]
    out = [json.loads(line) for line in response.body.splitlines() if line.strip()]
    assert [line["index"] for line in out] == list(range(len(sent))), out
    for (ok, _, _), line in zip(lines, out, strict=True):
        assert line["ok"] is ok, line
        if not ok:
            _assert_problem(line["error"])


def _assert_problem(problem: dict[str, Any]) -> None:
    assert isinstance(problem.get("type"), str), problem
    assert isinstance(problem.get("title"), str), problem
    assert 400 <= problem.get("status", 0) < 500, problem


def test_a_twenty_megabyte_line_is_a_line_error_or_a_413(world: World) -> None:
    """One recipient line of 20 MB between two good ones: refused alone (the
    others render) or, past the per-request limit, the request is a 413."""
    big = b'{"customer": {"id": "' + b"x" * 20_000_000 + b'"}}'
    body = b"\n".join([b'{"customer": {"id": "a"}}', big, b'{"customer": {"id": "b"}}'])
    response = attack(world, BATCH, body, content_type=NDJSON)
    if response.status == 413:
        return
    assert response.status == 200, response.body[:300]
    out = [json.loads(line) for line in response.body.splitlines()]
    assert [line["ok"] for line in out] == [True, False, True]
