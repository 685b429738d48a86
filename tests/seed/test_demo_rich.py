"""The demo's rich text and Markdown, as each channel prints them.

The spring offer's ``details`` (rich text) and ``conditions`` (Markdown) and
the onboarding tips' Markdown ``body``: HTML parts show sanitised HTML (with
the email's CSS inlined into it), text parts plain text, in English and
German (de-CH falls back to de); delivery returns what is stored.
"""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.seed.test_demo import hub, keys, loads, render, settings

__all__ = ["hub", "keys", "loads", "settings"]  # module-scoped demo fixtures

SPRING = {"type": "offer", "key": "spring-city-one"}
PAIR_TIP = {"type": "onboarding_tip", "key": "city-one-pair-app"}
CHARGE_TIP = {"type": "onboarding_tip", "key": "city-one-first-charge"}
VISITOR = {"id": "c-rich"}
TERMS_URL = "https://voltaro.example/legal/spring-2026"


class TestOffer:
    def test_web_inserts_the_details_and_conditions_as_html(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        html = render(hub, keys, "web", VISITOR, "de", SPRING)["output"]["html"]
        assert (
            '<div class="offer__details"><p>Zu jedem City One, bestellt bis 31. Mai:</p>'
            "<ul><li>ein <strong>Rahmenschloss</strong> mit Einsteckkette</li>"
        ) in html
        assert "<li>wasserdichte Packtaschen (2 \u00d7 20&nbsp;l)</li>" in html
        assert "Gültig für Bestellungen bis <strong>31. Mai 2026</strong>" in html
        assert (
            f'<a href="{TERMS_URL}" rel="noopener noreferrer">Alle Bedingungen</a>'
            in html
        )
        assert "&lt;" not in html and "**" not in html

    def test_email_html_styles_the_inserted_html(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        html = render(hub, keys, "email", VISITOR, "en", SPRING)["output"]["html"]
        assert '<div class="details"><p style="font-size:16px;line-height:1.5">' in html
        assert (
            '<li style="font-size:16px;line-height:1.5">a <strong>frame lock</strong> '
            "with plug-in chain</li>"
        ) in html
        assert "placed by <strong>31 May 2026</strong>" in html
        assert f'href="{TERMS_URL}"' in html

    def test_email_text_has_the_plain_text(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        text = render(hub, keys, "email", VISITOR, "en", SPRING)["output"]["text"]
        assert (
            "Every City One ordered by 31 May comes with:\n\n"
            "- a frame lock with plug-in chain\n"
            "- waterproof panniers (2 \u00d7 20\xa0l)\n"
            "- a rain cape in your size\n\n"
            "Price: €2,799.00."
        ) in text
        assert (
            "Offer valid for orders placed by 31 May 2026, while stocks last. "
            f"Not combinable with other discounts. Full conditions ({TERMS_URL})"
        ) in text
        assert "<" not in text and "**" not in text and "&nbsp;" not in text

    def test_swiss_german_falls_back_to_german(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        body = render(hub, keys, "email", VISITOR, "de-CH", SPRING)
        assert body["field_locales"]["details"] == "de"
        assert body["field_locales"]["conditions"] == "de"
        assert "- ein Rahmenschloss mit Einsteckkette" in body["output"]["text"]
        assert f"Alle Bedingungen ({TERMS_URL})" in body["output"]["text"]

    def test_the_lease_lists_what_the_rate_includes(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        lease = {"type": "offer", "key": "e5-launch-lease"}
        out = render(hub, keys, "email", VISITOR, "de", lease)["output"]
        assert "1. Wartung und Verschleißteile\n2. Vollkaskoversicherung" in out["text"]
        assert "<em>ohne Anzahlung</em>" in out["html"]

    def test_delivery_returns_the_stored_values(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        r = hub.get(
            "/delivery/v1/content-types/offer/entries/spring-city-one",
            params={"locale": "en"},
            headers=keys.headers("delivery"),
        )
        fields = r.json()["fields"]
        assert fields["conditions"].startswith(
            "Offer valid for orders placed by **31 May"
        )
        assert fields["details"].startswith("<p>Every City One ordered by 31 May")


class TestTips:
    def test_push_and_in_app_get_the_markdown_as_text(
        self, hub: TestClient[Any], keys: Keys
    ) -> None:
        expected = (
            "Open the Voltaro app, tap Add bike and hold your phone near the display. "
            "Pairing unlocks:\n\n- ride statistics\n- theft alerts\n- over-the-air updates"
        )
        assert (
            render(hub, keys, "push", VISITOR, "en", PAIR_TIP)["output"]["body"]
            == expected
        )
        card = render(hub, keys, "in_app", VISITOR, "en", PAIR_TIP)["output"]
        assert card["body"] == expected

    def test_email_formats_the_markdown(self, hub: TestClient[Any], keys: Keys) -> None:
        out = render(hub, keys, "email", VISITOR, "de", CHARGE_TIP)["output"]
        assert "<strong>einmal vollständig</strong>" in out["html"]
        assert (
            "Laden Sie den Akku vor der ersten Fahrt einmal vollständig;" in out["text"]
        )
        assert out["preheader"].startswith("Laden Sie den Akku vor der ersten Fahrt")
        assert "*" not in out["preheader"] + out["text"]
        pair = render(hub, keys, "email", VISITOR, "en", PAIR_TIP)["output"]["html"]
        assert "tap <em>Add bike</em>" in pair
        assert '<li style="font-size:16px;line-height:1.5">theft alerts</li>' in pair
