"""Templates through the API: compile problems are 422s naming part and line,
a slow template ends with 422 render-budget-exceeded, callables never print,
and a slow render never stalls the other requests of a real worker process."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.factories import add_entry, add_type, publish, publish_template
from tests.content_hub.test_multiprocess import Worker, _h

FIELDS = [
    {"key": "title", "type": "text", "localized": True},
    {"key": "big", "type": "text"},
]
SLOW = (
    "{% set b = fields.big ~ fields.big ~ fields.big %}"
    "{% for i in [1] * 30 %}{% set x = b|urlize %}{% endfor %}"
    "{{ fields.title }}"
)
BIG = "abc defg hij " * 15_000  # 3 x 195 KB: ~0.4 s per urlize, 12 s in all


def _setup(
    client: TestClient[Any], admin: dict[str, str], template: str, big: str = BIG
) -> dict[str, Any]:
    add_type(client, admin, key="note", fields=FIELDS, channels=["web", "sms"])
    publish_template(client, admin, "note", "web", {"type": "web", "html": template})
    entry = add_entry(
        client, admin, "n", {"title": {"en": "Hello"}, "big": big}, type_key="note"
    )
    return publish(client, admin, entry)


def _render(client: Any, keys: Keys) -> Any:
    return client.post(
        "/render/v1/render",
        json={"type": "note", "key": "n", "channel": "web", "customer": {"id": "c1"}},
        headers=keys.headers("render"),
    )


@pytest.mark.postgres
def test_a_slow_template_ends_with_render_budget_exceeded(
    client: TestClient[Any], keys: Keys
) -> None:
    _setup(client, keys.headers("admin"), SLOW)
    started = time.monotonic()
    r = _render(client, keys)
    elapsed = time.monotonic() - started
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["type"] == "https://content-hub.dev/problems/render-budget-exceeded"
    assert problem["part"] == "html"
    assert problem["template"] == "note/web"
    assert elapsed < 4, elapsed  # budget 0.5 s (+ the 20 ms slice on the loop)


@pytest.mark.postgres
def test_fast_renders_of_the_same_template_still_work(
    client: TestClient[Any], keys: Keys
) -> None:
    _setup(client, keys.headers("admin"), SLOW, big="a b")
    for _ in range(3):
        r = _render(client, keys)
        assert r.status_code == 200, r.text
        assert r.json()["output"]["html"] == '<div lang="en" dir="ltr">Hello</div>'


@pytest.mark.parametrize(
    ("source", "line", "limit"),
    [
        ("{% if true %}" * 100 + "x" + "{% endif %}" * 100, 1, "limit of 30"),
        ("{{ " + "(" * 200 + "1" + ")" * 200 + " }}", 1, "limit of 30"),
        ("ok\n{{ 1" + " + 1" * 3000 + " }}", None, "too deeply"),
        ("a\nb\n{{ 'x'" + "|upper" * 2000 + " }}", None, "too deeply"),
        ("{{ " + "not " * 3000 + "true }}", None, "too deeply"),
        ("x\n" * 5 + "{% for a in [1] %}" * 40 + "{% endfor %}" * 40, 6, "limit of 30"),
    ],
)
@pytest.mark.postgres
def test_templates_that_cannot_compile_are_422_naming_part_and_line(
    client: TestClient[Any], keys: Keys, source: str, line: int | None, limit: str
) -> None:
    admin = keys.headers("admin")
    add_type(client, admin, key="note", fields=FIELDS, channels=["web", "sms"])
    before = client.get("/manage/v1/content-types/note/templates/web", headers=admin)
    r = client.put(
        "/manage/v1/content-types/note/templates/web",
        json={"parts": {"type": "web", "html": source}},
        headers=admin,
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"] == "https://content-hub.dev/problems/validation-failed"
    (error,) = problem["errors"]
    assert error["loc"][:2] == ["parts", "html"]
    assert limit in error["msg"]
    if line is not None:
        assert error["loc"][2] == line
    after = client.get("/manage/v1/content-types/note/templates/web", headers=admin)
    assert after.status_code == before.status_code == 404  # nothing was saved


@pytest.mark.postgres
def test_printing_a_function_is_a_422_without_any_repr(
    client: TestClient[Any], keys: Keys
) -> None:
    _setup(client, keys.headers("admin"), "{{ fields.title.upper|string }}")
    r = _render(client, keys)
    assert r.status_code == 422, r.text
    assert "0x" not in r.text and "built-in" not in r.text
    assert "'upper' is a function" in r.json()["detail"]


# -- a real worker process ---------------------------------------------------

BUDGET = 2.0


def test_a_slow_render_never_stalls_the_worker(settings: Settings) -> None:
    """While one request runs a template that would take 12 s, the same worker
    process answers /health, and the slow render ends with 422 within about
    its budget.

    The budget is 2 s here, so that a stalled loop (a /health answer waiting
    for the render to end) is told apart from a merely busy machine by a
    wide margin: a stall costs the rest of the 2 s, a slice 20 ms."""
    admin = asyncio.run(_create_key(settings, "budget-admin", [Scope.ADMIN]))
    worker = Worker(settings, CONTENT_HUB_RENDER_TIME_BUDGET=str(BUDGET))
    try:
        with httpx.Client(base_url=worker.url, headers=_h(admin), timeout=30) as c:
            _setup(c, _h(admin), SLOW)  # type: ignore[arg-type]
            result: dict[str, Any] = {}

            def slow() -> None:
                started = time.monotonic()
                with httpx.Client(base_url=worker.url, headers=_h(admin)) as own:
                    result["response"] = _render_http(own)
                result["elapsed"] = time.monotonic() - started

            thread = threading.Thread(target=slow)
            thread.start()
            health: list[float] = []
            while thread.is_alive():
                started = time.monotonic()
                assert c.get("/health").status_code == 200
                health.append(time.monotonic() - started)
            thread.join()
            for _ in range(3):  # the slow template keeps failing fast, off the loop
                again = threading.Thread(target=slow)
                again.start()
                time.sleep(0.05)
                started = time.monotonic()
                assert c.get("/health").status_code == 200
                health.append(time.monotonic() - started)
                again.join()
    finally:
        worker.stop()
    response = result["response"]
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/render-budget-exceeded")
    assert result["elapsed"] < BUDGET + 3, result["elapsed"]
    assert len(health) >= 3
    assert max(health) < BUDGET / 2, health  # the loop was held a slice at most


def _render_http(c: httpx.Client) -> httpx.Response:
    return c.post(
        "/render/v1/render",
        json={"type": "note", "key": "n", "channel": "web", "customer": {"id": "c1"}},
    )
