"""SMS: GSM 03.38 encoding detection, segment counts, normalisation, budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from renderers import (
    RenderRequest,
    SmsRenderer,
    SmsTemplates,
    count_sms,
    normalise_spaces,
    smart_encode,
)

TEMPLATE = (
    "{{ fields.greeting }} {{ customer.first_name | default(fields.fallback_name) }}: "
    "{{ fields.title }} -{{ 0.5 | percent }} {{ fields.cta_url }}"
)


def sms(**options: Any) -> SmsRenderer:
    return SmsRenderer("promo-sms", 1, SmsTemplates(text=TEMPLATE), **options)


class TestGsm0338:
    @pytest.mark.parametrize(
        ("text", "encoding", "units", "segments"),
        [
            ("", "GSM-7", 0, 0),
            ("Hello", "GSM-7", 5, 1),
            ("a" * 160, "GSM-7", 160, 1),
            ("a" * 161, "GSM-7", 161, 2),
            ("a" * 306, "GSM-7", 306, 2),
            ("a" * 307, "GSM-7", 307, 3),
            ("€" * 80, "GSM-7", 160, 1),
            ("€" * 81, "GSM-7", 162, 2),
            ("^{}\\[~]|€\f", "GSM-7", 20, 1),
            ("a" * 152 + "€", "GSM-7", 154, 1),
            # an ESC pair is never split: 152 + [2] + 152 does not fit in 2 x 153
            ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
            ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", "GSM-7", 42, 1),
            ("ç", "UCS-2", 1, 1),  # only capital Ç is GSM-7
            ("á", "UCS-2", 1, 1),
            ("`", "UCS-2", 1, 1),
            ("ж" * 70, "UCS-2", 70, 1),
            ("ж" * 71, "UCS-2", 71, 2),
            ("ж" * 134, "UCS-2", 134, 2),
            ("ж" * 135, "UCS-2", 135, 3),
            ("😀" * 35, "UCS-2", 70, 1),
            ("😀" * 36, "UCS-2", 72, 2),
            ("a" * 66 + "😀", "UCS-2", 68, 1),
            # a surrogate pair is never split: 66 + [2] + 66 needs 3 x 67
            ("a" * 66 + "😀" + "a" * 67, "UCS-2", 135, 3),
            ("夏季特卖" * 10, "UCS-2", 40, 1),
            ("تخفيضات الصيف", "UCS-2", 13, 1),
        ],
    )
    def test_counts(self, text: str, encoding: str, units: int, segments: int) -> None:
        count = count_sms(text)
        assert (count.encoding, count.units, count.segments) == (
            encoding,
            units,
            segments,
        )

    def test_reports_what_forced_ucs2(self) -> None:
        assert count_sms("Price “now” 5 €").non_gsm == ("“", "”")

    def test_smart_encoding(self) -> None:
        text = "“Sale” — 50 % off… \u2018today\u2019\u200b"
        assert smart_encode(text) == "\"Sale\" - 50 % off... 'today'"
        assert count_sms(smart_encode(text)).encoding == "GSM-7"

    def test_nbsp_normalisation(self) -> None:
        assert normalise_spaces("1\u202f234,50\xa0€") == "1 234,50 €"


class TestSmsRenderer:
    def test_every_locale(
        self, locale: str, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = sms().render(make_request(locale))
        assert "https://shop.example/sale?ref=hub" in out.text
        assert "\xa0" not in out.text and "\u202f" not in out.text
        expected = "GSM-7" if locale in ("en", "de-DE") else "UCS-2"
        assert out.count.encoding == expected
        assert out.count.segments == 1
        assert out.dir == ("rtl" if locale == "ar" else "ltr")

    def test_german_percent_stays_gsm7_after_nbsp_normalisation(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = sms().render(make_request("de-DE"))
        assert "-50 %" in out.text
        assert out.count.encoding == "GSM-7"

    def test_link_shortening_hook(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        seen: list[str] = []

        def shorten(url: str) -> str:
            seen.append(url)
            return "https://sho.rt/x1"

        out = sms(shorten=shorten).render(make_request("en"))
        assert seen == ["https://shop.example/sale?ref=hub"]
        assert out.text.endswith("https://sho.rt/x1")

    def test_segment_budget_warning(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = SmsRenderer(
            "t", 1, SmsTemplates(text="{{ 'x' * 200 }}"), segment_budget=1
        )
        out = renderer.render(make_request())
        assert out.count.segments == 2
        assert [w.code for w in out.warnings] == ["sms_over_budget"]

    def test_too_many_segments(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = SmsRenderer("t", 1, SmsTemplates(text="{{ 'ж' * 700 }}"))
        out = renderer.render(make_request())
        assert out.count.segments == 11
        assert [w.code for w in out.warnings] == ["sms_too_long"]

    def test_smart_encoding_report_and_apply(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        source = "{{ '“Hi” — ' ~ ('a' * 100) }}"
        report = SmsRenderer("t", 1, SmsTemplates(text=source)).render(make_request())
        assert report.count.encoding == "UCS-2" and report.count.segments == 2
        assert report.smart is not None and report.smart.segments == 1
        assert "sms_smart_encoding_available" in [w.code for w in report.warnings]
        applied = SmsRenderer(
            "t", 1, SmsTemplates(text=source), smart_encoding="apply"
        ).render(make_request())
        assert applied.text.startswith('"Hi" - ')
        assert applied.count.encoding == "GSM-7"

    def test_empty_message_warns(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        out = SmsRenderer("t", 1, SmsTemplates(text="  ")).render(make_request())
        assert [w.code for w in out.warnings] == ["sms_empty"]
