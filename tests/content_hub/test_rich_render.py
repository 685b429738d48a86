"""Rich text and Markdown through the render API, on every channel.

HTML parts insert sanitised HTML, text parts print plain text, each value is
converted once (not per render, not again when another entry is published),
and delivery keeps returning the stored values.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.live import rich
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import (
    add_entry,
    add_locale,
    add_type,
    publish,
    publish_template,
)

FIELDS: list[dict[str, Any]] = [
    {"key": "title", "type": "text", "localized": True, "required": True},
    {"key": "body", "type": "rich_text", "localized": True},
    {"key": "notes", "type": "markdown", "localized": True},
]
TEMPLATES: dict[str, dict[str, Any]] = {
    "web": {
        "type": "web",
        "html": "<h1>{{ fields.title }}</h1>{{ fields.body }}{{ fields.notes }}",
    },
    "email": {
        "type": "email",
        "subject": "{{ fields.title }}: {{ fields.notes }}",
        "preheader": "{{ fields.body | truncate(40) }}",
        "html": "<html><body>{{ fields.body }}<div>{{ fields.notes }}</div></body></html>",
        "text": "{{ fields.title }}\n\n{{ fields.body }}\n\n{{ fields.notes }}",
    },
    "push": {
        "type": "push",
        "title": "{{ fields.title }}",
        "body": "{{ fields.body }}",
    },
    "sms": {"type": "sms", "text": "{{ fields.notes }}"},
    "in_app": {
        "type": "in_app",
        "title": "{{ fields.title }}",
        "body": "{{ fields.notes }}",
    },
}
BODY = {
    "en": '<p onclick="steal()">Ride <b>further</b>.<script>alert(1)</script></p>'
    '<ul><li>500 Wh</li><li><a href="javascript:alert(1)">80 km</a></li></ul>',
    "de": "<p>Weiter fahren &amp; <em>mehr</em> sehen.</p>",
}
NOTES = {
    "en": "Valid until **31 May**. [Terms](https://shop.example/terms)\n\n"
    "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
    "de": "Gültig bis **31. Mai**.\n\n- solange der Vorrat reicht\n- nicht kombinierbar",
}


def _render(
    client: TestClient[Any], keys: Keys, channel: str, locale: str, **extra: Any
) -> dict[str, Any]:
    r = client.post(
        "/render/v1/render",
        json={
            "type": "story",
            "key": "spring",
            "channel": channel,
            "locale": locale,
            "customer": {"id": "c1"},
            **extra,
        },
        headers=keys.headers("render"),
    )
    assert r.status_code == 200, r.text
    output: dict[str, Any] = r.json()["output"]
    return output


def _build(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    admin = keys.headers("admin")
    add_locale(client, admin, "de")
    add_type(client, admin, key="story", fields=FIELDS, channels=list(TEMPLATES))
    for channel, parts in TEMPLATES.items():
        publish_template(client, admin, "story", channel, parts)
    entry = add_entry(
        client,
        admin,
        "spring",
        {"title": {"en": "Spring", "de": "Frühling"}, "body": BODY, "notes": NOTES},
        type_key="story",
    )
    r = client.put(
        f"/manage/v1/entries/{entry['id']}/personalization",
        headers={**admin, "If-Match": f'"{entry["version"]}"'},
        json={
            "variants": {"short": {"fields": {"notes": {"en": "Just *today*."}}}},
            "rules": [
                {
                    "type": "personalise",
                    "id": "s",
                    "condition": {"short": True},
                    "variant": "short",
                }
            ],
        },
    )
    assert r.status_code == 200, r.text
    entry = client.get(f"/manage/v1/entries/{entry['id']}", headers=admin).json()
    return publish(client, admin, entry)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every conversion the render snapshot makes, in order."""
    calls: list[tuple[str, str]] = []
    real = rich.convert

    def counting(kind: Any, raw: str) -> rich.RichValue:
        calls.append((kind, raw))
        return real(kind, raw)

    monkeypatch.setattr(rich, "convert", counting)
    return calls


EN_BODY_TEXT = "Ride further.\n\n- 500 Wh\n- 80 km"
EN_NOTES_TEXT = (
    "Valid until 31 May. Terms (https://shop.example/terms)\n\n[x](javascript:alert(1))"
)


class TestChannels:
    def test_html_parts_get_sanitised_html(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        _build(client, keys)
        web = _render(client, keys, "web", "en")
        html = web["html"]
        assert "Ride <b>further</b>." in html and "<li>500 Wh</li>" in html
        assert "<strong>31 May</strong>" in html
        assert (
            '<a href="https://shop.example/terms" rel="noopener noreferrer">Terms</a>'
            in html
        )
        for bad in ("<script", "onclick", "onerror", 'href="javascript'):
            assert bad not in html
        assert "&lt;p" not in html and "**" not in html
        assert web["data"]["fields"]["body"].startswith("<p>Ride <b>further</b>.")
        email = _render(client, keys, "email", "de")
        assert "<em>mehr</em>" in email["html"]
        assert "<li>solange der Vorrat reicht</li>" in email["html"]

    def test_text_parts_get_plain_text(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        _build(client, keys)
        email = _render(client, keys, "email", "en")
        assert email["text"] == f"Spring\n\n{EN_BODY_TEXT}\n\n{EN_NOTES_TEXT}"
        assert email["subject"] == "Spring: " + " ".join(EN_NOTES_TEXT.split())
        assert (
            email["preheader"].startswith("Ride further.")
            and "<" not in email["preheader"]
        )
        assert _render(client, keys, "push", "en")["body"] == EN_BODY_TEXT
        assert (
            _render(client, keys, "push", "de")["body"] == "Weiter fahren & mehr sehen."
        )
        de_notes = (
            "Gültig bis 31. Mai.\n\n- solange der Vorrat reicht\n- nicht kombinierbar"
        )
        assert _render(client, keys, "sms", "de")["text"] == de_notes
        assert _render(client, keys, "in_app", "de")["body"] == de_notes

    def test_a_variant_override_is_converted_too(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        _build(client, keys)
        short = {"customer": {"id": "c2", "attributes": {"short": True}}}
        assert (
            "Just <em>today</em>."
            in _render(client, keys, "web", "en", **short)["html"]
        )
        assert _render(client, keys, "sms", "en", **short)["text"] == "Just today."

    def test_delivery_returns_the_stored_values(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        _build(client, keys)
        r = client.get(
            "/delivery/v1/content-types/story/entries/spring",
            params={"locale": "en"},
            headers=keys.headers("delivery"),
        )
        assert r.status_code == 200, r.text
        fields = r.json()["fields"]
        assert fields["notes"] == NOTES["en"]  # the Markdown source
        assert fields["body"].startswith("<p>Ride <b>further</b>.")  # sanitised on save
        assert "<script" not in fields["body"] and "onclick" not in fields["body"]


class TestOncePerValue:
    def test_each_value_is_converted_once(
        self, client: TestClient[Any], keys: Keys, converted: list[tuple[str, str]]
    ) -> None:
        _build(client, keys)
        values = {("markdown", "Just *today*.")}
        values |= {
            ("rich_text", v)
            for v in client.get(
                "/manage/v1/entries?type=story", headers=keys.headers("manage")
            )
            .json()["items"][0]["fields"]["body"]
            .values()
        }
        values |= {("markdown", v) for v in NOTES.values()}
        assert sorted(converted) == sorted(values)
        for i in range(5):
            for channel in TEMPLATES:
                for locale in ("en", "de"):
                    attributes = {"short": bool(i % 2)}
                    _render(
                        client,
                        keys,
                        channel,
                        locale,
                        customer={"id": f"c{i}", "attributes": attributes},
                    )
        assert sorted(converted) == sorted(values)

    def test_publishing_another_entry_converts_only_its_values(
        self, client: TestClient[Any], keys: Keys, converted: list[tuple[str, str]]
    ) -> None:
        _build(client, keys)
        before = len(converted)
        admin = keys.headers("admin")
        other = add_entry(
            client,
            admin,
            "autumn",
            {
                "title": {"en": "Autumn"},
                "notes": {"en": "New **notes**", "de": NOTES["de"]},
            },
            type_key="story",
        )
        publish(client, admin, other)
        _render(client, keys, "sms", "en")
        assert converted[before:] == [("markdown", "New **notes**")]
