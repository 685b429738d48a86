"""The CORS and rate-limit settings: what is accepted, and a start-up error
naming the variable for anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.domain.browser import parse_origins
from content_hub.domain.rate_limits import parse_rate
from content_hub.settings import CorsSettings, RateLimitSettings, Settings

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@given(
    amount=st.integers(1, 10**9),
    multiple=st.one_of(st.none(), st.integers(1, 999)),
    unit=st.sampled_from(list(UNITS)),
    plural=st.booleans(),
    sep=st.sampled_from(["/", " per ", " / "]),
)
def test_rates_in_the_limits_grammar(
    amount: int, multiple: int | None, unit: str, plural: bool, sep: str
) -> None:
    text = f"{amount}{sep}{multiple or ''} {unit}{'s' if plural else ''}"
    rate = parse_rate(text)
    assert rate is not None
    assert (rate.amount, rate.seconds) == (amount, UNITS[unit] * (multiple or 1))


@pytest.mark.parametrize("text", ["off", "OFF", "0", "", " none ", "0/minute"])
def test_off(text: str) -> None:
    assert parse_rate(text) is None


@given(
    st.text(max_size=30).filter(
        lambda t: (
            t.strip().lower() not in {"", "0", "off", "none", "false", "no"}
            and not any(u in t.lower() for u in UNITS)
        )
    )
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a rate"):
        parse_rate(text)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATE_LIMIT_KEY", "lots"),
        ("RATE_LIMIT_AUTH_FAILURES", "20/fortnight"),
        ("REDIS_URL", "http://cache:6379"),
        ("RATE_LIMIT_SYNC_INTERVAL", "0"),
    ],
)
def test_a_bad_rate_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"CONTENT_HUB_{name}"):
        Settings.from_env({f"CONTENT_HUB_{name}": value})


HOSTS = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,6}){0,2}\Z")


@given(
    scheme=st.sampled_from(["http", "https", "capacitor", "app"]),
    host=HOSTS,
    port=st.one_of(st.none(), st.integers(1, 65535)),
    upper=st.booleans(),
)
def test_origins_as_browsers_send_them(
    scheme: str, host: str, port: int | None, upper: bool
) -> None:
    origin = f"{scheme}://{host}" + (f":{port}" if port else "")
    text = origin.upper() if upper else origin
    assert parse_origins(f" {text} ,*,{text}", "X") == (origin, "*")


@pytest.mark.parametrize(
    "bad",
    [
        "https://shop.example/",
        "https://shop.example/path",
        "shop.example",
        "//shop.example",
        "https://",
        "https://shop example",
        "https://shop.example?x=1",
        "null",
    ],
)
def test_what_never_matches_an_origin_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="CONTENT_HUB_CORS_ORIGINS"):
        Settings.from_env({"CONTENT_HUB_CORS_ORIGINS": f"https://ok.example,{bad}"})


def test_management_never_allows_any_origin() -> None:
    with pytest.raises(ValueError, match="CONTENT_HUB_CORS_MANAGE_ORIGINS cannot"):
        Settings.from_env({"CONTENT_HUB_CORS_MANAGE_ORIGINS": "https://a.example, *"})
    with pytest.raises(ValueError, match="CONTENT_HUB_CORS_MANAGE_ORIGINS"):
        CorsSettings(manage_origins=("*",))


def test_from_env() -> None:
    settings = Settings.from_env(
        {
            "CONTENT_HUB_CORS_ORIGINS": "*, https://Shop.example",
            "CONTENT_HUB_CORS_MANAGE_ORIGINS": "https://studio.example",
            "CONTENT_HUB_CORS_MAX_AGE": "120",
            "CONTENT_HUB_RATE_LIMIT_KEY": "6000/minute",
            "CONTENT_HUB_RATE_LIMIT_AUTH_FAILURES": "off",
            "CONTENT_HUB_REDIS_URL": "redis://cache:6379/2",
            "CONTENT_HUB_REDIS_PREFIX": "hub-eu",
            "CONTENT_HUB_RATE_LIMIT_SYNC_INTERVAL": "1.5",
        }
    )
    assert settings.cors == CorsSettings(
        origins=("*", "https://shop.example"),
        manage_origins=("https://studio.example",),
        max_age=120,
    )
    assert settings.rate_limit == RateLimitSettings(
        key="6000/minute",
        auth_failures="off",
        redis_url="redis://cache:6379/2",
        redis_prefix="hub-eu",
        sync_interval=1.5,
    )
    defaults = Settings.from_env({})
    assert defaults.cors == CorsSettings()
    assert defaults.rate_limit == RateLimitSettings()
    assert parse_rate(defaults.rate_limit.auth_failures) is not None
