"""The preview matrix and the preview as a customer over the demo data."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys


def spring(client: TestClient[Any], keys: Keys) -> str:
    r = client.get(
        "/manage/v1/content-types/offer/entries/spring-city-one",
        headers=keys.headers("manage"),
    )
    if r.status_code == 404:
        r = client.get(
            "/manage/v1/entries?type=offer&limit=100", headers=keys.headers("manage")
        )
        found = [e for e in r.json()["items"] if e["key"] == "spring-city-one"]
        return str(found[0]["id"])
    return str(r.json()["id"])


class TestMatrix:
    def test_cells_are_real_output_and_differences_are_marked(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry_id = spring(studio, keys)
        r = studio.get(
            f"/studio/entries/{entry_id}/matrix?locale=de&locale=nb"
            "&channel=email&channel=push&channel=sms&sample=vip_de"
        )
        assert r.status_code == 200, r.text
        html = r.text
        rows = re.findall(r'<tr>\s*<th scope="row">(\w+)', html)
        assert rows == ["default", "discount", "headline_b", "onboarding", "premium"]
        assert html.count('<td class="cell') == 5 * 2 * 3
        assert "Ihre private Vorschau auf das City One" in html  # premium, de
        assert "Din private forhåndsvisning av City One" in html  # premium, nb
        assert re.search(r'class="sms-segments">\d+ segments?<', html)
        assert "push-cut" in html
        assert 'sandbox=""' in html and "<script" not in html.split("<main")[1].split(
            "</main>"
        )[0].replace("&lt;script", "")
        assert "cell-differs" in html and '<mark class="changed">' in html
        assert "differs from baseline" in html

    def test_pickers_default_and_bad_choices(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry_id = spring(studio, keys)
        r = studio.get(f"/studio/entries/{entry_id}/matrix?locale=xx&channel=fax")
        assert r.status_code == 200, r.text
        assert len(re.findall(r'name="locale" value="[^"]+" checked', r.text)) == 2
        assert studio.get("/studio/entries/nope/matrix").status_code == 404


class TestPreviewAs:
    def test_a_sample_customer_and_typed_attributes(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        entry_id = spring(studio, keys)
        r = studio.get(f"/studio/entries/{entry_id}/preview-as?sample=vip_nb")
        assert r.status_code == 200, r.text
        assert (
            "Rule &#39;purchasers-get-onboarding&#39; (personalise) did not apply"
            in r.text
        )
        assert "Rule &#39;vip-private-preview&#39; (personalise) applied" in r.text
        assert "Din private forhåndsvisning av City One" in r.text
        r = studio.get(
            f"/studio/entries/{entry_id}/preview-as",
            params={"attributes": '{"id": "c-42"}', "segments": "", "locale": "en"},
        )
        assert r.status_code == 200, r.text
        assert "spring-headline" in r.text and "bucket" in r.text
        r = studio.get(
            f"/studio/entries/{entry_id}/preview-as", params={"attributes": "{not json"}
        )
        assert r.status_code == 422
        assert "not JSON" in r.text


class TestShareLink:
    def test_a_link_from_the_matrix_serves_the_draft(
        self, studio: TestClient[Any], keys: Keys
    ) -> None:
        from tests.studio.forms_support import submit

        entry_id = spring(studio, keys)
        r = submit(
            studio,
            f"/studio/entries/{entry_id}/matrix",
            action=f"/studio/entries/{entry_id}/preview-link",
        )
        assert r.status_code == 200, r.text
        url = re.search(r'<code class="link-url">([^<]+)</code>', r.text)
        assert url, r.text
        delivered = studio.get(
            url.group(1).replace("&amp;", "&"),
            headers={**keys.headers("delivery"), "Accept": "application/json"},
        )
        assert delivered.status_code == 200, delivered.text
        assert delivered.json()["stage"] == "draft"
