"""The loader fails loudly and atomically on data the hub refuses."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import seed.data
from content_hub.settings import Settings
from seed.loader import SeedError, entry_count, load_demo, load_synthetic
from tests.content_hub.conftest import postgres_url, settings, sqlite_template

# a migrated database per test: SQLite, and PostgreSQL when configured
__all__ = ["postgres_url", "settings", "sqlite_template"]


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


def test_synthetic_loads_resume_and_a_refused_chunk_is_rolled_back(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed.loader, "CHUNK", 2)
    done: list[tuple[int, int]] = []
    first = asyncio.run(load_synthetic(settings, 3, lambda *p: done.append(p)))
    assert done == [(2, 3), (3, 3)]
    assert first.created == {"entries": 3, "personalized_entries": 3}
    again = asyncio.run(load_synthetic(settings, 5))
    assert again.created == {"entries": 2, "personalized_entries": 2}
    assert again.existing == {"entries": 3, "personalized_entries": 3}
    assert asyncio.run(entry_count(settings)) == 5

    real = seed.loader.synthetic_entry

    def refusing(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
        entry, personal = real(i)
        if i == 7:  # the second entry of the chunk 6..7
            entry = {**entry, "fields": {**entry["fields"], "nope": 1}}
        return entry, personal

    monkeypatch.setattr(seed.loader, "synthetic_entry", refusing)
    with pytest.raises(SeedError, match="synthetic-7"):
        asyncio.run(load_synthetic(settings, 9))
    # the chunk 4..5 is committed; 6..7 left nothing behind (not even 6)
    assert asyncio.run(entry_count(settings)) == 6
