"""Validation problems name where the bad value travels and its public name:
``loc: ["query", "locale"]``, ``["header", "Accept-Language"]``, ``["body",
"fields", 0]`` — never an internal enum (``ParamType.QUERY``), a Python
argument name (``type_key``) or a ``KeyError`` text (``'data'``)."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.api.validation import BODY_REQUIRED
from tests.content_hub.bodies_support import assert_problem
from tests.content_hub.conftest import Keys

SOURCES = {"body", "query", "header", "path", "cookie", "request"}
VALUES = st.one_of(
    st.text(max_size=8),
    st.text(min_size=60, max_size=600),
    st.sampled_from(["-1", "0", "201", "x", "1e3", "true", "\x00", "é", "web"]),
)


def _operations(client: TestClient[Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every GET of the OpenAPI document with parameters, path filled in
    (worked out once per app: the document takes 0.2 s to build, and the
    test below asks for it in each of its examples)."""
    return _operations_of(client.app)


@functools.cache
def _operations_of(app: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    doc = app.openapi_schema.to_schema()
    found = []
    for path, item in doc["paths"].items():
        params = list(item.get("get", {}).get("parameters", []))
        if any(p["in"] in ("query", "header") for p in params) and path != "/metrics":
            filled = path
            for p in params:
                if p["in"] == "path":
                    filled = filled.replace("{" + p["name"] + "}", "1")
            found.append((filled, [p for p in params if p["in"] != "path"]))
    return found


def _check_locs(
    body: dict[str, Any], sent: dict[str, set[str]], declared: set[str]
) -> None:
    """Every error names where it is: an invalid value a parameter that was
    sent, a missing one a parameter of the operation that was not."""
    for error in body["errors"]:
        loc = error["loc"]
        assert loc and loc[0] in SOURCES, error
        assert all(isinstance(part, str | int) for part in loc)
        assert "ParamType" not in str(loc) and error["msg"] != "'data'"
        assert error["type"] in ("invalid", "missing")
        if loc[0] in ("query", "header") and len(loc) > 1:
            name = str(loc[1]).lower()
            if error["type"] == "missing":
                assert name in declared and name not in sent[loc[0]], (error, sent)
            else:
                assert name in sent[loc[0]], (error, sent)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_every_parameter_error_names_the_parameter(
    client: TestClient[Any], keys: Keys, data: st.DataObject
) -> None:
    path, params = data.draw(st.sampled_from(_operations(client)), label="operation")
    chosen = data.draw(st.lists(st.sampled_from(params), min_size=1, unique_by=str))
    query: dict[str, str] = {}
    headers = keys.headers("admin")
    for p in chosen:
        value = data.draw(VALUES, label=p["name"])
        if p["in"] == "query":
            query[p["name"]] = value
        elif value.isascii() and value.isprintable():
            headers[p["name"]] = value
    r = client.get(path, params=query, headers=headers)
    assert r.status_code < 500, r.text
    event(str(r.status_code))
    if r.status_code == 400 and r.json()["type"].endswith("/invalid-request"):
        sent = {
            "query": {k.lower() for k in query},
            "header": {k.lower() for k in headers},
        }
        _check_locs(r.json(), sent, {p["name"].lower() for p in params})


def test_query_and_header_locations(client: TestClient[Any], keys: Keys) -> None:
    manage = keys.headers("manage")
    body = assert_problem(
        client.get("/manage/v1/entries", params={"limit": "x"}, headers=manage), 400
    )
    assert body["errors"] == [
        {
            "loc": ["query", "limit"],
            "msg": "Expected `int`, got `str`",
            "type": "invalid",
        }
    ]
    batch = "/render/v1/render/batch"
    render = keys.headers("render", **{"Content-Type": "application/x-ndjson"})
    body = assert_problem(client.post(batch, content=b"", headers=render), 400)
    assert body["errors"][0]["loc"] == ["query", "channel"]
    assert body["errors"][0]["type"] == "missing"
    body = assert_problem(
        client.post(batch, params={"channel": "web", "type": "t" * 65}, headers=render),
        400,
    )
    assert body["errors"][0]["loc"] == ["query", "type"]  # not "type_key"
    long = {"Accept-Language": "de," * 200, "Content-Type": "application/json"}
    body = assert_problem(
        client.post(
            "/render/v1/render",
            content=b'{"channel": "web"}',
            headers=keys.headers("render", **long),
        ),
        400,
    )
    assert body["errors"][0]["loc"] == ["header", "Accept-Language"]


def test_body_locations(client: TestClient[Any], keys: Keys) -> None:
    manage = keys.headers("manage", **{"Content-Type": "application/json"})
    body = assert_problem(
        client.post("/manage/v1/content-types", content=b"", headers=manage), 400
    )
    assert body["errors"] == [
        {"loc": ["body"], "msg": BODY_REQUIRED, "type": "missing"}
    ]
    assert "required" in body["detail"]
    body = assert_problem(
        client.post("/manage/v1/content-types", content=b"{}", headers=manage), 400
    )
    assert body["errors"][0]["loc"] == ["body"]
    assert "key" in body["errors"][0]["msg"]
    body = assert_problem(
        client.post(
            "/manage/v1/content-types",
            json={"key": "a", "name": "A", "fields": [{"key": "t", "type": 5}]},
            headers=manage,
        ),
        400,
    )
    assert body["errors"][0]["loc"][:3] == ["body", "fields", 0]
