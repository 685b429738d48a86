"""Settings from ``CONTENT_HUB_*``: every variable decodes its allowed values and
refuses every other value with a message naming it; the README documents
exactly the variables there are.

The value strategies (``settings_strategies``) are derived from each field's
type and constraints, so a field added later is covered without a new test.
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
from content_hub.settings import (
    Settings,
    SettingsError,
    variables,
)
from content_hub.settings_env import Var, markdown_table
from tests.content_hub.settings_strategies import bad_values, good_values, padded

README = Path(__file__).parents[2] / "README.md"
VARS = {var.env: var for var in variables(Settings)}
SETTINGS = hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def value_of(settings: Settings, var: Var) -> Any:
    holder: Any = getattr(settings, var.section) if var.section else settings
    return getattr(holder, var.field)


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
        if bad is None:  # free text, or a parser that takes anything
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
