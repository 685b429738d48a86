"""Web channel: an HTML fragment plus the structured JSON of the same content."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from renderers._base import ChannelRenderer, RenderState
from renderers._email_html import find_images_without_alt
from renderers._limits import Limits
from renderers._types import RenderRequest, RenderWarning

__all__ = ["WebOutput", "WebRenderer", "WebTemplates"]


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, str):  # markupsafe.Markup and other str subclasses
        return str(obj)
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook, decimal_format="number")


class WebTemplates(msgspec.Struct, frozen=True, kw_only=True):
    html: str
    """The fragment's Jinja source (autoescaped)."""
    wrap: bool = True
    """Wrap the fragment in ``<div lang dir>`` so RTL locales render right."""


class WebOutput(msgspec.Struct, frozen=True, kw_only=True):
    html: str
    data: dict[str, Any]
    """``{"locale", "dir", "fields"}``: the same content for JSON front-ends."""
    json: bytes
    """``data`` encoded as JSON (UTF-8)."""
    locale: str
    dir: Literal["ltr", "rtl"]
    warnings: tuple[RenderWarning, ...] = ()


class WebRenderer(ChannelRenderer[WebOutput]):
    channel = "web"
    html_parts = frozenset({"html"})
    default_limits = Limits(max_output_chars=262_144)

    def __init__(
        self,
        template_id: str,
        version: int | str,
        templates: WebTemplates,
        limits: Limits | None = None,
    ) -> None:
        super().__init__(template_id, version, {"html": templates.html}, limits)
        self.templates = templates
        # Only a template with an <img> lacking alt, or a render that inserts
        # HTML, can produce a missing alt: skip the scan otherwise.
        self._scan_images = bool(find_images_without_alt(templates.html))

    def _render(self, request: RenderRequest, state: RenderState) -> WebOutput:
        body = self.render_part(state, "html")
        scan = self._scan_images or state.scope.markup_inserted
        locale = state.locale
        if self.templates.wrap:
            body = f'<div lang="{locale.tag}" dir="{locale.direction}">{body}</div>'
        warnings: tuple[RenderWarning, ...] = ()
        if scan:
            missing = find_images_without_alt(body)
            if missing:
                warnings = (_alt_warning(missing, "html"),)
        data = {"locale": locale.tag, "dir": locale.direction, "fields": request.fields}
        return WebOutput(
            html=body,
            data=data,
            json=_encoder.encode(data),
            locale=locale.tag,
            dir=locale.direction,
            warnings=warnings,
        )


def _alt_warning(missing: list[str], part: str) -> RenderWarning:
    shown = ", ".join(src or "(no src)" for src in missing[:5])
    return RenderWarning(
        "image_missing_alt", f"{len(missing)} image(s) without alt text: {shown}", part
    )
