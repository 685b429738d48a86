"""Batch rendering, the template cache and save-time validation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import (
    CompileError,
    Customer,
    EmailTemplates,
    PushRenderer,
    PushTemplates,
    RenderRequest,
    SmsTemplates,
    TemplateCache,
    WebRenderer,
    WebTemplates,
    compile_renderer,
    render_many,
    validate_templates,
)


def requests(n: int) -> list[RenderRequest]:
    out = []
    for i in range(n):
        attributes = {} if i % 3 == 2 else {"first_name": f"Kunde {i}"}
        out.append(
            RenderRequest(
                fields={"title": "Sale"},
                customer=Customer(id=f"c{i}", attributes=attributes),
                locale=("de-DE", "ar", "zh-Hans")[i % 3],
            )
        )
    return out


class TestRenderMany:
    def test_per_item_failures_are_results(self) -> None:
        renderer = PushRenderer(
            "batch",
            1,
            PushTemplates(title="{{ fields.title }}", body="{{ customer.first_name }}"),
        )
        outcomes = list(render_many(renderer, requests(6)))
        assert [o.index for o in outcomes] == list(range(6))
        assert [o.ok for o in outcomes] == [True, True, False, True, True, False]
        failure = outcomes[2].failure
        assert failure is not None
        assert failure.code == "missing_variable"
        assert failure.variable == "customer.first_name"
        assert (failure.template_id, failure.part, failure.line) == ("batch", "body", 1)
        assert outcomes[1].output.dir == "rtl"
        assert outcomes[0].output.body == "Kunde 0"

    def test_is_lazy(self) -> None:
        renderer = WebRenderer("lazy", 1, WebTemplates(html="{{ customer.id }}"))
        consumed: list[int] = []

        def source() -> object:
            for i, request in enumerate(requests(1000)):
                consumed.append(i)
                yield request

        stream = render_many(renderer, source())  # type: ignore[arg-type]
        first = next(stream)
        assert first.ok and len(consumed) == 1

    def test_bad_locale_is_a_per_item_failure(self) -> None:
        renderer = WebRenderer("loc", 1, WebTemplates(html="x"))
        items = [RenderRequest(fields={}, locale="xx-invalid-locale")]
        (outcome,) = render_many(renderer, items)
        assert outcome.failure is not None and outcome.failure.code == "locale_invalid"


class TestTemplateCache:
    def test_compiles_once_per_source_least_recently_used_out(self) -> None:
        cache = TemplateCache(maxsize=2)
        first = cache.get("tpl", 1, WebTemplates(html="v1 {{ fields.title }}"))
        assert cache.get("tpl", 1, WebTemplates(html="v1 {{ fields.title }}")) is first
        assert cache.compiles == 1
        second = cache.get("tpl", 2, WebTemplates(html="v2"))
        assert second is not first
        cache.get("other", 1, WebTemplates(html="x"))
        assert len(cache) == 2  # least recently used ("tpl", 1) went out
        cache.get("tpl", 1, WebTemplates(html="v1 {{ fields.title }}"))
        assert cache.compiles == 4

    @settings(max_examples=60, deadline=None)
    @given(
        html=st.lists(st.text(alphabet="ab{}% ", max_size=12), min_size=2, max_size=4),
        version=st.integers(0, 3),
        budgets=st.lists(st.sampled_from([None, 0.5, 2.0]), min_size=2, max_size=2),
    )
    def test_what_an_id_and_version_compiled_never_stands_for_another_source(
        self, html: list[str], version: int, budgets: list[float | None]
    ) -> None:
        """Same id and version, other sources or time budgets: each its own
        renderer, which renders its own source."""
        cache = TemplateCache()
        seen: dict[tuple[str, float | None], object] = {}
        for source, budget in zip(html, budgets * len(html), strict=False):
            templates = WebTemplates(html=f"[{source}]")
            try:
                renderer = cache.get("tpl", version, templates, time_budget_s=budget)
            except CompileError:
                continue
            key = (source, budget)
            if key in seen:
                assert renderer is seen[key]
                continue
            assert all(renderer is not other for other in seen.values())
            seen[key] = renderer
            if "{" not in source and "%" not in source:
                out = renderer.render(RenderRequest(fields={}, locale="en"))
                assert f">[{source}]<" in out.html
        assert cache.compiles == len(seen)

    def test_push_data_in_another_order_is_the_same_source(self) -> None:
        cache = TemplateCache()
        one = PushTemplates(title="t", body="b", data={"a": "1", "b": "2"})
        two = PushTemplates(title="t", body="b", data={"b": "2", "a": "1"})
        assert cache.get("p", 1, one) is cache.get("p", 1, two)
        assert cache.get("p", 1, one, time_budget_s=1.0) is not cache.get("p", 1, one)

    def test_compile_renderer_picks_the_channel(self) -> None:
        renderer = compile_renderer("s", 1, SmsTemplates(text="hi"))
        assert renderer.channel == "sms"


class TestValidate:
    def test_valid(self) -> None:
        assert validate_templates(WebTemplates(html="{{ fields.title }}")) == []

    @pytest.mark.parametrize(
        ("templates", "line", "part"),
        [
            (WebTemplates(html="a\n{% for x in y %}"), 2, "html"),
            (
                EmailTemplates(subject="ok", html="<p>\n\n{{ x|nope }}</p>", text="t"),
                3,
                "html",
            ),
            (
                EmailTemplates(subject="ok", html="x", text="a\n{% include 'f' %}"),
                2,
                "text",
            ),
            (SmsTemplates(text="{{ x ) }}"), 1, "text"),
        ],
    )
    def test_problems_carry_part_and_line(
        self, templates: object, line: int, part: str
    ) -> None:
        (problem,) = validate_templates(templates, "draft-1")  # type: ignore[arg-type]
        assert isinstance(problem, CompileError)
        assert (problem.template_id, problem.part, problem.line) == (
            "draft-1",
            part,
            line,
        )

    def test_every_part_is_reported(self) -> None:
        templates = EmailTemplates(
            subject="{{ x|nope }}",
            html="<p>{% for %}</p>",
            text="a\n{% import 'x' as y %}",
        )
        problems = validate_templates(templates, "draft-2")
        assert sorted((p.part, p.line) for p in problems) == [
            ("html", 1),
            ("subject", 1),
            ("text", 2),
        ]

    def test_compiled_renderer_is_reused_across_many_renders(
        self, make_request: Callable[..., RenderRequest]
    ) -> None:
        renderer = compile_renderer("r", 1, WebTemplates(html="{{ fields.title }}"))
        outs = {renderer.render(make_request(loc)).html for loc in ("en", "de-DE")}
        assert len(outs) == 2
