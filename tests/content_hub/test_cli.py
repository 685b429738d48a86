"""The ``content-hub`` command: keys, and finding the demo loader by its
entry point (the hub never imports ``seed``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from content_hub import cli
from content_hub.cli import main
from content_hub.services import commands
from content_hub.settings import Settings


def test_keys_create_prints_the_key_alone_on_the_last_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CONTENT_HUB_DATABASE_URL", raising=False)
    assert main(["migrate"]) == 0
    assert (
        main(
            [
                "keys",
                "create",
                "--scope",
                "delivery",
                "--scope",
                "render",
                "--name",
                "site",
            ]
        )
        == 0
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("chk_")
    assert " " not in last
    assert (tmp_path / "hub.sqlite3").exists()


def test_unknown_scope_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit):
        main(["keys", "create", "--scope", "root"])


class Report:
    def __init__(self, line: str) -> None:
        self.line = line

    def summary(self) -> str:
        return self.line


class RecordingLoader:
    """A demo loader that records what the CLI asked of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    async def load_demo(self, settings: Settings) -> Report:
        self.calls.append(("demo", settings.database.url))
        return Report("entries: 1 new / 1")

    async def load_synthetic(
        self,
        settings: Settings,
        n: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> Report:
        self.calls.append(("synthetic", n))
        if progress is not None:
            progress(n, n)
        return Report(f"entries: {n} new / {n}")


class FakeEntryPoint:
    """An installed entry point of the demo group (what ``load`` gives)."""

    def __init__(self, name: str, target: object, value: str = "x.y") -> None:
        self.name, self.value, self.target = name, value, target

    def load(self) -> object:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Pretend these entry points are what is installed in the group."""
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CONTENT_HUB_DATABASE_URL", raising=False)

    def install(*points: FakeEntryPoint) -> None:
        def entry_points(*, group: str) -> list[FakeEntryPoint]:
            assert group == commands.DEMO_GROUP
            return list(points)

        monkeypatch.setattr(commands, "entry_points", entry_points)

    return install


@pytest.mark.parametrize("command", [["seed"], ["seed", "--demo", "voltaro"]])
def test_seed_without_a_demo_loader_says_what_to_install(
    installed: Callable[..., None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    installed()
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "no demo loader is installed" in err
    assert "content_hub.demo" in err
    assert "Traceback" not in err
    assert not (tmp_path / "hub.sqlite3").exists()  # refused before any work


def test_quickstart_without_a_demo_loader_neither_migrates_nor_serves(
    installed: Callable[..., None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    installed()
    served: list[object] = []
    monkeypatch.setattr(cli, "_serve", lambda *args: served.append(args))
    assert main(["quickstart"]) == 2
    assert "no demo loader is installed" in capsys.readouterr().err
    assert served == []
    assert not (tmp_path / "hub.sqlite3").exists()


def test_seed_runs_the_chosen_loader_of_several(
    installed: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = RecordingLoader(), RecordingLoader()
    installed(FakeEntryPoint("first", first), FakeEntryPoint("second", second))
    assert main(["seed", "--demo", "second", "--synthetic", "3"]) == 0
    assert first.calls == []
    assert [kind for kind, _ in second.calls] == ["demo", "synthetic"]
    assert second.calls[1] == ("synthetic", 3)
    out = capsys.readouterr()
    assert "demo: entries: 1 new / 1" in out.out
    assert "synthetic: entries: 3 new / 3" in out.out
    assert "3/3 entries" in out.err


def test_the_only_loader_needs_no_name(
    installed: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    only = RecordingLoader()
    installed(FakeEntryPoint("only", only))
    assert main(["seed"]) == 0
    assert [kind for kind, _ in only.calls] == ["demo"]


class NotALoader:
    async def load_demo(self, settings: Settings) -> Report:
        return Report("")


@pytest.mark.parametrize(
    ("points", "command", "message"),
    [
        (
            [("a", RecordingLoader()), ("b", RecordingLoader())],
            ["seed"],
            "several demo loaders are installed (a, b); choose one with --demo NAME",
        ),
        (
            [("a", RecordingLoader()), ("b", RecordingLoader())],
            ["seed", "--demo", "c"],
            "no demo loader 'c'; installed: a, b",
        ),
        (
            [("a", ModuleNotFoundError("No module named 'gone'"))],
            ["seed"],
            "the demo loader 'a' (x.y) failed to load: No module named 'gone'",
        ),
        (
            [("a", NotALoader())],
            ["quickstart"],
            "the demo loader 'a' (x.y) has no load_demo/load_synthetic coroutines",
        ),
        ([("a", object())], ["seed", "--demo", "a"], "has no load_demo"),
    ],
)
def test_an_unusable_choice_of_loader_is_a_clear_error(
    installed: Callable[..., None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    points: list[tuple[str, object]],
    command: list[str],
    message: str,
) -> None:
    installed(*(FakeEntryPoint(name, target) for name, target in points))
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith("content-hub: ") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "hub.sqlite3").exists()
