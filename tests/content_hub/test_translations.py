"""Translation status through the API: a translation is outdated once the
source (default) locale's value changes after it was written, until it is
written again; the list, the summary and an entry's view agree; review
states per locale, translators limited to theirs."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_locale, add_type
from tests.content_hub.users_support import (  # noqa: F401  (a fixture)
    cheap_passwords,
    make_user,
    sign_in,
)

E = "/manage/v1/entries"
T = "/manage/v1/translations"
TITLE = {"en": "Spring offer", "de": "Frühlingsangebot", "nb": "Vårtilbud"}


@pytest.fixture
def hub(client: TestClient[Any], keys: Keys) -> dict[str, str]:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_locale(client, admin, "nb")
    add_type(client, admin)
    return admin


def patch(
    client: TestClient[Any], admin: dict[str, str], entry_id: str, fields: Any
) -> dict[str, Any]:
    version = client.get(f"{E}/{entry_id}", headers=admin).json()["version"]
    r = client.patch(
        f"{E}/{entry_id}",
        json={"fields": fields},
        headers={**admin, "If-Match": f'"{version}"'},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def statuses(
    client: TestClient[Any], admin: dict[str, str], entry_id: str
) -> dict[str, dict[str, str]]:
    r = client.get(f"{E}/{entry_id}/translations", headers=admin)
    assert r.status_code == 200, r.text
    return dict(r.json()["statuses"])


def listing(client: TestClient[Any], admin: dict[str, str], **query: Any) -> list[Any]:
    """Every page of the list, with a small page size to cross pages."""
    items: list[Any] = []
    cursor = None
    while True:
        params = {**query, "limit": 3, **({"cursor": cursor} if cursor else {})}
        r = client.get(T, params=params, headers=admin)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return items


def test_changing_the_source_makes_translations_outdated_until_edited(
    client: TestClient[Any], hub: dict[str, str]
) -> None:
    e = add_entry(client, hub, "spring", {"title": TITLE, "summary": {"en": "S"}})
    assert statuses(client, hub, e["id"]) == {
        "de": {"title": "present", "summary": "missing"},
        "nb": {"title": "present", "summary": "missing"},
    }
    patch(client, hub, e["id"], {"title": {"en": "Summer offer"}})
    assert statuses(client, hub, e["id"])["de"]["title"] == "outdated"
    outdated = listing(client, hub, state="outdated")
    assert [(i["field"], i["locale"]) for i in outdated] == [
        ("title", "de"),
        ("title", "nb"),
    ]
    patch(client, hub, e["id"], {"title": {"de": "Sommerangebot"}})
    now = statuses(client, hub, e["id"])
    assert now["de"]["title"] == "present"
    assert now["nb"]["title"] == "outdated"
    # the source back to what nb was written against: nb is current again
    patch(client, hub, e["id"], {"title": {"en": "Spring offer"}})
    now = statuses(client, hub, e["id"])
    assert now["nb"]["title"] == "present"
    assert now["de"]["title"] == "outdated"


def test_summary_counts_equal_the_list(
    client: TestClient[Any], hub: dict[str, str]
) -> None:
    for n in range(5):
        fields: dict[str, Any] = {"title": {"en": f"T{n}"}}
        if n % 2:
            fields["title"]["de"] = f"D{n}"
            fields["summary"] = {"en": "x", "nb": "y"}
        e = add_entry(client, hub, f"e{n}", fields)
        if n == 3:
            patch(client, hub, e["id"], {"title": {"en": "changed"}})
    r = client.get(f"{T}/summary", headers=hub)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "en"
    every = listing(client, hub)
    assert len({(i["entry_id"], i["field"], i["locale"]) for i in every}) == len(every)
    for row in body["locales"]:
        mine = [i for i in every if i["locale"] == row["locale"]]
        for state in ("missing", "outdated", "present"):
            assert row[state] == sum(i["status"] == state for i in mine)
            assert listing(client, hub, locale=row["locale"], state=state) == [
                i for i in mine if i["status"] == state
            ]
        assert row["total"] == len(mine)
        assert row["completeness"] == round(100 * row["present"] / row["total"], 2)
        assert row["review"]["none"] == 5
    assert {r["locale"]: r["outdated"] for r in body["locales"]} == {"de": 1, "nb": 0}


def test_bad_filters_are_400(client: TestClient[Any], hub: dict[str, str]) -> None:
    for params in (
        {"locale": "fr"},
        {"state": "gone"},
        {"type": "nope"},
        {"cursor": "%%%"},
        {"cursor": "YWJj"},
    ):
        r = client.get(T, params=params, headers=hub)
        assert r.status_code == 400, (params, r.text)


VALUES = st.sampled_from(["a", "b", "c", None])
EDIT = st.dictionaries(st.sampled_from(["en", "de", "nb"]), VALUES, min_size=1)
SERIAL = itertools.count()


def _hash(value: Any) -> Any:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def model(edits: list[dict[str, Any]]) -> dict[str, str]:
    """Pure model: each locale remembers the source it was last written
    against; outdated when the source differs now."""
    values: dict[str, Any] = {}
    written_against: dict[str, Any] = {}
    for edit in edits:
        after = {**values, **edit}
        after = {k: v for k, v in after.items() if v is not None}
        for code in ("de", "nb"):
            if after.get(code) is not None and after.get(code) != values.get(code):
                written_against[code] = after.get("en")
        values = after
    out = {}
    for code in ("de", "nb"):
        if values.get(code) is None:
            if values.get("en") is not None:
                out[code] = "missing"
        elif code in written_against and written_against[code] != values.get("en"):
            out[code] = "outdated"
        else:
            out[code] = "present"
    return out


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_status_follows_a_model_of_edits(
    client: TestClient[Any], hub: dict[str, str], edits: list[dict[str, Any]]
) -> None:
    e = add_entry(client, hub, f"h{next(SERIAL)}", {})
    for edit in edits:
        patch(client, hub, e["id"], {"summary": edit})
    got = statuses(client, hub, e["id"])
    assert {c: s["summary"] for c, s in got.items() if "summary" in s} == model(edits)


class TestReview:
    def review(
        self,
        client: TestClient[Any],
        headers: dict[str, str],
        entry_id: str,
        locale: str,
        state: str,
        version: int | None,
    ) -> Any:
        if version is not None:
            headers = {**headers, "If-Match": f'"{version}"'}
        return client.put(
            f"{E}/{entry_id}/translations/{locale}",
            json={"state": state},
            headers=headers,
        )

    def test_versions(self, client: TestClient[Any], hub: dict[str, str]) -> None:
        e = add_entry(client, hub, "r", {"title": TITLE})
        assert (
            self.review(client, hub, e["id"], "de", "reviewed", None).status_code == 428
        )
        r = self.review(client, hub, e["id"], "de", "in_translation", 0)
        assert r.status_code == 200, r.text
        assert r.headers["ETag"] == '"1"'
        assert self.review(client, hub, e["id"], "de", "reviewed", 0).status_code == 412
        assert self.review(client, hub, e["id"], "de", "bogus", 1).status_code == 400
        assert self.review(client, hub, e["id"], "en", "reviewed", 0).status_code == 404
        r = self.review(client, hub, e["id"], "de", "reviewed", 1)
        assert r.status_code == 200, r.text
        got = client.get(f"{E}/{e['id']}/translations", headers=hub).json()
        assert got["reviews"]["de"]["state"] == "reviewed"
        assert got["reviews"]["nb"] == {
            "entry_id": e["id"],
            "locale": "nb",
            "state": None,
            "version": 0,
            "updated_by": None,
        }
        summary = client.get(f"{T}/summary", headers=hub).json()["locales"]
        assert summary[0]["review"]["reviewed"] == 1

    @pytest.mark.usefixtures("cheap_passwords")
    def test_translators_review_their_locales_only(
        self,
        client: TestClient[Any],
        hub: dict[str, str],
        settings: Settings,
        keys: Keys,
    ) -> None:
        e = add_entry(client, hub, "t", {"title": TITLE})
        make_user(settings, "tr@example.com", "translator", ["de"])
        token = {"X-CSRF-Token": sign_in(client, "tr@example.com")["csrf_token"]}
        r = self.review(client, token, e["id"], "nb", "translated", 0)
        assert r.status_code == 403, r.text
        assert "nb" in r.json()["detail"]
        r = self.review(client, token, e["id"], "de", "translated", 0)
        assert r.status_code == 200, r.text
        assert r.json()["updated_by"] == "tr@example.com"
        # a translator's own edit makes their outdated value current
        patch(client, hub, e["id"], {"title": {"en": "New"}})
        version = client.get(f"{E}/{e['id']}", headers=hub).json()["version"]
        r = client.patch(
            f"{E}/{e['id']}",
            json={"fields": {"title": {"de": "Neu"}}},
            headers={**token, "If-Match": f'"{version}"'},
        )
        assert r.status_code == 200, r.text
        assert statuses(client, token, e["id"])["de"]["title"] == "present"
        reader = keys.headers("delivery")
        assert client.get(T, headers=reader).status_code == 403


def test_variant_overrides_are_tracked_like_fields(
    client: TestClient[Any], hub: dict[str, str]
) -> None:
    e = add_entry(client, hub, "v", {"title": TITLE})
    field = "variants.summer.title"

    def personalize(title: dict[str, str]) -> None:
        version = client.get(f"{E}/{e['id']}", headers=hub).json()["version"]
        body = {"variants": {"summer": {"fields": {"title": title}}}, "rules": []}
        r = client.put(
            f"{E}/{e['id']}/personalization",
            json=body,
            headers={**hub, "If-Match": f'"{version}"'},
        )
        assert r.status_code == 200, r.text

    personalize({"en": "Summer", "de": "Sommer"})
    now = statuses(client, hub, e["id"])
    assert now["de"][field] == "present" and now["nb"][field] == "missing"
    personalize({"en": "Hot summer", "de": "Sommer"})
    assert statuses(client, hub, e["id"])["de"][field] == "outdated"
    assert [i["field"] for i in listing(client, hub, state="outdated")] == [field]
    personalize({"en": "Hot summer", "de": "Heißer Sommer"})
    assert statuses(client, hub, e["id"])["de"][field] == "present"
    assert statuses(client, hub, e["id"])["de"]["title"] == "present"
