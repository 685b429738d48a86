"""Hostile ``CONTENT_HUB_*`` values (issue 13, section 6): every variable the
README documents, given values of the wrong kind, either gives settings or
fails at start with a message that names the variable (not a bare
``ValueError`` from deep inside the parser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.settings import Settings
from tests.hostile.conftest import budget

README = Path(__file__).resolve().parents[2] / "README.md"
VARIABLES = sorted(set(re.findall(r"CONTENT_HUB_[A-Z0-9_]+", README.read_text())))
#: Test-only variables the README may name beside the settings.
NOT_SETTINGS = {"CONTENT_HUB_TEST_DATABASE_URL"}

values = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "-0.0",
            "abc",
            "1e999",
            "nan",
            "inf",
            "-inf",
            "on",
            "maybe",
            "9" * 100,
            "1,2,3",
            "é",
            "sample:2",
            "postgresql://",
            "sqlite:////nonexistent/\u00e9/x.db",
            "*",
            "~0",  # expanduser() raised RuntimeError: an unknown user's home
            "~no-such-user/x",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=20),
)


def test_the_readme_documents_variables() -> None:
    assert len(VARIABLES) >= 8, VARIABLES


def _refusal(environ: dict[str, str]) -> Exception | None:
    try:
        Settings.from_env(environ)
    except Exception as exc:  # what start-up would print
        return exc
    return None


@pytest.mark.parametrize("name", [v for v in VARIABLES if v not in NOT_SETTINGS])
@budget(25)
@given(value=values)
def test_a_bad_value_is_refused_by_name(
    name: str, value: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = str(tmp_path_factory.getbasetemp())
    refusal = _refusal({"CONTENT_HUB_DATA_DIR": base, name: value})
    if refusal is not None:  # the message must say which variable is wrong
        assert name in str(refusal), f"{name}={value!r}: {refusal!r}"


INTERVALS = [v for v in VARIABLES if v.endswith(("_INTERVAL", "_SECONDS", "_TIMEOUT"))]


@pytest.mark.parametrize("name", INTERVALS)
@pytest.mark.parametrize("value", ["0", "-1", "-0.5", "nan", "inf"])
def test_an_interval_must_be_positive_and_finite(
    name: str, value: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if value == "0" and name == "CONTENT_HUB_AUTH_CACHE_SECONDS":
        return  # 0 is documented: look the key up on every request
    base = str(tmp_path_factory.getbasetemp())
    refusal = _refusal({"CONTENT_HUB_DATA_DIR": base, name: value})
    assert refusal is not None, f"{name}={value} was accepted"
    assert name in str(refusal), repr(refusal)


@pytest.mark.parametrize("value", ["on", "maybe", "2", "yes please"])
def test_debug_is_a_boolean_or_refused(
    value: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``CONTENT_HUB_DEBUG=on`` was silently false."""
    base = str(tmp_path_factory.getbasetemp())
    environ = {"CONTENT_HUB_DATA_DIR": base, "CONTENT_HUB_DEBUG": value}
    refusal = _refusal(environ)
    if refusal is None:  # only "on" may be taken (as true), nothing silently false
        assert value == "on", f"CONTENT_HUB_DEBUG={value} was accepted"
        assert Settings.from_env(environ).debug is True
    else:
        assert "CONTENT_HUB_DEBUG" in str(refusal), repr(refusal)
