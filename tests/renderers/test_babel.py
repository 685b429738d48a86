"""Babel filters bound to the render locale, time zone and clock."""

from __future__ import annotations

import datetime as dt

import pytest

from renderers import (
    LocaleError,
    RenderContext,
    RenderRequest,
    TemplateRuntimeError,
    WebRenderer,
    WebTemplates,
    locale_fallback_chain,
    parse_locale,
)

NOW = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


def fmt(source: str, locale: str, tz: str = "Europe/Berlin", **fields: object) -> str:
    renderer = WebRenderer("t-babel", 1, WebTemplates(html=source, wrap=False))
    request = RenderRequest(
        fields=dict(fields),
        locale=locale,
        context=RenderContext(timezone=tz, now=NOW),
    )
    return renderer.render(request).html


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "€1,234,567.89"),
        ("de-DE", "1.234.567,89\xa0€"),
        ("de-CH", "EUR\xa01\u2019234\u2019567.89"),
        ("zh-Hans", "€1,234,567.89"),
        ("ar", "\u200f1,234,567.89\xa0€"),
    ],
)
def test_currency(locale: str, expected: str) -> None:
    assert fmt("{{ 1234567.891 | currency('EUR') }}", locale) == expected


def test_currency_digits_and_string_amounts() -> None:
    assert fmt("{{ 1234.5 | currency('JPY') }}", "en") == "¥1,234"
    assert fmt("{{ '19.90' | currency('USD') }}", "en") == "$19.90"


@pytest.mark.parametrize(
    ("locale", "number", "percent", "compact"),
    [
        ("en", "1,234,567.891", "25%", "1M"),
        ("de-DE", "1.234.567,891", "25\xa0%", "1\xa0Mio."),
        ("zh-Hans", "1,234,567.891", "25%", "123万"),
        ("ar", "1,234,567.891", "25%", "1\xa0مليون"),
    ],
)
def test_numbers(locale: str, number: str, percent: str, compact: str) -> None:
    assert fmt("{{ 1234567.891 | number }}", locale) == number
    assert fmt("{{ 0.25 | percent }}", locale) == percent
    assert fmt("{{ 1234567 | compact }}", locale) == compact


def test_datetime_in_the_recipients_time_zone() -> None:
    source = "{{ fields.at | datetime('full') }}"
    at = "2026-03-29T00:30:00Z"
    assert fmt(source, "de-DE", at=at) == (
        "Sonntag, 29. März 2026, 01:30:00 Mitteleuropäische Normalzeit"
    )
    assert fmt(source, "en-US", tz="America/New_York", at=at) == (
        "Saturday, March 28, 2026, 8:30:00\u202fPM Eastern Daylight Time"
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "August 31, 2026"),
        ("de-DE", "31. August 2026"),
        ("zh-Hans", "2026年8月31日"),
        ("ar", "31 أغسطس 2026"),
    ],
)
def test_date(locale: str, expected: str) -> None:
    assert fmt("{{ fields.d | date('long') }}", locale, d="2026-08-31") == expected


def test_relative_time_uses_the_context_clock() -> None:
    source = "{{ fields.ends | relative_time(granularity='day') }}"
    ends = "2026-04-01T00:30:00Z"
    assert fmt(source, "de-DE", ends=ends) == "in 3 Tagen"
    assert fmt(source, "en", ends=ends) == "in 3 days"
    assert fmt("{{ -10800 | timedelta(add_direction=true) }}", "de-DE") == (
        "vor 3 Stunden"
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "A, B, and C"),
        ("de-DE", "A, B und C"),
        ("zh-Hans", "A、B和C"),
        ("ar", "A وB وC"),
    ],
)
def test_lists(locale: str, expected: str) -> None:
    assert fmt("{{ ['A', 'B', 'C'] | format_list }}", locale) == expected


@pytest.mark.parametrize(
    ("locale", "counts", "expected"),
    [
        ("en", (0, 1, 2, 5), "other one other other"),
        ("de-DE", (0, 1, 2, 5), "other one other other"),
        ("zh-Hans", (0, 1, 2, 5), "other other other other"),
        ("ar", (0, 1, 2, 3, 11, 100), "zero one two few many other"),
    ],
)
def test_plural_categories(locale: str, counts: tuple[int, ...], expected: str) -> None:
    source = "{% for n in fields.n %}{{ plural_category(n) }} {% endfor %}"
    assert fmt(source, locale, n=list(counts)).strip() == expected


def test_plural_filter_picks_the_form_and_formats_the_number() -> None:
    source = "{{ fields.n | plural(one='# Artikel', other='# Artikel im Korb') }}"
    assert fmt(source, "de-DE", n=1) == "1 Artikel"
    assert fmt(source, "de-DE", n=1200) == "1.200 Artikel im Korb"


def test_bad_filter_input_is_a_clear_render_error() -> None:
    with pytest.raises(TemplateRuntimeError, match="expected a number"):
        fmt("{{ 'abc' | currency('EUR') }}", "en")
    with pytest.raises(TemplateRuntimeError, match="ISO 4217"):
        fmt("{{ 1 | currency('euro') }}", "en")


class TestLocales:
    @pytest.mark.parametrize(
        ("tag", "normalised", "babel", "direction"),
        [
            ("zh-Hans", "zh-Hans", "zh_Hans", "ltr"),
            ("de-CH", "de-CH", "de_CH", "ltr"),
            ("ar", "ar", "ar", "rtl"),
            ("he", "he", "he", "rtl"),
            ("fa-IR", "fa-IR", "fa_IR", "rtl"),
            ("en_US", "en-US", "en_US", "ltr"),
        ],
    )
    def test_parse(self, tag: str, normalised: str, babel: str, direction: str) -> None:
        info = parse_locale(tag)
        assert (info.tag, str(info.locale), info.direction) == (
            normalised,
            babel,
            direction,
        )

    @pytest.mark.parametrize("tag", ["", "xx-YY-ZZ", "not a locale", "q" * 50])
    def test_invalid(self, tag: str) -> None:
        with pytest.raises(LocaleError):
            parse_locale(tag)

    @pytest.mark.parametrize(
        ("tag", "chain"),
        [
            ("de-CH", ("de_CH", "de")),
            ("zh-HK", ("zh_Hant_HK", "zh_Hant")),
            ("zh-Hant-HK", ("zh_Hant_HK", "zh_Hant")),
            ("zh-Hant-MO", ("zh_Hant_MO", "zh_Hant_HK", "zh_Hant")),
            ("nb", ("nb", "no")),
            ("nn-NO", ("nn_NO", "nn", "no")),
            ("en-CH", ("en_CH", "en_150", "en_001", "en")),
            ("es-MX", ("es_MX", "es_419", "es")),
            ("pt-AO", ("pt_AO", "pt_PT", "pt")),
            ("zh-Hans", ("zh_Hans", "zh")),
        ],
    )
    def test_fallback_chain_follows_cldr_parents(
        self, tag: str, chain: tuple[str, ...]
    ) -> None:
        assert locale_fallback_chain(tag) == chain
