"""The library's own regular expressions run in linear time on any input.

Templates and their output are editor-controlled, and some patterns scan both
(link decoration over every rendered page, email preparation at compile, the
alt-text check). Generated adversarial inputs — many repetitions of the
prefix of what each pattern looks for, never completed — render or compile
promptly; with Python's backtracking ``re``, 15 KB of ``<a <a <a`` took
minutes in the link decorator alone.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers import (
    EmailTemplates,
    RenderContext,
    RenderError,
    RenderRequest,
    WebTemplates,
    compile_renderer,
)
from renderers._links import link_decorator

UNITS = [
    "<a ",
    '<a href="',
    "<a href='x' ",
    "<A HREF=",
    "<html ",
    "<body ",
    "<mjml ",
    "<img ",
    "<style>",
    "<style ",
    "@media {",
    "a{",
    "/*",
    "http://",
    'class="',
]
TEMPLATE_UNITS = ["{{ ", "{% ", "{# "]
CONTEXT = RenderContext(utm={"source": "hub"}, unsubscribe_url="https://x.example/u")


@pytest.mark.timeout(20)
@settings(max_examples=60, deadline=None)
@given(st.sampled_from(UNITS), st.sampled_from([1_000, 20_000]))
def test_rendered_output_of_any_shape_is_scanned_in_linear_time(
    unit: str, count: int
) -> None:
    # The template writes the markup itself (a value would be escaped).
    loop = "{% for i in [1] * " + str(count) + " %}" + unit + "{% endfor %}"
    for templates in (
        WebTemplates(html="<p>" + loop + "</p>"),
        EmailTemplates(
            subject="s",
            html="<html><body><p>" + loop + "</p></body></html>",
            text="t",
        ),
    ):
        with contextlib.suppress(RenderError):  # e.g. invalid as a template
            renderer = compile_renderer("t", 1, templates)
            with contextlib.suppress(RenderError):  # an output limit
                renderer.render(RenderRequest(fields={}, context=CONTEXT))


@pytest.mark.timeout(20)
@settings(max_examples=40, deadline=None)
@given(st.sampled_from(UNITS + TEMPLATE_UNITS), st.sampled_from([1_000, 10_000]))
def test_email_sources_of_any_shape_compile_in_linear_time(
    unit: str, count: int
) -> None:
    source = "<html><body>" + unit * count + "</body></html>"
    with contextlib.suppress(RenderError):  # not a valid template: a typed refusal
        compile_renderer("t", 1, EmailTemplates(subject="s", html=source, text="t"))


def test_links_are_still_decorated() -> None:
    links = link_decorator({"source": "hub"}, {})
    html = links.html(
        "<a class='c' href=\"https://a.example/x?q=1\">a</a> "
        "<A HREF='https://b.example/'>b</A> <a href=\"mailto:x@y\">m</a>"
    )
    assert html == (
        "<a class='c' href=\"https://a.example/x?q=1&amp;utm_source=hub\">a</a> "
        "<A HREF='https://b.example/?utm_source=hub'>b</A> "
        '<a href="mailto:x@y">m</a>'
    )
