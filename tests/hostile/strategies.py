"""Hypothesis strategies for hostile input: JSON texts no well-behaved client
sends (nested thousands deep, numbers past every range, lone surrogates, NUL
bytes, the wrong type in every position of a valid body), query strings and
headers of every odd shape.

Bodies are built as *text*: a hostile value is a raw JSON fragment spliced into
the encoding of a valid body, so that depths and literals Python's ``json``
module cannot produce (or would refuse) reach the server unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

_HOLE = "\x01hostile\x01"
_HOLE_JSON = json.dumps(_HOLE)


def splice(base: Any, path: tuple[Any, ...], fragment: str) -> str:
    """The JSON text of ``base`` with the value at ``path`` replaced by the raw
    JSON ``fragment`` (a path ending in a new key adds it)."""
    if not path:
        return fragment
    holed = _set(base, path, _HOLE)
    return json.dumps(holed).replace(_HOLE_JSON, fragment, 1)


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        copy[head] = _set(copy.get(head), rest, new) if rest else new
        return copy
    assert isinstance(value, list)
    copy = list(value)
    copy[head] = _set(copy[head], rest, new) if rest else new
    return copy


def positions(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every position of a JSON value: the root, each member and element, and
    for each object one key it does not have (unknown fields)."""
    yield path
    if isinstance(value, dict):
        yield (*path, "x_unknown")
        for key, item in value.items():
            yield from positions(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from positions(item, (*path, index))


# --- hostile JSON fragments ----------------------------------------------------

#: Literals at the edges of every numeric type, and a few JSON does not have.
NUMBERS = [
    "0",
    "-0",
    "-1",
    "0.5",
    "-0.0",
    "1e308",
    "-1e308",
    "1e999",
    "-1e999",
    "1e-400",
    "5e-324",
    str(2**31),
    str(2**53 + 1),
    str(2**63 - 1),
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "1" * 400,
    "9" * 5000,
    "-" + "9" * 5000,
    "1." + "0" * 5000 + "1",
    "1e" + "9" * 30,
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "01",
    "+1",
    ".5",
]

STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "x\udc80y",
    "\ufeff",
    "\u202e\u0644\u0627",
    "\U0001f600" * 50,
    "e\u0301" * 200,
    "\r\n\t\x0b\x0c\x1b",
    "{{ 7*7 }}",
    "{% for x in range(10) %}x{% endfor %}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "%00%ff",
    "$where",
    "__proto__",
    "2026-02-30",
    "0000-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+14:00",
    "2026-05-01T10:00:00",
    "topic:",
    ":",
    "chk_" + "A" * 43,
]


def string_literal(text: str) -> str:
    """A JSON string literal; lone surrogates become ``\\udXXX`` escapes."""
    return json.dumps(text)


def _repeat(text: str, size: int) -> str:
    return json.dumps((text * (size // max(len(text), 1) + 1))[:size])


def nested(depth: int, shape: str) -> str:
    """A value nested ``depth`` levels deep (arrays, objects or both)."""
    if shape == "array":
        return "[" * depth + "1" + "]" * depth
    if shape == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '{"a":[' * (depth // 2) + "1" + "]}" * (depth // 2)


depths = st.one_of(
    st.sampled_from([10, 64, 100, 256, 500, 1000, 5000, 10_000, 20_000]),
    st.integers(10, 20_000),
)
nesting = st.builds(nested, depths, st.sampled_from(["array", "object", "mixed"]))

leaves = st.one_of(
    st.sampled_from(
        ["null", "true", "false", "[]", "{}", '""', "[null]", '{"": null}']
    ),
    st.sampled_from(NUMBERS),
    st.sampled_from(STRINGS).map(string_literal),
    st.text(max_size=30).map(string_literal),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)

huge = st.one_of(
    st.builds(
        _repeat,
        st.sampled_from(["a", "\u00e9", "\U0001f600", "<b>"]),
        st.sampled_from([10_000, 100_000, 1_000_000]),
    ),
    st.sampled_from([10_000, 100_000]).map(lambda n: "[" + ",".join(["1"] * n) + "]"),
    st.sampled_from([10_000, 50_000]).map(
        lambda n: "{" + ",".join(f'"k{i}":{i}' for i in range(n)) + "}"
    ),
    st.sampled_from([1000, 4300, 100_000]).map(lambda n: "7" * n),
)


# --- hostile query strings and headers ------------------------------------------
#
# HTTP servers refuse a request line with bytes outside printable ASCII and
# header values with control characters (uvicorn answers 400 itself), so the
# hub only ever sees those bytes percent-encoded in a query, and high bytes
# (never controls) in a header: the strategies send what gets through.


def on_the_wire(query: bytes) -> bytes:
    """A query string as a server passes it on: every byte outside printable
    ASCII percent-encoded (stray ``%`` signs and ``%zz`` are left alone)."""
    return b"".join(
        bytes([b]) if 0x21 <= b <= 0x7E and b != 0x23 else b"%%%02X" % b for b in query
    )


def header_value(value: bytes) -> bytes:
    """A header value as a server accepts it: control characters dropped."""
    return bytes(b for b in value if b == 0x09 or 0x20 <= b != 0x7F)


_BYTES_VALUES = [
    b"",
    b"%00",
    b"%ff%fe",
    b"\xff\xfe",
    b"\xc3\x28",
    b"%ed%a0%80",
    b"\xed\xa0\x80",
    b"%e2%80%ae",
    b"\xe4\xb8\xad\xe6\x96\x87",
    b"%F0%9F%98%80",
    b"-1",
    b"0",
    b"1e999",
    b"NaN",
    b"99999999999999999999999999",
    b"true",
    b"[]",
    b"{}",
    b"%",
    b"%%",
    b"%zz",
    b"a=b",
    b"&&",
    b"%3D%26",
    b"+++",
    b"topic:%00",
    b"2026-13-45T99:99:99",
]
query_values = st.one_of(
    st.sampled_from(_BYTES_VALUES),
    st.binary(max_size=40),
    st.sampled_from([1000, 10_000, 100_000]).map(lambda n: b"x" * n),
    st.sampled_from([1000, 20_000]).map(lambda n: "\u00e9\U0001f600".encode() * n),
    st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


def query_strings(names: frozenset[str]) -> st.SearchStrategy[bytes]:
    """Query strings with the route's own parameter names (so values reach
    its validation), unknown ones, repeats and bytes that are not a query."""
    known = sorted(names) or ["q"]
    pair = st.tuples(
        st.one_of(
            st.sampled_from(known),
            st.sampled_from([b"", b"%00", b"\xff"]),
            st.binary(max_size=10),
        ),
        query_values,
    ).map(
        lambda kv: (kv[0].encode() if isinstance(kv[0], str) else kv[0]) + b"=" + kv[1]
    )
    short = st.one_of(st.sampled_from(_BYTES_VALUES), st.binary(max_size=10))
    repeated = st.tuples(
        st.sampled_from(known), short, st.sampled_from([2, 50, 1000])
    ).map(lambda t: b"&".join([t[0].encode() + b"=" + t[1]] * t[2]))
    return st.one_of(
        st.lists(pair, min_size=1, max_size=6).map(b"&".join),
        repeated,
        st.binary(min_size=1, max_size=200),
    ).map(on_the_wire)


#: Headers the hub reads itself: a hostile value for each is tried.
READ_HEADERS = [
    b"authorization",
    b"accept-language",
    b"if-none-match",
    b"if-match",
    b"x-request-id",
    b"accept",
    b"content-type",
    b"accept-encoding",
    b"origin",
    b"x-forwarded-for",
    b"cookie",
    b"range",
]

header_values = st.one_of(
    st.sampled_from(_BYTES_VALUES),
    st.binary(max_size=60),
    st.sampled_from([1000, 8000, 64_000]).map(lambda n: b"a" * n),
    st.sampled_from(
        [
            b"Bearer",
            b"Bearer ",
            b"Bearer  \t ",
            b"bearer chk_\xff\xfe",
            b"Basic dXNlcjpwYXNz",
            b"Bearer " + b"x" * 10_000,
            b"*",
            b'W/"1", "2", *',
            b'"' * 500,
            b"de;q=2, *;q=-1, en;q=abc, zz-ZZZZ-999;q=0.5",
            b",".join([b"de-CH"] * 500),
            b"\xe4\xb8\xad\xe6\x96\x87;q=0.9",
        ]
    ),
).map(header_value)


def header_sets(
    secret_header: tuple[bytes, bytes] | None,
) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    """Header lists: hostile values of the headers the hub reads, repeats
    (twice or a hundred times), and the route's valid key somewhere or not."""
    one = st.tuples(st.sampled_from(READ_HEADERS), header_values)
    repeated = st.tuples(
        st.sampled_from(READ_HEADERS), header_values, st.sampled_from([2, 100])
    ).map(lambda t: [(t[0], t[1])] * t[2])
    hostile_headers = st.one_of(st.lists(one, min_size=1, max_size=5), repeated)
    if secret_header is None:
        return hostile_headers
    return st.tuples(hostile_headers, st.booleans()).map(
        lambda t: [secret_header, *t[0]] if t[1] else [*t[0], secret_header]
    )
