"""The media screen over HTTP: the list with its pages, creating a record by
URL, editing its metadata with the version as If-Match (a stale save comes
back with both versions), deleting, and the refusals (validation inline, a
viewer's 403, a post without the CSRF token)."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.users_support import make_user, sign_in
from tests.studio.conftest import BROWSER_ACCEPT
from tests.studio.forms_support import form_fields, post_form, submit
from tests.studio.test_taxonomy_pages import viewer  # noqa: F401 - a fixture

ROW = re.compile(r'<th scope="row"><a href="/studio/media/(\w+)">')


def api_media(client: TestClient[Any], keys: Keys, media_id: str) -> Any:
    return client.get(f"/manage/v1/media/{media_id}", headers=keys.headers("manage"))


def add_media(client: TestClient[Any], keys: Keys, n: int) -> dict[str, Any]:
    r = client.post(
        "/manage/v1/media",
        json={"url": f"https://cdn.example/a/pic-{n}.png", "mime_type": "image/png"},
        headers=keys.headers("manage"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


class TestList:
    def test_columns_and_pages(self, studio: TestClient[Any], keys: Keys) -> None:
        for n in range(20):
            add_media(studio, keys, n)
        first = studio.get("/studio/media")
        assert first.status_code == 200
        assert 'aria-current="page">Media</a>' in first.text
        for header in ("File", "Title", "Alt text (en)", "Type", "Size"):
            assert f'<th scope="col">{header}</th>' in first.text
        assert "2400 \u00d7 1600 px" in first.text and "image/jpeg" in first.text
        assert "no alt text" in first.text  # the records made above have none
        ids = ROW.findall(first.text)
        assert len(ids) == 25
        more = re.search(r'href="(/studio/media\?cursor=[^"]+)" rel="next"', first.text)
        assert more
        second = studio.get(more.group(1).replace("&amp;", "&"))
        rest = ROW.findall(second.text)
        assert rest and not set(ids) & set(rest) and "First page" in second.text
        total = studio.get("/manage/v1/media?limit=200", headers=keys.headers("manage"))
        assert len(ids) + len(rest) == len(total.json()["items"])


class TestEdit:
    def test_create_by_url(self, studio: TestClient[Any], keys: Keys) -> None:
        r = submit(
            studio,
            "/studio/media/new",
            form_id="media-form",
            changes={
                "url": "https://cdn.example/img/bike%20front.jpg",
                "mime_type": "image/jpeg",
                "title": "Bike, front",
                "alt:en": "A cargo bike seen from the front",
                "width": "800",
                "height": "600",
                "focal_x": "0.25",
                "focal_y": "0.5",
            },
        )
        assert r.status_code == 303
        media_id = r.headers["location"].rsplit("/", 1)[1]
        shown = studio.get(r.headers["location"])
        assert "Media record created." in shown.text
        got = api_media(studio, keys, media_id).json()
        assert got["alt"] == {"en": "A cargo bike seen from the front"}
        assert got["width"] == 800 and got["focal_point"] == {"x": 0.25, "y": 0.5}
        assert "bike front.jpg" in studio.get("/studio/media").text

    def test_create_refusals_show_inline(self, studio: TestClient[Any]) -> None:
        r = submit(
            studio,
            "/studio/media/new",
            form_id="media-form",
            changes={"url": "ftp://x/y.png", "mime_type": "image/png", "width": "wide"},
        )
        assert r.status_code == 422
        assert re.search(r'id="media-width-err">', r.text)
        assert 'value="wide"' in r.text  # what was typed comes back
        bad_url = submit(
            studio,
            "/studio/media/new",
            form_id="media-form",
            changes={"url": "ftp://x/y.png", "mime_type": "image/png"},
        )
        assert bad_url.status_code == 422
        assert re.search(r'id="media-url-err">expected an absolute', bad_url.text)

    def test_edit_alt_text_and_a_stale_save(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        media = add_media(studio, keys, 1)
        url = f"/studio/media/{media['id']}"
        r = submit(studio, url, form_id="media-form", changes={"alt:de": "Ein Bild"})
        assert r.status_code == 303 and "Media record saved." in studio.get(url).text
        assert api_media(studio, keys, media["id"]).json()["alt"] == {"de": "Ein Bild"}
        mine = form_fields(studio.get(url).text, form_id="media-form")  # version 2
        studio.put(
            f"/manage/v1/media/{media['id']}",
            json={"url": media["url"], "mime_type": "image/png", "title": "Theirs"},
            headers=keys.headers("manage", **{"If-Match": '"2"'}),
        )
        stale = post_form(
            studio, url, [(k, "Mine" if k == "title" else v) for k, v in mine]
        )
        assert stale.status_code == 412 and 'role="alert"' in stale.text
        assert "Saved meanwhile (version 3" in stale.text
        assert "<td>Theirs</td><td>Mine</td>" in stale.text
        assert api_media(studio, keys, media["id"]).json()["title"] == "Theirs"
        # saving the form the 412 showed (mine, at their version) is a decision
        again = post_form(studio, url, form_fields(stale.text, form_id="media-form"))
        assert again.status_code == 303
        assert api_media(studio, keys, media["id"]).json()["title"] == "Mine"

    def test_delete(self, studio: TestClient[Any], keys: Keys) -> None:
        media = add_media(studio, keys, 2)
        url = f"/studio/media/{media['id']}"
        r = submit(studio, url, action=f"{url}/delete")
        assert r.status_code == 303 and r.headers["location"] == "/studio/media"
        assert api_media(studio, keys, media["id"]).status_code == 404
        assert studio.get(url).status_code == 404


class TestRefused:
    def test_a_viewer_reads_only(
        self,
        viewer: TestClient[Any],  # noqa: F811 - the imported fixture
        studio: TestClient[Any],
        keys: Keys,
    ) -> None:
        media = add_media(studio, keys, 3)
        url = f"/studio/media/{media['id']}"
        assert "New media record" not in viewer.get("/studio/media").text
        page = viewer.get(url)
        assert page.status_code == 200 and "Save media record" not in page.text
        assert re.search(r'id="media-title" [^>]*disabled', page.text)
        pairs = [("url", media["url"]), ("mime_type", "image/png"), ("version", "1")]
        r = post_form(viewer, url, [*pairs, ("title", "Viewer was here")])
        assert r.status_code == 403 and "Your role does not allow this" in r.text
        assert api_media(studio, keys, media["id"]).json()["version"] == 1
        assert post_form(viewer, "/studio/media", pairs).status_code == 403

    def test_a_post_without_the_csrf_token_is_refused(
        self, demo: Settings, keys: Keys, cheap_passwords: None
    ) -> None:
        make_user(demo, "ed@example.com", "editor")
        with TestClient(app_for(demo)) as client:
            token = sign_in(client, "ed@example.com")["csrf_token"]
            client.headers["Accept"] = BROWSER_ACCEPT
            pairs = [("url", "https://cdn.example/x.png"), ("mime_type", "image/png")]
            assert post_form(client, "/studio/media", pairs).status_code == 403
            done = post_form(client, "/studio/media", [*pairs, ("_csrf", token)])
            assert done.status_code == 303
