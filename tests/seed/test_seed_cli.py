"""``content-hub seed`` and ``content-hub quickstart`` load the demo once."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from pathlib import Path

import pytest

from content_hub import cli
from content_hub.domain.keys import Principal, Scope
from content_hub.services.keys import Authenticator
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from seed.loader import entry_count
from tests.content_hub.conftest import BACKENDS, _reset_postgres, postgres_url

__all__ = ["postgres_url"]  # the session's migrated PostgreSQL database


@pytest.fixture(params=BACKENDS)
def data_dir(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The CLI's environment: SQLite in the data dir, or the test PostgreSQL."""
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    if request.param == "sqlite":
        monkeypatch.delenv("CONTENT_HUB_DATABASE_URL", raising=False)
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
        monkeypatch.setenv("CONTENT_HUB_DATABASE_URL", url)
    return tmp_path


def _summaries(out: str) -> dict[str, dict[str, tuple[int, int]]]:
    """``{"demo": {kind: (new, total)}, "synthetic": {...}}`` of a seed run."""
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for line in out.splitlines():
        label, sep, rest = line.strip().partition(": ")
        if not sep or label not in ("demo", "synthetic"):
            continue
        counts = {}
        for part in rest.split(", "):
            match = re.fullmatch(r"(\w+): (\d+) new / (\d+)", part)
            assert match, part
            counts[match[1]] = (int(match[2]), int(match[3]))
        found[label] = counts
    return found


def test_seed_with_synthetic_entries_twice(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["seed", "--synthetic", "7"]) == 0
    first = capsys.readouterr()
    assert "7/7 entries" in first.err  # the progress bar
    runs = [_summaries(first.out)]
    assert runs[0]["demo"]["entries"] == (40, 40)
    assert runs[0]["synthetic"]["entries"] == (7, 7)
    assert runs[0]["synthetic"]["personalized_entries"] == (7, 7)
    assert runs[0]["demo"]["personalized_entries"][0] > 0
    for _ in range(2):
        assert cli.main(["seed", "--synthetic", "7"]) == 0
        runs.append(_summaries(capsys.readouterr().out))
    # every run prints the same lines and totals, counting what exists; a
    # re-run creates nothing
    for later in runs[1:]:
        for label, counts in runs[0].items():
            assert {k: t for k, (_, t) in later[label].items()} == {
                k: t for k, (_, t) in counts.items()
            }
            assert all(new == 0 for new, _ in later[label].values())
    assert asyncio.run(entry_count(Settings.from_env())) == 47


def test_quickstart_seeds_before_serving(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[int] = []

    def fake_serve(settings: Settings, args: argparse.Namespace) -> None:
        served.append(asyncio.run(entry_count(settings)))

    monkeypatch.setattr(cli, "_serve", fake_serve)
    assert cli.main(["quickstart"]) == 0
    assert cli.main(["quickstart"]) == 0
    assert served == [40, 40]
    assert "render    key:" in capsys.readouterr().out


def test_quickstart_keys_are_created_once_and_completed(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_serve", lambda settings, args: None)
    assert cli.main(["quickstart"]) == 0
    path = data_dir / "demo-keys.json"
    first = json.loads(path.read_text())
    assert set(first) == set(cli.DEMO_KEYS) >= {"admin", "delivery", "preview"}
    assert path.stat().st_mode & 0o777 == 0o600
    # an older demo without a preview key gets one; the others are kept
    older = {k: v for k, v in first.items() if k != "preview"}
    path.write_text(json.dumps(older))
    assert cli.main(["quickstart"]) == 0
    second = json.loads(path.read_text())
    assert {k: second[k] for k in older} == older
    assert second["preview"] not in first.values()
    settings = Settings.from_env()
    scopes = {
        name: asyncio.run(_principal(settings, secret)).scopes
        for name, secret in second.items()
    }
    assert scopes["preview"] >= {Scope.RENDER, Scope.PREVIEW}
    assert Scope.PREVIEW not in scopes["render"]


async def _principal(settings: Settings, secret: str) -> Principal:
    engine = create_engine(settings.database.url)
    try:
        principal = await Authenticator(create_session_factory(engine), 0).principal(
            secret
        )
    finally:
        await engine.dispose()
    assert principal is not None
    return principal
