"""The variants editor over HTTP: overrides saved from the form are exactly
the fields overridden (the rest inherits), inherited values are shown per
locale, structure changes (add, rename, delete) follow the API's rules, and
a translator changes only their locales' override text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.roles import Role
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.studio.conftest import BROWSER_ACCEPT, studio_app
from tests.studio.forms_support import form_fields, post_form, submit
from tests.studio.test_untouched_forms import person


def entry_by_key(client: TestClient[Any], keys: Keys, type_key: str, key: str) -> Any:
    r = client.get(
        f"/manage/v1/entries?type={type_key}&limit=100", headers=keys.headers("manage")
    )
    assert r.status_code == 200, r.text
    return next(e for e in r.json()["items"] if e["key"] == key)


def personalization(client: TestClient[Any], keys: Keys, entry_id: str) -> Any:
    r = client.get(
        f"/manage/v1/entries/{entry_id}/personalization",
        headers=keys.headers("manage"),
    )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def offer(studio: TestClient[Any], keys: Keys) -> Any:
    return entry_by_key(studio, keys, "offer", "spring-city-one")


def page_of(entry: Any, variant: str = "", locale: str = "") -> str:
    url = f"/studio/entries/{entry['id']}/variants"
    query = "&".join(
        f"{k}={v}" for k, v in (("variant", variant), ("locale", locale)) if v
    )
    return f"{url}?{query}" if query else url


def add_variant(client: TestClient[Any], entry: Any, name: str) -> Any:
    return submit(client, page_of(entry), form_id="variant-add", changes={"name": name})


def test_inherited_values_are_shown_per_locale(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    html = studio.get(page_of(offer, "headline_b", "nb")).text
    pairs = dict(form_fields(html, form_id="variant-form"))
    assert pairs["f:title:nb"] == "80 km med vårfølelse"  # overridden
    assert "o:title" in pairs
    assert "o:summary" not in pairs  # inherited: box not checked
    summary = offer["fields"]["summary"]["nb"]
    assert pairs["f:summary:nb"] == summary  # prefilled with what is inherited
    assert "inherited from default (nb)" in html
    assert summary in html


def test_an_override_saved_is_the_only_field_the_variant_has(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    r = add_variant(studio, offer, "summer")
    assert r.status_code == 303, r.text
    assert personalization(studio, keys, offer["id"])["variants"]["summer"] == {
        "fields": {},
        "description": "",
    }
    for locale, title in (("de", "Sommer!"), ("nb", "Sommer i Norge")):
        r = submit(
            studio,
            page_of(offer, "summer", locale),
            form_id="variant-form",
            changes={f"f:title:{locale}": title, "o:title": "1"},
        )
        assert r.status_code == 303, r.text
    summer = personalization(studio, keys, offer["id"])["variants"]["summer"]
    assert summer["fields"] == {"title": {"de": "Sommer!", "nb": "Sommer i Norge"}}
    # unchecking the override inherits again
    r = submit(
        studio, page_of(offer, "summer", "de"), form_id="variant-form", changes={}
    )
    pairs = [
        (n, v)
        for n, v in form_fields(
            studio.get(page_of(offer, "summer", "de")).text, form_id="variant-form"
        )
        if n != "o:title"
    ]
    r = post_form(studio, f"/studio/entries/{offer['id']}/variants", pairs)
    assert r.status_code == 303, r.text
    summer = personalization(studio, keys, offer["id"])["variants"]["summer"]
    assert summer["fields"] == {"title": {"nb": "Sommer i Norge"}}


def test_the_form_posted_back_untouched_changes_nothing(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    before = personalization(studio, keys, offer["id"])
    for variant in before["variants"]:
        for locale in ("en", "de", "nb", "ar"):
            r = submit(studio, page_of(offer, variant, locale), form_id="variant-form")
            assert r.status_code == 303, (variant, locale, r.text)
    assert personalization(studio, keys, offer["id"]) == before


def test_an_invalid_override_is_shown_at_its_input(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    before = personalization(studio, keys, offer["id"])
    r = submit(
        studio,
        page_of(offer, "premium", "en"),
        form_id="variant-form",
        changes={
            "f:title:en": "x" * 61,
            "o:title": "1",
            "o:price": "1",
            "f:price": "-5",
        },
    )
    assert r.status_code == 422, r.text
    assert 'id="in-f-title-en-err"' in r.text
    assert 'id="in-f-price-err"' in r.text
    assert personalization(studio, keys, offer["id"]) == before


@pytest.mark.parametrize(
    "name", ["Summer", "1st", "summer time", "default", "a" * 65, "", "premium"]
)
def test_variant_names_are_checked_like_the_api(
    studio: TestClient[Any], keys: Keys, offer: Any, name: str
) -> None:
    before = personalization(studio, keys, offer["id"])
    r = add_variant(studio, offer, name)
    assert r.status_code in (400, 422), r.text
    assert personalization(studio, keys, offer["id"]) == before


def test_rename_follows_the_rules_and_delete_refuses_a_used_variant(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    r = submit(
        studio,
        page_of(offer, "premium"),
        form_id="variant-rename",
        changes={"name": "vip_preview"},
    )
    assert r.status_code == 303, r.text
    data = personalization(studio, keys, offer["id"])
    assert "premium" not in data["variants"] and "vip_preview" in data["variants"]
    assert data["rules"][1]["variant"] == "vip_preview"
    r = submit(studio, page_of(offer, "vip_preview"), form_id="variant-delete")
    assert r.status_code == 422, r.text  # a rule still uses it
    assert "unknown variant" in r.text
    r = add_variant(studio, offer, "spare")
    r = submit(studio, page_of(offer, "spare"), form_id="variant-delete")
    assert r.status_code == 303, r.text
    assert "spare" not in personalization(studio, keys, offer["id"])["variants"]


def test_a_stale_save_writes_nothing_and_keeps_what_was_typed(
    studio: TestClient[Any], keys: Keys, offer: Any
) -> None:
    html = studio.get(page_of(offer, "premium", "en")).text
    r = studio.patch(
        f"/manage/v1/entries/{offer['id']}",
        json={"fields": {"price": 2500}},
        headers=keys.headers("manage", **{"If-Match": f'"{offer["version"]}"'}),
    )
    assert r.status_code == 200, r.text
    pairs = [
        (n, v)
        for n, v in form_fields(html, form_id="variant-form")
        if n != "f:title:en"
    ]
    r = post_form(
        studio,
        f"/studio/entries/{offer['id']}/variants",
        [*pairs, ("f:title:en", "Mine")],
    )
    assert r.status_code == 412, r.text
    assert "Someone saved this entry" in r.text
    shown = dict(form_fields(r.text, form_id="variant-form"))
    assert shown["f:title:en"] == "Mine"
    assert shown["version"] == str(offer["version"] + 1)
    data = personalization(studio, keys, offer["id"])
    assert data["variants"]["premium"]["fields"]["title"]["en"] != "Mine"


@pytest.fixture
def translator(
    demo: Settings,
) -> Iterator[TestClient[Any]]:
    with TestClient(
        studio_app(demo, person(Role.TRANSLATOR, frozenset({"nb"})))
    ) as client:
        client.headers["Accept"] = BROWSER_ACCEPT
        yield client


def test_a_translator_edits_their_locales_override_text_only(
    translator: TestClient[Any], keys: Keys
) -> None:
    offer = entry_by_key(translator, keys, "offer", "spring-city-one")
    html = translator.get(page_of(offer, "premium", "nb")).text
    assert 'id="variant-add"' not in html
    pairs = dict(form_fields(html, form_id="variant-form"))
    assert "f:price" not in pairs and "o:price:present" not in pairs  # disabled
    assert "description" not in pairs
    r = submit(
        translator,
        page_of(offer, "premium", "nb"),
        form_id="variant-form",
        changes={"f:title:nb": "Din helt private visning"},
    )
    assert r.status_code == 303, r.text
    data = personalization(translator, keys, offer["id"])
    assert data["variants"]["premium"]["fields"]["title"]["nb"] == (
        "Din helt private visning"
    )
    before = data
    # another locale: the inputs are disabled; posted anyway, refused
    html = translator.get(page_of(offer, "premium", "de")).text
    assert "f:title:de" not in dict(form_fields(html, form_id="variant-form"))
    pairs = form_fields(html, form_id="variant-form")
    r = post_form(
        translator,
        f"/studio/entries/{offer['id']}/variants",
        [*pairs, ("o:title:present", "1"), ("o:title", "1"), ("f:title:de", "Nein")],
    )
    assert r.status_code == 403, r.text
    assert "variants.premium.fields.title.de" in r.text
    assert personalization(translator, keys, offer["id"]) == before
    for action in ("add", "rename", "delete"):
        r = post_form(
            translator,
            f"/studio/entries/{offer['id']}/variants/{action}",
            [
                ("version", str(offer["version"] + 1)),
                ("variant", "premium"),
                ("name", "other"),
            ],
        )
        assert r.status_code == 403, (action, r.text)
    assert personalization(translator, keys, offer["id"]) == before
