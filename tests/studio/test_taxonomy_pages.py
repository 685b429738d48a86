"""The taxonomy screens over HTTP: the list, the tree, adding, renaming,
moving and deleting terms (with reassignment), and every refusal — a cycle
shown next to the parent select, a term in use, a stale version, a viewer's
403, a post without the session's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.keys import Principal, Scope
from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.app_cache import app_for
from tests.content_hub.conftest import Keys
from tests.content_hub.users_support import make_user, sign_in
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form, submit

VIEWER = Principal(
    "user-viewer",
    "viewer@example.com",
    frozenset({Scope.MANAGE}),
    user_id="user-viewer",
    role=Role.VIEWER,
)
TOPIC = "/studio/taxonomies/topic"


def terms(client: TestClient[Any], keys: Keys) -> dict[str, dict[str, Any]]:
    """The topic taxonomy's terms by key, through the manage API."""
    r = client.get("/manage/v1/taxonomies/topic/terms", headers=keys.headers("manage"))
    assert r.status_code == 200
    return {t["key"]: t for t in r.json()["items"]}


def term_url(client: TestClient[Any], keys: Keys, key: str) -> str:
    return f"{TOPIC}/terms/{terms(client, keys)[key]['id']}"


@pytest.fixture
def viewer(
    demo: Settings,
) -> Iterator[Any]:
    """A client signed in as a viewer."""
    with TestClient(studio_app(demo, VIEWER)) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        yield client


class TestReading:
    def test_list_and_tree(self, studio: TestClient[Any]) -> None:
        listing = studio.get("/studio/taxonomies")
        assert listing.status_code == 200
        assert '<a href="/studio/taxonomies/topic">Topic</a>' in listing.text
        assert 'aria-current="page">Taxonomies</a>' in listing.text  # the nav
        tree = studio.get(TOPIC)
        assert tree.status_code == 200
        text = re.sub(r"\s+", " ", tree.text)
        # City and Cargo are nested inside E-bikes, inside Models
        models = text.split(">Models</a>")[1].split(">Services</a>")[0]
        assert ">E-bikes</a>" in models and ">Cars</a>" in models
        bikes = models.split(">E-bikes</a>")[1].split(">Cars</a>")[0]
        assert '<ul class="tree">' in bikes and ">City</a>" in bikes
        assert '<h2 id="terms-h">Terms</h2>' in tree.text
        for control in ("add-key", "add-label", "add-parent"):
            assert f'<label for="{control}">' in tree.text

    def test_term_page_offers_only_valid_parents(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        by_key = terms(studio, keys)
        page = studio.get(term_url(studio, keys, "models")).text
        move = page.split('id="move-term"')[1].split("</form>")[0]
        offered = set(re.findall(r'<option value="(\w+)"', move))
        assert by_key["services"]["id"] in offered
        assert not offered & {by_key[k]["id"] for k in ("models", "city", "cars")}
        assert 'lang="de"' in page and "Modelle" in page  # a label per locale

    def test_unknown_taxonomy_and_term_are_404_pages(
        self, studio: TestClient[Any]
    ) -> None:
        for path in ("/studio/taxonomies/nope", f"{TOPIC}/terms/nope"):
            r = studio.get(path)
            assert r.status_code == 404 and "Not found" in r.text, path


class TestChanges:
    def test_add_at_the_root_and_under_a_parent(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        parent = terms(studio, keys)["models"]["id"]
        r = submit(
            studio,
            TOPIC,
            form_id="add-term",
            changes={"key": "scooters", "label:en": "Scooters", "parent": parent},
        )
        assert r.status_code == 303 and r.headers["location"] == TOPIC
        assert "Term added." in studio.get(TOPIC).text
        root = submit(studio, TOPIC, form_id="add-term", changes={"key": "insurance"})
        assert root.status_code == 303
        after = terms(studio, keys)
        assert after["scooters"]["parent_id"] == parent
        assert after["scooters"]["labels"] == {"en": "Scooters"}
        assert after["insurance"]["parent_id"] is None

    def test_add_refusals_show_inline(self, studio: TestClient[Any]) -> None:
        taken = submit(studio, TOPIC, form_id="add-term", changes={"key": "city"})
        assert taken.status_code == 409 and "already exists" in taken.text
        bad = submit(studio, TOPIC, form_id="add-term", changes={"key": "No Way"})
        assert bad.status_code == 422
        assert 'id="add-key" name="key" required value="No Way"' in bad.text
        assert re.search(r'id="add-key-err">[^<]*', bad.text)

    def test_rename_key_and_labels(self, studio: TestClient[Any], keys: Keys) -> None:
        url = term_url(studio, keys, "city")
        r = submit(
            studio,
            url,
            form_id="rename-term",
            changes={"key": "urban", "label:de": "Stadtrad", "label:nb": ""},
        )
        assert r.status_code == 303 and r.headers["location"] == url
        assert "Term renamed." in studio.get(url).text
        urban = terms(studio, keys)["urban"]
        assert urban["labels"]["de"] == "Stadtrad" and "nb" not in urban["labels"]
        assert urban["labels"]["en"] == "City" and urban["version"] == 2

    def test_move_under_another_parent(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        before = terms(studio, keys)
        url = term_url(studio, keys, "city")
        r = submit(
            studio,
            url,
            form_id="move-term",
            changes={"parent": before["cars"]["id"]},
        )
        assert r.status_code == 303
        assert "Term moved." in studio.get(url).text
        after = terms(studio, keys)["city"]
        assert after["parent_id"] == before["cars"]["id"] and after["depth"] == 3
        assert after["labels"] == before["city"]["labels"]  # only the parent
        to_root = submit(studio, url, form_id="move-term", changes={"parent": ""})
        assert to_root.status_code == 303
        assert terms(studio, keys)["city"]["parent_id"] is None

    def test_a_cycle_is_refused_next_to_the_select(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        before = terms(studio, keys)
        url = term_url(studio, keys, "models")
        r = submit(
            studio, url, form_id="move-term", changes={"parent": before["city"]["id"]}
        )
        assert r.status_code == 422
        assert "cannot move under itself" in r.text  # the problem's detail
        select = r.text.split('id="move-parent"')[1].split(">")[0]
        assert 'aria-invalid="true"' in select
        assert 'aria-describedby="move-parent-err"' in select
        assert re.search(r'id="move-parent-err">would create a cycle', r.text)
        assert terms(studio, keys) == before

    def test_delete_with_reassign_moves_the_entries(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        before = terms(studio, keys)
        cargo, city = before["cargo"]["id"], before["city"]["id"]
        tagged = studio.get(
            "/manage/v1/entries", params={"term": cargo, "limit": 200}, headers=manage
        ).json()["items"]
        assert tagged
        url = term_url(studio, keys, "cargo")
        refused = submit(studio, url, form_id="delete-term")  # no term chosen
        assert refused.status_code == 409 and "reassign_to" in refused.text
        r = submit(studio, url, form_id="delete-term", changes={"reassign_to": city})
        assert r.status_code == 303 and r.headers["location"] == TOPIC
        assert "Term deleted." in studio.get(TOPIC).text
        assert "cargo" not in terms(studio, keys)
        under_city = studio.get(
            "/manage/v1/entries", params={"term": city, "limit": 200}, headers=manage
        ).json()["items"]
        assert {e["id"] for e in tagged} <= {e["id"] for e in under_city}
        # drafts keep the old id, which now resolves to city (the API's
        # design: a tombstone); delivery names the new term
        published = [e for e in tagged if e["status"] == "published"]
        assert published
        for entry in published:
            got = studio.get(
                f"/delivery/v1/entries/{entry['id']}", headers=keys.headers("delivery")
            ).json()["terms"]
            assert "topic:city" in got and "topic:cargo" not in got
        assert studio.get(url).status_code == 404

    def test_delete_refusals(self, studio: TestClient[Any], keys: Keys) -> None:
        url = term_url(studio, keys, "e-bikes")
        children = submit(studio, url, form_id="delete-term")
        assert children.status_code == 409 and "child terms" in children.text
        unknown = submit(
            studio, url, form_id="delete-term", changes={"reassign_to": "topic:nope"}
        )
        assert unknown.status_code in (409, 422) and 'role="alert"' in unknown.text

    def test_a_stale_version_is_refused(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        url = term_url(studio, keys, "financing")
        pairs = form_fields(studio.get(url).text, form_id="rename-term")
        assert submit(studio, url, form_id="rename-term").status_code == 303
        r = post_form(studio, f"{url}/rename", pairs)  # still version 1
        assert r.status_code == 412 and 'role="alert"' in r.text
        missing = post_form(
            studio, f"{url}/move", [(k, v) for k, v in pairs if k != "version"]
        )
        assert missing.status_code == 428


class TestRefusedToOthers:
    def test_a_viewer_sees_the_tree_without_controls(
        self, viewer: TestClient[Any], studio: TestClient[Any], keys: Keys
    ) -> None:
        tree = viewer.get(TOPIC)
        assert tree.status_code == 200 and ">E-bikes</a>" in tree.text
        assert "<form" not in tree.text.split("<main")[1]
        url = term_url(studio, keys, "city")
        page = viewer.get(url)
        assert page.status_code == 200 and "Stadt" in page.text
        assert 'id="move-term"' not in page.text and "may read" in page.text
        before = terms(studio, keys)
        r = post_form(viewer, f"{url}/move", [("parent", ""), ("version", "1")])
        assert r.status_code == 403
        assert "Your role does not allow this" in r.text and "viewer" in r.text
        added = post_form(viewer, f"{TOPIC}/terms", [("key", "mine")])
        assert added.status_code == 403
        assert terms(studio, keys) == before

    def test_a_post_without_the_csrf_token_is_refused(
        self, demo: Settings, keys: Keys, cheap_passwords: None
    ) -> None:
        make_user(demo, "ed@example.com", "editor")
        with TestClient(app_for(demo)) as client:
            token = sign_in(client, "ed@example.com")["csrf_token"]
            client.headers["Accept"] = BROWSER_ACCEPT
            url = term_url(client, keys, "city")
            pairs = [("parent", ""), ("version", "1")]
            refused = post_form(client, f"{url}/move", pairs)
            assert refused.status_code == 403
            assert terms(client, keys)["city"]["parent_id"] is not None
            done = post_form(client, f"{url}/move", [*pairs, ("_csrf", token)])
            assert done.status_code == 303, done.text
            assert terms(client, keys)["city"]["parent_id"] is None
