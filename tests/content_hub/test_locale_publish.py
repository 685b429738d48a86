"""Per-locale publishing: ``{"locales": [...]}`` makes those locales'
values live, the others stay as last published (or absent, falling back);
non-localised fields go live from the draft with any per-locale publish."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.domain.translations import compose_personalization, compose_published
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import (
    add_entry,
    add_locale,
    add_type,
    publish_template,
)

E = "/manage/v1/entries"


@pytest.fixture
def admin(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    headers = keys.headers("admin")
    add_locale(client, headers, "de")
    add_locale(client, headers, "nb")
    add_type(client, headers)
    return headers


def call(
    client: TestClient[Any],
    admin: dict[str, str],
    method: str,
    entry: dict[str, Any],
    tail: str = "",
    json: Any = None,
) -> Any:
    headers = {**admin, "If-Match": f'"{entry["version"]}"'}
    return client.request(
        method, f"{E}/{entry['id']}{tail}", json=json, headers=headers
    )


def live(client: TestClient[Any], keys: Keys, entry_id: str, locale: str) -> Any:
    r = client.get(
        f"/delivery/v1/entries/{entry_id}",
        params={"locale": locale},
        headers=keys.headers("delivery"),
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_de_goes_live_nb_keeps_the_old_text(
    client: TestClient[Any], keys: Keys, admin: dict[str, str]
) -> None:
    title = {"en": "Spring", "de": "Frühling", "nb": "Vår"}
    e = add_entry(client, admin, "s", {"title": title, "price": 1})
    e = call(client, admin, "POST", e, "/publish").json()
    r = call(
        client,
        admin,
        "PATCH",
        e,
        json={"fields": {"title": {"de": "Sommer", "nb": "Sommer-nb"}, "price": 2}},
    )
    e = r.json()
    r = call(client, admin, "POST", e, "/publish", {"locales": ["de"]})
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["version"] == e["published_version"] + 1  # draft kept, unpublished nb
    assert e["fields"]["title"]["nb"] == "Sommer-nb"
    assert live(client, keys, e["id"], "de")["fields"]["title"] == "Sommer"
    nb = live(client, keys, e["id"], "nb")["fields"]
    assert nb["title"] == "Vår"
    assert nb["price"] == 2  # non-localised: live with any per-locale publish
    assert live(client, keys, e["id"], "en")["fields"]["title"] == "Spring"
    # then nb: now everything is live, an ordinary publish of the draft
    r = call(client, admin, "POST", e, "/publish", {"locales": ["nb"]})
    assert r.status_code == 200, r.text
    assert r.json()["published_version"] == r.json()["version"] == e["version"]
    assert live(client, keys, e["id"], "nb")["fields"]["title"] == "Sommer-nb"
    revisions = client.get(f"{E}/{e['id']}/revisions", headers=admin).json()["items"]
    assert [r["version"] for r in revisions] == [4, 3, 2, 1]


def test_an_unlisted_locale_never_published_stays_absent_and_falls_back(
    client: TestClient[Any], keys: Keys, admin: dict[str, str]
) -> None:
    title = {"en": "Spring", "de": "Frühling", "nb": "Vår"}
    e = add_entry(client, admin, "n", {"title": title})
    r = call(client, admin, "POST", e, "/publish", {"locales": ["en", "de"]})
    assert r.status_code == 200, r.text
    nb = live(client, keys, e["id"], "nb")
    assert nb["fields"]["title"] == "Spring"
    assert nb["field_locales"]["title"] == "en"
    assert live(client, keys, e["id"], "de")["fields"]["title"] == "Frühling"


def test_bad_locales_are_refused_and_change_nothing(
    client: TestClient[Any], admin: dict[str, str]
) -> None:
    e = add_entry(client, admin, "b", {"title": {"en": "T", "de": "D"}})
    for body in ({"locales": ["fr"]}, {"locales": []}, {"locales": "de"}, {"x": 1}):
        r = call(client, admin, "POST", e, "/publish", body)
        assert r.status_code in (400, 422), (body, r.text)
    after = client.get(f"{E}/{e['id']}", headers=admin).json()
    assert after["version"] == e["version"]
    assert after["published_version"] is None
    # publishing only de of an entry whose required en title is absent live
    r = call(client, admin, "POST", e, "/publish", {"locales": ["de"]})
    assert r.status_code == 422, r.text
    assert client.get(f"{E}/{e['id']}", headers=admin).json() == after


MAPS = st.dictionaries(
    st.sampled_from(["en", "de", "nb"]), st.sampled_from(["a", "b"]), max_size=3
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    draft=MAPS,
    previous=st.none() | MAPS,
    locales=st.sets(st.sampled_from(["en", "de", "nb"])),
)
def test_compose_takes_listed_locales_from_the_draft(
    draft: dict[str, str], previous: dict[str, str] | None, locales: set[str]
) -> None:
    got = compose_published(
        ["t"],
        {"t": draft, "n": 1},
        None if previous is None else {"t": previous, "n": 0},
        locales,
    )
    assert got["n"] == 1
    for code in ("en", "de", "nb"):
        want = (draft if code in locales else previous or {}).get(code)
        assert got.get("t", {}).get(code) == want


def _render(client: TestClient[Any], keys: Keys, locale: str) -> str:
    r = client.post(
        "/render/v1/render",
        json={
            "type": "article",
            "key": "s",
            "channel": "web",
            "locale": locale,
            "customer": {"id": "c1"},
        },
        headers=keys.headers("render"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["variant"] == "summer"
    return str(r.json()["output"]["html"])


def _personalize(
    client: TestClient[Any], admin: dict[str, str], entry: dict[str, Any], **titles: Any
) -> dict[str, Any]:
    body = {
        "variants": {
            name: {"fields": {"title": title}} for name, title in titles.items()
        },
        "rules": [{"type": "personalise", "id": "all", "variant": "summer"}],
    }
    r = call(client, admin, "PUT", entry, "/personalization", json=body)
    assert r.status_code == 200, r.text
    got = client.get(f"{E}/{entry['id']}", headers=admin)
    return dict(got.json())


def test_variant_overrides_follow_the_published_locales(
    client: TestClient[Any], keys: Keys, admin: dict[str, str]
) -> None:
    """A per-locale publish composed the entry's fields but made every
    locale's variant overrides live: nb's unfinished variant text went out
    with a publish of de."""
    publish_template(client, admin, "article", "web", {"type": "web", "html": "{{ fields.title }}"})  # fmt: skip
    title = {"en": "Spring", "de": "Frühling", "nb": "Vår"}
    e = add_entry(client, admin, "s", {"title": title, "price": 1})
    e = _personalize(client, admin, e, summer={"de": "Sommer-alt", "nb": "Sommar-alt"})
    e = call(client, admin, "POST", e, "/publish").json()
    assert _render(client, keys, "nb").endswith(">Sommar-alt</div>")
    e = _personalize(
        client,
        admin,
        e,
        summer={"de": "Sommer-neu", "nb": "Sommar-neu"},
        autumn={"de": "Herbst", "nb": "Haust"},
    )
    r = call(client, admin, "POST", e, "/publish", json={"locales": ["de"]})
    assert r.status_code == 200, r.text
    assert _render(client, keys, "de").endswith(">Sommer-neu</div>")
    assert _render(client, keys, "nb").endswith(">Sommar-alt</div>")  # as published
    # the draft keeps every locale's text, the new variant included
    draft = client.get(f"{E}/{e['id']}/personalization", headers=admin).json()
    assert draft["variants"]["summer"]["fields"]["title"]["nb"] == "Sommar-neu"
    assert draft["variants"]["autumn"]["fields"]["title"] == {
        "de": "Herbst",
        "nb": "Haust",
    }
    e = r.json()
    r = call(client, admin, "POST", e, "/publish", json={"locales": ["nb"]})
    assert r.status_code == 200, r.text
    assert _render(client, keys, "nb").endswith(">Sommar-neu</div>")
    assert _render(client, keys, "de").endswith(">Sommer-neu</div>")


@settings(max_examples=200, deadline=None)
@given(
    draft=st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.dictionaries(st.sampled_from(["en", "de", "nb"]), st.text(max_size=2)),
        max_size=3,
    ),
    previous=st.none()
    | st.dictionaries(
        st.sampled_from(["a", "b", "d"]),
        st.dictionaries(st.sampled_from(["en", "de", "nb"]), st.text(max_size=2)),
        max_size=3,
    ),
    chosen=st.lists(st.sampled_from(["en", "de", "nb"]), min_size=1, unique=True),
)
def test_variant_composition_per_locale(
    draft: dict[str, dict[str, str]],
    previous: dict[str, dict[str, str]] | None,
    chosen: list[str],
) -> None:
    """Each variant's title in a chosen locale is the draft's; in any other
    locale it is the previously published one of that same variant (none
    for a variant that was not published); variants and rules are the
    draft's."""

    def pers(variants: dict[str, dict[str, str]]) -> dict[str, Any]:
        return {
            "variants": {
                n: {"fields": {"title": t, "n": 1}} for n, t in variants.items()
            },
            "rules": [{"type": "personalise", "variant": "x"}],
        }

    got = compose_personalization(
        ["title"], pers(draft), None if previous is None else pers(previous), chosen
    )
    assert set(got["variants"]) == set(draft)
    assert got["rules"] == pers(draft)["rules"]
    for name, titles in draft.items():
        fields = got["variants"][name]["fields"]
        assert fields["n"] == 1
        old = (previous or {}).get(name, {})
        for locale in ["en", "de", "nb"]:
            want = (titles if locale in chosen else old).get(locale)
            assert fields.get("title", {}).get(locale) == want
