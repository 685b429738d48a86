from __future__ import annotations

from pathlib import Path

import pytest

from content_hub.cli import main


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
