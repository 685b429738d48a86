"""No rendered output ever holds a Python repr of a function, class or object.

Generated: every way a template can reach a callable or one of Jinja's runtime
objects, combined with every way a template can turn a value into text. Each
combination either renders without a repr in its output, or is refused with a
``RenderError`` (compile time or render time).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import (
    CardRenderer,
    CardTemplates,
    RenderError,
    RenderRequest,
    SmsRenderer,
    SmsTemplates,
    WebRenderer,
    WebTemplates,
)

REPR = re.compile(
    r"<(built-in|bound|function|class|method|generator|module|object|Loop|Macro|"
    r"Template|Block|jinja2|markupsafe|renderers)|object at 0x|0x[0-9a-f]{6,}|"
    r"_GroupTuple\(|TemplateFunction",
    re.IGNORECASE,
)

# Expressions that evaluate to a callable, an iterator or a runtime object.
SOURCES = [
    "fields.title.upper",
    "fields.title.format",
    "fields.title.replace",
    "fields.items.count",
    "fields.meta.items",
    "fields.meta.get",
    "fields.meta.keys",
    "fields.count.bit_length",
    "plural_category",
    "loop",
    "loop.cycle",
    "loop.changed",
    "self",
    "caller",
    "m",
    "fields.title|attr('upper')",
    "fields.items|map('upper')",
    "fields.items|select",
    "fields.items|reject",
    "fields.items|batch(2)",
    "fields.items|slice(2)",
    "fields.meta|items",
    "fields.items|unique",
    "fields.people|groupby('city')",
    "fields.people|map(attribute='city')",
    "fields.people|selectattr('city')",
    "fields.title|attr('__class__')",
    "namespace",
    "cycler",
    "range",
]

# Ways a template turns a value into text.
STRINGIFIERS = [
    "{{ X }}",
    "{{ X|string }}",
    "{{ X|e }}",
    "{{ X|urlencode }}",
    "{{ X|pprint }}",
    "{{ X|tojson }}",
    "{{ X|list }}",
    "{{ X|list|string }}",
    "{{ X|first }}",
    "{{ X|join(',') }}",
    "{{ [X]|join(',') }}",
    "{{ X ~ '' }}",
    "{{ '' ~ X }}",
    "{{ '%s' % X }}",
    "{{ '%r' % (X,) }}",
    "{{ '{}'.format(X) }}",
    "{{ '{!r}'.format(X) }}",
    "{{ '{0}'.format(X) }}",
    "{{ [X] }}",
    "{{ (X,) }}",
    "{{ {'k': X} }}",
    "{{ X|trim }}",
    "{{ X|upper }}",
    "{{ X|truncate(200) }}",
    "{{ X|wordwrap(40) }}",
    "{{ X|replace('a', 'b') }}",
    "{{ X|center(300) }}",
    "{{ X|indent }}",
    "{{ X|striptags }}",
    "{{ X|capitalize }}",
    "{{ X|format }}",
    "{{ X|xmlattr }}",
    "{{ X|dictsort }}",
    "{{ X|default('d') }}",
    "{% set v = X %}{{ v }}",
    "{% set v %}{{ X }}{% endset %}{{ v }}",
    "{% for i in [1] %}{{ X }}{% endfor %}",
    "{% with v = X %}{{ v|string }}{% endwith %}",
    "{% if X %}{{ X|string }}{% endif %}",
    "{{ X is callable }}",
]
# A format method reaching the attribute itself.
FORMATS = [
    "{{ '{0.upper}'.format(fields.title) }}",
    "{{ '{0.items}'.format(fields.meta) }}",
    "{{ '{x.upper}'.format_map({'x': fields.title}) }}",
    "{{ '{0[0].upper}'.format([fields.title]) }}",
]

FIELDS = {
    "title": "hi",
    "items": ["a", "b", "a"],
    "meta": {"k": "v"},
    "count": 3,
    "people": [{"city": "Oslo"}, {"city": "Bern"}],
}


def _wrap(expression: str, stringifier: str) -> str:
    body = stringifier.replace("X", expression)
    # ``loop`` exists inside a loop, ``caller`` inside a call block, ``m`` is a macro.
    return (
        "{% macro m() %}x{% endmacro %}"
        "{% macro w() %}{{ caller() }}{% endmacro %}"
        "{% call w() %}{% for _ in [1, 2] %}" + body + "{% endfor %}{% endcall %}"
    )


def _outputs(source: str) -> list[str]:
    """Every channel's text for ``source``: HTML (escaped) and plain text."""
    request = RenderRequest(fields=FIELDS)
    out = []
    out.append(
        WebRenderer("t", 1, WebTemplates(html=source, wrap=False)).render(request).html
    )
    out.append(SmsRenderer("t", 1, SmsTemplates(text=source)).render(request).text)
    card = CardRenderer("t", 1, CardTemplates(title=source, body="b")).render(request)
    out.append(card.title)
    return out


def _check(source: str) -> None:
    try:
        outputs = _outputs(source)
    except RenderError:
        return  # refused: fine
    for text in outputs:
        assert not REPR.search(text), (source, text)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SOURCES), st.sampled_from(STRINGIFIERS))
def test_no_stringifier_prints_a_repr(expression: str, stringifier: str) -> None:
    _check(_wrap(expression, stringifier))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SOURCES),
    st.lists(st.sampled_from(STRINGIFIERS), min_size=2, max_size=3),
)
def test_chained_stringifiers_never_print_a_repr(
    expression: str, chain: list[str]
) -> None:
    # Feed one stringifier's expression into the next: ``(X|string)|join``...
    inner = expression
    for stringifier in chain[:-1]:
        body = stringifier.removeprefix("{{ ").removesuffix(" }}")
        if "{%" in body:
            continue
        inner = "(" + body.replace("X", inner) + ")"
    _check(_wrap(inner, chain[-1]))


def test_format_methods_reaching_methods_are_refused() -> None:
    for source in FORMATS:
        with pytest.raises(RenderError, match="cannot be printed"):
            _outputs(source)


def test_the_examples_of_the_issue_are_refused_with_a_clear_error() -> None:
    for source in (
        "{{ fields.title.upper|string }}",
        '{{ "%s" % fields.title.upper }}',
        '{{ "{0.upper}".format(fields.title) }}',
        "{{ plural_category|string }}",
    ):
        with pytest.raises(RenderError, match="is a function: call it"):
            _outputs(source)


def test_calling_still_works() -> None:
    source = (
        "{{ fields.title.upper() }} {{ fields.meta.get('k') }} "
        "{{ fields.items|map('upper')|join(',') }} "
        "{% for g in fields.people|groupby('city') %}{{ g.grouper }}:"
        "{{ g.list|length }};{% endfor %} {{ plural_category(2) }} "
        "{{ fields.items|unique|list }} {% for i in [1, 2] %}{{ loop.cycle('a', 'b') }}"
        "{{ loop.index }}{% endfor %}"
    )
    (html, text, _) = _outputs(source)
    assert text == "HI v A,B,A Bern:1;Oslo:1; other ['a', 'b'] a1b2"
    assert html == "HI v A,B,A Bern:1;Oslo:1; other [&#39;a&#39;, &#39;b&#39;] a1b2"
