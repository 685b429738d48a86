"""The Studio's release pages over HTTP, on the demo data: the list, a
release's page with what stops it going live, the publish form (a refused
publish shows the problem and publishes nothing; a stale version is a 412)
and the rollback form; making a release (create, schedule, add and remove
items, rename, unschedule, delete), "Add to a release" from the editor and
the preview matrix of a release. Bad input and other roles:
``test_release_forms.py``."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.studio.forms_support import form_fields, post_form, submit

JSON = {"Accept": "application/json"}


def _api(keys: Keys) -> dict[str, str]:
    return {**keys.headers("manage"), **JSON}


def _title(studio: TestClient[Any], keys: Keys, entry_id: str) -> str:
    r = studio.get(
        f"/delivery/v1/entries/{entry_id}",
        params={"locale": "en"},
        headers={**keys.headers("delivery"), **JSON},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["fields"]["title"])


def test_publish_and_roll_back_a_release_from_its_page(
    studio: TestClient[Any], keys: Keys
) -> None:
    api = _api(keys)
    r = studio.get(
        "/manage/v1/entries",
        params={"type": "offer", "status": "published"},
        headers=api,
    )
    entry = r.json()["items"][0]
    before = _title(studio, keys, entry["id"])
    r = studio.patch(
        f"/manage/v1/entries/{entry['id']}",
        json={"fields": {"title": {"en": "Release title"}}},
        headers={**api, "If-Match": f'"{entry["version"]}"'},
    )
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    items = {
        "entries": [
            {"entry": entry["id"], "version": version},
            {"entry": "no-such-entry", "version": 1},
        ]
    }
    r = studio.post(
        "/manage/v1/releases",
        json={"name": "Spring campaign", "items": items},
        headers=api,
    )
    assert r.status_code == 201, r.text
    rel = r.json()
    url = f"/studio/releases/{rel['id']}"

    listed = studio.get("/studio/releases")
    assert listed.status_code == 200 and "Spring campaign" in listed.text
    html = studio.get(url).text
    assert "It cannot go live yet" in html and "items.entries.1" in html

    refused = post_form(
        studio, f"{url}/publish", form_fields(html, form_id="publish-form")
    )
    assert refused.status_code == 422
    assert "nothing was published" in refused.text
    assert _title(studio, keys, entry["id"]) == before

    r = studio.delete(
        f"/manage/v1/releases/{rel['id']}/items/entries/no-such-entry",
        headers={**api, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    stale = post_form(
        studio, f"{url}/publish", form_fields(html, form_id="publish-form")
    )
    assert stale.status_code == 412
    html = studio.get(url).text
    assert "It cannot go live yet" not in html
    done = post_form(
        studio, f"{url}/publish", form_fields(html, form_id="publish-form")
    )
    assert done.status_code == 303, done.text
    assert _title(studio, keys, entry["id"]) == "Release title"

    html = studio.get(url).text
    assert "publish-form" not in html and "rollback-form" in html
    back = post_form(
        studio, f"{url}/rollback", form_fields(html, form_id="rollback-form")
    )
    assert back.status_code == 303, back.text
    assert _title(studio, keys, entry["id"]) == before
    assert "rolled back" in studio.get(url).text


def release_of(studio: TestClient[Any], keys: Keys, url: str) -> dict[str, Any]:
    """The release behind a Studio ``url`` as the API shows it."""
    r = studio.get(f"/manage/v1/releases/{url.rsplit('/', 1)[1]}", headers=_api(keys))
    assert r.status_code == 200, r.text
    return dict(r.json())


def new_release(studio: TestClient[Any], **changes: str) -> str:
    """Create a release through the list's form; its page's URL."""
    r = submit(
        studio,
        "/studio/releases",
        form_id="release-new",
        changes={"name": "Spring", "description": "Two offers", **changes},
    )
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def offers(studio: TestClient[Any], keys: Keys) -> list[dict[str, Any]]:
    """Two published demo offers, the first with a newer draft (its title)."""
    api = _api(keys)
    r = studio.get(
        "/manage/v1/entries",
        params={"type": "offer", "status": "published"},
        headers=api,
    )
    first, second = r.json()["items"][:2]
    r = studio.patch(
        f"/manage/v1/entries/{first['id']}",
        json={"fields": {"title": {"en": "Spring draft"}}},
        headers={**api, "If-Match": f'"{first["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return [r.json(), second]


def test_an_editor_makes_a_release_in_the_studio(
    studio: TestClient[Any], keys: Keys
) -> None:
    first, second = offers(studio, keys)
    url = new_release(studio, publish_at="2031-03-01T09:00")
    rel = release_of(studio, keys, url)
    assert (rel["name"], rel["description"], rel["status"]) == (
        "Spring",
        "Two offers",
        "scheduled",
    )
    assert rel["publish_at"].startswith("2031-03-01T09:00:00")

    frag = studio.get(f"{url}/revisions", params={"entry": first["id"]})
    assert frag.status_code == 200
    assert f'<option value="{first["version"]}">' in frag.text
    assert "(latest draft)" in frag.text and "(published)" in frag.text

    for form_id, changes in [
        ("add-entry-form", {"entry": first["id"]}),  # the latest draft
        ("add-entry-form", {"entry": second["id"], "entry_version": "1"}),
        ("add-template-form", {"template": "offer:web"}),
        (
            "add-audience-form",
            {
                "audience_key": "spring_vip",
                "audience_name": "Spring VIP",
                "audience_condition": '{"segments": "vip"}',
            },
        ),
    ]:
        r = submit(studio, url, form_id=form_id, changes=changes)
        assert r.status_code == 303, r.text
    template = studio.get(
        "/manage/v1/content-types/offer/templates/web", headers=_api(keys)
    ).json()
    rel = release_of(studio, keys, url)
    assert rel["version"] == 6
    assert rel["items"] == {
        "entries": [
            {"entry": first["id"], "version": first["version"]},
            {"entry": second["id"], "version": 1},
        ],
        "templates": [
            {"type": "offer", "channel": "web", "version": template["version"]}
        ],
        "audiences": [
            {
                "key": "spring_vip",
                "name": "Spring VIP",
                "condition": {"segments": "vip"},
                "delete": False,
            }
        ],
    }
    html = studio.get(url).text
    assert f"offer / {first['key']}" in html
    assert f"/studio/entries/{first['id']}/matrix?release={rel['id']}" in html

    token = dict(form_fields(html, form_id="details-form"))["_csrf"]
    r = post_form(
        studio,
        f"{url}/items/remove",
        [
            ("_csrf", token),
            ("version", "6"),
            ("kind", "templates"),
            ("ref", "offer:web"),
        ],
    )
    assert r.status_code == 303, r.text
    assert release_of(studio, keys, url)["items"]["templates"] == []

    r = submit(studio, url, form_id="details-form", changes={"name": "Spring sale"})
    assert r.status_code == 303, r.text
    r = submit(studio, url, form_id="schedule-form", changes={"action": "unschedule"})
    assert r.status_code == 303, r.text
    rel = release_of(studio, keys, url)
    assert (rel["name"], rel["status"], rel["publish_at"]) == (
        "Spring sale",
        "open",
        None,
    )
    changes = {"action": "schedule", "publish_at": "2031-04-01T10:30:00"}
    r = submit(studio, url, form_id="schedule-form", changes=changes)
    assert r.status_code == 303, r.text
    assert release_of(studio, keys, url)["publish_at"].startswith("2031-04-01T10:30")

    r = submit(studio, url, form_id="delete-form")
    assert (r.status_code, r.headers["location"]) == (303, "/studio/releases")
    r = studio.get(f"/manage/v1/releases/{rel['id']}", headers=_api(keys))
    assert r.status_code == 404


def test_add_to_a_release_from_the_editor(studio: TestClient[Any], keys: Keys) -> None:
    first, _ = offers(studio, keys)
    url = new_release(studio)
    editor = f"/studio/entries/{first['id']}"
    html = studio.get(editor).text
    stale = form_fields(html, form_id="add-to-release")
    assert ("version", str(first["version"])) in stale
    r = submit(studio, editor, form_id="add-to-release")
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(editor)
    entries = release_of(studio, keys, url)["items"]["entries"]
    assert entries == [{"entry": first["id"], "version": first["version"]}]
    html = studio.get(editor).text
    assert "In release:" in html and f'href="{url}"' in html

    # the form listed the release at version 1; it is at 2 now
    r = post_form(studio, f"{editor}/add-to-release", stale)
    assert r.status_code == 412
    assert "changed since this page was loaded" in r.text
    assert release_of(studio, keys, url)["version"] == 2


def test_the_preview_matrix_shows_a_release(
    studio: TestClient[Any], keys: Keys
) -> None:
    first, second = offers(studio, keys)
    url = new_release(studio)
    changes = {"entry": first["id"], "entry_version": str(first["version"] - 1)}
    r = submit(studio, url, form_id="add-entry-form", changes=changes)
    assert r.status_code == 303, r.text
    matrix = f"/studio/entries/{first['id']}/matrix"
    plain = studio.get(matrix, params={"channel": "web", "locale": "en"}).text
    assert "Spring draft" in plain
    rid = url.rsplit("/", 1)[1]
    shown = studio.get(
        matrix, params={"channel": "web", "locale": "en", "release": rid}
    )
    assert shown.status_code == 200
    assert "As release" in shown.text and "Spring draft" not in shown.text
    assert f"entry version {first['version'] - 1}" in shown.text
    assert f'name="release" value="{rid}"' in shown.text
    other = studio.get(
        f"/studio/entries/{second['id']}/matrix", params={"release": rid}
    ).text
    assert "the release does not hold this entry" in other
    assert studio.get(matrix, params={"release": "nope"}).status_code == 404
