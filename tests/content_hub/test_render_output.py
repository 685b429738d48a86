"""``encode_render`` and ``with_output_json``: a render with its channel output
already encoded gives the same bytes as encoding the whole render document,
alone or inside another (a batch line)."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from content_hub.live.render_output import (
    DecisionOut,
    RenderOut,
    encode_render,
    with_output_json,
)

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)
    ),
    max_leaves=20,
)
_outputs = st.dictionaries(
    st.sampled_from(["html", "text", "subject", "preheader", "data", "title", "body"]),
    _json,
    max_size=5,
)


@st.composite
def _renders(draw: st.DrawFn) -> RenderOut:
    trace: list[dict[str, Any]] = draw(
        st.lists(st.dictionaries(_text, _scalars, max_size=3), max_size=3)
    )
    return RenderOut(
        entry_id=draw(_text),
        type="offer",
        key=draw(_text),
        version=draw(st.integers(1, 10**6)),
        channel=draw(st.sampled_from(["web", "email", "push", "in_app", "sms"])),
        locale=draw(st.sampled_from(["en", "de-CH", "ar", "zh-Hant"])),
        variant=draw(_text),
        decision=DecisionOut(
            rule_id=draw(st.none() | _text),
            reason=draw(_text),
            hash_value=draw(st.none() | _text),
            variation_index=draw(st.none() | st.integers(0, 5)),
            trace=trace,
        ),
        field_locales=draw(st.dictionaries(_text, st.none() | _text, max_size=3)),
        output=draw(_outputs),
        warnings=draw(st.lists(st.dictionaries(_text, _text, max_size=2), max_size=2)),
        etag=f'"{draw(_text)}"',
        request_id=draw(st.none() | _text),
    )


@settings(max_examples=300)
@given(_renders())
def test_encode_render_is_the_document_encoded(out: RenderOut) -> None:
    encoded = msgspec.json.encode(out.output)
    assert encode_render(out, msgspec.Raw(encoded)) == msgspec.json.encode(out)
    # Inside another document too (a batch's NDJSON line holds the render).
    line = {"index": 3, "ok": True, "render": out}
    copy = line | {"render": with_output_json(out, msgspec.Raw(encoded))}
    assert msgspec.json.encode(copy) == msgspec.json.encode(line)


def test_the_output_is_sent_as_given() -> None:
    """The ``Raw`` is what goes out (it is not encoded from the dict again),
    and the struct the caller holds keeps its dict."""
    out = RenderOut(
        entry_id="e",
        type="offer",
        key="k",
        version=1,
        channel="web",
        locale="en",
        variant="baseline",
        decision=DecisionOut(rule_id=None, reason="default"),
        field_locales={},
        output={"html": Markup("<p>é</p>")},
        warnings=[],
        etag='"x"',
    )
    sent = encode_render(out, msgspec.Raw(b'{"html":"<p>\xc3\xa9</p>"}'))
    assert msgspec.json.decode(sent)["output"] == {"html": "<p>é</p>"}
    assert out.output == {"html": Markup("<p>é</p>")}
    other = encode_render(out, msgspec.Raw(b'{"html":"other"}'))
    assert msgspec.json.decode(other)["output"] == {"html": "other"}
