"""Web channel: an HTML fragment and the same content as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from renderers import RenderRequest, WebRenderer, WebTemplates

FRAGMENT = """<section class="promo">
  <h2>{{ fields.title }}</h2>
  <p>{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }},
  {{ fields.lead }}</p>
  {{ fields.body }}
  <ul>
  {% for p in fields.products %}
    <li><a href="{{ p.url }}">{{ p.name }}</a> {{ p.price | currency("EUR") }}</li>
  {% endfor %}
  </ul>
  <img src="{{ fields.hero_image }}" alt="{{ fields.title }}">
  <a class="cta" href="{{ fields.cta_url }}">{{ fields.cta }}</a>
</section>"""


def renderer() -> WebRenderer:
    return WebRenderer("promo-web", 7, WebTemplates(html=FRAGMENT))


class TestWeb:
    def test_renders_each_locale(
        self,
        locale: str,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
        names: dict[str, str],
    ) -> None:
        out = renderer().render(make_request(locale))
        text = content[locale]
        assert text["title"] in out.html
        assert f"{text['greeting']} {names[locale]}," in out.html
        assert f"<p>{text['lead']}</p>" in out.html  # Markup body kept as HTML
        assert out.html.count("<li>") == 3
        assert out.locale == locale
        assert out.warnings == ()

    def test_rtl_reaches_the_html(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = renderer().render(make_request("ar"))
        assert out.dir == "rtl"
        assert out.html.startswith('<div lang="ar" dir="rtl">')
        assert "\u200f19.90\xa0€" in out.html

    def test_ltr_wrapper(self, make_request: Callable[..., RenderRequest]) -> None:
        out = renderer().render(make_request("zh-Hans"))
        assert out.html.startswith('<div lang="zh-Hans" dir="ltr">')
        assert "€19.90" in out.html

    def test_fallback_name_when_attribute_missing(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = renderer().render(make_request("de-DE", first_name=None))
        assert "Hallo du," in out.html

    def test_json_is_the_same_content(
        self,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
    ) -> None:
        request = make_request("de-DE")
        out = renderer().render(request)
        decoded = msgspec.json.decode(out.json)
        assert decoded["locale"] == "de-DE"
        assert decoded["dir"] == "ltr"
        assert decoded["fields"]["title"] == "Sommerschlussverkauf"
        assert decoded["fields"]["body"] == "<p>" + content["de-DE"]["lead"] + "</p>"
        assert decoded["fields"]["products"] == request.fields["products"]
        assert out.data["fields"] is request.fields

    def test_customer_data_is_escaped(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = renderer().render(make_request("en", first_name="<script>x</script>"))
        assert "<script>" not in out.html
        assert "&lt;script&gt;" in out.html

    def test_images_without_alt_are_reported(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        r = WebRenderer(
            "w", 1, WebTemplates(html='<img src="a.png"><img alt="" src="b">')
        )
        out = r.render(make_request())
        assert [w.code for w in out.warnings] == ["image_missing_alt"]
        assert "a.png" in out.warnings[0].message

    def test_no_wrap(self, make_request: Callable[..., RenderRequest]) -> None:
        r = WebRenderer("w", 1, WebTemplates(html="<p>{{ dir }}</p>", wrap=False))
        assert r.render(make_request("ar")).html == "<p>rtl</p>"


def test_images_in_inserted_rich_text_are_checked(
    make_request: Callable[..., RenderRequest],
) -> None:
    from markupsafe import Markup

    r = WebRenderer("w", 1, WebTemplates(html="<div>{{ fields.body }}</div>"))
    request = make_request()
    assert r.render(request).warnings == ()
    request.fields["body"] = Markup('<p><img src="inline.png"></p>')
    (warning,) = r.render(request).warnings
    assert warning.code == "image_missing_alt" and "inline.png" in warning.message


class TestRecipientFree:
    """``recipient_free``: whether callers may reuse one output for everyone."""

    def test_fields_and_locale_only(self) -> None:
        r = WebRenderer(
            "w",
            1,
            WebTemplates(
                html="<p lang='{{ locale }}' dir='{{ dir }}'>{{ fields.title }} "
                "{{ fields.price | currency('EUR') }} {{ plural_category(2) }}</p>"
                "{% for p in fields.items %}{{ p.name }}{% endfor %}"
                "{% set n = fields.items | length %}{{ n }}"
            ),
        )
        assert r.recipient_free

    def test_reading_the_customer_context_or_clock_is_not(self) -> None:
        for html in (
            "<p>{{ customer.first_name | default('you') }}</p>",
            "<p>{{ context.campaign | default('') }}</p>",
            "<p>{{ fields.ends | date }}</p>",
            "<p>{{ fields.ends | relative_time }}</p>",
            "<p>{{ fields.ends | datetime('short', 'UTC') }}</p>",
        ):
            r = WebRenderer("w", 1, WebTemplates(html=html))
            assert not r.recipient_free, html

    def test_equal_fields_and_locale_give_equal_output_for_any_customer(
        self,
        make_request: Callable[..., RenderRequest],
    ) -> None:
        r = WebRenderer("w", 1, WebTemplates(html="<h2>{{ fields.title }}</h2>"))
        assert r.recipient_free
        a = r.render(make_request("de-DE"))
        b = r.render(make_request("de-DE", first_name="Someone else"))
        assert a == b
