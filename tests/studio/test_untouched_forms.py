"""The editor form posted back untouched, by every role that may save, for
every target locale, over an entry with every field type, terms and
references filled: nothing changes and nothing is refused.

A disabled control is not submitted by a browser; a hidden marker beside it
("this multi-select is in the form") must then be absent too, or the save
reads "cleared" and a translator is refused for a field they never touched
(seen: the taxonomy terms)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.keys import Principal
from content_hub.domain.roles import Role
from content_hub.domain.users import ROLE_SCOPES
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form
from tests.studio.test_editor import api_entry, editor, first_id, kitchen

TARGETS = ["en", "de", "nb", "ar"]


def person(role: Role, locales: frozenset[str] = frozenset()) -> Principal:
    return Principal(
        f"user-{role.value}",
        f"{role.value}@example.com",
        ROLE_SCOPES[role],
        role=role,
        locales=locales,
    )


PEOPLE = {
    "admin": person(Role.ADMIN),
    "editor": person(Role.EDITOR),
    "translator-nb": person(Role.TRANSLATOR, frozenset({"nb"})),
    "translator-de-ar": person(Role.TRANSLATOR, frozenset({"de", "ar"})),
}


@pytest.fixture
def full_entry(
    demo: Settings,
    keys: Keys,
) -> Iterator[tuple[TestClient[Any], dict[str, Any]]]:
    """An entry of the every-field-type content type with every field, two
    locales of each localised field, terms and references filled."""
    with TestClient(studio_app(demo, PEOPLE["admin"])) as client:
        article = first_id(client, keys, "/manage/v1/entries?type=article&limit=1")
        media = first_id(client, keys, "/manage/v1/media?limit=1")
        entry = kitchen(
            client,
            keys,
            title={"en": "Hello", "nb": "Hei"},
            body={
                "en": "<div>Rich <strong>text</strong></div>",
                "de": "<div>Reich</div>",
            },
            notes={"en": "# Notes", "ar": "# ملاحظات"},
            count=3,
            flag=False,
            day="2026-05-01",
            at="2026-05-01T09:30:00+02:00",
            link="https://example.com/x",
            picture={"type": "media", "id": media},
            other={"type": "entry", "id": article},
            related=[{"type": "entry", "id": article}, {"type": "media", "id": media}],
            extra={"a": [1, 2]},
            tone="cool",
        )
        r = client.patch(
            f"/manage/v1/entries/{entry['id']}",
            json={"terms": ["topic:city", "topic:cargo"]},
            headers=keys.headers("manage", **{"If-Match": f'"{entry["version"]}"'}),
        )
        assert r.status_code == 200, r.text
        yield client, dict(r.json())


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_an_untouched_form_saves_nothing_and_is_not_refused(
    full_entry: tuple[TestClient[Any], dict[str, Any]],
    demo: Settings,
    keys: Keys,
    who: str,
    target: str,
) -> None:
    _, entry = full_entry
    principal = PEOPLE[who]
    may_save = principal.role is not Role.TRANSLATOR or target in principal.locales
    with TestClient(studio_app(demo, principal)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        html = client.get(editor(entry, target)).text
        save = html.split('id="editor"')[1].split('type="submit"')[1].split(">")[0]
        assert ("disabled" not in save) == may_save, save
        pairs = form_fields(html, form_id="editor")
        r = post_form(client, f"/studio/entries/{entry['id']}", pairs)
        after = api_entry(client, keys, entry["id"])
        assert after["version"] == entry["version"], (who, target, after)
        assert after["fields"] == entry["fields"] and after["terms"] == entry["terms"]
        if may_save:
            assert r.status_code == 303, r.text
            assert "Nothing to save" in client.get(r.headers["location"]).text
            # and changing the target title alone saves exactly that
            title = f"f:title:{target}"
            changed = [(n, "Neu" if n == title else v) for n, v in pairs]
            assert r.status_code == 303
            r = post_form(client, f"/studio/entries/{entry['id']}", changed)
            assert r.status_code == 303, r.text
            saved = api_entry(client, keys, entry["id"])
            assert saved["fields"]["title"] == {
                **entry["fields"]["title"],
                target: "Neu",
            }
            rest = {k: v for k, v in saved["fields"].items() if k != "title"}
            assert rest == {k: v for k, v in entry["fields"].items() if k != "title"}, (
                who,
                target,
            )
            assert saved["terms"] == entry["terms"]
