"""The Studio's release pages over HTTP, on the demo data: the list, a
release's page with what stops it going live, the publish form (a refused
publish shows the problem and publishes nothing; a stale version is a 412)
and the rollback form."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.studio.forms_support import form_fields, post_form

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
