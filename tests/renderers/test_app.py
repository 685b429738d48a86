"""App channel: push notifications within 4 KB, in-app cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from renderers import (
    CardButton,
    CardRenderer,
    CardTemplates,
    PayloadTooLargeError,
    PushRenderer,
    PushTemplates,
    RenderRequest,
    graphemes,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
FLAG = "\U0001f1e9\U0001f1ea"
COMBINING = "e\u0301"


def push(**overrides: Any) -> PushRenderer:
    templates: dict[str, Any] = {
        "title": "{{ fields.title }}",
        "body": (
            "{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }}"
            ", {{ fields.lead }}"
        ),
        "image": "{{ fields.hero_image }}",
        "deep_link": "shop://sale?c={{ context.campaign | default('none') }}",
        "data": {
            "customer": "{{ customer.id }}",
            "segment": "{{ customer.segments[0] }}",
        },
    }
    templates.update(overrides)
    return PushRenderer("promo-push", 2, PushTemplates(**templates))


class TestPush:
    def test_every_locale(
        self,
        locale: str,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
        names: dict[str, str],
    ) -> None:
        out = push().render(make_request(locale))
        assert out.title == content[locale]["title"]
        assert out.body.startswith(f"{content[locale]['greeting']} {names[locale]}")
        assert not out.truncated and out.warnings == ()
        apns = msgspec.json.decode(out.apns)
        assert apns["aps"]["alert"] == {"title": out.title, "body": out.body}
        assert apns["aps"]["mutable-content"] == 1
        assert apns["deep_link"] == "shop://sale?c=none"
        assert apns["customer"] == "cust-42"
        fcm = msgspec.json.decode(out.fcm)["message"]
        assert fcm["notification"]["image"] == "https://cdn.example/hero.jpg"
        assert fcm["data"] == {
            "customer": "cust-42",
            "segment": "vip",
            "deep_link": "shop://sale?c=none",
        }
        assert out.payload_bytes == max(len(out.apns), len(out.fcm)) <= 4096

    @pytest.mark.parametrize(
        "unit", ["a", "ж", "夏", "ت", FAMILY, FLAG, COMBINING, '"\\\n']
    )
    def test_long_body_is_truncated_on_grapheme_boundaries(
        self, unit: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = push(body="{{ fields.long }}")
        request = make_request("ar")
        original = unit * 5000
        request.fields["long"] = original
        out = renderer.render(request)
        assert out.truncated
        assert out.payload_bytes <= 4096
        assert len(out.apns) <= 4096 and len(out.fcm) <= 4096
        assert out.body.endswith("\u2026")
        kept = graphemes(out.body)[:-1]
        assert kept == graphemes(original)[: len(kept)]
        assert len(kept) > 100
        assert [w.code for w in out.warnings] == ["push_truncated"]
        assert out.warnings[0].part == "body"

    def test_title_is_truncated_when_the_body_cannot_help(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = push(title="{{ fields.long }}", body="{{ fields.long }}")
        request = make_request()
        request.fields["long"] = "夏" * 3000
        out = renderer.render(request)
        assert out.body == ""
        assert out.title.endswith("\u2026") and out.payload_bytes <= 4096
        assert [w.part for w in out.warnings] == ["body", "title"]

    def test_custom_data_too_big_is_refused_clearly(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = push(data={"blob": "{{ 'x' * 5000 }}"})
        with pytest.raises(PayloadTooLargeError) as info:
            renderer.render(make_request())
        assert "without any title or body" in str(info.value)
        assert info.value.template_id == "promo-push"
        assert info.value.code == "payload_too_large"


def card() -> CardRenderer:
    return CardRenderer(
        "promo-card",
        1,
        CardTemplates(
            title="{{ fields.title }}",
            body="{{ fields.lead }}",
            image="{{ fields.hero_image }}",
            buttons=(
                CardButton("{{ fields.cta }}", "{{ fields.cta_url }}"),
                CardButton("{{ fields.unsubscribe }}", "shop://settings"),
            ),
        ),
    )


class TestCard:
    def test_every_locale(
        self,
        locale: str,
        make_request: Callable[..., RenderRequest],
        content: dict[str, dict[str, Any]],
    ) -> None:
        out = card().render(make_request(locale))
        assert out.title == content[locale]["title"]
        assert out.body == content[locale]["lead"]
        assert out.buttons == (
            CardButton(content[locale]["cta"], "https://shop.example/sale?ref=hub"),
            CardButton(content[locale]["unsubscribe"], "shop://settings"),
        )
        assert out.dir == ("rtl" if locale == "ar" else "ltr")
        assert out.warnings == ()

    def test_text_is_not_html_escaped(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = CardRenderer("c", 1, CardTemplates(title="{{ fields.t }}", body="b"))
        request = make_request()
        request.fields["t"] = "Tom & Jerry <3"
        assert renderer.render(request).title == "Tom & Jerry <3"

    def test_warnings(self, make_request: Callable[..., RenderRequest]) -> None:
        renderer = CardRenderer(
            "c",
            1,
            CardTemplates(
                title="{{ 'x' * 80 }}",
                body="b",
                buttons=(
                    *(CardButton("ok", "a://b") for _ in range(4)),
                    CardButton("", "a://c"),
                ),
            ),
        )
        codes = [w.code for w in renderer.render(make_request()).warnings]
        assert codes == ["title_long", "too_many_buttons", "button_empty"]
