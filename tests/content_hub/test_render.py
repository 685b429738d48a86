"""POST /render/v1/render and /batch end to end through create_app."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from renderers import EmailRenderer, WebRenderer
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import publish, publish_template
from tests.content_hub.render_fixtures import build_offer


@pytest.fixture
def offer(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    return build_offer(client, keys.headers("admin"))


def render(
    client: TestClient[Any], keys: Keys, scope: str = "render", **body: Any
) -> Any:
    return client.post(
        "/render/v1/render",
        json={"type": "offer", "key": "spring", **body},
        headers=keys.headers(scope),
    )


def variant_of(
    client: TestClient[Any], keys: Keys, customer: dict[str, Any], channel: str = "web"
) -> str:
    r = render(client, keys, channel=channel, customer=customer)
    assert r.status_code == 200, r.text
    return str(r.json()["variant"])


class TestDecisions:
    def test_same_customer_same_variant_on_every_channel(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        seen = {}
        for i in range(12):
            customer = {"id": f"customer-{i}"}
            variants = {
                variant_of(client, keys, customer, ch)
                for ch in ("web", "email", "push", "sms")
            }
            assert len(variants) == 1
            seen[i] = variants.pop()
        assert set(seen.values()) == {
            "default",
            "discount",
        }  # the 50/50 experiment splits them

    def test_an_audience_rule_beats_the_experiment_after_it(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = render(
            client,
            keys,
            channel="email",
            customer={
                "id": "c-1",
                "attributes": {"lead_score": 91, "first_name": "Ada"},
            },
        )
        body = r.json()
        assert body["variant"] == "premium"
        assert body["decision"]["rule_id"] == "vip"
        assert body["decision"]["reason"] == "applied"
        assert body["decision"]["exposure_logged"] is False
        assert body["output"]["subject"] == "Your private spring preview, Ada"
        assert "24,99" not in body["output"]["html"]  # en: €2,499.00
        assert "€2,499.00" in body["output"]["html"]
        abandoner = render(
            client,
            keys,
            channel="web",
            customer={"id": "c-2", "segments": ["cart_abandoner"]},
        ).json()
        assert abandoner["variant"] == "discount"
        assert [step["reason"] for step in abandoner["decision"]["trace"]] == [
            "condition_false",
            "applied",
        ]

    def test_experiment_decisions_carry_the_hash_and_are_exposures(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        body = render(client, keys, channel="web", customer={"id": "customer-3"}).json()
        decision = body["decision"]
        assert decision["experiment_key"] == "spring-headline"
        assert decision["hash_value"] == "customer-3"
        assert decision["in_experiment"] is True
        assert decision["variation_index"] in (0, 1)

    def test_a_forced_preview_variant_needs_preview_scope_and_is_no_exposure(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = render(
            client,
            keys,
            channel="web",
            customer={"id": "x"},
            preview={"variant": "premium"},
        )
        assert r.status_code == 403
        r = render(
            client,
            keys,
            "admin",
            channel="web",
            customer={"id": "x"},
            preview={"variant": "premium"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["variant"] == "premium"
        assert r.json()["decision"]["reason"] == "forced"
        assert r.json()["decision"]["exposure_logged"] is False
        r = render(
            client,
            keys,
            "admin",
            channel="web",
            customer={"id": "x"},
            preview={"variant": "nope"},
        )
        assert r.status_code == 422


class TestOutput:
    def test_locales_and_fallback_per_field(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        body = render(
            client,
            keys,
            channel="web",
            locale="ar",
            customer={"id": "c-7", "attributes": {"tier": "gold"}},
        ).json()
        assert body["locale"] == "ar"
        assert body["output"]["dir"] == "rtl"
        assert (
            body["field_locales"]["title"] == "ar"
        )  # premium overrides title in en only
        assert body["output"]["data"]["fields"]["title"] == "عرض الربيع"
        assert body["field_locales"]["body"] == "en"  # no Arabic body: falls back
        de = client.post(
            "/render/v1/render",
            json={
                "entry_id": offer["id"],
                "channel": "push",
                "customer": {"id": "c-2", "segments": ["cart_abandoner"]},
            },
            headers=keys.headers("render", **{"Accept-Language": "de-CH, de;q=0.9"}),
        ).json()
        assert de["locale"] == "de"
        assert de["output"]["title"] == "Frühlingsangebot: 15 % Rabatt"
        assert (
            de["output"]["apns"]["aps"]["alert"]["title"]
            == "Frühlingsangebot: 15 % Rabatt"
        )

    def test_sms_counts_segments(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        body = render(
            client,
            keys,
            channel="sms",
            customer={"id": "c-1", "attributes": {"lead_score": 1}},
        ).json()
        assert body["output"]["count"]["encoding"] in ("GSM-7", "gsm7", "GSM7")
        assert body["output"]["count"]["segments"] == 1


class TestSharedRenders:
    """A template that reads only fields and locale renders once per variant
    and locale; anything that reads the customer or a context renders anew."""

    def test_rendered_once_for_every_customer_of_a_variant(
        self,
        client: TestClient[Any],
        keys: Keys,
        offer: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        calls: dict[str, int] = {"web": 0, "email": 0}
        for cls in (WebRenderer, EmailRenderer):
            original = cls._render

            def counted(self: Any, *args: Any, _o: Any = original) -> Any:
                calls[self.channel] += 1
                return _o(self, *args)

            monkeypatch.setattr(cls, "_render", counted)
        abandoner = {"segments": ["cart_abandoner"]}
        web = [
            render(client, keys, channel="web", customer={"id": f"w{i}", **abandoner})
            for i in range(3)
        ]
        assert [r.status_code for r in web] == [200, 200, 200]
        assert calls["web"] == 1
        assert {r.json()["variant"] for r in web} == {"discount"}
        assert len({json.dumps(r.json()["output"]) for r in web}) == 1
        assert len({r.headers["etag"] for r in web}) == 1
        # the decision stays per customer
        assert [r.json()["request_id"] for r in web] == [
            r.headers["x-request-id"] for r in web
        ]
        # another locale is another render; a context (UTM links) is never shared
        render(client, keys, channel="web", locale="de", customer=abandoner)
        assert calls["web"] == 2
        tagged = render(
            client,
            keys,
            channel="web",
            customer=abandoner,
            context={"utm": {"source": "hub"}},
        )
        assert tagged.status_code == 200
        assert calls["web"] == 3
        # the email subject reads customer.first_name: one render per customer
        subjects = {
            render(
                client,
                keys,
                channel="email",
                customer={"id": f"e{i}", "attributes": {"first_name": name}},
            ).json()["output"]["subject"]
            for i, name in enumerate(("Kim", "Ola"))
        }
        assert calls["email"] == 2
        assert len(subjects) == 2

    def test_a_republished_entry_is_rendered_anew(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        admin = keys.headers("admin")
        customer = {"id": "r1"}
        before = render(client, keys, channel="web", customer=customer).json()
        entry = client.get(f"/manage/v1/entries/{offer['id']}", headers=admin).json()
        fields = {**entry["fields"], "body": {"en": "Summer is here"}}
        updated = client.put(
            f"/manage/v1/entries/{offer['id']}",
            json={"key": entry["key"], "fields": fields},
            headers={**admin, "If-Match": f'"{entry["version"]}"'},
        )
        assert updated.status_code == 200, updated.text
        publish(client, admin, updated.json())
        after = render(client, keys, channel="web", customer=customer).json()
        assert after["variant"] == before["variant"]
        assert "Summer is here" not in before["output"]["html"]
        assert "Summer is here" in after["output"]["html"]
        assert after["output"] != before["output"]
        assert after["etag"] != before["etag"]


class TestProblems:
    def test_missing_customer_data_names_the_variable(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        admin = keys.headers("admin")
        build_offer(client, admin)
        publish_template(
            client,
            admin,
            "offer",
            "web",
            {"type": "web", "html": "<p>Hi {{ customer.first_name }}</p>"},
        )
        r = render(client, keys, channel="web", customer={"id": "c-9"})
        assert r.status_code == 422
        problem = r.json()
        assert problem["type"].endswith("/missing-customer-data")
        assert problem["variable"] == "customer.first_name"
        assert problem["line"] == 1

    def test_unknown_entry_channel_and_locale(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = client.post(
            "/render/v1/render",
            json={"entry_id": "nope", "channel": "web"},
            headers=keys.headers("render"),
        )
        assert r.status_code == 404
        r = render(client, keys, channel="in_app")
        assert r.status_code == 422
        assert r.json()["type"].endswith("/channel-not-supported")
        r = render(client, keys, channel="web", locale="fr")
        assert r.status_code == 400
        assert r.json()["type"].endswith("/locale-not-configured")
        r = render(client, keys, channel="fax")
        assert r.status_code == 400

    def test_templates_are_compiled_before_save(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = client.put(
            "/manage/v1/content-types/offer/templates/web",
            headers=keys.headers("manage"),
            json={"parts": {"type": "web", "html": "<p>\n{{ fields.title }\n</p>"}},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"][:2] == ["parts", "html"]
        r = client.put(
            "/manage/v1/content-types/offer/templates/web",
            headers=keys.headers("manage"),
            json={"parts": {"type": "sms", "text": "x"}},
        )
        assert r.status_code == 422

    def test_rules_are_validated_before_save(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        manage = keys.headers("manage")
        entry = client.get(f"/manage/v1/entries/{offer['id']}", headers=manage).json()
        r = client.put(
            f"/manage/v1/entries/{offer['id']}/personalization",
            headers={**manage, "If-Match": f'"{entry["version"]}"'},
            json={
                "variants": {"b": {"fields": {"nope": 1}}},
                "rules": [
                    {
                        "type": "experiment",
                        "id": "e",
                        "variations": ["default", "c"],
                        "weights": [0.7, 0.7],
                    },
                    {
                        "type": "personalise",
                        "id": "p",
                        "audiences": ["ghosts"],
                        "variant": "b",
                    },
                ],
            },
        )
        assert r.status_code == 422, r.text
        locs = [tuple(e["loc"]) for e in r.json()["errors"]]
        assert ("variants", "b", "fields", "nope") in locs
        assert any("weights" in loc for loc in locs)
        assert any(
            "c" in str(e["msg"]) or "variations" in loc
            for loc, e in zip(locs, r.json()["errors"], strict=True)
        )
        unchanged = client.get(
            f"/manage/v1/entries/{offer['id']}", headers=manage
        ).json()
        assert unchanged["version"] == entry["version"]


class TestBatch:
    def test_json_array_in_order_with_per_line_errors(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        recipients = [{"customer": {"id": f"b-{i}"}} for i in range(30)]
        recipients[7] = {"customer": {"id": 5}}
        recipients[9] = {"customer": {"id": "b-9"}, "locale": "fr"}
        r = client.post(
            "/render/v1/render/batch",
            params={"type": "offer", "key": "spring", "channel": "email"},
            json=recipients,
            headers=keys.headers("render"),
        )
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert [line["index"] for line in lines] == list(range(30))
        assert [i for i, line in enumerate(lines) if not line["ok"]] == [7, 9]
        assert lines[9]["error"]["type"].endswith("/locale-not-configured")
        single = render(client, keys, channel="email", customer={"id": "b-3"}).json()
        assert lines[3]["render"]["variant"] == single["variant"]
        assert lines[3]["render"]["output"]["subject"] == single["output"]["subject"]

    def test_ndjson_stream(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        body = (
            "\n".join(json.dumps({"customer": {"id": f"n-{i}"}}) for i in range(450))
            + "\nnot json\n"
        )
        r = client.post(
            "/render/v1/render/batch",
            params={"entry_id": offer["id"], "channel": "sms"},
            content=body.encode(),
            headers=keys.headers("render", **{"Content-Type": "application/x-ndjson"}),
        )
        assert r.status_code == 200
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert len(lines) == 451
        assert all(line["ok"] for line in lines[:450])
        assert lines[450]["ok"] is False
        assert lines[450]["error"]["status"] == 400

    def test_bad_batch_requests_are_problems(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        r = client.post(
            "/render/v1/render/batch",
            params={"entry_id": offer["id"], "channel": "web"},
            content=b'{"customer": {}}',
            headers=keys.headers("render", **{"Content-Type": "application/json"}),
        )
        assert r.status_code == 400
        r = client.post(
            "/render/v1/render/batch",
            params={"entry_id": "missing", "channel": "web"},
            json=[],
            headers=keys.headers("render"),
        )
        assert r.status_code == 404


class TestStickyBucketing:
    def test_an_assignment_survives_a_weight_change(
        self, client: TestClient[Any], keys: Keys, offer: dict[str, Any]
    ) -> None:
        first = render(client, keys, channel="web", customer={"id": "loyal-1"}).json()
        assert first["decision"]["experiment_key"] == "spring-headline"
        kept = first["variant"]
        weights = [0.0, 1.0] if kept == "default" else [1.0, 0.0]
        admin = keys.headers("admin")
        entry = client.get(f"/manage/v1/entries/{offer['id']}", headers=admin).json()
        current = client.get(
            f"/manage/v1/entries/{offer['id']}/personalization", headers=admin
        ).json()
        current["rules"][2]["weights"] = weights
        r = client.put(
            f"/manage/v1/entries/{offer['id']}/personalization",
            json=current,
            headers={**admin, "If-Match": f'"{entry["version"]}"'},
        )
        assert r.status_code == 200, r.text
        r = client.post(
            f"/manage/v1/entries/{offer['id']}/publish",
            headers={**admin, "If-Match": r.headers["etag"]},
        )
        assert r.status_code == 200, r.text
        again = render(client, keys, channel="email", customer={"id": "loyal-1"}).json()
        assert again["variant"] == kept
        assert again["decision"]["trace"][-1].get("sticky_bucket_used") is True
        newcomer = render(client, keys, channel="web", customer={"id": "new-1"}).json()
        assert newcomer["variant"] != kept
