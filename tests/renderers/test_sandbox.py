"""The sandbox: SSTI payloads and resource bombs fail safely, quickly, clearly."""

from __future__ import annotations

import time

import pytest

from renderers import (
    CompileError,
    Limits,
    MissingVariableError,
    RenderError,
    RenderRequest,
    ResourceLimitError,
    SandboxViolationError,
    SmsRenderer,
    SmsTemplates,
    WebRenderer,
    WebTemplates,
)


def render(source: str, **fields: object) -> str:
    renderer = WebRenderer("t-sandbox", 1, WebTemplates(html=source, wrap=False))
    return renderer.render(RenderRequest(fields=dict(fields))).html


SSTI_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ (''|attr('__class__'))|attr('__mro__') }}",
    "{{ ''|attr('format') }}",
    "{{ config }}",
    "{{ request.application.__globals__ }}",
    "{{ 'a{0.__class__}b'.format(1) }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "{{ fields.__class__ }}",
    "{{ fields.update({'a': 1}) }}",
    "{{ fields.products.append(1) }}",
    "{{ fields.pop('title') }}",
    "{{ range(10) }}",
    "{{ dict(a=1) }}",
    "{{ x.__getattribute__('__class__') }}",
    "{{ (1).__class__.__base__.__subclasses__() }}",
    "{{ [].__class__.__mro__ }}",
    "{{ fields.title.__len__() }}",
    "{% set f = ''.format %}{{ f.__self__ }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{{ loop }}",
    "{{ caller }}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_ssti_payloads_fail_safely(payload: str) -> None:
    start = time.thread_time()  # CPU time: a loaded machine does not inflate it
    with pytest.raises(RenderError) as info:
        render(payload, title="x", products=[])
    assert time.thread_time() - start < 1
    # Jinja's runtime objects (``loop``, ``caller``) are refused at compile time.
    assert isinstance(
        info.value, SandboxViolationError | MissingVariableError | CompileError
    )
    assert info.value.template_id == "t-sandbox"
    assert info.value.line == 1


BOMBS = [
    "{{ ('x' * 10**9)|length }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 10**9 * 'x' }}",
    "{{ 2**1000000 }}",
    "{{ 2**100000 > 1 }}",
    "{{ 9**(9**9) }}",
    "{{ [1] * 10**9 }}",
    "{{ ([1] * 50000) * 50000 }}",
    "{% set n = 99999999999999999999 %}" + "{% set n = n * n %}" * 8 + "{{ n }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:{w}}'.format(1, w=999999999) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%.999999999f' % 1 }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'.center(999999999) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ 'x'.zfill(999999999) }}",
    "{{ 'a\tb'.expandtabs(999999999) }}",
    "{{ (1).to_bytes(999999999, 'big') }}",
    "{{ 'a\nb'|indent(999999999) }}",
    "{{ ('x' * 1000)|replace('x', 'x' * 100000) }}",
    "{{ ('x' * 1000).replace('x', 'x' * 100000) }}",
    "{{ [1, 2]|batch(999999999, 0)|list }}",
    "{{ [1, 2]|slice(999999999)|list }}",
    "{{ [[1] * 1000] * 1000 }}",
    "{% set s = 'xxxxxxxxxx' %}"
    + "{% set s = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}" * 7
    + "{{ s|length }}",
    "{% set s = 'xxxxxxxxxx' %}"
    + "{% set s = [s, s, s, s, s, s, s, s, s, s]|join %}" * 7
    + "{{ s|length }}",
    "{% set l = [1, 2] %}"
    + "{% set l = [l, l, l, l, l, l, l, l, l, l] %}" * 30
    + "{{ l }}",
    "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s + s %}" * 40 + "{{ s|length }}",
    "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
    "{{ f(40) }}",
    "{% for a in fields.big %}{% for b in fields.big %}{% for c in fields.big %}"
    "{{ a }}{% endfor %}{% endfor %}{% endfor %}",
    "{% for a in fields.big recursive %}{{ loop(fields.big) }}{% endfor %}",
    "{% for a in fields.big %}{% for b in fields.big %}"
    "{{ 'x' * 1000 }}{% endfor %}{% endfor %}",
    "{{ fields.big|map('string')|join(',' * 100000) }}",
    "{{ [fields.big, fields.big]|sum(start=[]) }}",
]


@pytest.mark.parametrize("payload", BOMBS)
def test_resource_bombs_are_bounded(payload: str) -> None:
    start = time.thread_time()  # CPU spent: a loaded machine does not inflate it
    with pytest.raises(RenderError) as info:
        render(payload, big=list(range(2000)))
    elapsed = time.thread_time() - start
    assert elapsed < 2, f"took {elapsed:.2f} s of CPU"
    assert isinstance(
        info.value, ResourceLimitError | SandboxViolationError
    ) or "sum only adds numbers" in str(info.value)
    assert info.value.template_id == "t-sandbox"


def test_deeply_nested_loops_are_refused_at_compile_time() -> None:
    source = (
        "{% for a in x %}{% for b in x %}{% for c in x %}{% for d in x %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(CompileError, match="nested deeper than 3"):
        WebRenderer("t", 1, WebTemplates(html=source))


def test_loop_depth_limit_is_configurable() -> None:
    source = "{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}"
    with pytest.raises(CompileError):
        WebRenderer("t", 1, WebTemplates(html=source), Limits(max_loop_depth=1))


def test_time_budget_stops_a_slow_render() -> None:
    limits = Limits(time_budget_s=0.05, max_operations=10**9, max_loop_iterations=10**9)
    source = (
        "{% for a in fields.big %}{% for b in fields.big %}{% for c in fields.big %}"
        "{{ a }}{% endfor %}{% endfor %}{% endfor %}"
    )
    renderer = WebRenderer("t", 1, WebTemplates(html=source), limits)
    # The rendering thread's CPU time, not the wall clock: a loaded CI machine
    # once took 1.2 s of wall time to stop it (the thread was not scheduled).
    # The budget is wall-clock, so the thread cannot spend more CPU than the
    # budget and the watchdog's latency; unstopped, it would run for hours.
    start = time.thread_time()
    with pytest.raises(ResourceLimitError, match="longer than"):
        renderer.render(RenderRequest(fields={"big": list(range(1000))}))
    assert time.thread_time() - start < 1


def test_output_cap_per_channel() -> None:
    renderer = SmsRenderer("t", 1, SmsTemplates(text="{{ 'x' * 2000 }}"))
    with pytest.raises(ResourceLimitError, match="output exceeds the limit of 1600"):
        renderer.render(RenderRequest(fields={}))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% include 'other.html' %}", "include"),
        ("{% import 'macros.html' as m %}", "import"),
        ("{% from 'macros.html' import x %}", "fromimport"),
        ("{% extends 'base.html' %}", "extends"),
        ("{{ x|no_such_filter }}", "unknown filter"),
        ("{{ x is no_such_test }}", "unknown test"),
        ("{{ x|_hub_iter }}", "unknown filter"),
        ("{{ x|safe }}", "unknown filter 'safe'"),
        ("{{ x|random }}", "unknown filter 'random'"),
    ],
)
def test_disallowed_constructs_fail_at_compile_time(source: str, message: str) -> None:
    with pytest.raises(CompileError, match=message) as info:
        WebRenderer("t-compile", 3, WebTemplates(html="line one\n" + source))
    assert info.value.line == 2
    assert info.value.template_id == "t-compile"


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(CompileError) as info:
        WebRenderer("t-syntax", 1, WebTemplates(html="<p>\n{% if x %}\n</p>"))
    assert info.value.line is not None
    assert info.value.code == "template_invalid"
    assert "t-syntax" in str(info.value)


class TestMissingVariables:
    def test_default_filter_fills_a_missing_attribute(self) -> None:
        out = render('Hi {{ customer.first_name | default("there") }}')
        assert out == "Hi there"

    def test_default_chains_through_missing_parents(self) -> None:
        out = render('{{ customer.address.city | default("your city") }}')
        assert out == "your city"

    def test_missing_attribute_names_template_line_and_variable(self) -> None:
        with pytest.raises(MissingVariableError) as info:
            render("<p>Hello</p>\n<p>{{ customer.first_name }}</p>")
        error = info.value
        assert error.template_id == "t-sandbox"
        assert error.line == 2
        assert error.variable == "customer.first_name"
        assert "line 2" in str(error) and "customer.first_name" in str(error)

    def test_missing_top_level_name(self) -> None:
        with pytest.raises(MissingVariableError) as info:
            render("a\nb\n{{ coupon_code }}")
        assert (info.value.variable, info.value.line) == ("coupon_code", 3)

    def test_missing_nested_parent(self) -> None:
        with pytest.raises(MissingVariableError) as info:
            render("{{ fields.hero.url }}")
        assert info.value.variable == "fields.hero"

    def test_testing_a_missing_value_raises(self) -> None:
        with pytest.raises(MissingVariableError):
            render("{% if customer.vip %}VIP{% endif %}")

    def test_is_defined_is_the_way_to_test(self) -> None:
        assert (
            render("{% if customer.vip is defined and customer.vip %}V{% endif %}")
            == ""
        )

    def test_iterating_a_missing_value_raises(self) -> None:
        with pytest.raises(MissingVariableError):
            render("{% for p in fields.products %}{{ p }}{% endfor %}")


class TestEscaping:
    def test_html_parts_autoescape(self) -> None:
        assert render("<b>{{ fields.name }}</b>", name="<i>Jan</i>") == (
            "<b>&lt;i&gt;Jan&lt;/i&gt;</b>"
        )

    def test_markup_fields_are_trusted(self) -> None:
        from markupsafe import Markup

        assert render("{{ fields.body }}", body=Markup("<p>ok</p>")) == "<p>ok</p>"

    def test_text_parts_do_not_escape(self) -> None:
        renderer = SmsRenderer("t", 1, SmsTemplates(text="Hi {{ fields.name }} & co"))
        out = renderer.render(RenderRequest(fields={"name": "<b>Jan</b>"}))
        assert out.text == "Hi <b>Jan</b> & co"


class TestOrdinaryTemplatesStillWork:
    def test_keys_win_over_dict_methods(self) -> None:
        assert render("{{ fields.items }}/{{ fields.copy }}", items=3, copy=4) == "3/4"

    def test_common_constructs(self) -> None:
        source = (
            "{% for p in fields.products %}{{ loop.index }}.{{ p.name|upper }}"
            "{% if not loop.last %}, {% endif %}{% endfor %} "
            "{{ '%s items'|format(fields.products|length) }} "
            "{{ '{} left'.format(3) }} {{ 'a-b'.split('-')|join('+') }} "
            "{{ (2 ** 10) * 3 }} {{ 'ab' * 3 }} {{ [1, 2] + [3] }}"
            "{% for x in fields.products %}{% if loop.index > 1 %}{% break %}"
            "{% endif %}!{% endfor %}"
        )
        out = render(source, products=[{"name": "a"}, {"name": "b"}])
        assert out == "1.A, 2.B 2 items 3 left a+b 3072 ababab [1, 2, 3]!"

    def test_macros_and_call_blocks(self) -> None:
        source = (
            "{% macro button(url) %}<a href='{{ url }}'>{{ caller() }}</a>{% endmacro %}"
            "{% call button(fields.url) %}Go{% endcall %}"
        )
        assert render(source, url="https://x.example/") == (
            "<a href='https://x.example/'>Go</a>"
        )
