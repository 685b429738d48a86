"""The release forms refuse bad input with a 4xx, the problem shown and its
field errors at their inputs, and change nothing; a form loaded before
someone else changed the release is a 412 that keeps what was typed; only
editors and admins change releases (translators, reviewers and viewers get
no forms and a 403)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form, submit
from tests.studio.test_release_pages import _api, new_release, offers, release_of
from tests.studio.test_untouched_forms import person

ENTRY = "<an offer>"
BAD = [
    # form, changes, status, the input with the error (None: no input's)
    ("add-entry-form", {"entry": ""}, 422, "entry"),
    ("add-entry-form", {"entry": "no-such-entry"}, 422, "entry"),
    ("add-entry-form", {"entry": ENTRY, "entry_version": "two"}, 422, "entry_version"),
    ("add-entry-form", {"entry": ENTRY, "entry_version": "0"}, 422, "entry_version"),
    ("add-entry-form", {"entry": ENTRY, "kind": "pages"}, 400, None),
    ("add-entry-form", {"entry": ENTRY, "version": "v1"}, 428, None),
    ("add-template-form", {"template": "offer:fax"}, 422, "template"),
    ("add-template-form", {"template": "offer:web", "template_version": "-3"}, 422, "template_version"),
    ("add-audience-form", {"audience_key": "", "audience_condition": "{}"}, 422, "audience_key"),
    ("add-audience-form", {"audience_key": "vip", "audience_condition": "{no"}, 422, "audience_condition"),
    ("add-audience-form", {"audience_key": "vip", "audience_condition": "[1]"}, 422, "audience_condition"),
    ("details-form", {"name": "  "}, 422, "name"),
    ("details-form", {"name": "x" * 201}, 422, "name"),
    ("details-form", {"description": "d" * 2001}, 422, "description"),
    ("schedule-form", {"action": "schedule", "publish_at": ""}, 422, "publish_at"),
    ("schedule-form", {"action": "schedule", "publish_at": "soon"}, 422, "publish_at"),
]  # fmt: skip


def _invalid(html: str, name: str) -> bool:
    return bool(re.search(rf'id="{name}"[^>]*aria-invalid="true"', html))


def test_bad_input_is_refused_and_changes_nothing(
    studio: TestClient[Any], keys: Keys
) -> None:
    first, _ = offers(studio, keys)
    url = new_release(studio)
    before = release_of(studio, keys, url)
    for form_id, typed, status, field in BAD:
        case = (form_id, typed)
        changes = {k: first["id"] if v == ENTRY else v for k, v in typed.items()}
        r = submit(studio, url, form_id=form_id, changes=changes)
        assert r.status_code == status, (case, r.text)
        assert 'id="problem"' in r.text, case
        if field is not None:
            assert _invalid(r.text, field), (case, r.text)
            assert f'id="{field}-err"' in r.text, case
        assert release_of(studio, keys, url) == before, case


def test_a_new_release_with_bad_input_is_not_made(
    studio: TestClient[Any], keys: Keys
) -> None:
    def count() -> int:
        r = studio.get("/manage/v1/releases", headers=_api(keys))
        return len(r.json()["items"])

    for changes, field in [
        ({"name": ""}, "name"),
        ({"name": "Ok", "publish_at": "next week"}, "publish_at"),  # made, then undone
    ]:
        r = submit(studio, "/studio/releases", form_id="release-new", changes=changes)
        assert r.status_code == 422, r.text
        assert _invalid(r.text, field) and count() == 0
        assert f'value="{changes["name"]}"' in r.text  # what was typed is kept


def test_a_stale_form_is_a_412_that_keeps_what_was_typed(
    studio: TestClient[Any], keys: Keys
) -> None:
    first, _ = offers(studio, keys)
    url = new_release(studio)
    html = studio.get(url).text
    rid = url.rsplit("/", 1)[1]
    r = studio.post(  # someone else adds an item meanwhile (version 2)
        f"/manage/v1/releases/{rid}/items",
        json={"entries": [{"entry": first["id"], "version": first["version"]}]},
        headers={**_api(keys), "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    pairs = [
        (n, v) for n, v in form_fields(html, form_id="details-form") if n != "name"
    ]
    r = post_form(studio, url, [*pairs, ("name", "Renamed by me")])
    assert r.status_code == 412
    assert "Someone changed this release (it is now at version 2)" in r.text
    assert 'value="Renamed by me"' in r.text
    assert 'name="version" value="2"' in r.text  # sending it again applies it
    after = release_of(studio, keys, url)
    assert (after["name"], after["version"]) == ("Spring", 2)
    for action in ("publish", "delete", "items/remove"):
        r = post_form(studio, f"{url}/{action}", [*pairs, ("kind", "entries")])
        assert r.status_code == 412, (action, r.text)
    assert release_of(studio, keys, url) == after
    r = post_form(studio, "/studio/releases/no-such-release/items", pairs)
    assert r.status_code == 404


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.REVIEWER, Role.VIEWER])
def test_only_editors_change_releases(
    demo: Settings,
    studio: TestClient[Any],
    keys: Keys,
    role: Role,
) -> None:
    first, _ = offers(studio, keys)
    url = new_release(studio)
    before = release_of(studio, keys, url)
    with TestClient(studio_app(demo, person(role, frozenset({"nb"})))) as other:
        other.headers["Accept"] = BROWSER_ACCEPT
        assert 'id="release-new"' not in other.get("/studio/releases").text
        html = other.get(url).text
        for form in ("add-entry-form", "details-form", "schedule-form", "delete-form"):
            assert f'id="{form}"' not in html
        assert "items/remove" not in html
        assert ('id="publish-form"' in html) is (role is Role.REVIEWER)
        editor = other.get(f"/studio/entries/{first['id']}").text
        assert 'id="add-to-release"' not in editor
        token = re.search(r'name="csrf-token" content="([^"]+)"', html)
        assert token is not None
        base = [("_csrf", token.group(1)), ("version", "1")]
        posts = [
            ("/studio/releases", [("name", "Mine")]),
            (f"{url}/items", [("kind", "entries"), ("entry", first["id"])]),
            (f"{url}/items/remove", [("kind", "entries"), ("ref", first["id"])]),
            (url, [("name", "Mine")]),
            (
                f"{url}/schedule",
                [("action", "schedule"), ("publish_at", "2031-01-01T00:00")],
            ),
            (f"{url}/delete", []),
            (
                f"/studio/entries/{first['id']}/add-to-release",
                [("release", f"{before['id']}:1"), ("version", str(first["version"]))],
            ),
        ]
        for action, extra in posts:
            r = post_form(other, action, [*base, *extra])
            assert r.status_code == 403, (action, r.text)
    assert release_of(studio, keys, url) == before
    releases = studio.get("/manage/v1/releases", headers=_api(keys)).json()["items"]
    assert [r["id"] for r in releases] == [before["id"]]
