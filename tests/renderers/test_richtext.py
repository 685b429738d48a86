"""Rich text and Markdown: sanitised HTML in HTML parts, plain text in text parts.

Examples pin the layout of the text conversion and what each channel prints;
``test_richtext_properties`` checks the safety promises on generated input.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from markupsafe import Markup

from renderers import (
    CardRenderer,
    CardTemplates,
    EmailRenderer,
    EmailTemplates,
    PushRenderer,
    PushTemplates,
    RenderRequest,
    SmsRenderer,
    SmsTemplates,
    WebRenderer,
    WebTemplates,
    html_to_text,
    markdown_html,
    rich_text,
    text_view,
)

# -- the text layout --------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>a<br>b</p>", "a\nb"),
        ("<h2>Title</h2><p>Body</p>", "Title\n\nBody"),
        ("<p>  many \n  spaces\tcollapse </p>", "many spaces collapse"),
        ("<p>a&nbsp;b &amp; c &lt;d&gt; &eacute; &#x27;</p>", "a\xa0b & c <d> é '"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        ('<ol start="7"><li>seven</li><li>eight</li></ol>', "7. seven\n8. eight"),
        (
            "<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>",
            "- a\n  - a1\n  - a2\n- b",
        ),
        ("<p>Intro</p><ul><li>x</li></ul><p>Outro</p>", "Intro\n\n- x\n\nOutro"),
        (
            '<p>See <a href="https://x.example/t">the terms</a>.</p>',
            "See the terms (https://x.example/t).",
        ),
        ('<a href="https://x.example">https://x.example</a>', "https://x.example"),
        ('<a href="mailto:hi@x.example">write us</a>', "write us (hi@x.example)"),
        ('<a href="tel:+4930123">+4930123</a>', "+4930123"),
        ('<a href="/relative">relative</a> <a href="#top">top</a>', "relative top"),
        ('<a href="https://x.example/i"><img src="i.png"></a>', "https://x.example/i"),
        ('<p><img src="bike.png" alt="A red bike"> on sale</p>', "A red bike on sale"),
        ("<blockquote><p>Quoted</p></blockquote><p>After</p>", "> Quoted\n\nAfter"),
        ("<pre>  a\n    b</pre>", "  a\n    b"),
        (
            "<table><tr><th>Model</th><th>Range</th></tr>"
            "<tr><td>City One</td><td>80 km</td></tr></table>",
            "Model | Range\nCity One | 80 km",
        ),
        ("<p>a</p><hr><p>b</p>", "a\n\n----\n\nb"),
        ("<p>x<script>alert(1)</script><style>p{}</style>y</p>", "xy"),
        ("<p>bold <strong>and</strong> <em>em</em>phasis</p>", "bold and emphasis"),
        ("", ""),
        ("plain text", "plain text"),
    ],
)
def test_html_as_text(source: str, text: str) -> None:
    assert html_to_text(source) == text


@pytest.mark.parametrize(
    ("source", "html_part", "text"),
    [
        ("# Title\n\nBody", "<h1>Title</h1>\n<p>Body</p>", "Title\n\nBody"),
        (
            "**bold** and *em*",
            "<p><strong>bold</strong> and <em>em</em></p>",
            "bold and em",
        ),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "- a\n- b"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>", "1. a\n2. b"),
        (
            "[terms](https://x.example/t)",
            '<p><a href="https://x.example/t" rel="noopener noreferrer">terms</a></p>',
            "terms (https://x.example/t)",
        ),
        ("a <b>b</b> <script>x</script>", "<p>a <b>b</b> </p>", "a b"),
        (
            "[x](javascript:alert(1))",
            "<p>[x](javascript:alert(1))</p>",
            "[x](javascript:alert(1))",
        ),
        ("<img src=x onerror=alert(1)>", '<img src="x">', ""),
        ("AT&amp;T &lt;3", "<p>AT&amp;T &lt;3</p>", "AT&T <3"),
        ("`code`", "<p><code>code</code></p>", "code"),
    ],
)
def test_markdown(source: str, html_part: str, text: str) -> None:
    assert markdown_html(source).strip() == html_part
    assert isinstance(markdown_html(source), Markup)
    assert html_to_text(markdown_html(source)) == text


def test_rich_text_is_sanitised_markup() -> None:
    out = rich_text(
        '<p onclick="x">a<script>b</script><a href="javascript:y">c</a></p>'
    )
    assert isinstance(out, Markup)
    assert out == '<p>a<a rel="noopener noreferrer">c</a></p>'


# -- every channel: HTML parts get HTML, text parts get text ----------------

BODY = rich_text(
    "<p>Ride <strong>further</strong>:</p><ul><li>500 Wh</li><li>80 km</li></ul>"
)
TERMS = markdown_html("Valid until **31 May**. [Terms](https://x.example/t)")
FIELDS: dict[str, Any] = {"title": "Spring", "body": BODY, "terms": TERMS}
BODY_TEXT = "Ride further:\n\n- 500 Wh\n- 80 km"
TERMS_TEXT = "Valid until 31 May. Terms (https://x.example/t)"


@pytest.mark.parametrize("explicit", [True, False])
class TestChannels:
    """With the text view passed (as the hub does) or derived by the library."""

    def request(self, explicit: bool) -> RenderRequest:
        text = text_view(FIELDS) if explicit else None
        return RenderRequest(fields=dict(FIELDS), text_fields=text)

    def test_web(self, explicit: bool) -> None:
        out = WebRenderer(
            "w", 1, WebTemplates(html="{{ fields.body }}{{ fields.terms }}")
        ).render(self.request(explicit))
        assert "<strong>further</strong>" in out.html and "<li>80 km</li>" in out.html
        assert "<strong>31 May</strong>" in out.html
        assert "&lt;" not in out.html
        assert out.data["fields"]["body"] == BODY

    def test_email(self, explicit: bool) -> None:
        templates = EmailTemplates(
            subject="{{ fields.title }}: {{ fields.terms }}",
            preheader="{{ fields.body | truncate(30) }}",
            html="<html><head><style>li { color: #123456; }</style></head><body>"
            "{{ fields.body }}{{ fields.terms }}</body></html>",
            text="{{ fields.body }}\n\n{{ fields.terms }}",
        )
        out = EmailRenderer("e", 1, templates).render(self.request(explicit))
        assert "<strong>further</strong>" in out.html
        assert re.search(r'<li style="color: ?#123456;?">500 Wh</li>', out.html)
        assert out.text == f"{BODY_TEXT}\n\n{TERMS_TEXT}"
        assert out.subject == "Spring: " + TERMS_TEXT
        assert out.preheader.startswith("Ride further:") and "<" not in out.preheader

    def test_push_sms_and_card(self, explicit: bool) -> None:
        request = self.request(explicit)
        push = PushRenderer(
            "p", 1, PushTemplates(title="{{ fields.title }}", body="{{ fields.body }}")
        ).render(request)
        assert push.body == BODY_TEXT
        sms = SmsRenderer("s", 1, SmsTemplates(text="{{ fields.terms }}")).render(
            request
        )
        assert sms.text == TERMS_TEXT
        card = CardRenderer(
            "c", 1, CardTemplates(title="{{ fields.title }}", body="{{ fields.body }}")
        ).render(request)
        assert card.body == BODY_TEXT


def test_an_explicit_text_view_is_what_text_parts_print() -> None:
    request = RenderRequest(
        fields={"body": BODY}, text_fields={"body": "kept as given"}
    )
    push = PushRenderer("p", 1, PushTemplates(title="t", body="{{ fields.body }}"))
    assert push.render(request).body == "kept as given"


def test_text_view_is_the_same_dict_without_markup() -> None:
    fields = {"title": "x", "n": 1}
    assert text_view(fields) is fields
    assert text_view({"b": BODY}) == {"b": BODY_TEXT}
