"""Media records: create, read, replace, delete, with problems for bad input."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.content_hub.conftest import Keys
from tests.content_hub.editorial import add_media


class TestMedia:
    def test_crud_with_versions(self, client: TestClient[Any], keys: Keys) -> None:
        manage = keys.headers("manage")
        media = add_media(client, manage, title="Bike")
        url = f"/manage/v1/media/{media['id']}"
        got = client.get(url, headers=manage)
        assert got.headers["etag"] == '"1"'
        assert got.json()["alt"] == {"en": "A bike", "de": "Ein Fahrrad"}
        assert got.json()["focal_point"] == {"x": 0.5, "y": 0.3}
        body = {"url": "https://cdn.example.com/v2.png", "mime_type": "image/png"}
        assert client.put(url, json=body, headers=manage).status_code == 428
        r = client.put(url, json=body, headers={**manage, "If-Match": '"1"'})
        assert r.status_code == 200
        assert r.json()["version"] == 2
        assert r.json()["focal_point"] is None
        listed = client.get("/manage/v1/media", headers=manage).json()
        assert [m["id"] for m in listed["items"]] == [media["id"]]
        gone = client.delete(url, headers={**manage, "If-Match": '"2"'})
        assert gone.status_code == 204
        missing = client.get(url, headers=manage)
        assert missing.status_code == 404
        assert missing.json()["type"].endswith("/not-found")

    def test_bad_media_is_refused_with_the_field_path(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        r = client.post(
            "/manage/v1/media",
            json={"url": "javascript:alert(1)", "mime_type": "image/jpeg"},
            headers=manage,
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["url"]
        focal = client.post(
            "/manage/v1/media",
            json={
                "url": "https://cdn.example.com/a.jpg",
                "mime_type": "image/jpeg",
                "focal_point": {"x": 2, "y": 0},
            },
            headers=manage,
        )
        assert focal.status_code == 400
        assert focal.json()["errors"][0]["loc"][:2] == ["body", "focal_point"]
