"""Rich text and Markdown on generated documents: random trees of tags
(scripts, frames, forms, event handlers, ``javascript:`` URLs in many
spellings, entities) and Markdown around them. For every input the HTML has
no script, no unsafe element, no ``on*`` or ``style`` attribute and no URL
scheme but http(s), mailto and tel; the text has no tag and no entity left.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import html_to_text, markdown_html, rich_text

_TAGS = [
    "p",
    "div",
    "span",
    "a",
    "b",
    "em",
    "ul",
    "ol",
    "li",
    "h1",
    "h3",
    "table",
    "tr",
    "td",
]
_TAGS += [
    "blockquote",
    "pre",
    "img",
    "br",
    "script",
    "style",
    "iframe",
    "svg",
    "object",
]
_TAGS += ["form", "input", "math", "template", "noscript", "textarea", "select"]
_ATTRS = [
    ("href", "javascript:alert(1)"),
    ("href", " JaVaScRiPt:alert(1)"),
    ("href", "java&#x09;script:alert(1)"),
    ("href", "&#106;avascript:alert(1)"),
    ("href", "https://ok.example/?a=1&b=2"),
    ("href", "data:text/html;base64,PHNjcmlwdD4="),
    ("src", "javascript:alert(1)"),
    ("src", "https://ok.example/i.png"),
    ("onclick", "alert(1)"),
    ("onerror", "alert(1)"),
    ("onmouseover", "alert(1)"),
    ("style", "background:url(javascript:alert(1))"),
    ("alt", "an &quot;image&quot;"),
    ("title", 'x" onclick="alert(1)'),
]
_WORDS = st.sampled_from(
    [
        "Ride",
        "further",
        "&amp;",
        "&eacute;",
        "&#8364;",
        "&nbsp;",
        "&quot;",
        "5 > 3",
        " ",
        "\n",
    ]
)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        if depth >= 4 or draw(st.booleans()):
            parts.append(draw(_WORDS))
            continue
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.lists(st.sampled_from(_ATTRS), max_size=3))
        attr_text = "".join(f' {k}="{v}"' for k, v in attrs)
        inner = draw(documents(depth + 1))
        closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()}>"]))
        parts.append(f"<{tag}{attr_text}>{inner}{closing}")
    return "".join(parts)


class _Markup(HTMLParser):
    """Every tag and attribute of a document, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


_UNSAFE_TAGS = {"script", "style", "iframe", "svg", "object", "form", "input", "math"}
_UNSAFE_TAGS |= {"template", "noscript", "textarea", "select"}
_SCHEME = re.compile(r"^[\x00-\x20]*([a-z][a-z0-9+.\-]*):", re.I)


def assert_safe_html(out: str) -> None:
    parser = _Markup()
    parser.feed(out)
    parser.close()
    assert not _UNSAFE_TAGS & set(parser.tags), out
    for name, value in parser.attrs:
        assert not name.startswith("on"), out
        assert name != "style", out
        scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value))
        if name in ("href", "src") and scheme:
            assert scheme.group(1).lower() in {"http", "https", "mailto", "tel"}, out
    assert "javascript:" not in out.lower(), out  # no scheme text survives either
    assert "<script" not in out.lower(), out


def assert_plain_text(text: str) -> None:
    assert re.search(r"<[A-Za-z/!?]", text) is None, text
    assert re.search(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);", text) is None, text


@settings(max_examples=400, deadline=None)
@given(documents())
def test_generated_rich_text_is_safe_html_and_plain_text(source: str) -> None:
    out = rich_text(source)
    assert_safe_html(out)
    assert_safe_html(rich_text(out))  # stored sanitised, sanitised again to render
    assert_plain_text(html_to_text(source))
    assert_plain_text(html_to_text(out))


_MARKDOWN_PIECES = [
    *("# T", "**b**", "*e*", "- item", "1. item", "> quote", "`c`", "\n\n"),
    *("[x](javascript:alert(1))", "[y](https://ok.example)", "![i](x.png)"),
    *("<https://auto.example>", "&amp;", "&copy;", "    code"),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            documents().map(lambda d: " ".join(d.split())),  # no code indentation
            st.sampled_from(_MARKDOWN_PIECES),
        ),
        max_size=6,
    ).map("\n".join)
)
def test_generated_markdown_is_safe_html_and_plain_text(source: str) -> None:
    out = markdown_html(source)
    _assert_safe_html_markup(out)
    assert_plain_text(html_to_text(out))


def _assert_safe_html_markup(out: str) -> None:
    """As :func:`assert_safe_html`, except that Markdown text may literally say
    ``javascript:`` (a refused link stays as text): only markup is checked."""
    parser = _Markup()
    parser.feed(out)
    parser.close()
    assert not _UNSAFE_TAGS & set(parser.tags), out
    for name, value in parser.attrs:
        assert not name.startswith("on") and name != "style", out
        assert not html.unescape(value).strip().lower().startswith("javascript"), out
    assert "<script" not in out.lower(), out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_converts_without_error(source: str) -> None:
    for out in (rich_text(source), markdown_html(source)):
        _assert_safe_html_markup(out)
        html_to_text(out)
    html_to_text(source)
