"""Hostile templates, at save and at render.

- Constructs nested thousands deep (``{% if %}`` blocks, parentheses, lists,
  filter chains, ...) are saved as a 422 that names the part (and the line or
  the limit), or saved and then rendered: never a 500.
- No filter, operator or format method prints a Python representation of a
  callable, class or object: the whole matrix of stringifiers and callables
  in the renderers library, and generated combinations through the API.
- A 200,000-character template saves or is refused cleanly; an expensive
  template stops at its render budget with a 422.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renderers import (
    CompileError,
    Customer,
    RenderContext,
    RenderError,
    RenderRequest,
    SmsRenderer,
    SmsTemplates,
    WebRenderer,
    WebTemplates,
)
from tests.hostile.attack import attack, publish_template
from tests.hostile.conftest import budget
from tests.hostile.routes import Route, app_routes
from tests.hostile.templates import (
    CALLABLES,
    REPR,
    STRINGIFIERS,
    leak_sources,
    nested_sources,
    source,
)
from tests.hostile.world import World

SAVE = next(
    r
    for r in app_routes()
    if r.label.endswith("/templates/{channel:str}") and r.method == "PUT"
)
RENDER = next(r for r in app_routes() if r.label == "POST /render/v1/render")
REQUEST = RenderRequest(
    fields={"title": "Hello", "price": 12.5, "data": {"a": [1]}},
    customer=Customer(id="c1", attributes={"tier": "gold"}, segments=["s"]),
    context=RenderContext(utm={"source": "x"}),
)


def _render_library(template: str) -> list[str]:
    """The template rendered as a web (HTML) and an SMS (text) part by the
    renderers library; a compile or render error is a clean refusal."""
    out: list[str] = []
    for make in (
        lambda: WebRenderer("leak", 1, WebTemplates(html=template, wrap=False)),
        lambda: SmsRenderer("leak", 1, SmsTemplates(text=template)),
    ):
        try:
            renderer: Any = make()
            output = renderer.render(REQUEST)
        except (CompileError, RenderError):
            continue
        out.append("\n".join(str(getattr(output, f)) for f in output.__struct_fields__))
    return out


@pytest.mark.parametrize("stringifier", STRINGIFIERS)
def test_no_stringifier_prints_a_repr(stringifier: str) -> None:
    """Every callable through this filter, operator or format method: the
    output (HTML-escaped or not) never holds a Python representation."""
    leaks = []
    for expression in CALLABLES if "E" in stringifier else CALLABLES[:1]:
        template = source(stringifier, expression)
        for text in _render_library(template):
            match = REPR.search(text)
            if match:
                leaks.append(
                    f"{template!r} -> ...{text[max(0, match.start() - 20) : match.end() + 40]}"
                )
    assert not leaks, f"{len(leaks)} leak(s):\n" + "\n".join(leaks)


def _save(world: World, channel: str, parts: dict[str, Any]) -> Any:
    body = json.dumps({"parts": {"type": channel, **parts}}).encode()
    route = SAVE
    path_route = Route(
        method=route.method,
        template=route.template.replace("{channel:str}", channel),
        scopes=route.scopes,
        body_type=route.body_type,
        query=route.query,
        versioned=route.versioned,
    )
    saved = attack(world, path_route, body)
    if saved.status == 200:  # a draft: renders use it once published
        publish_template(world, channel, saved)
    return saved


def _render(world: World, channel: str) -> Any:
    body = json.dumps(
        {
            "type": "article",
            "key": "hello",
            "channel": channel,
            "locale": "de",
            "customer": {"id": "c1"},
        }
    ).encode()
    return attack(world, RENDER, body)


def _save_and_render(world: World, template: str) -> tuple[Any, list[Any]]:
    """Save the template as the web and SMS part; render what was saved."""
    saved, renders = None, []
    for channel, parts in (("web", {"html": template}), ("sms", {"text": template})):
        saved = _save(world, channel, parts)
        if saved.status == 200:
            renders.append(_render(world, channel))
        else:
            assert saved.status == 422, saved.body[:500]
            problem = json.loads(saved.body)
            assert problem["errors"][0]["loc"][0] == "parts", problem
    return saved, renders


@budget(25)
@given(template=nested_sources)
def test_deeply_nested_template(world: World, template: str) -> None:
    """A template nested 2 to 5,000 deep saves (and renders without a 5xx),
    or is a 422 naming the part: never an ``IndentationError`` or
    ``RecursionError`` 500."""
    _save_and_render(world, template)


@budget(30)
@given(templates=st.lists(leak_sources, min_size=1, max_size=3))
def test_saved_template_never_renders_a_repr(
    world: World, templates: list[str]
) -> None:
    """Generated stringifier/callable combinations saved through the API and
    rendered: the render answer never holds a Python representation."""
    _, renders = _save_and_render(world, "\n".join(templates))
    for response in renders:
        text = response.body.decode("utf-8", "replace")
        match = REPR.search(text)
        assert match is None, (
            f"{templates!r} rendered {text[max(0, match.start() - 40) :][:200]}"
        )


@pytest.mark.slow
@budget(3)
@given(
    unit=st.sampled_from(
        ["x", "{{ fields.title }}", "{% if true %}y{% endif %}", "{{ (((1))) }}", "é\n"]
    ),
    size=st.sampled_from([199_000, 200_000, 200_001]),
)
def test_huge_template(world: World, unit: str, size: int) -> None:
    """Up to the 200,000-character limit and one past it: saved and rendered,
    or refused with a 4xx."""
    template = (unit * (size // len(unit) + 1))[:size]
    _save_and_render_or_refuse(world, template)


def _save_and_render_or_refuse(world: World, template: str) -> None:
    saved = _save(world, "web", {"html": template})
    if saved.status == 200:
        _render(world, "web")
    else:
        assert 400 <= saved.status < 500


@pytest.mark.slow
def test_expensive_template_stops_at_its_budget(world: World) -> None:
    """``urlize`` over a 600 KB string (half a second a call on a 2-core CI
    machine) in a loop would render for seconds: the render ends with a 422
    ``render-budget-exceeded`` instead."""
    template = (
        "{% set big = (fields.title ~ ' ') * 100000 %}"
        "{% for i in [1, 2, 3, 4, 5, 6, 7, 8] %}{{ big|urlize|length }}{% endfor %}"
    )
    saved = _save(world, "web", {"html": template})
    assert saved.status == 200, saved.body
    response = _render(world, "web")
    assert response.status == 422, response.body[:300]
    assert json.loads(response.body)["type"].endswith("/render-budget-exceeded")
