"""The Studio's pages over HTTP: sign-in, the redirect when nobody is signed
in, the entry list, creating an entry, the workflow buttons, revisions and
revert, the markdown preview and the dashboard."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.studio.pages.sign_in import safe_next
from tests.content_hub.conftest import Keys
from tests.studio.conftest import EDITOR, studio_app
from tests.studio.forms_support import post_form, submit
from tests.studio.test_editor import api_entry, kitchen

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # as browsers send


class TestSignIn:
    @pytest.mark.parametrize(
        ("error", "message"),
        [
            ("credentials", "Email or password is incorrect."),
            ("throttled", "Too many attempts"),
        ],
    )
    def test_messages(self, studio: TestClient[Any], error: str, message: str) -> None:
        r = studio.get(f"/studio/sign-in?error={error}&next=/studio/entries")
        assert r.status_code == 200 and message in r.text
        assert 'action="/studio/sign-in"' in r.text
        assert 'name="next" value="/studio/entries"' in r.text

    def test_unknown_error_shows_nothing(self, studio: TestClient[Any]) -> None:
        r = studio.get("/studio/sign-in?error=<script>")
        assert (
            r.status_code == 200
            and 'role="alert"' not in r.text
            and "<script>" not in r.text
        )

    def test_signed_out_pages_redirect_to_sign_in(
        self,
        demo: Settings,
    ) -> None:
        with TestClient(studio_app(demo, None)) as client:
            for path in ["/studio", "/studio/entries?type=offer", "/studio/entries/x"]:
                r = client.get(path, follow_redirects=False, headers=HTML)
                assert r.status_code == 303, path
                location = urlsplit(r.headers["location"])
                assert location.path == "/studio/sign-in"
                assert parse_qs(location.query)["next"] == [path]
            r = client.post("/studio/entries/x/publish", follow_redirects=False)
            assert r.status_code in (303, 401)  # a form post: no page to show
            assert client.get("/studio/sign-in").status_code == 200

    @hsettings(max_examples=300)
    @given(st.one_of(st.text(max_size=60), st.from_regex(r"\A/studio[/\\@:a-z.]*\Z")))
    def test_next_never_leaves_the_studio(self, value: str) -> None:
        target = safe_next(value)
        assert target.startswith("/studio")
        assert not target.startswith("//") and "\\" not in target
        assert urlsplit(target).netloc == "" and urlsplit(target).scheme == ""


class TestEntryList:
    def test_filters_sort_and_pages(self, studio: TestClient[Any], keys: Keys) -> None:
        for _ in range(3):
            kitchen(studio, keys)
        r = studio.get("/studio/entries?type=kitchen&sort=key")
        assert r.status_code == 200
        keys_shown = re.findall(
            r'<th scope="row"><a href="/studio/entries/\w+">([^<]+)</a>', r.text
        )
        assert len(keys_shown) == 3 and keys_shown == sorted(keys_shown)
        r = studio.get("/studio/entries?type=kitchen&sort=-key")
        assert re.findall(
            r'<th scope="row"><a href="/studio/entries/\w+">([^<]+)</a>', r.text
        ) == sorted(keys_shown, reverse=True)
        every = studio.get("/studio/entries")
        total = int(re.search(r"(\d+) entries", every.text).group(1))  # type: ignore[union-attr]
        assert total >= 40
        assert 'rel="next"' in every.text
        second = studio.get("/studio/entries?page=2")
        assert 'rel="prev"' in second.text
        first_ids = set(
            re.findall(r'scope="row"><a href="/studio/entries/(\w+)"', every.text)
        )
        second_ids = set(
            re.findall(r'scope="row"><a href="/studio/entries/(\w+)"', second.text)
        )
        assert len(first_ids) == 25 and not first_ids & second_ids
        published = studio.get("/studio/entries?status=published").text
        assert "badge-draft" not in published.split("<tbody>")[1]

    def test_term_filter_includes_descendants(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        headers = keys.headers("manage")
        entries = studio.get("/manage/v1/entries?limit=200", headers=headers).json()[
            "items"
        ]
        tagged = next(e for e in entries if e["terms"])
        term = studio.get(
            f"/manage/v1/entries?term={tagged['terms'][0]}&limit=200", headers=headers
        )
        expected = {e["id"] for e in term.json()["items"]}
        shown: set[str] = set()
        page_no = 1
        while True:
            r = studio.get(f"/studio/entries?term={tagged['terms'][0]}&page={page_no}")
            assert r.status_code == 200
            shown |= set(
                re.findall(r'scope="row"><a href="/studio/entries/(\w+)"', r.text)
            )
            if 'rel="next"' not in r.text:
                break
            page_no += 1
        assert shown == expected and tagged["id"] in shown
        assert len(shown) < len(entries)

    def test_unknown_values_are_ignored_not_errors(
        self, studio: TestClient[Any]
    ) -> None:
        r = studio.get("/studio/entries?type=nope&status=&sort=sideways&term=nope:none")
        assert r.status_code == 200

    def test_unknown_parameters_are_refused(self, studio: TestClient[Any]) -> None:
        assert studio.get("/studio/entries?colour=red").status_code == 400

    def test_search_finds_drafts(self, studio: TestClient[Any], keys: Keys) -> None:
        import time

        entry = kitchen(studio, keys, title={"en": "Zanzibarian quokka"})
        deadline = time.monotonic() + 20
        while True:
            r = studio.get("/studio/entries?q=quokka")
            if entry["id"] in r.text or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert entry["id"] in r.text and "by relevance" in r.text


class TestCreate:
    def test_create_then_edit(self, studio: TestClient[Any], keys: Keys) -> None:
        r = submit(
            studio,
            "/studio/entries/new",
            action="/studio/entries",
            changes={"type": "article", "key": "fresh-one"},
        )
        assert r.status_code == 303
        entry_id = r.headers["location"].rsplit("/", 1)[1]
        assert api_entry(studio, keys, entry_id)["key"] == "fresh-one"
        again = submit(
            studio,
            "/studio/entries/new",
            action="/studio/entries",
            changes={"type": "article", "key": "fresh-one"},
        )
        assert again.status_code == 409 and "already exists" in again.text
        bad = submit(
            studio,
            "/studio/entries/new",
            action="/studio/entries",
            changes={"type": "article", "key": "No Spaces"},
        )
        assert bad.status_code == 422 and 'role="alert"' in bad.text


class TestWorkflow:
    def test_publish_unpublish_archive_restore_schedule(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        url = f"/studio/entries/{entry['id']}"
        publish = submit(studio, url, action=f"{url}/publish")
        assert publish.status_code == 303
        assert api_entry(studio, keys, entry["id"])["status"] == "published"
        assert (
            "Published: delivery serves" in studio.get(publish.headers["location"]).text
        )
        r = studio.get(
            f"/delivery/v1/entries/{entry['id']}", headers=keys.headers("delivery")
        )
        assert r.status_code == 200 and r.json()["fields"]["title"] == "Hello"
        assert submit(studio, url, action=f"{url}/unpublish").status_code == 303
        assert api_entry(studio, keys, entry["id"])["status"] == "draft"
        assert submit(studio, url, action=f"{url}/archive").status_code == 303
        assert api_entry(studio, keys, entry["id"])["status"] == "archived"
        assert submit(studio, url, action=f"{url}/restore").status_code == 303
        assert api_entry(studio, keys, entry["id"])["status"] == "draft"
        r = submit(
            studio,
            url,
            action=f"{url}/schedule",
            changes={"publish_at": "2031-01-02T03:04"},
        )
        assert r.status_code == 303
        assert api_entry(studio, keys, entry["id"])["publish_at"].startswith(
            "2031-01-02T03:04:00"
        )
        assert entry["key"] in studio.get("/studio").text.split('id="scheduled-h"')[1]

    def test_publish_shows_the_required_field_errors(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        studio.patch(
            f"/manage/v1/entries/{entry['id']}",
            json={"fields": {"title": {"en": None, "de": "Nur"}}},
            headers=keys.headers("manage", **{"If-Match": '"1"'}),
        )
        url = f"/studio/entries/{entry['id']}"
        r = submit(studio, url, action=f"{url}/publish")
        assert r.status_code == 422
        assert re.search(r'id="in-f-title-en-err">[^<]*required', r.text)

    def test_stale_publish_is_refused(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys)
        url = f"/studio/entries/{entry['id']}"
        r = post_form(studio, f"{url}/publish", [("version", "99")])
        assert r.status_code == 412 and "version" in r.text
        assert api_entry(studio, keys, entry["id"])["status"] == "draft"


class TestRevisions:
    def test_list_diff_and_revert(self, studio: TestClient[Any], keys: Keys) -> None:
        entry = kitchen(studio, keys)
        url = f"/studio/entries/{entry['id']}"
        submit(
            studio, url + "?target=de", form_id="editor", changes={"f:title:de": "Zwei"}
        )
        submit(
            studio, url + "?target=de", form_id="editor", changes={"f:title:de": "Drei"}
        )
        listing = studio.get(f"{url}/revisions")
        assert listing.status_code == 200 and "Revert to 1" in listing.text
        diff = studio.get(f"{url}/revisions/3")
        assert (
            diff.status_code == 200
            and ">de</h2>" in diff.text
            and "Zwei" in diff.text
            and "Drei" in diff.text
        )
        r = submit(
            studio,
            f"{url}/revisions",
            action=f"{url}/revert",
            changes={"revision": "2"},
        )
        assert r.status_code == 303
        after = api_entry(studio, keys, entry["id"])
        assert (
            after["fields"]["title"] == {"en": "Hello", "de": "Zwei"}
            and after["version"] == 4
        )
        assert studio.get(f"{url}/revisions/99").status_code == 404


class TestMarkdownPreview:
    def test_preview_is_the_sanitised_render(self, studio: TestClient[Any]) -> None:
        r = studio.post(
            "/studio/preview/markdown",
            data={
                "field": "f:notes:en",
                "f:notes:en": "**bold** <script>alert(1)</script>",
            },
        )
        assert r.status_code == 200
        assert "<strong>bold</strong>" in r.text and "<script>" not in r.text


class TestDashboard:
    def test_my_drafts_and_missing_translations(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry = kitchen(studio, keys, title={"en": "Hi", "de": "Hallo"})
        submit(
            studio,
            f"/studio/entries/{entry['id']}",
            form_id="editor",
            changes={"f:title:en": "Hey"},
        )
        page = studio.get("/studio").text
        mine = page.split('id="drafts-h"')[1].split("</section>")[0]
        assert entry["key"] in mine
        missing = page.split('id="missing-h"')[1].split("</section>")[0]
        row = next(li for li in missing.split("<li>") if entry["key"] in li)
        assert '?target=nb">nb<span' in row and '?target=de">' not in row
        assert EDITOR.name in page


class TestContentTypes:
    def test_list_and_fields(self, studio: TestClient[Any]) -> None:
        listing = studio.get("/studio/content-types")
        assert listing.status_code == 200
        for name in ("Article", "Offer", "Hero banner", "Onboarding tip"):
            assert name in listing.text
        offer = studio.get("/studio/content-types/offer")
        assert offer.status_code == 200
        assert (
            "Conditions (Markdown)" in offer.text and "max_length: 2000" in offer.text
        )
        assert (
            "allowed_types: article" in offer.text and "enum: once, month" in offer.text
        )
        missing = studio.get("/studio/content-types/nope")
        assert missing.status_code == 404 and "Not found" in missing.text
        assert missing.headers["content-type"].startswith("text/html")
        program = studio.get("/studio/content-types/nope", headers={"Accept": "*/*"})
        assert program.status_code == 404
        assert program.headers["content-type"] == "application/problem+json"
        assert program.json()["type"].endswith("/not-found")
