"""Hypothesis strategies of allowed and refused values for each settings variable.

Derived from each field's type and constraints (as msgspec's inspect module
reports them), so a field added later is covered without a new strategy;
fields with their own parser need an entry in ``GOOD_PARSED`` and
``BAD_PARSED`` (a test fails until they have one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec.inspect as mi
from hypothesis import strategies as st

from content_hub.domain.locales import InvalidLocaleCode, canonical_code
from content_hub.settings import normalise_database_url
from content_hub.settings_env import FALSE, TRUE, Var


def info(var: Var) -> mi.Type:
    found = var.info
    while isinstance(found, mi.Metadata):
        found = found.type
    return found


def padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Surrounding blanks are ignored."""
    return st.tuples(
        st.sampled_from(["", " ", "\t"]), text, st.sampled_from(["", " "])
    ).map("".join)


# -- fields with their own parser -------------------------

HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){0,2}", fullmatch=True)
PATHS = st.from_regex(
    r"(/|~/|\./)?[A-Za-z0-9_.-]{1,12}(/[A-Za-z0-9_.-]{1,12}){0,3}", fullmatch=True
)
LOCALES = [
    "en",
    "de",
    "de-CH",
    "de-ch",
    "zh-Hant-HK",
    "ZH-hans",
    "nb",
    "ar",
    "pt-BR",
    "sr-Latn",
]


def _good_database_url() -> st.SearchStrategy[tuple[str, str]]:
    sqlite = PATHS.flatmap(
        lambda p: st.sampled_from(["sqlite:///", "sqlite+aiosqlite:///"]).map(
            lambda scheme: scheme + p
        )
    )
    postgres = st.builds(
        lambda scheme, user, host, port, db: f"{scheme}{user}@{host}{port}/{db}",
        st.sampled_from(["postgresql://", "postgres://", "postgresql+psycopg://"]),
        st.from_regex(r"[a-z]{1,8}(:[a-z0-9]{1,8})?", fullmatch=True),
        HOSTS,
        st.sampled_from(["", ":5432", ":6543"]),
        st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
    )
    return st.one_of(sqlite, postgres).map(lambda u: (u, normalise_database_url(u)))


def _origins(listed: list[str]) -> tuple[str, ...]:
    """What the hub keeps of listed origins: lower-cased, each once (``HTTPS://a``
    and ``https://a`` are one origin), in the order first listed."""
    return tuple(dict.fromkeys(origin.lower() for origin in listed))


ORIGINS = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}{port}",
    st.sampled_from(["http", "https", "HTTPS"]),
    HOSTS,
    st.sampled_from(["", ":3000", ":8443"]),
)
BAD_ORIGINS = st.one_of(
    HOSTS,  # no scheme
    ORIGINS.map(lambda o: o + "/"),  # a trailing slash
    ORIGINS.map(lambda o: o + "/path"),
    st.sampled_from(["https://", "://h", "https://a b"]),
)
RATES = st.one_of(
    st.builds(
        lambda n, unit: (f"{n}/{unit}",) * 2,
        st.integers(1, 10**6),
        st.sampled_from(["second", "minute", "hour", "day"]),
    ),
    st.builds(
        lambda n, m: (f"{n} per {m} minutes",) * 2,
        st.integers(1, 999),
        st.integers(2, 60),
    ),
    st.sampled_from([("off",) * 2, ("0",) * 2]),
)
BAD_RATES = st.one_of(
    st.sampled_from(["fast", "5/fortnight", "-1/minute", "1.5/second", "per minute"]),
    st.integers(1, 99).map(lambda n: f"{n}/"),
)

DELAYS = st.lists(
    st.floats(0.001, 86_400, allow_nan=False)
    .map(lambda x: round(x, 3))
    .filter(lambda x: x > 0),
    min_size=1,
    max_size=50,
)
GOOD_PARSED: dict[str, st.SearchStrategy[tuple[str, Any]]] = {
    "CONTENT_HUB_WEBHOOKS_RETRY_SCHEDULE": DELAYS.map(
        lambda xs: (",".join(repr(x) for x in xs), tuple(xs))
    ),
    "CONTENT_HUB_DATA_DIR": PATHS.map(lambda p: (p, Path(p).expanduser().resolve())),
    "CONTENT_HUB_DATABASE_URL": _good_database_url(),
    "CONTENT_HUB_MEILISEARCH_URL": st.builds(
        lambda scheme, host, port: (
            f"{scheme}://{host}{port}",
            f"{scheme}://{host}{port}",
        ),
        st.sampled_from(["http", "https"]),
        HOSTS,
        st.sampled_from(["", ":7700"]),
    ),
    "CONTENT_HUB_DEFAULT_LOCALE": st.sampled_from(LOCALES).map(
        lambda code: (code, canonical_code(code))
    ),
    "CONTENT_HUB_RECEIPTS": st.one_of(
        st.sampled_from([("off", 0.0), ("on", 1.0), ("OFF", 0.0), (" On ", 1.0)]),
        st.floats(0, 1).map(lambda x: (f"sample:{x!r}", x)),
    ),
    "CONTENT_HUB_CORS_ORIGINS": st.lists(
        st.one_of(ORIGINS, st.just("*")), min_size=1, max_size=4, unique=True
    ).map(lambda o: (",".join(o), _origins(o))),
    "CONTENT_HUB_CORS_MANAGE_ORIGINS": st.lists(
        ORIGINS, min_size=1, max_size=4, unique=True
    ).map(lambda o: (", ".join(o), _origins(o))),
    "CONTENT_HUB_RATE_LIMIT_KEY": RATES,
    "CONTENT_HUB_RATE_LIMIT_AUTH_FAILURES": RATES,
    "CONTENT_HUB_STUDIO_SIGN_IN_FAILURES": RATES,
    "CONTENT_HUB_REDIS_URL": st.builds(
        lambda scheme, host, rest: (f"{scheme}{host}{rest}",) * 2,
        st.sampled_from(["redis://", "rediss://"]),
        HOSTS,
        st.sampled_from(["", ":6379", ":6379/0", "/3"]),
    )
    | st.just(("unix:///run/redis.sock",) * 2),
}


def _not_locale(text: str) -> bool:
    try:
        canonical_code(text.strip())
    except InvalidLocaleCode:
        return True
    return False


def _receipts_bad(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"off", "on"}:
        return False
    kind, _, rate = lowered.partition(":")
    try:
        return kind != "sample" or not 0 <= float(rate) <= 1
    except ValueError:
        return True


BAD_PARSED: dict[str, st.SearchStrategy[str] | None] = {
    "CONTENT_HUB_WEBHOOKS_RETRY_SCHEDULE": st.one_of(
        st.sampled_from(["0", "-1", "5,x", "86401", ",", "nan", "1," * 51]),
        st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True),
    ),
    "CONTENT_HUB_DATA_DIR": None,  # any path is a directory to create
    "CONTENT_HUB_DATABASE_URL": st.one_of(
        st.sampled_from(
            ["mysql://u@h/db", "http://example.com", "not a url", "sqlite"]
        ),
        st.from_regex(r"[a-z]{2,8}", fullmatch=True)
        .filter(lambda s: not s.startswith(("sqlite", "postgres")))
        .map(lambda scheme: f"{scheme}://u@h/db"),
    ),
    "CONTENT_HUB_MEILISEARCH_URL": st.one_of(
        st.sampled_from(["localhost:7700", "ftp://h", "http://", "//h:7700"]),
        HOSTS,
    ),
    "CONTENT_HUB_DEFAULT_LOCALE": st.text(min_size=1, max_size=12)
    .filter(lambda t: bool(t.strip()))
    .filter(_not_locale),
    "CONTENT_HUB_RECEIPTS": st.text(min_size=1, max_size=12)
    .filter(lambda t: bool(t.strip()))
    .filter(_receipts_bad),
    "CONTENT_HUB_CORS_ORIGINS": BAD_ORIGINS,
    "CONTENT_HUB_CORS_MANAGE_ORIGINS": st.one_of(
        BAD_ORIGINS, st.just("*"), ORIGINS.map(lambda o: o + ",*")
    ),
    "CONTENT_HUB_RATE_LIMIT_KEY": BAD_RATES,
    "CONTENT_HUB_RATE_LIMIT_AUTH_FAILURES": BAD_RATES,
    "CONTENT_HUB_STUDIO_SIGN_IN_FAILURES": BAD_RATES,
    "CONTENT_HUB_REDIS_URL": st.one_of(
        st.sampled_from(["localhost:6379", "http://h:6379", "tcp://h"]), HOSTS
    ),
}

# -- derived from the type ----------------------------------------


def _number_bounds(kind: mi.IntType | mi.FloatType) -> tuple[float, float, bool, bool]:
    low = kind.gt if kind.gt is not None else kind.ge
    high = kind.lt if kind.lt is not None else kind.le
    assert low is not None, "every numeric setting has a lower bound"
    assert high is not None, "every numeric setting has an upper bound"
    return low, high, kind.gt is not None, kind.lt is not None


def good_values(var: Var) -> st.SearchStrategy[tuple[str, Any]]:
    if var.env in GOOD_PARSED:
        return GOOD_PARSED[var.env]
    kind = info(var)
    if isinstance(kind, mi.UnionType):  # optional text
        kind = next(t for t in kind.types if not isinstance(t, mi.NoneType))
    if isinstance(kind, mi.BoolType):
        spellings = [(t, True) for t in TRUE] + [(f, False) for f in FALSE]
        return st.tuples(st.sampled_from(spellings), st.booleans()).map(
            lambda pick: (pick[0][0].upper() if pick[1] else pick[0][0], pick[0][1])
        )
    if isinstance(kind, mi.IntType):
        low, high, open_low, open_high = _number_bounds(kind)
        ints = st.integers(int(low) + open_low, int(high) - open_high)
        return ints.map(lambda n: (str(n), n))
    if isinstance(kind, mi.FloatType):
        low, high, open_low, open_high = _number_bounds(kind)
        floats = st.floats(low, high, exclude_min=open_low, exclude_max=open_high)
        return floats.map(lambda x: (repr(x), x))
    if isinstance(kind, mi.StrType):
        text = (
            st.from_regex(kind.pattern, fullmatch=True)
            if kind.pattern
            else st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zs"]))
        )
        text = text.filter(
            lambda t: (
                t == t.strip() and bool(t) and len(t) <= (kind.max_length or 10**6)
            )
        )
        return text.map(lambda t: (t, t))
    if isinstance(kind, mi.LiteralType):
        return st.sampled_from(kind.values).map(lambda v: (str(v), v))
    if isinstance(kind, mi.ListType | mi.VarTupleType) and isinstance(
        kind.item_type, mi.StrType
    ):
        items = st.lists(
            st.from_regex(r"[A-Za-z0-9:/._*-]{1,20}", fullmatch=True), max_size=4
        )
        seq = tuple if isinstance(kind, mi.VarTupleType) else list
        return items.map(lambda xs: (", ".join(xs), seq(xs)))
    raise AssertionError(f"{var.env}: no strategy for {kind!r}; add one to GOOD_PARSED")


def bad_values(var: Var) -> st.SearchStrategy[str] | None:
    if var.env in BAD_PARSED:
        return BAD_PARSED[var.env]
    kind = info(var)
    words = st.from_regex(r"[A-Za-z][A-Za-z ]{0,10}", fullmatch=True).filter(
        lambda t: t.strip().lower() not in TRUE | FALSE
    )
    if isinstance(kind, mi.BoolType):
        return st.one_of(
            words, st.integers().filter(lambda n: n not in (0, 1)).map(str)
        )
    if isinstance(kind, mi.IntType | mi.FloatType):
        low, high, open_low, open_high = _number_bounds(kind)
        below = st.floats(max_value=low, allow_nan=False, allow_infinity=True).filter(
            lambda x: x < low or (open_low and x == low)
        )
        above = st.floats(min_value=high, allow_nan=False, allow_infinity=True).filter(
            lambda x: x > high or (open_high and x == high)
        )
        out = [words, below.map(repr), above.map(repr), st.just("nan")]
        if isinstance(kind, mi.IntType):
            out.append(
                st.floats(low, high).filter(lambda x: not x.is_integer()).map(repr)
            )
        return st.one_of(out)
    if isinstance(kind, mi.LiteralType):
        return words.filter(lambda t: t.strip() not in map(str, kind.values))
    if isinstance(kind, mi.StrType) and kind.pattern:
        pattern = re.compile(kind.pattern)
        return st.text(min_size=1, max_size=20).filter(
            lambda t: bool(t.strip()) and not pattern.fullmatch(t.strip())
        )
    assert free_text(kind), f"{var.env} refuses nothing: give it a BAD_PARSED entry"
    return None


def free_text(kind: mi.Type) -> bool:
    """Text of any content (a key, a list of names): no value to refuse."""
    if isinstance(kind, mi.UnionType):
        return all(free_text(t) for t in kind.types if not isinstance(t, mi.NoneType))
    if isinstance(kind, mi.ListType | mi.VarTupleType):
        return free_text(kind.item_type)
    return isinstance(kind, mi.StrType) and not (kind.pattern or kind.min_length)
