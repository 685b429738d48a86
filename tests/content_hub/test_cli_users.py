"""``content-hub users create`` and the quickstart's demo admin; the
database session store."""

from __future__ import annotations

import asyncio
import io
import json
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub import cli
from content_hub.app import create_app
from content_hub.cli import main
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.store.web_sessions import DatabaseSessionStore
from tests.content_hub.users_support import cheap_passwords  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_passwords")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTENT_HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CONTENT_HUB_DATABASE_URL", raising=False)
    return tmp_path


def _signs_in(email: str, password: str) -> bool:
    with TestClient(create_app(Settings.from_env())) as client:
        response = client.post(
            "/studio/sign-in", json={"email": email, "password": password}
        )
        return response.status_code == 200


def test_users_create_prints_a_password_that_signs_in(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["users", "create", "--email", "Ed@Example.com", "--role", "editor"]) == 0
    )
    password = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(password) >= 20
    assert _signs_in("ed@example.com", password)
    assert not _signs_in("ed@example.com", password + "x")


def test_users_create_reads_a_password_from_stdin(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long chosen password\n"))
    args = ["users", "create", "--email", "t@example.com", "--role", "translator"]
    assert main([*args, "--locale", "en", "--password-stdin"]) == 0
    assert "a long chosen password" not in capsys.readouterr().out
    assert _signs_in("t@example.com", "a long chosen password")


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "translator"],  # no locale
        ["--role", "translator", "--locale", "fr"],  # not configured
        ["--role", "editor", "--locale", "en"],
    ],
)
def test_users_create_refusals_exit_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(["users", "create", "--email", "x@example.com", *args]) == 2
    assert "locale" in capsys.readouterr().err


def test_users_create_duplicate_and_short_password(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        main(["users", "create", "--email", "x@example.com", "--role", "viewer"]) == 0
    )
    assert (
        main(["users", "create", "--email", "X@example.com", "--role", "viewer"]) == 2
    )
    assert "exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    args = ["users", "create", "--email", "y@example.com", "--role", "viewer"]
    assert main([*args, "--password-stdin"]) == 2


def test_demo_admin_is_created_once(data_dir: Path) -> None:
    settings = Settings.from_env()
    assert main(["migrate"]) == 0
    first = asyncio.run(cli._ensure_demo_admin(settings))
    second = asyncio.run(cli._ensure_demo_admin(settings))
    assert first == second and first[0] == "admin@example.com"
    path = data_dir / "demo-admin.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["password"] == first[1]
    assert _signs_in(*first)
    path.unlink()  # a lost password: a new one, for the same account
    third = asyncio.run(cli._ensure_demo_admin(settings))
    assert third[1] != first[1] and _signs_in(*third) and not _signs_in(*first)


def test_database_session_store(settings: Settings) -> None:
    async def run() -> dict[str, Any]:
        engine = create_engine(settings.database.url)
        store = DatabaseSessionStore(create_session_factory(engine))
        try:
            await store.set("a", b"one", expires_in=60)
            await store.set("a", b"two", expires_in=60)
            await store.set("b", "text", expires_in=timedelta(seconds=60))
            await store.set("old", b"x", expires_in=1)
            await store.set("forever", b"x")
            got = {
                "a": await store.get("a"),
                "b": await store.get("b"),
                "missing": await store.get("missing"),
                "a_expires": await store.expires_in("a"),
                "forever_expires": await store.expires_in("forever"),
            }
            await asyncio.sleep(1.1)
            got["old"] = await store.get("old")
            await store.set("c", b"x", expires_in=1)
            await asyncio.sleep(1.1)
            got["swept"] = await store.delete_expired()
            await store.delete("a")
            got["a_deleted"] = await store.exists("a")
            await store.delete_all()
            got["b_after_all"] = await store.get("b")
            return got
        finally:
            await engine.dispose()

    got = asyncio.run(run())
    assert got["a"] == b"two" and got["b"] == b"text" and got["missing"] is None
    assert 55 <= got["a_expires"] <= 60 and got["forever_expires"] is None
    assert got["old"] is None and got["swept"] == 1
    assert got["a_deleted"] is False and got["b_after_all"] is None


def test_session_ids_are_stored_hashed(settings: Settings) -> None:
    async def run() -> list[str]:
        import sqlalchemy as sa

        engine = create_engine(settings.database.url)
        store = DatabaseSessionStore(create_session_factory(engine))
        try:
            await store.set("the-secret-id", msgspec.json.encode({"k": 1}), 60)
            async with engine.connect() as conn:
                rows = await conn.execute(sa.text("SELECT id FROM web_session"))
                return [r[0] for r in rows]
        finally:
            await engine.dispose()

    ids = asyncio.run(run())
    assert len(ids) == 1 and ids[0] != "the-secret-id" and len(ids[0]) == 64
