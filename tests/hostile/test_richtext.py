"""Hostile rich text and markdown (issue 13, section 4): whatever markup an
editor saves in a ``rich_text`` or ``markdown`` field, a rendered HTML part
holds nothing active (no script, no event handler, no ``javascript:`` URL),
and an HTML part shows the formatting as HTML, a text part as plain text.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.attack import attack, current_version, publish_template
from tests.hostile.conftest import budget
from tests.hostile.routes import Route, app_routes
from tests.hostile.world import World

ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "style",
    "svg",
    "math",
    "template",
    "noscript",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<svg onload=alert(1)><circle/></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript://">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<p title="</p><script>alert(1)</script>">x</p>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x](http://a.example "onmouseover=alert(1)")',
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "**bold** _em_ `code` <b>b</b> <i>i</i>",
    "<p>Hi <b>there</b></p>",
    "a < b & c > d",
    "\u202e<b>rtl</b>",
]

payloads = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("\n".join)


class _Active(HTMLParser):
    """Collects everything active in an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            text = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in URL_ATTRIBUTES and text.startswith(BAD_SCHEMES):
                self.found.append(f"{tag} {name}={value!r}")
            if name == "style" and "javascript:" in text:
                self.found.append(f"{tag} style={value!r}")


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    parser.close()
    return parser.found


def _route(label: str) -> Route:
    return next(r for r in app_routes() if r.label == label)


@pytest.fixture(scope="module")
def templates(world: World) -> World:
    """Templates that print both fields, in an HTML part and a text part."""
    save = _route("PUT /manage/v1/content-types/{type_key:str}/templates/{channel:str}")
    for channel, parts in {
        "web": {"html": "<div>{{ fields.body }}</div><div>{{ fields.notes }}</div>"},
        "sms": {"text": "{{ fields.body }} | {{ fields.notes }}"},
    }.items():
        route = Route(
            method=save.method,
            template=save.template.replace("{channel:str}", channel),
            scopes=save.scopes,
            body_type=save.body_type,
            query=save.query,
            versioned=save.versioned,
        )
        body = json.dumps({"parts": {"type": channel, **parts}}).encode()
        saved = attack(world, route, body)
        assert saved.status == 200
        publish_template(world, channel, saved)
    return world


def _publish_and_render(world: World, body: str, notes: str) -> dict[str, Any]:
    entry = _route("PATCH /manage/v1/entries/{entry_id:str}")
    patch = {"fields": {"body": {"en": body, "de": body}, "notes": notes}}
    saved = attack(world, entry, json.dumps(patch).encode())
    assert saved.status == 200, saved.body[:300]
    path = f"/manage/v1/entries/{world.ids['entry']}"
    published = world.client.post(
        f"{path}/publish",
        headers={
            **world.auth("manage"),
            "If-Match": current_version(world, path).decode(),
        },
    )
    world.may_have_written()
    assert published.status_code == 200, published.text[:300]
    out = {}
    for channel in ("web", "sms"):
        request = {
            "type": "article",
            "key": "hello",
            "channel": channel,
            "locale": "en",
            "customer": {"id": "c1"},
        }
        response = attack(
            world, _route("POST /render/v1/render"), json.dumps(request).encode()
        )
        assert response.status == 200, response.body[:300]
        out[channel] = json.loads(response.body)["output"]
    return out


@budget(25)
@given(body=payloads, notes=payloads)
def test_rendered_html_holds_nothing_active(
    templates: World, body: str, notes: str
) -> None:
    out = _publish_and_render(templates, body, notes)
    html = out["web"]["html"]
    assert active_content(html) == [], html[:2000]


def test_formatting_is_html_in_html_parts_and_plain_in_text_parts(
    templates: World,
) -> None:
    """Today the HTML part prints ``&lt;p&gt;`` and raw markdown."""
    out = _publish_and_render(templates, "<p>Hi <b>there</b></p>", "**bold** and _em_")
    html, text = out["web"]["html"], out["sms"]["text"]
    assert "<b>there</b>" in html and "&lt;" not in html, html
    assert "<strong>bold</strong>" in html and "**" not in html, html
    assert "Hi there" in text and "<" not in text and "&lt;" not in text, text
    assert "bold" in text and "**" not in text, text
