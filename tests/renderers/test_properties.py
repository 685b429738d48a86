"""Property tests: segment arithmetic, grapheme truncation, push fit, links."""

from __future__ import annotations

import math

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import (
    Customer,
    PayloadTooLargeError,
    PushRenderer,
    PushTemplates,
    RenderRequest,
    count_sms,
    graphemes,
    truncate_graphemes,
)
from renderers._gsm import GSM7_BASIC, GSM7_EXTENDED
from renderers._links import LinkDecorator

GSM_CHARS = "".join(sorted(GSM7_BASIC | GSM7_EXTENDED))
EMOJI = st.sampled_from(
    [
        "😀",
        "👍🏽",
        "👨\u200d👩\u200d👧",
        "🇩🇪",
        "e\u0301",
        "각",
        "ж",
        "夏",
        "ت",
        "€",
        "a",
    ]
)
TEXTS = st.one_of(
    st.text(alphabet=GSM_CHARS, max_size=700),
    st.text(max_size=400),
    st.lists(EMOJI, max_size=300).map("".join),
)


@settings(deadline=None)
@given(TEXTS)
def test_segment_counts_obey_the_limits(text: str) -> None:
    count = count_sms(text)
    gsm = all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)
    assert (count.encoding == "GSM-7") is gsm
    if gsm:
        assert count.units == len(text) + sum(c in GSM7_EXTENDED for c in text)
        single, multi = 160, 153
    else:
        assert count.units == len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if count.units == 0:
        assert count.segments == 0
    elif count.units <= single:
        assert count.segments == 1
    else:
        # never fewer than the plain division, at most one unit lost per segment
        assert math.ceil(count.units / multi) <= count.segments
        assert count.segments <= math.ceil(count.units / (multi - 1))


@settings(deadline=None)
@given(st.lists(EMOJI, max_size=200).map("".join), st.integers(0, 250))
def test_truncation_never_splits_a_grapheme(text: str, limit: int) -> None:
    out = truncate_graphemes(text, limit)
    clusters = graphemes(out)
    assert len(clusters) <= max(limit, 0)
    body = clusters[:-1] if out != text and out.endswith("\u2026") else clusters
    assert (
        body == graphemes(text)[: len(body)]
        or "".join(body) == "".join(graphemes(text)[: len(body)]).rstrip()
    )


PUSH = PushRenderer(
    "prop-push",
    1,
    PushTemplates(
        title="{{ fields.title }}",
        body="{{ fields.body }}",
        data={"x": "{{ fields.data }}"},
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=300),
    body=st.one_of(st.text(max_size=6000), st.lists(EMOJI, max_size=3000).map("".join)),
    data=st.text(alphabet='ab"\\\n€', max_size=3000),
)
def test_push_always_fits_or_is_refused(title: str, body: str, data: str) -> None:
    request = RenderRequest(
        fields={"title": title, "body": body, "data": data}, customer=Customer()
    )
    try:
        out = PUSH.render(request)
    except PayloadTooLargeError:  # custom data alone too big: refused, fine
        return
    assert len(out.apns) <= 4096 and len(out.fcm) <= 4096
    msgspec.json.decode(out.apns)
    kept = graphemes(out.body)
    if out.truncated and kept and kept[-1] == "\u2026":
        kept = kept[:-1]
    original = graphemes(body.strip())
    assert "".join(kept).rstrip() == "".join(original[: len(kept)]).rstrip()


URLS = st.builds(
    lambda host, path, query: (
        f"https://{host}.example/{path}" + (f"?{query}" if query else "")
    ),
    st.text(alphabet="abc", min_size=1, max_size=5),
    st.text(alphabet="abc/-", max_size=10),
    st.sampled_from(["", "a=1", "utm_source=own", "a=1&b=&c=%20"]),
)


@settings(deadline=None)
@given(URLS)
def test_link_decoration_keeps_params_and_is_idempotent(url: str) -> None:
    links = LinkDecorator({"source": "hub", "medium": "email"}, {"cid": "42"})
    once = links.url(url)
    assert links.url(once) == once
    assert once.startswith(url)
    assert "utm_medium=email" in once and "cid=42" in once
    if "utm_source=own" in url:
        assert "utm_source=hub" not in once
