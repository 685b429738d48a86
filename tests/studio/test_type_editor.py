"""Creating and editing content types in the Studio over HTTP: the forms
the pages render, posted back as a browser would, change what the API
shows; a breaking change asks for migration defaults and then applies them
as ``?migrate=true`` does; a stale form never overwrites; only editors and
admins get the forms."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form, submit

FIELDS: list[dict[str, Any]] = [
    {"key": "title", "type": "text", "localized": True, "required": True},
    {"key": "score", "type": "text"},
    {"key": "notes", "type": "markdown"},
]


def api_type(client: TestClient[Any], keys: Keys, key: str) -> dict[str, Any]:
    r = client.get(f"/manage/v1/content-types/{key}", headers=keys.headers("manage"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def api_entry(client: TestClient[Any], keys: Keys, entry_id: str) -> dict[str, Any]:
    r = client.get(f"/manage/v1/entries/{entry_id}", headers=keys.headers("manage"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def new_type(client: TestClient[Any], keys: Keys) -> str:
    key = f"t_{uuid.uuid4().hex[:8]}"
    add_type(client, keys.headers("admin"), key, FIELDS, ["web"])
    return key


def replaced(
    pairs: list[tuple[str, str]], changes: dict[str, str | list[str]]
) -> list[tuple[str, str]]:
    """``pairs`` with every value of a changed name replaced (a list: several)."""
    out = [(n, v) for n, v in pairs if n not in changes]
    for name, value in changes.items():
        out += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return out


def row_of(html: str, key: str) -> str:
    """The ``field-<i>-`` prefix of the row that shows field ``key``."""
    pairs = form_fields(html, form_id="type-form")
    name = next(n for n, v in pairs if n.endswith("-key") and v == key)
    return name.removesuffix("key")


class TestCreate:
    def test_create_with_fields_and_validations(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        page = studio.get("/studio/content-types")
        assert 'href="/studio/content-types/new"' in page.text
        added = submit(
            studio,
            "/studio/content-types/new",
            form_id="type-form",
            changes={"add_field": "1"},
        )
        assert added.status_code == 200  # a third blank row, nothing saved
        assert 'name="field-2-key"' in added.text
        r = post_form(
            studio,
            "/studio/content-types",
            replaced(
                form_fields(added.text, form_id="type-form"),
                {
                    "key": "promo",
                    "name": "Promo",
                    "channels": ["web", "sms"],
                    "field-0-key": "headline",
                    "field-0-name": "Headline",
                    "field-0-localized": "1",
                    "field-0-required": "1",
                    "field-0-max_length": "80",
                    "field-1-key": "rank",
                    "field-1-type": "number",
                    "field-1-enum": "1\n2\n3",
                    "field-1-min": "0",
                },
            ),
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == "/studio/content-types/promo"
        ctype = api_type(studio, keys, "promo")
        assert ctype["channels"] == ["web", "sms"]
        title, rank = ctype["fields"]
        assert title["key"] == "headline" and title["localized"] and title["required"]
        assert title["validations"]["max_length"] == 80
        assert rank["type"] == "number" and rank["validations"]["enum"] == [1, 2, 3]
        assert rank["validations"]["min"] == 0

    def test_errors_come_back_inline(self, studio: TestClient[Any]) -> None:
        r = submit(
            studio,
            "/studio/content-types/new",
            form_id="type-form",
            changes={
                "key": "offer",  # exists in the demo
                "name": "Dup",
                "field-0-key": "a",
                "field-0-type": "boolean",
                "field-0-max_length": "x",
            },
        )
        assert r.status_code == 422 and 'role="alert"' in r.text
        assert "max_length: expected a number" in r.text
        r = submit(
            studio,
            "/studio/content-types/new",
            form_id="type-form",
            changes={"key": "offer", "name": "Dup", "field-0-key": "a"},
        )
        assert r.status_code == 409 and "already exists" in r.text


class TestEdit:
    def test_rename_add_remove_and_options(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        key = new_type(studio, keys)
        url = f"/studio/content-types/{key}/edit"
        html = studio.get(url).text
        score, notes = row_of(html, "score"), row_of(html, "notes")
        r = submit(
            studio,
            url,
            form_id="type-form",
            changes={
                "name": "Renamed",
                score + "name": "Score label",
                score + "pattern": "^[a-z]+$",
                notes + "remove": "1",
                "field-3-key": "extra",
                "field-3-type": "json",
            },
        )
        assert r.status_code == 303, r.text
        ctype = api_type(studio, keys, key)
        assert ctype["name"] == "Renamed" and ctype["version"] == 2
        assert [f["key"] for f in ctype["fields"]] == ["title", "score", "extra"]
        assert ctype["fields"][1]["name"] == "Score label"
        assert ctype["fields"][1]["validations"]["pattern"] == "^[a-z]+$"
        shown = studio.get(f"/studio/content-types/{key}")
        assert "Content type saved." in shown.text and "Score label" in shown.text

    def test_breaking_change_asks_for_defaults_then_migrates(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        key = new_type(studio, keys)
        headers = keys.headers("admin")
        old = add_entry(studio, headers, "a", {"title": {"en": "A"}, "score": "x"}, key)
        fine = add_entry(studio, headers, "b", {"title": {"en": "B"}}, key)
        url = f"/studio/content-types/{key}/edit"
        score = row_of(studio.get(url).text, "score")
        change: dict[str, str | list[str]] = {
            score + "type": "number",
            score + "localized": "1",
        }
        refused = submit(studio, url, form_id="type-form", changes=change)
        assert refused.status_code == 409, refused.text
        assert "This change breaks 1 existing entry" in refused.text
        assert f'href="/studio/entries/{old["id"]}"' in refused.text
        assert 'name="default-score"' in refused.text
        assert api_type(studio, keys, key)["version"] == 1  # nothing written
        # "Apply" without a default: the service's 422 names the field
        action = f"/studio/content-types/{key}"
        pairs = [*form_fields(refused.text, form_id="type-form"), ("migrate", "1")]
        missing = post_form(studio, action, pairs)
        assert missing.status_code == 422 and 'id="default-score-err"' in missing.text
        assert api_type(studio, keys, key)["version"] == 1
        pairs = replaced(
            form_fields(missing.text, form_id="type-form"),
            {"default-score": "7", "migrate": "1"},
        )
        applied = post_form(studio, action, pairs)
        assert applied.status_code == 303, applied.text
        ctype = api_type(studio, keys, key)
        assert ctype["version"] == 2 and ctype["fields"][1]["type"] == "number"
        assert api_entry(studio, keys, old["id"])["fields"]["score"] == {"en": 7}
        assert "score" not in api_entry(studio, keys, fine["id"])["fields"]

    def test_stale_version_is_refused(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        key = new_type(studio, keys)
        url = f"/studio/content-types/{key}/edit"
        loaded = form_fields(studio.get(url).text, form_id="type-form")
        action = f"/studio/content-types/{key}"
        first = post_form(studio, action, replaced(loaded, {"name": "First"}))
        assert first.status_code == 303
        stale = post_form(studio, action, replaced(loaded, {"name": "Second"}))
        assert stale.status_code == 412
        assert "Someone else changed this content type" in stale.text
        assert 'value="Second"' in stale.text  # the user's input is kept
        assert api_type(studio, keys, key)["name"] == "First"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER, Role.TRANSLATOR])
def test_only_editors_and_admins_model_content(demo: Settings, role: Role) -> None:
    who = Principal(
        f"user-{role}", f"{role}@example.com", frozenset({Scope.MANAGE}), role=role
    )
    with TestClient(studio_app(demo, who)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        assert (
            "/studio/content-types/new" not in client.get("/studio/content-types").text
        )
        shown = client.get("/studio/content-types/offer")
        assert shown.status_code == 200 and "/edit" not in shown.text
        for path in ("/studio/content-types/new", "/studio/content-types/offer/edit"):
            assert client.get(path).status_code == 403, path
        r = post_form(
            client,
            "/studio/content-types/offer",
            [("version", "1"), ("name", "Taken over"), ("field_count", "0")],
        )
        assert r.status_code == 403
        created = post_form(
            client, "/studio/content-types", [("key", "nope"), ("name", "Nope")]
        )
        assert created.status_code == 403
        assert client.get("/studio/content-types/nope").status_code == 404
