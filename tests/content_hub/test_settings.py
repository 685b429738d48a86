"""Settings from ``CONTENT_HUB_*``: every variable decodes its allowed values and
refuses every other value with a message naming it; the README documents
exactly the variables there are.

The value strategies are derived from each field's type and constraints (as
msgspec's inspect module reports them), so a field added later is covered
without a new test; fields with their own parser need a strategy here, and a
test fails until they have one.
"""

from __future__ import annotations

import logging
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec.inspect as mi
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from content_hub.cli import main
from content_hub.domain.locales import InvalidLocaleCode, canonical_code
from content_hub.settings import (
    Settings,
    SettingsError,
    normalise_database_url,
    variables,
)
from content_hub.settings_env import FALSE, TRUE, Var, markdown_table

README = Path(__file__).parents[2] / "README.md"
VARS = {var.env: var for var in variables(Settings)}
SETTINGS = hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def value_of(settings: Settings, var: Var) -> Any:
    holder: Any = getattr(settings, var.section) if var.section else settings
    return getattr(holder, var.field)


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


# -- strategies for the fields with their own parser -------------------------

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


GOOD_PARSED: dict[str, st.SearchStrategy[tuple[str, Any]]] = {
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
}

# -- strategies derived from the type ----------------------------------------


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
    if isinstance(kind, mi.StrType) and kind.pattern:
        pattern = re.compile(kind.pattern)
        return st.text(min_size=1, max_size=20).filter(
            lambda t: bool(t.strip()) and not pattern.fullmatch(t.strip())
        )
    return None  # free text: nothing to refuse


# -- tests ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VARS))
class TestEveryVariable:
    def test_allowed_values_round_trip(self, name: str) -> None:
        var = VARS[name]

        @SETTINGS
        @given(
            good_values(var).flatmap(
                lambda v: padded(st.just(v[0])).map(lambda t: (t, v[1]))
            )
        )
        def check(case: tuple[str, Any]) -> None:
            text, expected = case
            got = value_of(Settings.from_env({name: text}), var)
            if isinstance(expected, float) and math.isnan(expected):
                raise AssertionError("nan is never allowed")
            assert got == expected, (text, got, expected)
            assert type(got) is type(expected)

        check()

    def test_other_values_are_refused_with_a_message_naming_the_variable(
        self, name: str
    ) -> None:
        var = VARS[name]
        bad = bad_values(var)
        if bad is None:
            assert info(var) == mi.UnionType((mi.StrType(), mi.NoneType())) or (
                var.env == "CONTENT_HUB_DATA_DIR"
            ), f"{name} refuses nothing: give it a strategy in BAD_PARSED"
            return

        @SETTINGS
        @given(bad)
        def check(text: str) -> None:
            with pytest.raises(SettingsError) as caught:
                Settings.from_env({name: text})
            message = str(caught.value)
            assert name in message
            assert repr(text) in message or var.spec.secret
            assert f"allowed: {var.allowed}" in message
            assert len(caught.value.problems) == 1

        check()

    def test_empty_keeps_the_default(self, name: str) -> None:
        assert Settings.from_env({name: " "}) == Settings.from_env({})

    def test_documented(self, name: str) -> None:
        var = VARS[name]
        assert var.spec.doc, f"{name} needs a meaning for the README"
        assert var.allowed


class TestMessages:
    def test_every_bad_variable_is_reported_at_once(self) -> None:
        with pytest.raises(SettingsError) as caught:
            Settings.from_env(
                {
                    "CONTENT_HUB_DEBUG": "on-ish",
                    "CONTENT_HUB_POLL_INTERVAL": "0",
                    "CONTENT_HUB_SCHEDULE_INTERVAL": "-5",
                }
            )
        assert [p.split("=")[0] for p in caught.value.problems] == [
            "CONTENT_HUB_POLL_INTERVAL",
            "CONTENT_HUB_SCHEDULE_INTERVAL",
            "CONTENT_HUB_DEBUG",
        ]
        assert isinstance(caught.value, ValueError)

    @pytest.mark.parametrize("spelling", ["on", "ON", " yes", "True", "1"])
    def test_debug_on_is_true(self, spelling: str) -> None:
        assert Settings.from_env({"CONTENT_HUB_DEBUG": spelling}).debug is True

    def test_url_passwords_are_not_repeated(self) -> None:
        with pytest.raises(SettingsError) as caught:
            Settings.from_env({"CONTENT_HUB_DATABASE_URL": "mysql://app:hunter2@db/x"})
        assert "hunter2" not in str(caught.value)
        assert "mysql://app:***@db/x" in str(caught.value)

    def test_a_misspelt_variable_is_named_with_the_real_one(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING):
            Settings.from_env({"CONTENT_HUB_POLL_INTERVALL": "3"})
        assert (
            "CONTENT_HUB_POLL_INTERVALL is not a content hub setting; did you mean CONTENT_HUB_POLL_INTERVAL?"
            in caplog.text
        )

    def test_the_database_defaults_to_sqlite_in_the_data_dir(
        self, tmp_path: Path
    ) -> None:
        settings = Settings.from_env({"CONTENT_HUB_DATA_DIR": str(tmp_path)})
        assert (
            settings.database.url == f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
        )


class TestCommandLine:
    def test_a_bad_value_stops_the_command_with_the_message(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("CONTENT_HUB_POLL_INTERVAL", "-1")
        assert main(["migrate"]) == 2
        err = capsys.readouterr().err
        assert "CONTENT_HUB_POLL_INTERVAL='-1' is not allowed" in err
        assert f"allowed: {VARS['CONTENT_HUB_POLL_INTERVAL'].allowed}" in err
        assert not (tmp_path / "hub.sqlite3").exists()  # nothing was started

    def test_serve_exits_non_zero_without_a_traceback(self, tmp_path: Path) -> None:
        exe = str(Path(sys.executable).with_name("content-hub"))
        env = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(README.parent),
            "CONTENT_HUB_DATA_DIR": str(tmp_path),
            "CONTENT_HUB_DEBUG": "maybe",
        }
        done = subprocess.run(
            [exe, "serve", "--port", "1"],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert "CONTENT_HUB_DEBUG='maybe' is not allowed" in done.stderr
        assert "allowed: 1, 0, true, false, yes, no, on, off" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout


class TestReadme:
    def test_the_configuration_table_is_the_settings(self) -> None:
        text = README.read_text()
        section = text[text.index("## Configuration\n") :]
        section = section[: section.find("\n## ", 1) % (len(section) + 1)]
        rows = [line for line in section.splitlines() if line.startswith("|")]
        assert "\n".join(rows) == markdown_table(Settings), (
            "README's Configuration table differs from the settings; paste "
            "markdown_table(Settings):\n" + markdown_table(Settings)
        )

    def test_every_variable_the_readme_names_exists(self) -> None:
        named = set(re.findall(r"CONTENT_HUB_[A-Z0-9_]+", README.read_text()))
        unknown = {n for n in named if not n.startswith("CONTENT_HUB_TEST_")} - set(
            VARS
        )
        assert not unknown


class TestNames:
    def test_derived_from_the_field_path_unless_named(self) -> None:
        for var in VARS.values():
            derived = (
                "CONTENT_HUB_"
                + (f"{var.section}_{var.field}" if var.section else var.field).upper()
            )
            assert var.env == derived or var.spec.name, var

    def test_every_field_of_every_section_is_a_variable(self) -> None:
        fields: list[str] = []
        for field in mi.type_info(Settings).fields:
            kind: Callable[..., Any] | mi.Type = field.type
            if isinstance(kind, mi.StructType):
                fields += [f"{field.name}.{f.name}" for f in kind.fields]
            else:
                fields.append(field.name)
        paths = [
            f"{v.section}.{v.field}" if v.section else v.field for v in VARS.values()
        ]
        assert sorted(paths) == sorted(fields)
