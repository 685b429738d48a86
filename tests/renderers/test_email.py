"""Email channel: subject, preheader, HTML from MJML or HTML, text, headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from renderers import (
    CompileError,
    EmailRenderer,
    EmailTemplates,
    MissingVariableError,
    RenderRequest,
)

MJML = """<mjml>
<mj-head>
  <mj-title>{{ fields.title }}</mj-title>
  <mj-style>.hero div { font-size: 22px !important; color: #222222 }
  .footer div { color: #888888 }
  @media (max-width: 480px) { .hero div { font-size: 18px !important } }</mj-style>
</mj-head>
<mj-body background-color="#f4f4f4">
  <mj-section><mj-column>
    <mj-image src="{{ fields.hero_image }}" alt="{{ fields.title }}"/>
    <mj-text css-class="hero">{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }}</mj-text>
    <mj-text>{{ fields.body }}</mj-text>
  </mj-column></mj-section>
  {% for p in fields.products %}
  <mj-section background-color="#ffffff"><mj-column>
    <mj-text>{{ p.name }}: {{ p.price | currency("EUR") }}</mj-text>
    <mj-button href="{{ p.url }}">{{ fields.cta }}</mj-button>
  </mj-column></mj-section>
  {% endfor %}
  <mj-section><mj-column><mj-text css-class="footer">
    {% if unsubscribe_url is defined %}
    <a href="{{ unsubscribe_url }}">{{ fields.unsubscribe }}</a>
    {% endif %}
    <a href="mailto:help@shop.example">help</a> <a href="#top">top</a>
  </mj-text></mj-column></mj-section>
</mj-body>
</mjml>"""

HTML = """<!doctype html>
<html>
<head><style>p.lead { color: #333333 } a.cta { color: #ffffff; background: #0055aa }
@media (max-width: 480px) { p.lead { font-size: 14px } }</style></head>
<body>
<p class="lead">{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }}</p>
<table><tbody>
{% for p in fields.products %}
<tr><td><a href="{{ p.url }}">{{ p.name }}</a></td><td>{{ p.price | currency("EUR") }}</td></tr>
{% endfor %}
</tbody></table>
<a class="cta" href="{{ fields.cta_url }}">{{ fields.cta }}</a>
<img src="{{ fields.hero_image }}">
<a href="{{ context.unsubscribe_url }}">{{ fields.unsubscribe }}</a>
</body>
</html>"""

TEXT = """{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }},

{{ fields.lead }}
{% for p in fields.products %}
* {{ p.name }}: {{ p.price | currency("EUR") }} {{ p.url }}
{% endfor %}

{% if context.unsubscribe_url is defined %}
{{ fields.unsubscribe }}: {{ context.unsubscribe_url }}
{% endif %}"""

SUBJECT = (
    "{{ fields.title }}: {{ customer.first_name | default(fields.fallback_name) }}"
)


def mjml_email(inline_css: str = "render") -> EmailRenderer:
    return EmailRenderer(
        "promo-email",
        3,
        EmailTemplates(
            subject=SUBJECT,
            preheader="{{ fields.lead }}",
            html=MJML,
            text=TEXT,
            format="mjml",
            inline_css=inline_css,  # type: ignore[arg-type]
        ),
    )


def html_email(inline_css: str = "render") -> EmailRenderer:
    return EmailRenderer(
        "promo-html",
        1,
        EmailTemplates(
            subject=SUBJECT,
            html=HTML,
            text=TEXT,
            inline_css=inline_css,  # type: ignore[arg-type]
        ),
    )


@pytest.mark.parametrize("inline_css", ["auto", "render", "compile"])
class TestMjmlEmail:
    def test_every_locale(
        self,
        locale: str,
        inline_css: str,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
        names: dict[str, str],
    ) -> None:
        out = mjml_email(inline_css).render(make_request(locale))
        text = content[locale]
        assert out.subject == f"{text['title']}: {names[locale]}"
        assert out.preheader == text["lead"]
        assert f'<html lang="{locale}"' in out.html
        assert f"{text['greeting']} {names[locale]}" in out.html
        assert out.html.count(text["cta"]) == 3
        assert text["lead"] in out.text and names[locale] in out.text
        assert "<" not in out.text
        assert out.html_bytes == len(out.html.encode())
        assert out.warnings == ()

    def test_css_is_inlined_and_media_queries_kept(
        self, locale: str, inline_css: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        html = mjml_email(inline_css).render(make_request(locale)).html
        assert re.search(r'class="hero"[^>]*style="[^"]*"', html)
        assert "font-size:22px" in html.replace(" ", "")
        assert "@media" in html and "max-width:480px" in html.replace(" ", "")

    def test_rtl(
        self, locale: str, inline_css: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = mjml_email(inline_css).render(make_request(locale))
        expected = "rtl" if locale == "ar" else "ltr"
        assert out.dir == expected
        assert f'dir="{expected}"' in out.html
        assert f"direction:{expected}" in out.html
        assert ("direction:ltr" in out.html) is (expected == "ltr")

    def test_links_carry_utm_but_not_unsubscribe_mailto_or_anchor(
        self, locale: str, inline_css: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        html = mjml_email(inline_css).render(make_request(locale)).html
        assert (
            'href="https://shop.example/p/0?utm_source=hub&amp;utm_medium=email'
            '&amp;utm_campaign=summer"' in html
        )
        assert 'href="https://shop.example/unsubscribe?u=42"' in html
        assert 'href="mailto:help@shop.example"' in html
        assert 'href="#top"' in html

    def test_preheader_is_hidden_at_the_top_of_the_body(
        self,
        locale: str,
        inline_css: str,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
    ) -> None:
        html = mjml_email(inline_css).render(make_request(locale)).html
        body = html[html.index("<body") :]
        first_div = body[body.index("<div") : body.index("</div>")]
        assert "display:none" in first_div
        assert content[locale]["lead"] in first_div


class TestHtmlEmail:
    @pytest.mark.parametrize("locale", ["en", "ar"])
    def test_plain_html_template(
        self, locale: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = html_email().render(make_request(locale))
        assert f'<html lang="{locale}" dir="{"rtl" if locale == "ar" else "ltr"}"' in (
            out.html
        )
        assert re.search(r'<p class="lead" style="color:\s*#333333;?"', out.html)
        assert out.html.count("<tr>") == 3  # the loop stayed inside the table
        assert "@media" in out.html

    def test_images_without_alt_are_reported(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = html_email().render(make_request())
        codes = [w.code for w in out.warnings]
        assert codes == ["image_missing_alt"]
        assert "https://cdn.example/hero.jpg" in out.warnings[0].message

    def test_no_remote_stylesheets_are_fetched(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        html = HTML.replace(
            "<head>", '<head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        )
        r = EmailRenderer("t", 1, EmailTemplates(subject="s", html=html, text="t"))
        out = r.render(make_request())  # would fail or hang if it fetched
        assert "127.0.0.1" not in out.html


class TestCssInliningModes:
    STATIC = (
        "<html><head><style>p { color: #123456 } .x { margin: 0 }</style></head>"
        '<body><div class="x">{{ fields.body }}</div></body></html>'
    )

    def email(self, html: str, mode: str) -> EmailRenderer:
        templates = EmailTemplates(
            subject="s",
            html=html,
            text="t",
            inline_css=mode,  # type: ignore[arg-type]
        )
        return EmailRenderer("css", 1, templates)

    def test_auto_inlines_ahead_when_correct(self) -> None:
        assert self.email(self.STATIC, "auto").css_inlined_ahead

    def test_auto_falls_back_to_render_for_structural_selectors(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        html = self.STATIC.replace(".x {", "div:first-child {")
        email = self.email(html, "auto")
        assert not email.css_inlined_ahead
        out = email.render(make_request()).html
        assert re.search(r'<div class="x" style="margin:\s*0', out)

    @pytest.mark.parametrize("mode", ["auto", "render"])
    def test_inserted_rich_text_gets_the_styles(
        self, mode: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = self.email(self.STATIC, mode).render(make_request()).html
        assert re.search(r'<p style="color:\s*#123456;?">', out)

    def test_compile_mode_leaves_inserted_html_to_the_style_block(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = self.email(self.STATIC, "compile").render(make_request()).html
        assert "<p>" in out and "color:#123456" in out.replace(" ", "")
        assert re.search(r'<div class="x" style="margin:\s*0', out)


class TestHeaders:
    def test_list_unsubscribe_one_click(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = mjml_email().render(make_request())
        assert out.headers == {
            "List-Unsubscribe": "<https://shop.example/unsubscribe?u=42>, "
            "<mailto:unsubscribe@shop.example>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    def test_no_headers_without_unsubscribe_context(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        request = make_request(unsubscribe_url=None, unsubscribe_mailto=None)
        out = mjml_email().render(request)
        assert out.headers == {}

    def test_mailto_only_has_no_one_click(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        request = make_request(unsubscribe_url=None)
        out = mjml_email().render(request)
        assert out.headers == {"List-Unsubscribe": "<mailto:unsubscribe@shop.example>"}

    def test_http_unsubscribe_warns(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        request = make_request(unsubscribe_url="http://shop.example/u")
        out = mjml_email().render(request)
        assert "List-Unsubscribe-Post" not in out.headers
        assert "unsubscribe_not_https" in [w.code for w in out.warnings]

    def test_missing_unsubscribe_link_warns(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        r = EmailRenderer(
            "t", 1, EmailTemplates(subject="s", html="<p>no link</p>", text="t")
        )
        codes = [w.code for w in r.render(make_request()).warnings]
        assert "unsubscribe_link_missing" in codes

    def test_subject_cannot_inject_headers(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = mjml_email().render(make_request(first_name="Eve\r\nBcc: all@x.example"))
        assert "\n" not in out.subject and "\r" not in out.subject


class TestSizeAndErrors:
    def test_gmail_clipping_warnings(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        def size(n: int) -> list[str]:
            html = "<html><body><p>{{ 'x' * fields.n }}</p></body></html>"
            r = EmailRenderer("t", 1, EmailTemplates(subject="s", html=html, text="t"))
            request = make_request(unsubscribe_url=None, unsubscribe_mailto=None)
            request.fields["n"] = n
            return [w.code for w in r.render(request).warnings]

        assert size(50_000) == []
        assert size(95_000) == ["html_near_clip_limit"]
        assert size(110_000) == ["html_clipped_by_gmail"]

    def test_missing_variable_in_mjml_names_the_source_line(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        source = MJML.replace("{{ fields.body }}", "{{ customer.loyalty.points }}")
        line = next(
            n for n, text in enumerate(source.splitlines(), 1) if "loyalty" in text
        )
        r = EmailRenderer(
            "promo-email",
            3,
            EmailTemplates(subject="s", html=source, text="t", format="mjml"),
        )
        with pytest.raises(MissingVariableError) as info:
            r.render(make_request())
        assert info.value.variable == "customer.loyalty"
        assert (info.value.template_id, info.value.part) == ("promo-email", "html")
        assert info.value.line == line

    def test_missing_variable_in_subject(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        r = EmailRenderer(
            "t",
            1,
            EmailTemplates(subject="{{ customer.nickname }}", html="x", text="y"),
        )
        with pytest.raises(MissingVariableError) as info:
            r.render(make_request())
        assert info.value.part == "subject"

    def test_invalid_mjml_is_a_compile_error(self) -> None:
        with pytest.raises(CompileError, match="MJML"):
            EmailRenderer(
                "t",
                1,
                EmailTemplates(
                    subject="s",
                    html="<mjml><mj-body><mj-section>",
                    text="t",
                    format="mjml",
                ),
            )

    @pytest.mark.parametrize(
        "html",
        [
            "<html><head><style>td:first-child { color: red }</style></head>"
            "<body></body></html>",
            "<html><head><style>p { color: {{ fields.c }} }</style></head>"
            "<body></body></html>",
            "<html><head><style>.a { color: red }</style></head>"
            '<body><p class="{{ fields.c }}">x</p></body></html>',
        ],
    )
    def test_compile_time_inlining_refuses_dynamic_css(self, html: str) -> None:
        with pytest.raises(CompileError, match="inline_css='compile'"):
            EmailRenderer(
                "t",
                1,
                EmailTemplates(subject="s", html=html, text="t", inline_css="compile"),
            )


class TestInsertedHtml:
    """Rich text inserted into an email whose CSS was inlined ahead gets the
    template's styles: as a fragment (once per value) when every selector is
    simple, else by inlining the whole document again."""

    STYLED = """<html><head><style>p { margin: 0 0 12px } .note { color: #555555 }
    a.cta { color: #ffffff } @media (max-width: 480px) { p { font-size: 14px } }
    </style></head><body><p class="note">{{ customer.first_name | default("there") }}</p>
    {{ fields.body }}<a class="cta" href="{{ fields.url }}">Go</a></body></html>"""

    BODY = '<p>Ride further.</p><p class="note">Terms <a class="cta" href="/t">apply</a></p>'

    def renderer(self, html: str) -> EmailRenderer:
        return EmailRenderer(
            "rich", 1, EmailTemplates(subject="s", html=html, text="t")
        )

    def render(self, renderer: EmailRenderer, name: str = "Kim") -> str:
        from markupsafe import Markup

        from renderers import Customer

        request = RenderRequest(
            fields={"body": Markup(self.BODY), "url": "https://shop.example"},
            customer=Customer(id="c", attributes={"first_name": name}),
            locale="en",
        )
        return renderer.render(request).html

    def test_simple_selectors_inline_the_fragment_like_the_document(self) -> None:
        fast = self.renderer(self.STYLED)
        assert fast._fragment_css is not None
        whole = self.renderer(self.STYLED)
        whole._fragment_css = None  # the document path, for comparison
        html = self.render(fast)
        assert '<p style="margin:0 0 12px">Ride further.</p>' in html
        assert 'class="note" style="color:#555555;margin:0 0 12px"' in html or (
            'class="note" style="margin:0 0 12px;color:#555555"' in html
        )
        assert '<a class="cta" href="/t" style="color:#ffffff">apply</a>' in html
        assert _elements(html) == _elements(self.render(whole))
        # once per distinct value, whatever the recipient
        assert self.render(fast, "Ana").count("Ride further.") == 1
        assert len(fast._fragments) == 1

    @pytest.mark.parametrize(
        "css",
        [
            "body p { margin: 0 }",
            ".note > a { color: red }",
            "p + p { margin: 0 }",
            "a:hover { color: red }",
            "@font-face { font-family: x; src: url(x.woff) }",
        ],
    )
    def test_context_dependent_css_inlines_the_whole_document(self, css: str) -> None:
        renderer = self.renderer(self.STYLED.replace("p { margin: 0 0 12px }", css, 1))
        assert renderer._fragment_css is None
        assert "Ride further." in self.render(renderer)


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag with its attributes sorted: the same document whatever
    order the serialiser wrote the attributes in."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(
            self, tag: str, attrs: list[tuple[str, str | None]]
        ) -> None:
            found.append((tag, sorted(attrs)))

    Collect().feed(html)
    return found


def test_recipient_free_email_may_use_its_preheader_but_not_the_unsubscribe_url() -> (
    None
):
    free = EmailRenderer(
        "t",
        1,
        EmailTemplates(
            subject="{{ fields.title }}",
            preheader="{{ fields.summary }}",
            html="<html><body><span>{{ preheader }}{{ preheader_padding }}</span>"
            "<h1>{{ fields.title }}</h1></body></html>",
            text="{{ fields.title }}",
        ),
    )
    assert free.recipient_free
    personal = EmailRenderer(
        "t",
        1,
        EmailTemplates(
            subject="{{ fields.title }}",
            html="<a href='{{ unsubscribe_url }}'>Unsubscribe</a>",
            text="{{ fields.title }}",
        ),
    )
    assert not personal.recipient_free
