"""What a template of a content type can use, for template authors: the
variables of the render the hub builds and the sandbox's filters.

Nothing here is a hand-written list: the variables are those of a real
render request made the way :mod:`~content_hub.live.render` makes them (every
``context`` value the render API accepts set), and the filters, tests and
globals come from the renderers' sandbox (:func:`renderers.template_names`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from content_hub.domain.content_types import ContentType
from content_hub.domain.render import ContextIn
from content_hub.live.render import render_context
from renderers import (
    Customer,
    RenderRequest,
    SmsTemplates,
    compile_renderer,
    template_names,
)


@dataclass(frozen=True, slots=True)
class Catalog:
    variables: tuple[str, ...]
    """Top-level names (``fields``, ``customer``, ``locale``, ...)."""
    fields: tuple[str, ...]
    """``fields.<key>`` of the content type."""
    customer: tuple[str, ...]
    """``customer.<name>`` beside the customer's own attributes."""
    context: tuple[str, ...]
    """``context.<name>`` (each only when the caller sends it)."""
    filters: tuple[str, ...]
    tests: tuple[str, ...]
    globals: tuple[str, ...]


@functools.cache
def _render_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(top-level, customer, context) names of a render request with every
    context value the API accepts set."""
    probe = ContextIn(
        campaign="c",
        journey_step="s",
        utm={},
        tracking={},
        unsubscribe_url="https://example.com/u",
        unsubscribe_mailto="mailto:u@example.com",
        timezone="UTC",
    )
    renderer = compile_renderer("catalog", 0, SmsTemplates(text=""))
    state = renderer.begin(
        RenderRequest(fields={}, customer=Customer(), context=render_context(probe))
    )
    names = template_names()
    top = tuple(sorted(n for n in state.variables if n not in names.globals))
    return (
        top,
        tuple(sorted(state.variables["customer"])),
        tuple(sorted(state.variables["context"])),
    )


def catalog(ctype: ContentType) -> Catalog:
    top, customer, context = _render_names()
    names = template_names()
    return Catalog(
        variables=top,
        fields=tuple(f.key for f in ctype.fields),
        customer=customer,
        context=context,
        filters=names.filters,
        tests=tuple(t for t in names.tests if t.isidentifier()),
        globals=names.globals,
    )
