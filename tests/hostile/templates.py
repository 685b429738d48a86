"""Hostile template sources: constructs nested past any parser's recursion,
and every way a template can turn a callable, class or object into text."""

from __future__ import annotations

import re

from hypothesis import strategies as st

#: A Python (or Jinja) representation of something that is not data, escaped
#: for HTML or not: ``<built-in method upper of str object at 0x7f…>``,
#: ``<function plural_category at 0x…>``, ``<class 'str'>``, ``<Macro 'm'>``.
REPR = re.compile(
    r"(?:<|&lt;|&#60;|&#x3c;)\s*(?:built-in|function|bound method|method|class|"
    r"module|generator|coroutine|cell|Macro|LoopContext|TemplateReference|"
    r"Namespace|jinja2\.|markupsafe\.|renderers\.)|\bobject at 0x|\bat 0x[0-9a-fA-F]{6,}",
    re.IGNORECASE,
)

#: Expressions whose value is a callable, a class or an internal object.
CALLABLES = [
    "fields.title.upper",
    "fields.title.split",
    "fields.title.format",
    "fields.title.startswith",
    "fields.price.is_integer",
    "fields.price.conjugate",
    "plural_category",
    "customer.attributes.keys",
    "customer.attributes.items",
    "customer.attributes.get",
    "customer.segments.index",
    "context.utm.values",
    "'x'.upper",
    "{}.keys",
    "[].count",
    "m",
    "self",
    "loop",
    "loop.cycle",
]

#: Every filter, operator and format method that turns a value into text;
#: ``E`` is the expression.
STRINGIFIERS = [
    "{{ E }}",
    "{{ E|string }}",
    "{{ E ~ '' }}",
    "{{ '' ~ E }}",
    "{{ '%s' % E }}",
    "{{ '%r' % (E,) }}",
    "{{ '%s'|format(E) }}",
    "{{ '{}'.format(E) }}",
    "{{ '{0!r}'.format(E) }}",
    "{{ '{0.upper}'.format(fields.title) }}",
    "{{ '{0.__class__}'.format(fields.title) }}",
    "{{ '{x}'.format_map({'x': E}) }}",
    "{{ [E]|join }}",
    "{{ [E]|string }}",
    "{{ [E]|first }}",
    "{{ {'a': E}|string }}",
    "{{ (E,)|string }}",
    "{{ {'a': E}|xmlattr }}",
    "{{ E|e }}",
    "{{ E|forceescape }}",
    "{{ E|safe }}",
    "{{ E|trim }}",
    "{{ E|upper }}",
    "{{ E|lower }}",
    "{{ E|title }}",
    "{{ E|capitalize }}",
    "{{ E|center(90) }}",
    "{{ E|truncate(200) }}",
    "{{ E|wordwrap(200) }}",
    "{{ E|indent }}",
    "{{ E|striptags }}",
    "{{ E|replace('a', 'b') }}",
    "{{ E|urlencode }}",
    "{{ E|urlize }}",
    "{{ E|pprint }}",
    "{{ E|default('x') }}",
    "{{ E|string|list|join }}",
    "{{ (E|string)[:60] }}",
    "{% for c in E|string %}{{ c }}{% endfor %}",
    "{% set x = E %}{{ x }}",
    "{% set x %}{{ E|string }}{% endset %}{{ x }}",
    "<a href='{{ E }}' title=\"{{ E|string }}\">x</a>",
]


def source(stringifier: str, expression: str) -> str:
    """A template printing ``expression`` through ``stringifier``, with the
    names the expression may need (a macro ``m``, a ``loop``) in scope."""
    body = stringifier.replace("E", expression)
    if expression.startswith("loop"):
        body = "{% for i in [1, 2] %}" + body + "{% endfor %}"
    return "{% macro m() %}M{% endmacro %}" + body


leak_sources = st.builds(
    source, st.sampled_from(STRINGIFIERS), st.sampled_from(CALLABLES)
)


def nested(kind: str, depth: int) -> str:
    """A template of one construct nested ``depth`` times."""
    if kind == "if":
        return "{% if true %}" * depth + "x" + "{% endif %}" * depth
    if kind == "parens":
        return "{{ " + "(" * depth + "1" + ")" * depth + " }}"
    if kind == "list":
        return "{{ " + "[" * depth + "1" + "]" * depth + " }}"
    if kind == "dict":
        return "{{ " + "{'a': " * depth + "1" + "}" * depth + " }}"
    if kind == "not":
        return "{{ " + "not " * depth + "true }}"
    if kind == "minus":
        return "{{ " + "-" * depth + "1 }}"
    if kind == "plus":
        return "{{ 1" + " + 1" * depth + " }}"
    if kind == "filters":
        return "{{ fields.title" + "|lower" * depth + " }}"
    if kind == "attrs":
        return "{{ fields" + ".title" * depth + "|default('') }}"
    if kind == "ternary":
        return "{{ " + "1 if true else (" * depth + "0" + ")" * depth + " }}"
    if kind == "with":
        return "{% with a = 1 %}" * depth + "x" + "{% endwith %}" * depth
    if kind == "set-block":
        return "{% set a %}" * depth + "x" + "{% endset %}" * depth
    if kind == "macro":
        return "{% macro m() %}" * depth + "x" + "{% endmacro %}" * depth
    if kind == "call":
        return "{% macro m() %}{{ caller() }}{% endmacro %}" + (
            "{% call m() %}" * depth + "x" + "{% endcall %}" * depth
        )
    assert kind == "for"
    return "{% for i in [1] %}" * depth + "x" + "{% endfor %}" * depth


NESTED_KINDS = [
    "if",
    "parens",
    "list",
    "dict",
    "not",
    "minus",
    "plus",
    "filters",
    "attrs",
    "ternary",
    "with",
    "set-block",
    "macro",
    "call",
    "for",
]
nested_sources = st.builds(
    nested,
    st.sampled_from(NESTED_KINDS),
    st.one_of(
        st.sampled_from([10, 50, 100, 200, 500, 1000, 5000]), st.integers(2, 3000)
    ),
).filter(lambda s: len(s) <= 200_000)
