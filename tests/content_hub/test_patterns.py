"""``validations.pattern`` and ``$regex`` audiences: linear time, refused at save.

Catastrophic patterns for a backtracking engine are generated and run against
long values (they finish under pytest-timeout, not in minutes); what RE2
refuses (lookarounds, backreferences, possessive quantifiers, invalid syntax,
absurd size) is a 422 problem document when the content type or audience is
saved, naming the field, and nothing is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import regex
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.domain.content_types import (
    ContentType,
    FieldDef,
    FieldType,
    Validations,
    check_definition,
)
from content_hub.domain.patterns import MAX_PROGRAM, PatternRefused, compile_pattern
from content_hub.domain.validation import validate_fields
from tests.content_hub.conftest import Keys
from tests.content_hub.render_fixtures import build_offer
from tests.regex_strategies import catastrophic

REFUSED = [
    ("(?=a)b", "lookahead"),
    ("a(?!b)", "lookahead"),
    ("(?<=a)b", "lookbehind"),
    ("(?<!a)b", "lookbehind"),
    ("(a)\\1", "backreference"),
    ("(?P<x>a)(?P=x)", "backreference"),
    ("a++", "possessive"),
    ("a*+b", "possessive"),
    ("(", "invalid regular expression"),
    ("[z-a]", "invalid regular expression"),
    ("x{1001}", "invalid regular expression"),
    ("(?:[a-z]{1,100}){1,10}", "too complex"),
    ("\\p{L}{1,200}\\p{N}{1,200}", "invalid regular expression"),
]


def _type(pattern: str) -> ContentType:
    now = datetime.now(UTC)
    return ContentType(
        key="t",
        name="T",
        description="",
        fields=[
            FieldDef(
                key="code",
                type=FieldType.TEXT,
                validations=Validations(pattern=pattern),
            )
        ],
        channels=["web"],
        version=1,
        created_at=now,
        updated_at=now,
    )


def _errors(pattern: str, value: str) -> list[Any]:
    _, errors = validate_fields(
        _type(pattern),
        {"code": value},
        locales=frozenset({"en"}),
        default_locale="en",
        require=True,
    )
    return errors


class TestDomain:
    @pytest.mark.timeout(120)
    @settings(max_examples=120, deadline=None)
    @given(
        body=catastrophic(),
        tail=st.sampled_from(["", "$", "!", "b"]),
        unit=st.sampled_from(["a", "ab", "aab", "1"]),
        repeat=st.integers(10_000, 60_000),
        end=st.sampled_from(["", "!", "\u00e9"]),
    )
    def test_catastrophic_patterns_on_long_values_finish(
        self, body: str, tail: str, unit: str, repeat: int, end: str
    ) -> None:
        pattern, value = body + tail, unit * repeat + end
        try:
            compiled = compile_pattern(pattern)
        except PatternRefused as exc:
            refused = str(exc)  # only size limits: the syntax is all RE2's
            assert "too complex" in refused or "repetition" in refused
            return
        errors = _errors(pattern, value)
        assert [e.type for e in errors] == (
            [] if compiled.matches(value) else ["pattern"]
        )

    @settings(max_examples=200, deadline=None)
    @given(body=catastrophic(), text=st.text(alphabet="aAb1!", max_size=8))
    def test_full_match_agrees_with_a_backtracking_engine(
        self, body: str, text: str
    ) -> None:
        try:
            compiled = compile_pattern(body)
        except PatternRefused:
            return
        try:
            expected = regex.fullmatch(body, text, timeout=0.2)
        except TimeoutError:
            reject()
        assert compiled.matches(text) is (expected is not None)

    @settings(max_examples=150, deadline=None)
    @given(
        refused=st.sampled_from(REFUSED),
        prefix=st.sampled_from(["", "a", "[a-z]+", "^", "(?:x|y)"]),
        suffix=st.sampled_from(["", "c", "\\d*", "$"]),
        index=st.integers(0, 3),
    )
    def test_refused_constructs_name_the_field(
        self, refused: tuple[str, str], prefix: str, suffix: str, index: int
    ) -> None:
        pattern, reason = refused
        fields = [FieldDef(key=f"f{i}", type=FieldType.TEXT) for i in range(index)]
        fields.append(
            FieldDef(
                key="code",
                type=FieldType.TEXT,
                validations=Validations(pattern=prefix + pattern + suffix),
            )
        )
        errors = check_definition(fields, ["web"])
        assert [e.loc for e in errors] == [["fields", index, "validations", "pattern"]]
        assert "'code'" in errors[0].msg
        if prefix == suffix == "":
            assert reason in errors[0].msg

    @pytest.mark.parametrize(
        ("pattern", "good", "bad"),
        [
            ("[A-Z]{2}-\\d{4}", "DE-1234", "de-1234"),
            ("\\u00e9+", "\u00e9\u00e9", "e"),
            ("[a-z]+\\Z", "abc", "abc1"),
            ("(?i)sale|new", "SALE", "sales"),
            ("\\w+@\\w+\\.[a-z]{2,}", "kim@shop.de", "kim@shop"),
        ],
    )
    def test_python_syntax_still_works(self, pattern: str, good: str, bad: str) -> None:
        assert _errors(pattern, good) == []
        assert [e.type for e in _errors(pattern, bad)] == ["pattern"]

    def test_a_stored_pattern_the_engine_refuses_is_a_validation_error(self) -> None:
        (error,) = _errors("(?=a)a", "a")  # saved before patterns ran on RE2
        assert error.type == "pattern"
        assert error.loc == ["fields", "code"]
        assert "lookahead" in error.msg

    def test_program_size_is_bounded(self) -> None:
        with pytest.raises(PatternRefused, match=str(MAX_PROGRAM)):
            compile_pattern("(?:[a-z]{1,100}){1,10}")


def _problem(r: Any) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["type"] == "https://content-hub.dev/problems/validation-failed"
    return body


class TestApi:
    @pytest.mark.parametrize(("pattern", "reason"), REFUSED)
    def test_content_type_save_refuses_with_the_field_path(
        self, client: TestClient[Any], keys: Keys, pattern: str, reason: str
    ) -> None:
        manage = keys.headers("manage")
        body = _problem(
            client.post(
                "/manage/v1/content-types",
                json={
                    "key": "product",
                    "name": "Product",
                    "fields": [
                        {"key": "name", "type": "text"},
                        {
                            "key": "sku",
                            "type": "text",
                            "validations": {"pattern": pattern},
                        },
                    ],
                },
                headers=manage,
            )
        )
        (error,) = body["errors"]
        assert error["loc"] == ["fields", 1, "validations", "pattern"]
        assert reason in error["msg"] and "'sku'" in error["msg"]
        listed = client.get("/manage/v1/content-types", headers=manage).json()
        assert listed["items"] == []

    def test_an_update_with_a_refused_pattern_changes_nothing(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        fields = [{"key": "sku", "type": "text", "validations": {"pattern": "[A-Z]+"}}]
        r = client.post(
            "/manage/v1/content-types",
            json={"key": "product", "name": "Product", "fields": fields},
            headers=manage,
        )
        assert r.status_code == 201, r.text
        fields[0]["validations"] = {"pattern": "(\\w+)\\1"}
        body = _problem(
            client.put(
                "/manage/v1/content-types/product",
                json={"name": "Product", "fields": fields},
                headers={**manage, "If-Match": '"1"'},
            )
        )
        assert body["errors"][0]["loc"] == ["fields", 0, "validations", "pattern"]
        now = client.get("/manage/v1/content-types/product", headers=manage).json()
        assert now["version"] == 1
        assert now["fields"][0]["validations"]["pattern"] == "[A-Z]+"

    @pytest.mark.timeout(60)
    def test_a_catastrophic_pattern_answers_at_once(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        r = client.post(
            "/manage/v1/content-types",
            json={
                "key": "product",
                "name": "Product",
                "fields": [
                    {"key": "sku", "type": "text", "validations": {"pattern": "(a+)+"}},
                    {
                        "key": "alt",
                        "type": "text",
                        "validations": {"pattern": "(a|aa)*$"},
                    },
                ],
            },
            headers=manage,
        )
        assert r.status_code == 201, r.text
        for value in ("a" * 30 + "!", "a" * 100_000 + "!"):
            body = _problem(
                client.post(
                    "/manage/v1/entries",
                    json={
                        "type": "product",
                        "key": "p",
                        "fields": {"sku": value, "alt": value},
                    },
                    headers=manage,
                )
            )
            assert [(e["loc"], e["type"]) for e in body["errors"]] == [
                (["fields", "sku"], "pattern"),
                (["fields", "alt"], "pattern"),
            ]
        r = client.post(
            "/manage/v1/entries",
            json={"type": "product", "key": "p", "fields": {"sku": "a" * 50_000}},
            headers=manage,
        )
        assert r.status_code == 201, r.text

    @pytest.mark.parametrize(
        ("pattern", "reason"),
        [
            ("(?=a)b", "lookahead"),
            ("(?<!a)b", "lookbehind"),
            ("(a)\\1", "backreference"),
            ("(?<n>a)\\k<n>", "backreference"),
            ("(?:[a-z]{1,100}){1,10}", "too complex"),
        ],
    )
    def test_an_audience_regex_the_engine_refuses_is_422(
        self, client: TestClient[Any], keys: Keys, pattern: str, reason: str
    ) -> None:
        manage = keys.headers("manage")
        body = _problem(
            client.post(
                "/manage/v1/audiences",
                json={"key": "mobile", "condition": {"ua": {"$regex": pattern}}},
                headers=manage,
            )
        )
        assert body["errors"][0]["loc"][-2:] == ["ua", "$regex"]
        assert reason in body["errors"][0]["msg"]
        assert client.get("/manage/v1/audiences", headers=manage).json()["items"] == []

    @pytest.mark.timeout(60)
    def test_a_catastrophic_audience_regex_renders_at_once(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        r = client.post(
            "/manage/v1/audiences",
            json={"key": "mobile", "condition": {"ua": {"$regex": "^(\\w+\\s?)+$"}}},
            headers=admin,
        )
        assert r.status_code == 201, r.text
        rule = {"type": "personalise", "id": "m", "audiences": ["mobile"]}
        build_offer(client, admin, rules=[{**rule, "variant": "premium"}])
        for ua, variant in (
            ("Mobile Safari", "premium"),
            ("a" * 30 + "!", "default"),
            ("word " * 20_000 + "!", "default"),
        ):
            r = client.post(
                "/render/v1/render",
                json={
                    "type": "offer",
                    "key": "spring",
                    "channel": "sms",
                    "customer": {"id": "c1", "attributes": {"ua": ua}},
                },
                headers=keys.headers("render"),
            )
            assert r.status_code == 200, r.text
            assert r.json()["variant"] == variant
