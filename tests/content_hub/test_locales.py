from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.domain.locales import (
    InvalidLocaleCode,
    LocaleSet,
    canonical_code,
    cldr_ancestors,
)
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_locale


class TestCldrChains:
    @pytest.mark.parametrize(
        ("code", "chain"),
        [
            ("de-CH", ("de",)),
            ("zh-Hant-HK", ("zh-Hant",)),
            ("zh-HK", ("zh-Hant",)),
            ("zh-Hant-MO", ("zh-Hant-HK", "zh-Hant")),
            ("nb", ("no",)),
            ("nn-NO", ("nn", "no")),
            ("en-CH", ("en-150", "en-001", "en")),
            ("es-MX", ("es-419", "es")),
            ("pt-AO", ("pt-PT", "pt")),
            ("sr-Latn", ()),
            ("de", ()),
        ],
    )
    def test_ancestors_follow_cldr_parents(
        self, code: str, chain: tuple[str, ...]
    ) -> None:
        assert cldr_ancestors(code) == chain

    @pytest.mark.parametrize("bad", ["", "xx-YY-ZZ-1", "de_CH", "english", "ü"])
    def test_invalid_codes_are_refused(self, bad: str) -> None:
        with pytest.raises(InvalidLocaleCode):
            canonical_code(bad)

    def test_canonical_casing(self) -> None:
        assert canonical_code("zh-hant-hk") == "zh-Hant-HK"
        assert canonical_code("DE-ch") == "de-CH"


class TestLocaleApi:
    def test_default_locale_exists_and_new_ones_derive_fallbacks(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        listed = client.get("/manage/v1/locales", headers=admin).json()["items"]
        assert [(loc["code"], loc["is_default"]) for loc in listed] == [("en", True)]
        created = add_locale(client, admin, "zh-hant-hk")
        assert created["code"] == "zh-Hant-HK"
        assert created["fallbacks"] == ["zh-Hant"]
        assert created["name"] == "Chinese (Traditional, Hong Kong SAR China)"
        ar = add_locale(client, admin, "ar")
        assert ar["direction"] == "rtl"

    def test_reads_are_open_to_reading_keys_writes_stay_admin(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        add_locale(client, keys.headers("admin"), "de")
        for scope in ("manage", "delivery", "preview"):
            listed = client.get("/manage/v1/locales", headers=keys.headers(scope))
            assert listed.status_code == 200, (scope, listed.text)
            assert [loc["code"] for loc in listed.json()["items"]] == ["de", "en"]
            one = client.get("/manage/v1/locales/de", headers=keys.headers(scope))
            assert one.status_code == 200 and one.headers["etag"] == '"1"'
        assert (
            client.get(
                "/manage/v1/locales", headers=keys.headers("metrics")
            ).status_code
            == 403
        )
        manage = keys.headers("manage")
        writes = [
            client.post("/manage/v1/locales", json={"code": "fr"}, headers=manage),
            client.patch(
                "/manage/v1/locales/de",
                json={"name": "D"},
                headers={**manage, "If-Match": '"1"'},
            ),
            client.delete(
                "/manage/v1/locales/de", headers={**manage, "If-Match": '"1"'}
            ),
        ]
        assert [w.status_code for w in writes] == [403, 403, 403]

    def test_invalid_code_is_a_validation_problem(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        r = client.post(
            "/manage/v1/locales",
            json={"code": "klingon-XX"},
            headers=keys.headers("admin"),
        )
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["loc"] == ["code"]

    def test_duplicate_locale_conflicts(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        add_locale(client, keys.headers("admin"), "de")
        r = client.post(
            "/manage/v1/locales", json={"code": "de"}, headers=keys.headers("admin")
        )
        assert r.status_code == 409
        assert r.json()["type"].endswith("/conflict")

    def test_default_can_move_but_not_be_deleted(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        r = client.delete("/manage/v1/locales/en", headers={**admin, "If-Match": '"1"'})
        assert r.status_code == 409
        de = add_locale(client, admin, "de")
        r = client.patch(
            "/manage/v1/locales/de",
            json={"is_default": True},
            headers={**admin, "If-Match": f'"{de["version"]}"'},
        )
        assert r.status_code == 200, r.text
        listed = {
            loc["code"]: loc["is_default"]
            for loc in client.get("/manage/v1/locales", headers=admin).json()["items"]
        }
        assert listed == {"en": False, "de": True}

    def test_explicit_fallbacks_are_validated(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        r = client.post(
            "/manage/v1/locales",
            json={"code": "de-AT", "fallbacks": ["de-AT"]},
            headers=admin,
        )
        assert r.status_code == 422
        r = client.post(
            "/manage/v1/locales",
            json={"code": "de-AT", "fallbacks": ["nope-nope-nope"]},
            headers=admin,
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["fallbacks", 0]


class TestNegotiation:
    def _set(self) -> LocaleSet:
        from datetime import UTC, datetime

        from content_hub.domain.locales import Locale

        now = datetime.now(UTC)

        def loc(code: str, fallbacks: list[str], default: bool = False) -> Locale:
            return Locale(
                code=code,
                name=code,
                native_name=code,
                direction="ltr",
                fallbacks=fallbacks,
                is_default=default,
                version=1,
                created_at=now,
                updated_at=now,
            )

        return LocaleSet.build(
            [
                loc("en", [], True),
                loc("de", []),
                loc("de-CH", ["de"]),
                loc("zh-Hant", []),
                loc("no", []),
            ],
            "en",
        )

    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("de-AT,de;q=0.8", "de"),
            ("de-CH", "de-CH"),
            ("zh-Hant-HK", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("nb", "no"),
            ("fr;q=0.9, de;q=0.5", "de"),
            ("*", "en"),
            (None, "en"),
            ("fr", None),
        ],
    )
    def test_accept_language_walks_cldr_parents(
        self, header: str | None, expected: str | None
    ) -> None:
        assert self._set().negotiate(header) == expected

    def test_chains_end_in_the_default(self) -> None:
        assert self._set().chain("de-CH") == ("de-CH", "de", "en")
