"""The entry list's translation filter ("missing translations in L",
"complete in L") over generated entries: what the list shows, page by page
and combined with the other filters and search, is what a Python reading of
the rule expects (a localised field with a value in some locale has none in
L itself). Runs on SQLite and, with a test database URL, PostgreSQL."""

from __future__ import annotations

import random
import re
import time
import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type

ROW = re.compile(r'scope="row"><a href="/studio/entries/(\w+)"')
TEXTS: list[Any] = ["x", "", "Zeile"]
JSONS: list[Any] = [0, False, [], {}, "s", {"k": None}]


def listed(client: TestClient[Any], query: str) -> list[str]:
    """Every entry id the list shows for ``query``, following the pages."""
    shown: list[str] = []
    for number in range(1, 50):
        r = client.get(f"/studio/entries?{query}&page={number}")
        assert r.status_code == 200, r.text
        shown += ROW.findall(r.text)
        if 'rel="next"' not in r.text:
            return shown
    raise AssertionError("too many pages")


def lacks(fields: dict[str, Any], localized: list[str], code: str) -> bool:
    return any(
        isinstance(value := fields.get(key), dict)
        and len(value) > 0
        and value.get(code) is None
        for key in localized
    )


def generated(
    client: TestClient[Any], keys: Keys, codes: list[str], seed: int
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]], str]:
    """Two fresh types (one with localised text and JSON fields, one with no
    localised field) and 24 entries with values in random locale subsets."""
    rng = random.Random(seed)
    headers = keys.headers("admin")
    suffix = uuid.uuid4().hex[:6]
    rich, plain = f"tr_{suffix}", f"tp_{suffix}"
    add_type(
        client,
        headers,
        rich,
        [
            {"key": "title", "type": "text", "localized": True},
            {"key": "data", "type": "json", "localized": True},
            {"key": "tag", "type": "text"},
        ],
    )
    add_type(client, headers, plain, [{"key": "tag", "type": "text"}])
    localized = {rich: ["title", "data"], plain: []}
    word = f"wombat{suffix}"
    made: dict[str, dict[str, Any]] = {}
    for i in range(24):
        type_key = rich if i % 4 else plain
        fields: dict[str, Any] = {"tag": word if i % 2 else "other"}
        for key, values in (("title", TEXTS), ("data", JSONS)):
            if type_key == rich and rng.random() < 0.8:
                chosen = rng.sample(codes, rng.randint(0, len(codes)))
                fields[key] = {code: rng.choice(values) for code in chosen}
        entry = add_entry(client, headers, f"e-{i}", fields, type_key)
        if i % 3 == 0:
            r = client.post(
                f"/manage/v1/entries/{entry['id']}/archive",
                headers={**headers, "If-Match": f'"{entry["version"]}"'},
            )
            assert r.status_code == 200, r.text
        made[entry["id"]] = {**entry, "archived": i % 3 == 0}
    return made, localized, word


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_the_rule(studio: TestClient[Any], keys: Keys, seed: int) -> None:
    r = studio.get("/manage/v1/locales", headers=keys.headers("admin"))
    codes = [loc["code"] for loc in r.json()["items"]]
    assert len(codes) >= 3
    made, localized, word = generated(studio, keys, codes, seed)
    stored = {
        i: studio.get(f"/manage/v1/entries/{i}", headers=keys.headers("manage")).json()
        for i in made
    }

    def expect(code: str, missing: bool, type_key: str | None = None) -> set[str]:
        return {
            i
            for i, e in stored.items()
            if lacks(e["fields"], localized[e["type"]], code) == missing
            and type_key in (None, e["type"])
        }

    rich = next(k for k, v in localized.items() if v)
    for code in codes:
        for kind in ("missing", "complete"):
            missing = kind == "missing"
            for type_key in localized:
                shown = listed(studio, f"type={type_key}&translation={kind}:{code}")
                assert len(shown) == len(set(shown))
                assert set(shown) == expect(code, missing, type_key), (code, kind)
            everything = set(listed(studio, f"translation={kind}:{code}&sort=key"))
            assert everything & set(made) == expect(code, missing)
            drafts = set(
                listed(studio, f"type={rich}&status=draft&translation={kind}:{code}")
            )
            assert drafts == {
                i for i in expect(code, missing, rich) if not made[i]["archived"]
            }
    assert expect(codes[0], True, rich) and expect(codes[0], False, rich)
    # with a search: the hits the filter keeps
    code = codes[1]
    tagged = {
        i
        for i, e in stored.items()
        if e["fields"]["tag"] == word and not made[i]["archived"]
    }
    every_tagged = {i for i, e in stored.items() if e["fields"]["tag"] == word}

    def searched(kind: str) -> set[str]:
        return set(listed(studio, f"q={word}&translation={kind}:{code}"))

    deadline = time.monotonic() + 30
    while not tagged <= (searched("missing") | searched("complete")):
        assert time.monotonic() < deadline, "search index did not catch up"
        time.sleep(0.2)
    hits = searched("missing") | searched("complete")
    assert hits <= every_tagged
    for kind in ("missing", "complete"):
        assert searched(kind) == hits & expect(code, kind == "missing")
    assert searched("missing") and searched("complete")


def test_unknown_translation_values_are_no_filter(studio: TestClient[Any]) -> None:
    every = studio.get("/studio/entries").text
    total = re.search(r"(\d+) entries", every)
    assert total
    for value in ("missing:xx", "sideways:en", "missing", ""):
        r = studio.get(f"/studio/entries?translation={value}")
        assert r.status_code == 200 and f"{total.group(1)} entries" in r.text
    page = studio.get("/studio/entries?translation=complete:de").text
    assert '<option value="complete:de" selected>' in page


def test_sort_by_title_follows_the_title_column(
    studio: TestClient[Any], keys: Keys
) -> None:
    """``sort=title`` orders by what the Title column shows (the first text
    field, the default locale first, then the other locales)."""
    headers = keys.headers("admin")
    type_key = f"ts_{uuid.uuid4().hex[:6]}"
    add_type(
        studio,
        headers,
        type_key,
        [
            {"key": "n", "type": "number"},
            {"key": "t", "type": "text", "localized": True},
        ],
    )
    rng = random.Random(3)
    for i in range(12):
        code = rng.choice(["en", "de"])
        title = "".join(rng.choice("abcdefgh") for _ in range(6))
        add_entry(studio, headers, f"s-{i}", {"t": {code: title}}, type_key)
    add_entry(studio, headers, "untitled", {"n": 1}, type_key)
    html = studio.get(f"/studio/entries?type={type_key}&sort=title").text
    titles = re.findall(r"</a></th>\s*<td[^>]*>([^<]*)</td>", html)
    assert len(titles) == 13
    assert titles[:-1] == sorted(titles[:-1]) and titles[-1] == ""
