"""Field-level locale fallback as delivery reports it."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type, publish


def test_each_field_resolves_along_a_three_deep_chain(
    client: TestClient[Any], keys: Keys
) -> None:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_locale(client, admin, "de-CH")
    add_type(client, admin)
    entry = add_entry(
        client,
        admin,
        "spring",
        {
            "title": {
                "en": "Spring offer",
                "de": "Frühlingsangebot",
                "de-CH": "Früeligsaagebot",
            },
            "summary": {"en": "Save now", "de": "Jetzt sparen"},
            "body": {"en": "<p>Only in English</p>"},
            "price": 10,
        },
    )
    publish(client, admin, entry)
    r = client.get(
        f"/delivery/v1/entries/{entry['id']}",
        params={"locale": "de-CH"},
        headers=keys.headers("delivery"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["locale_chain"] == ["de-CH", "de", "en"]
    assert body["fields"]["title"] == "Früeligsaagebot"
    assert body["field_locales"]["title"] == "de-CH"
    assert body["fields"]["summary"] == "Jetzt sparen"
    assert body["field_locales"]["summary"] == "de"
    assert body["fields"]["body"] == "<p>Only in English</p>"
    assert body["field_locales"]["body"] == "en"
    assert body["fields"]["price"] == 10
    assert body["field_locales"]["price"] is None


def test_a_field_missing_in_every_locale_of_the_chain_is_null(
    client: TestClient[Any], keys: Keys
) -> None:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_locale(client, admin, "nb")
    add_type(client, admin)
    entry = add_entry(
        client,
        admin,
        "only-nb",
        {"title": {"en": "Hi", "nb": "Hei"}, "summary": {"nb": "Bare norsk"}},
    )
    publish(client, admin, entry)
    body = client.get(
        f"/delivery/v1/entries/{entry['id']}",
        params={"locale": "de"},
        headers=keys.headers("delivery"),
    ).json()
    assert body["fields"]["summary"] is None
    assert body["field_locales"]["summary"] is None
    assert body["fields"]["title"] == "Hi"
    assert body["field_locales"]["title"] == "en"


def test_changing_a_fallback_chain_changes_delivery(
    client: TestClient[Any], keys: Keys
) -> None:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    de_ch = add_locale(client, admin, "de-CH")
    add_type(client, admin)
    entry = add_entry(client, admin, "x", {"title": {"en": "Hello", "de": "Hallo"}})
    publish(client, admin, entry)
    url = f"/delivery/v1/entries/{entry['id']}?locale=de-CH"
    assert (
        client.get(url, headers=keys.headers("delivery")).json()["fields"]["title"]
        == "Hallo"
    )
    r = client.patch(
        "/manage/v1/locales/de-CH",
        json={"fallbacks": []},
        headers={**admin, "If-Match": f'"{de_ch["version"]}"'},
    )
    assert r.status_code == 200, r.text
    body = client.get(url, headers=keys.headers("delivery")).json()
    assert body["fields"]["title"] == "Hello"
    assert body["locale_chain"] == ["de-CH", "en"]
