"""Email channel: subject, preheader, HTML (MJML or HTML, CSS inlined) and text."""

from __future__ import annotations

import re
from typing import Literal

import msgspec
from markupsafe import Markup

from renderers._base import ChannelRenderer, RenderState
from renderers._email_html import (
    PREHEADER_PADDING,
    find_images_without_alt,
    fragment_css,
    make_inliner,
    prepare_email_html,
)
from renderers._errors import CompileError
from renderers._limits import Limits
from renderers._links import link_decorator
from renderers._template import compile_part
from renderers._types import RenderContext, RenderRequest, RenderWarning
from renderers._web import _alt_warning

__all__ = ["EmailOutput", "EmailRenderer", "EmailTemplates"]

GMAIL_CLIP_BYTES = 102 * 1024
GMAIL_WARN_BYTES = 90 * 1024
_WHITESPACE = re.compile(r"\s+")
_HEADER_LIMITS = Limits(max_output_chars=998)
_INLINER = make_inliner()
_REINLINER = make_inliner(keep_style_tags=True)
FRAGMENT_CACHE = 256
"""Distinct inserted HTML values kept inlined per template."""


class EmailTemplates(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    html: str
    """MJML (``format='mjml'``) or HTML Jinja source, autoescaped."""
    text: str
    """The plain-text part's own Jinja source (not converted from the HTML)."""
    preheader: str = ""
    format: Literal["mjml", "html"] = "html"
    inline_css: Literal["auto", "render", "compile"] = "auto"
    """``render``: inline after every render (always correct, slowest).
    ``compile``: once per template; refused when the CSS depends on rendered
    content. ``auto``: ``compile`` when it is correct, else ``render``; renders
    that insert HTML fields are inlined again."""


class EmailOutput(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    preheader: str
    html: str
    text: str
    headers: dict[str, str]
    """``List-Unsubscribe`` / ``List-Unsubscribe-Post`` (RFC 8058) when the
    context has an unsubscribe URL or mailto."""
    html_bytes: int
    """UTF-8 size of ``html`` (Gmail clips past about 102 KB)."""
    locale: str
    dir: Literal["ltr", "rtl"]
    warnings: tuple[RenderWarning, ...] = ()


class EmailRenderer(ChannelRenderer[EmailOutput]):
    channel = "email"
    html_parts = frozenset({"html"})
    default_limits = Limits(max_output_chars=262_144)
    derived_variables = frozenset({"preheader", "preheader_padding"})

    def __init__(
        self,
        template_id: str,
        version: int | str,
        templates: EmailTemplates,
        limits: Limits | None = None,
    ) -> None:
        sources = {"subject": templates.subject, "html": templates.html}
        sources["text"] = templates.text
        if templates.preheader:
            sources["preheader"] = templates.preheader
        # Checked on the editor's sources first, so every problem of every part
        # is reported with its exact line; then the HTML is prepared once.
        super().__init__(template_id, version, sources, limits)
        try:
            html, inlined = prepare_email_html(
                templates.html,
                mjml_source=templates.format == "mjml",
                inline_css=templates.inline_css,
            )
        except CompileError as exc:
            exc.template_id, exc.part = template_id, "html"
            raise
        self._scan_images = bool(find_images_without_alt(html))
        self.parts["html"] = compile_part(
            html, template_id=template_id, part="html", html=True, limits=self.limits
        )
        self.templates = templates
        self.css_inlined_ahead = inlined
        """Whether the CSS was inlined once, at compile time."""
        self._reinline_markup = inlined and templates.inline_css == "auto"
        self._fragment_css = fragment_css(html) if self._reinline_markup else None
        """Inline inserted HTML alone (cached per value), not the document."""
        self._fragments: dict[str, Markup] = {}

    def _inline_fragment(self, value: Markup) -> Markup:
        """Inserted HTML with the template's CSS inlined (once per value)."""
        cached = self._fragments.get(value)
        if cached is None:
            css = self._fragment_css or ""
            cached = Markup(_INLINER.inline_fragment(str(value), css))  # noqa: S704
            if len(self._fragments) >= FRAGMENT_CACHE:
                self._fragments.clear()
            self._fragments[str(value)] = cached
        return cached

    def _render(self, request: RenderRequest, state: RenderState) -> EmailOutput:
        context = request.context
        warnings: list[RenderWarning] = []
        subject = _header(self.render_part(state, "subject", _HEADER_LIMITS))
        if not subject:
            warnings.append(RenderWarning("subject_empty", "the subject is empty"))
        preheader = ""
        if "preheader" in self.parts:
            preheader = _header(self.render_part(state, "preheader", _HEADER_LIMITS))
        extra = {"preheader": preheader, "preheader_padding": PREHEADER_PADDING}
        if context.unsubscribe_url:
            extra["unsubscribe_url"] = context.unsubscribe_url
        hook = self._inline_fragment if self._fragment_css is not None else None
        html = self.render_part(state, "html", extra=extra, markup_hook=hook)
        scan_images = self._scan_images or state.scope.markup_inserted
        if not self.css_inlined_ahead:
            html = _INLINER.inline(html)
        elif self._reinline_markup and state.scope.markup_inserted and hook is None:
            html = _REINLINER.inline(html)
        links = link_decorator(
            context.utm, context.tracking, (context.unsubscribe_url or "",)
        )
        if links:
            html = links.html(html)
        text = self.render_part(state, "text", extra=extra)
        if links:
            text = links.text(text)
        html_bytes = len(html) if html.isascii() else len(html.encode())
        warnings.extend(_html_warnings(html, html_bytes, scan_images=scan_images))
        headers = _unsubscribe_headers(context, html, warnings)
        return EmailOutput(
            subject=subject,
            preheader=preheader,
            html=html,
            text=text,
            headers=headers,
            html_bytes=html_bytes,
            locale=state.locale.tag,
            dir=state.locale.direction,
            warnings=tuple(warnings),
        )


def _header(value: str) -> str:
    """One line: no CR/LF can reach a header (header injection)."""
    return _WHITESPACE.sub(" ", value).strip()


def _html_warnings(html: str, size: int, *, scan_images: bool) -> list[RenderWarning]:
    warnings = []
    if size > GMAIL_CLIP_BYTES:
        warnings.append(
            RenderWarning(
                "html_clipped_by_gmail",
                f"HTML is {size} bytes; Gmail clips messages over "
                f"{GMAIL_CLIP_BYTES} bytes",
                "html",
            )
        )
    elif size > GMAIL_WARN_BYTES:
        warnings.append(
            RenderWarning(
                "html_near_clip_limit",
                f"HTML is {size} bytes, close to Gmail's {GMAIL_CLIP_BYTES} byte "
                "clipping limit",
                "html",
            )
        )
    missing = find_images_without_alt(html) if scan_images else []
    if missing:
        warnings.append(_alt_warning(missing, "html"))
    return warnings


def _unsubscribe_headers(
    context: RenderContext, html: str, warnings: list[RenderWarning]
) -> dict[str, str]:
    url, mailto = context.unsubscribe_url, context.unsubscribe_mailto
    targets = []
    if url:
        targets.append(f"<{url}>")
    if mailto:
        targets.append(
            f"<{mailto if mailto.startswith('mailto:') else 'mailto:' + mailto}>"
        )
    if not targets:
        return {}
    headers = {"List-Unsubscribe": ", ".join(targets)}
    if url and url.lower().startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    elif url:
        warnings.append(
            RenderWarning(
                "unsubscribe_not_https",
                "one-click unsubscribe (RFC 8058) needs an https URL",
            )
        )
    if url and url not in html and url.replace("&", "&amp;") not in html:
        warnings.append(
            RenderWarning(
                "unsubscribe_link_missing",
                "the HTML has no link to the unsubscribe URL",
                "html",
            )
        )
    return headers
