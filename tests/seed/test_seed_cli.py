"""``content-hub seed`` and ``content-hub quickstart`` load the demo once."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from content_hub import cli
from content_hub.settings import Settings
from seed.loader import entry_count


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CONTENT_HUB_DATABASE_URL", raising=False)
    return tmp_path


def test_seed_with_synthetic_entries_twice(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["seed", "--synthetic", "7"]) == 0
    first = capsys.readouterr()
    assert "entries: 40 new / 40" in first.out
    assert "entries: 7 new / 7" in first.out
    assert "7/7 entries" in first.err  # the progress bar
    assert cli.main(["seed", "--synthetic", "7"]) == 0
    second = capsys.readouterr().out
    assert "entries: 0 new / 40" in second
    assert "entries: 0 new / 7" in second
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
