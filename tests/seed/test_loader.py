"""The loader fails loudly and atomically on data the hub refuses."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import seed.data
from content_hub.settings import DatabaseSettings, Settings
from content_hub.store.db import migrate
from seed.loader import SeedError, entry_count, load_demo


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    migrate(url)
    return Settings(data_dir=tmp_path, database=DatabaseSettings(url=url))


def test_a_refused_entry_names_itself_and_leaves_nothing_behind(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad: dict[str, Any] = {
        "type": "offer",
        "key": "too-long",
        "fields": {
            "title": {"en": "x" * 200},
            "price": 1,
            "cta_url": "https://x.example",
        },
    }
    monkeypatch.setattr(seed.data, "ENTRIES", [*seed.data.ENTRIES[:3], bad])
    with pytest.raises(SeedError, match=r"offer/too-long.*fields\.title"):
        asyncio.run(load_demo(settings))
    assert asyncio.run(entry_count(settings)) == 0


def test_an_unknown_reference_fails_loudly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = dict(next(e for e in seed.data.ENTRIES if e["type"] == "offer"))
    offer["fields"] = {**offer["fields"], "product": "@entry:article/nope"}
    monkeypatch.setattr(seed.data, "ENTRIES", [offer])
    with pytest.raises(SeedError, match="@entry:article/nope"):
        asyncio.run(load_demo(settings))
