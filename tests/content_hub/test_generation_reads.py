"""The generation reads: published copies streamed and decoded from the stored
JSON text, personalisation kept encoded and read incrementally.

Through the API on SQLite and PostgreSQL (PostgreSQL hands ``jsonb::text``
back unescaped, SQLite the escaped text the driver wrote), with values that
exercise both: non-ASCII in several scripts, quotes, backslashes, line
separators, nested JSON.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.packed import PackedDocuments
from content_hub.settings import Settings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.store.repositories import EntryRepository
from content_hub.store.repositories import render as render_repo
from content_hub.store.repositories.render import PersonalizationRepository
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish

TEXTS = [
    "Grüße aus Zürich",
    "春季电动自行车优惠",
    "emoji 🚲 and \u2028 line separator",
    'quote " and back\\slash',
    "tab\tand newline\nhere",
    "",
]
FIELDS = [
    {"key": "title", "type": "text", "localized": True, "required": True},
    {"key": "notes", "type": "markdown", "localized": True},
    {"key": "extra", "type": "json"},
    {"key": "price", "type": "number"},
]


def _fields(i: int) -> dict[str, Any]:
    text = TEXTS[i % len(TEXTS)]
    return {
        "title": {"en": f"t{i} {text}".strip(), "de": f"de {i} {TEXTS[(i + 1) % 6]}"},
        "notes": {"en": f"*{i}* {text}"},
        "extra": {"nested": [i, {"text": text, "flag": i % 2 == 0}], "n": None},
        "price": i * 1.5,
    }


def _read(settings: Settings, work: Any) -> Any:
    async def run() -> Any:
        engine = create_engine(settings.database.url)
        try:
            async with create_session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _setup(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_type(client, admin, "note", FIELDS, ["web"])
    return admin


class TestPublishedRead:
    def test_it_returns_the_published_revision_as_stored(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        admin = _setup(client, keys)
        published: dict[str, dict[str, Any]] = {}
        for i in range(14):
            entry = add_entry(client, admin, f"n{i}", _fields(i), type_key="note")
            if i % 3 == 2:
                continue  # a draft only
            live = publish(client, admin, entry)
            published[entry["id"]] = live["fields"]
            if i % 4 == 0:  # a newer draft must not leak into the published copy
                r = client.patch(
                    f"/manage/v1/entries/{entry['id']}",
                    json={"fields": {"title": {"en": "draft"}}},
                    headers={**admin, "If-Match": f'"{live["version"]}"'},
                )
                assert r.status_code == 200, r.text
        every = _read(settings, lambda s: EntryRepository(s).published())
        assert {e.id: e.fields for e in every} == published
        assert {e.type for e in every} == {"note"}
        some = list(published)[::2]
        picked = _read(settings, lambda s: EntryRepository(s).published(some))
        assert {e.id: e.fields for e in picked} == {i: published[i] for i in some}


def _personalise(
    client: TestClient[Any], admin: dict[str, str], entry: dict[str, Any], n: int
) -> dict[str, Any]:
    body = {
        "variants": {f"v{n}": {"fields": {"title": {"de": f"{TEXTS[n % 6]} {n}"}}}},
        "rules": [
            {
                "type": "personalise",
                "id": "r",
                "condition": {"n": {"$gte": n}},
                "variant": f"v{n}",
            }
        ],
    }
    r = client.put(
        f"/manage/v1/entries/{entry['id']}/personalization",
        json=body,
        headers={**admin, "If-Match": f'"{entry["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return dict(client.get(f"/manage/v1/entries/{entry['id']}", headers=admin).json())


class TestPersonalizationRead:
    @pytest.mark.parametrize("whole_table", [0, 10_000])
    def test_each_version_gets_the_document_in_effect_then(
        self,
        client: TestClient[Any],
        keys: Keys,
        settings: Settings,
        monkeypatch: pytest.MonkeyPatch,
        whole_table: int,
    ) -> None:
        monkeypatch.setattr(render_repo, "WHOLE_TABLE", whole_table)
        admin = _setup(client, keys)
        history: dict[str, list[tuple[int, str | None]]] = {}
        for i in range(5):
            entry = add_entry(client, admin, f"p{i}", _fields(i), type_key="note")
            steps: list[tuple[int, str | None]] = [(entry["version"], None)]
            for n in range(i % 3):
                entry = _personalise(client, admin, entry, n + i)
                steps.append((entry["version"], f"v{n + i}"))
            history[entry["id"]] = steps
        for position in (0, -1):
            versions = {e: steps[position][0] for e, steps in history.items()}
            docs = _read(
                settings,
                lambda s, v=versions: PersonalizationRepository(s).as_of_many(v),
            )
            expected = {
                e: steps[position][1]
                for e, steps in history.items()
                if steps[position][1] is not None
            }
            assert {e: next(iter(docs[e]["variants"])) for e in docs} == expected
            assert set(docs) == set(expected) and len(docs) == len(expected)

    def test_with_the_previous_documents_only_changes_are_read(
        self, client: TestClient[Any], keys: Keys, settings: Settings
    ) -> None:
        admin = _setup(client, keys)
        entries = [
            _personalise(
                client,
                admin,
                add_entry(client, admin, f"q{i}", _fields(i), type_key="note"),
                i,
            )
            for i in range(4)
        ]
        first = _read(
            settings,
            lambda s: PersonalizationRepository(s).as_of_many(
                {e["id"]: e["version"] for e in entries}
            ),
        )
        changed = _personalise(client, admin, entries[1], 9)
        now = {e["id"]: e["version"] for e in entries[2:]} | {
            changed["id"]: changed["version"]
        }
        second = _read(
            settings,
            lambda s: PersonalizationRepository(s).as_of_many(now, previous=first),
        )
        assert set(second) == set(now)
        assert next(iter(second[changed["id"]]["variants"])) == "v9"
        for e in entries[2:]:  # unchanged: the same encoded document, not re-read
            assert second.raw(e["id"]) is first.raw(e["id"])
        assert next(iter(first[changed["id"]]["variants"])) == "v1"  # kept as it was


class TestPackedDocuments:
    def test_every_read_is_a_fresh_copy(self) -> None:
        docs = PackedDocuments({"a": b'{"x": {"y": [1, 2]}}'}, {"a": 1, "b": 2})
        first = docs["a"]
        first["x"]["y"].append(3)
        assert docs["a"] == {"x": {"y": [1, 2]}}
        assert docs.get("b") is None and docs.get("b", {}) == {}
        assert "a" in docs and "b" not in docs and list(docs) == ["a"]
        assert len(docs) == 1 and dict(docs) == {"a": {"x": {"y": [1, 2]}}}

    def test_replaced_leaves_the_original(self) -> None:
        docs = PackedDocuments({"a": b"{}", "b": b'{"k": 1}'})
        new = docs.replaced({"c": b'{"k": 2}'}, ["a"], {"b": 1, "c": 1})
        assert dict(new) == {"b": {"k": 1}, "c": {"k": 2}}
        assert new.versions == {"b": 1, "c": 1}
        assert dict(docs) == {"a": {}, "b": {"k": 1}} and docs.versions is None
