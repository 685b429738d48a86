"""Rich text and Markdown: sanitised HTML for the HTML parts, plain text for the rest.

A field value is converted once (a caller such as the hub's render snapshot
keeps the result per value), never per render:

* ``rich_text(html)``: the editor's HTML sanitised with nh3 (scripts, styles,
  forms, frames and other elements that are not content removed with what
  they hold; event handlers, ``javascript:`` and other unsafe URLs removed)
  as ``Markup``;
* ``markdown_html(source)``: CommonMark (markdown-it-py's ``commonmark``
  preset; inline HTML is allowed by the syntax and then sanitised like rich
  text) as sanitised ``Markup``;
* ``html_to_text(html)``: what the text parts print (see ``_html_text``).

HTML parts insert a ``Markup`` value unescaped (templates cannot mark anything
safe themselves: there is no ``|safe`` filter); text parts print its plain
text: :class:`~renderers.RenderRequest` carries both views (``fields`` and
``text_fields``), and :func:`text_view` derives the second from the first when
a caller passes only ``fields``.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from renderers._html_text import html_to_text, sanitise

__all__ = ["html_to_text", "markdown_html", "rich_text", "text_view"]

_MARKDOWN = MarkdownIt("commonmark", {"html": True})
"""CommonMark; raw HTML in the source is kept for nh3 to sanitise (nesting
stops at markdown-it's ``maxNesting`` of 20)."""
_TEXT_CACHE: dict[str, str] = {}
_TEXT_CACHE_LIMIT = 1024


def rich_text(html: str) -> Markup:
    """Sanitised HTML (nh3: scripts, event handlers and ``javascript:`` URLs
    removed) marked as ``Markup``, so HTML parts insert it unescaped.

    Call it when content is saved or published, not per render.
    """
    return Markup(sanitise(html))  # noqa: S704 - sanitised just above


def markdown_html(source: str) -> Markup:
    """CommonMark as sanitised HTML (``Markup``); see :func:`rich_text`."""
    return Markup(sanitise(_MARKDOWN.render(source)))  # noqa: S704 - sanitised


def text_view(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` as text parts see them: every ``Markup`` value as plain text
    (``fields`` itself when it holds none).

    For callers that pass only ``fields``; the conversion of a value is kept
    (a bounded cache), so a batch converts each value once.
    """
    out: dict[str, Any] | None = None
    for key, value in fields.items():
        if isinstance(value, Markup):
            if out is None:
                out = dict(fields)
            out[key] = _text_of(value)
    return fields if out is None else out


def _text_of(value: Markup) -> str:
    text = _TEXT_CACHE.get(value)
    if text is None:
        text = html_to_text(value)
        if len(_TEXT_CACHE) >= _TEXT_CACHE_LIMIT:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[str(value)] = text
    return text
