"""HEAD on every delivery GET: the GET's status and headers (ETag,
Content-Length, cache and CORS headers), no body — on the fast paths and the
full handlers, for 200, 304 and the problem documents alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.settings import CorsSettings, Settings
from tests.content_hub.browser_support import (
    browser_client,
    eventually,
    fast_handlers,
    fast_paths,
    headers_of,
    publish_articles,
)
from tests.content_hub.conftest import Keys

CORS = CorsSettings(origins=("https://shop.example",))
QUERIES = ["", "?locale=de", "?include=0", "?include=5", "?locale=fr", "?bogus=1"]
LIST_QUERIES = ["", "?type=article&limit=3", "?locale=de&include=2", "?limit=0"]


@pytest.fixture
def client(settings: Settings, keys: Keys) -> Iterator[TestClient[Any]]:
    with browser_client(settings, cors=CORS) as client:
        yield client


@pytest.fixture
def articles(client: TestClient[Any], keys: Keys) -> list[dict[str, Any]]:
    entries = publish_articles(client, keys, 12)
    eventually(  # the search index follows the publishes
        lambda: (
            len(
                client.get(
                    "/delivery/v1/search",
                    params={"q": "Article", "limit": 50},
                    headers=keys.headers("delivery"),
                ).json()["hits"]
            )
            >= len(entries)
        )
    )
    return entries


def _urls(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    by_id = f"/delivery/v1/entries/{entry['id']}"
    by_key = f"/delivery/v1/content-types/article/entries/{entry['key']}"
    return st.one_of(
        st.sampled_from([by_id, by_key]).flatmap(
            lambda url: st.sampled_from(QUERIES).map(lambda q: url + q)
        ),
        st.sampled_from(LIST_QUERIES).map(lambda q: "/delivery/v1/entries" + q),
        st.sampled_from(
            [
                by_id + "/related",
                by_id + "/related?limit=2",
                "/delivery/v1/sync?limit=5",
                "/delivery/v1/search?q=Article",
                "/delivery/v1/search?q=Artikel&locale=de",
                "/delivery/v1/entries/missing",
                "/delivery/v1/content-types/article/entries/missing",
            ]
        ),
    )


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "handler"])
def test_head_is_get_without_the_body(
    client: TestClient[Any],
    keys: Keys,
    articles: list[dict[str, Any]],
    fast: bool,
) -> None:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        url=st.sampled_from(articles).flatmap(_urls),
        key=st.sampled_from(["delivery", "preview", "render", "wrong", None]),
        origin=st.sampled_from([None, "https://shop.example", "https://other.example"]),
        conditional=st.sampled_from([None, "current", "*", '"stale"']),
        language=st.sampled_from([None, "de-CH,de;q=0.9", "fr"]),
    )
    def check(
        url: str,
        key: str | None,
        origin: str | None,
        conditional: str | None,
        language: str | None,
    ) -> None:
        headers: dict[str, str] = {}
        if key == "wrong":
            headers["Authorization"] = "Bearer chk_not-a-key"
        elif key is not None:
            headers.update(keys.headers(key))
        if origin is not None:
            headers["Origin"] = origin
        if language is not None:
            headers["Accept-Language"] = language
        if conditional == "current":
            etag = client.get(url, headers=headers).headers.get("etag")
            if etag is not None:
                headers["If-None-Match"] = etag
        elif conditional is not None:
            headers["If-None-Match"] = conditional
        get = client.get(url, headers=headers)
        head = client.head(url, headers=headers)
        assert get.status_code < 500, get.text
        assert head.status_code == get.status_code, (url, headers)
        expected = headers_of(get)
        if "/search" in url:  # its body carries processing_ms: a length of its own
            expected["content-length"] = head.headers["content-length"]
        assert headers_of(head) == expected, (url, headers)
        assert head.content == b""
        if get.status_code == 200 and "/search" not in url:
            assert int(head.headers["content-length"]) == len(get.content)

    with fast_paths(client, on=fast):
        check()


def test_head_is_answered_by_the_fast_path(
    client: TestClient[Any], keys: Keys, articles: list[dict[str, Any]]
) -> None:
    """The fast path serves HEAD as it serves GET (it is not bypassed)."""
    answered: list[int] = []
    handlers = fast_handlers(client)
    originals = [h.opt["fast_path"] for h in handlers]
    for handler, original in zip(handlers, originals, strict=True):

        async def counting(scope: Any, receive: Any, original: Any = original) -> Any:
            answer, receive = await original(scope, receive)
            if answer is not None and scope["method"] == "HEAD":
                answered.append(answer[0])
            return answer, receive

        handler.opt["fast_path"] = counting
    try:
        url = f"/delivery/v1/entries/{articles[3]['id']}"
        head = client.head(url, headers=keys.headers("delivery"))
        conditional = keys.headers(
            "delivery", **{"If-None-Match": head.headers["etag"]}
        )
        not_modified = client.head(url, headers=conditional)
    finally:
        for handler, original in zip(handlers, originals, strict=True):
            handler.opt["fast_path"] = original
    assert (head.status_code, not_modified.status_code) == (200, 304)
    assert answered == [200, 304]
    assert head.content == b"" and int(head.headers["content-length"]) > 0


def test_head_is_refused_where_there_is_no_get(
    client: TestClient[Any], keys: Keys
) -> None:
    """Only GET routes answer HEAD; a POST-only route still says 405."""
    response = client.head("/render/v1/render", headers=keys.headers("render"))
    assert response.status_code == 405
    assert response.content == b""
