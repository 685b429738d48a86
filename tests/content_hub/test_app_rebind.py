"""An app built once serves other settings after :func:`content_hub.app.rebind`
(the test suite's app cache, ``conftest.app_for``, relies on it): the new
database's keys, content and templates and nothing of the old one's; a
rebinding is refused while the app serves and for settings of another shape.

Renderers are compiled once per process and shared by generations
(``live.templates.COMPILED``): two databases whose templates have the same id
and version but other sources each render their own."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from content_hub.app import create_app, rebind
from content_hub.settings import DatabaseSettings, Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type, publish, publish_template

FIELDS = [{"key": "title", "type": "text", "localized": True, "required": True}]


def _another(tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings of a second, empty SQLite database and data dir."""
    folder = tmp_path / "another"
    folder.mkdir()
    shutil.copy(sqlite_template, folder / "hub.sqlite3")
    url = f"sqlite+aiosqlite:///{folder / 'hub.sqlite3'}"
    return Settings(data_dir=folder, database=DatabaseSettings(url=url))


def _offer(client: TestClient[Any], keys: Keys, template: str) -> str:
    """An offer rendered with the web template ``template`` (version 1)."""
    manage = keys.headers("manage")
    add_type(client, manage, key="offer", fields=FIELDS, channels=["web"])
    publish_template(client, manage, "offer", "web", {"type": "web", "html": template})
    entry = add_entry(
        client, manage, "spring", {"title": {"en": "Spring"}}, type_key="offer"
    )
    publish(client, manage, entry)
    answer = client.post(
        "/render/v1/render",
        json={"type": "offer", "key": "spring", "channel": "web"},
        headers=keys.headers("render"),
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_rebound_app_serves_the_new_settings_and_nothing_of_the_old(
    settings: Settings, keys: Keys, sqlite_template: Path, tmp_path: Path
) -> None:
    app = create_app(settings)
    another = _another(tmp_path, sqlite_template)
    other_keys = Keys(another)
    with TestClient(app) as client:
        assert "first: Spring" in _offer(client, keys, "first: {{ fields.title }}")
        with pytest.raises(RuntimeError, match="serving"):
            rebind(app, another)

    rebind(app, another)
    bound = app.state.bound
    assert app.state.hub.settings.database.url == another.database.url
    assert bound.guard.authenticator is app.state.hub.authenticator
    assert bound.guard.limits is app.state.rate_limits
    assert bound.sessions.backend is app.state.studio_sessions
    with TestClient(app) as client:
        types = "/manage/v1/content-types"
        assert client.get(types, headers=keys.headers("manage")).status_code == 401
        listed = client.get(types, headers=other_keys.headers("manage"))
        assert listed.status_code == 200 and listed.json()["items"] == []
        # the same template id and version as the first database's, its own source
        assert "second: Spring" in _offer(
            client, other_keys, "second: {{ fields.title }}"
        )


@pytest.mark.parametrize("what", ["debug", "access_log", "cors"])
def test_settings_the_app_was_built_with_cannot_be_rebound(
    settings: Settings, what: str
) -> None:
    app = create_app(settings)
    changed = {
        "debug": {"debug": not settings.debug},
        "access_log": {"access_log": not settings.access_log},
        "cors": {
            "cors": msgspec.structs.replace(
                settings.cors, origins=("https://a.example",)
            )
        },
    }[what]
    with pytest.raises(ValueError, match="another app"):
        rebind(app, msgspec.structs.replace(settings, **changed))
    rebind(app, settings)  # the same shape is fine
