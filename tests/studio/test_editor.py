"""The entry editor over HTTP: the form the page renders, posted back as a
browser would, changes what the API shows; errors come back inline; a stale
save never overwrites."""

from __future__ import annotations

import re
import uuid
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type
from tests.studio.conftest import EDITOR
from tests.studio.forms_support import form_fields, post_form, submit

EVERY_TYPE: list[dict[str, Any]] = [
    {
        "key": "title",
        "type": "text",
        "localized": True,
        "required": True,
        "validations": {"max_length": 20},
    },
    {"key": "body", "type": "rich_text", "localized": True},
    {"key": "notes", "type": "markdown", "localized": True},
    {"key": "count", "type": "number", "validations": {"min": 0, "max": 100}},
    {"key": "flag", "type": "boolean"},
    {"key": "day", "type": "date"},
    {"key": "at", "type": "datetime"},
    {"key": "link", "type": "url"},
    {"key": "picture", "type": "media"},
    {"key": "other", "type": "entry", "validations": {"allowed_types": ["article"]}},
    {"key": "related", "type": "references"},
    {"key": "extra", "type": "json"},
    {"key": "tone", "type": "text", "validations": {"enum": ["warm", "cool"]}},
]


def api_entry(client: TestClient[Any], keys: Keys, entry_id: str) -> dict[str, Any]:
    r = client.get(f"/manage/v1/entries/{entry_id}", headers=keys.headers("manage"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def kitchen(client: TestClient[Any], keys: Keys, **fields: Any) -> dict[str, Any]:
    headers = keys.headers("admin")
    if (
        client.get("/manage/v1/content-types/kitchen", headers=headers).status_code
        == 404
    ):
        add_type(client, headers, "kitchen", EVERY_TYPE)
    key = f"k-{uuid.uuid4().hex[:12]}"
    return add_entry(
        client, headers, key, {"title": {"en": "Hello"}, **fields}, "kitchen"
    )


def first_id(client: TestClient[Any], keys: Keys, path: str) -> str:
    r = client.get(path, headers=keys.headers("manage"))
    assert r.status_code == 200, r.text
    return str(r.json()["items"][0]["id"])


def editor(entry: dict[str, Any], target: str = "en") -> str:
    return f"/studio/entries/{entry['id']}?source=en&target={target}"


class TestSave:
    def test_every_field_type_round_trips_through_the_form(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        article = {
            "id": first_id(studio, keys, "/manage/v1/entries?type=article&limit=1")
        }
        media = [first_id(studio, keys, "/manage/v1/media?limit=1")]
        entry = kitchen(studio, keys)
        r = submit(
            studio,
            editor(entry),
            form_id="editor",
            changes={
                "f:title:en": "Hi there",
                "f:body:en": "<div>Rich <strong>text</strong><script>alert(1)</script></div>",
                "f:notes:en": "# Notes",
                "f:count": "42",
                "f:flag": "true",
                "f:day": "2026-05-01",
                "f:at": "2026-05-01T09:30:00+02:00",
                "f:link": "https://example.com/x",
                "f:picture": media[0],
                "f:other": article["id"],
                "f:related": [f"entry:{article['id']}", f"media:{media[0]}"],
                "f:extra": '{"a": [1, 2]}',
                "f:tone": "warm",
            },
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == editor(entry)
        got = api_entry(studio, keys, entry["id"])["fields"]
        assert got["title"] == {"en": "Hi there"}
        assert (
            "<script>" not in got["body"]["en"]
            and "<strong>text</strong>" in got["body"]["en"]
        )
        assert got["notes"] == {"en": "# Notes"}
        assert got["count"] == 42 and got["flag"] is True
        assert got["day"] == "2026-05-01"
        assert got["at"].startswith("2026-05-01T09:30:00")
        assert got["picture"] == {"type": "media", "id": media[0]}
        assert got["other"] == {"type": "entry", "id": article["id"]}
        assert got["related"] == [
            {"type": "entry", "id": article["id"]},
            {"type": "media", "id": media[0]},
        ]
        assert got["extra"] == {"a": [1, 2]} and got["tone"] == "warm"
        # and the page shows them again, unchanged when saved once more
        again = submit(studio, editor(entry), form_id="editor")
        assert again.status_code == 303
        after = api_entry(studio, keys, entry["id"])
        assert after["fields"] == got and after["version"] == 2  # no empty revision
        assert "Nothing to save" in studio.get(again.headers["location"]).text

    def test_target_locale_only_and_the_actor_is_the_user(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        page = studio.get(editor(entry, "de")).text
        assert "falls back to en" in page
        names = {n for n, _ in form_fields(page, form_id="editor")}
        assert "f:title:de" in names and "f:title:en" not in names
        r = submit(
            studio,
            editor(entry, "de"),
            form_id="editor",
            changes={"f:title:de": "Hallo"},
        )
        assert r.status_code == 303
        after = api_entry(studio, keys, entry["id"])
        assert after["fields"]["title"] == {"en": "Hello", "de": "Hallo"}
        assert after["updated_by"] == EDITOR.name
        assert (
            "falls back to en"
            not in studio.get(editor(entry, "de"))
            .text.split('id="in-f-title-de"')[1]
            .split("</div>")[0]
        )
        # emptying the input removes the translation: the fallback is back
        submit(
            studio, editor(entry, "de"), form_id="editor", changes={"f:title:de": ""}
        )
        assert api_entry(studio, keys, entry["id"])["fields"]["title"] == {
            "en": "Hello"
        }

    def test_arabic_is_right_to_left(self, studio: TestClient[Any], keys: Keys) -> None:
        page = studio.get(editor(kitchen(studio, keys), "ar")).text
        assert re.search(r'name="f:title:ar"[^>]*lang="ar" dir="rtl"', page)
        assert 'lang="en" dir="ltr"' in page  # the source column


class TestErrors:
    def test_validation_errors_are_shown_at_their_inputs(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        r = submit(
            studio,
            editor(entry),
            form_id="editor",
            changes={
                "f:title:en": "x" * 30,
                "f:count": "1000",
                "f:extra": "{nope",
                "f:link": "ftp://x",
            },
        )
        assert r.status_code == 422
        html = r.text
        for name, msg in [
            ("f-title-en", "longer than 20 characters"),
            ("f-extra", "not valid JSON"),
        ]:
            assert re.search(rf'id="in-{name}"[^>]*aria-invalid="true"', html), name
            assert re.search(rf'id="in-{name}-err">[^<]*{msg}', html), name
        assert 'value="' + "x" * 30 + '"' in html  # what was typed is kept
        assert api_entry(studio, keys, entry["id"])["version"] == entry["version"]

    def test_service_errors_use_the_api_validators(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        r = submit(
            studio,
            editor(entry),
            form_id="editor",
            changes={"f:count": "1000", "f:link": "ftp://x"},
        )
        assert r.status_code == 422
        assert re.search(r'id="in-f-count-err">[^<]*must be at most 100', r.text)
        assert re.search(r'id="in-f-link-err">[^<]*absolute http', r.text)

    @hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=st.text(max_size=40))
    def test_any_number_input_is_saved_or_refused_inline(
        self, studio: TestClient[Any], keys: Keys, text: str
    ) -> None:
        entry = self._entry(studio, keys)
        version = api_entry(studio, keys, entry["id"])["version"]
        r = submit(studio, editor(entry), form_id="editor", changes={"f:count": text})
        assert r.status_code in (303, 422), r.text
        if r.status_code == 422:
            assert 'id="in-f-count-err"' in r.text or "NUL" in r.text
            assert api_entry(studio, keys, entry["id"])["version"] == version

    _cached: dict[str, Any] = {}

    def _entry(self, studio: TestClient[Any], keys: Keys) -> dict[str, Any]:
        key = str(id(studio))
        if key not in self._cached:
            self._cached.clear()
            self._cached[key] = kitchen(studio, keys)
        return dict(self._cached[key])

    def test_a_bad_key_is_refused_inline(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        r = submit(
            studio, editor(entry), form_id="editor", changes={"key": "Not A Slug!"}
        )
        assert r.status_code == 422
        assert "key" in r.text and 'role="alert"' in r.text


class TestConflict:
    def test_a_stale_save_shows_the_conflict_and_loses_nothing(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys, count=1)
        mine_page = studio.get(editor(entry)).text  # I load version 1
        # meanwhile someone else changes the title through the API
        r = studio.patch(
            f"/manage/v1/entries/{entry['id']}",
            json={"fields": {"title": {"en": "Theirs"}}},
            headers=keys.headers("manage", **{"If-Match": f'"{entry["version"]}"'}),
        )
        assert r.status_code == 200
        pairs = form_fields(mine_page, form_id="editor")
        pairs = [
            (n, {"f:title:en": "Mine", "f:count": "7"}.get(n, v)) for n, v in pairs
        ]
        r = post_form(studio, f"/studio/entries/{entry['id']}", pairs)
        assert r.status_code == 409
        assert "manage-key" in r.text  # who changed it
        assert "Theirs" in r.text and "Mine" in r.text and "changed by both" in r.text
        current = api_entry(studio, keys, entry["id"])
        assert (
            current["fields"]["title"] == {"en": "Theirs"}
            and current["fields"]["count"] == 1
        )
        # keep their title, re-apply my count
        resolve = form_fields(r.text, action=f"/studio/entries/{entry['id']}/resolve")
        resolve = [(n, "theirs" if n == "use:f:title:en" else v) for n, v in resolve]
        done = post_form(studio, f"/studio/entries/{entry['id']}/resolve", resolve)
        assert done.status_code == 303, done.text
        final = api_entry(studio, keys, entry["id"])
        assert (
            final["fields"]["title"] == {"en": "Theirs"}
            and final["fields"]["count"] == 7
        )
        assert final["version"] == current["version"] + 1
