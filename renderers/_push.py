"""App channel, push notifications: one payload for APNs and FCM within 4 KB."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import msgspec

from renderers._base import ChannelRenderer, RenderState
from renderers._errors import PayloadTooLargeError
from renderers._graphemes import ELLIPSIS, graphemes
from renderers._limits import Limits
from renderers._types import RenderRequest, RenderWarning
from renderers._web import _enc_hook

__all__ = ["PushOutput", "PushRenderer", "PushTemplates"]

PUSH_MAX_BYTES = 4096
"""APNs and FCM both refuse a notification payload over 4096 bytes."""
COLLAPSE_ID_MAX_BYTES = 64
_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)


class PushTemplates(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    image: str = ""
    deep_link: str = ""
    data: dict[str, str] = {}
    """Custom data: key -> Jinja source of its (string) value."""


class PushOutput(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    image: str | None
    deep_link: str | None
    data: dict[str, str]
    apns: bytes
    """``{"aps": {"alert": {...}}, ...}`` as sent to APNs."""
    fcm: bytes
    """``{"message": {"notification": {...}, "data": {...}}}`` (FCM HTTP v1)."""
    payload_bytes: int
    """The larger of the two encodings; at most 4096."""
    truncated: bool
    locale: str
    dir: Literal["ltr", "rtl"]
    warnings: tuple[RenderWarning, ...] = ()


def _payloads(
    title: str, body: str, image: str | None, link: str | None, data: dict[str, str]
) -> tuple[bytes, bytes]:
    aps: dict[str, Any] = {"alert": {"title": title, "body": body}}
    apns: dict[str, Any] = {"aps": aps}
    notification = {"title": title, "body": body}
    fcm_data = dict(data)
    if image:
        aps["mutable-content"] = 1
        apns["image"] = image
        notification["image"] = image
    if link:
        apns["deep_link"] = link
        fcm_data["deep_link"] = link
    for key, value in data.items():
        apns.setdefault(key, value)
    fcm = {"message": {"notification": notification, "data": fcm_data}}
    return _encoder.encode(apns), _encoder.encode(fcm)


def _fit(clusters: list[str], fits: Callable[[str], bool]) -> tuple[str, int] | None:
    """Longest prefix (+ ellipsis) that fits, by binary search on clusters."""
    low, high = 0, len(clusters) - 1
    best: tuple[str, int] | None = None
    while low <= high:
        mid = (low + high) // 2
        candidate = "".join(clusters[:mid]).rstrip() + ELLIPSIS if mid else ""
        if fits(candidate):
            best = (candidate, mid)
            low = mid + 1
        else:
            high = mid - 1
    return best


class PushRenderer(ChannelRenderer[PushOutput]):
    channel = "push"
    default_limits = Limits(max_output_chars=65_536)
    """Generous per part: a long body is truncated to fit 4096 bytes, not refused."""

    def __init__(
        self,
        template_id: str,
        version: int | str,
        templates: PushTemplates,
        limits: Limits | None = None,
    ) -> None:
        sources = {"title": templates.title, "body": templates.body}
        if templates.image:
            sources["image"] = templates.image
        if templates.deep_link:
            sources["deep_link"] = templates.deep_link
        for key, source in templates.data.items():
            sources[f"data.{key}"] = source
        super().__init__(template_id, version, sources, limits)
        self._data_keys = tuple(templates.data)

    def _render(self, request: RenderRequest, state: RenderState) -> PushOutput:
        title = self.render_part(state, "title").strip()
        body = self.render_part(state, "body").strip()
        image = (
            self.render_part(state, "image").strip() if "image" in self.parts else None
        )
        link = (
            self.render_part(state, "deep_link").strip()
            if "deep_link" in self.parts
            else None
        )
        data = {key: self.render_part(state, f"data.{key}") for key in self._data_keys}
        apns, fcm = _payloads(title, body, image, link, data)
        warnings: list[RenderWarning] = []
        truncated = False
        if max(len(apns), len(fcm)) > PUSH_MAX_BYTES:
            title, body = self._truncate(
                title=title,
                body=body,
                image=image,
                link=link,
                data=data,
                warnings=warnings,
            )
            apns, fcm = _payloads(title, body, image, link, data)
            truncated = True
        return PushOutput(
            title=title,
            body=body,
            image=image,
            deep_link=link,
            data=data,
            apns=apns,
            fcm=fcm,
            payload_bytes=max(len(apns), len(fcm)),
            truncated=truncated,
            locale=state.locale.tag,
            dir=state.locale.direction,
            warnings=tuple(warnings),
        )

    def _truncate(
        self,
        *,
        title: str,
        body: str,
        image: str | None,
        link: str | None,
        data: dict[str, str],
        warnings: list[RenderWarning],
    ) -> tuple[str, str]:
        def size(t: str, b: str) -> int:
            apns, fcm = _payloads(t, b, image, link, data)
            return max(len(apns), len(fcm))

        floor = size("", "")
        if floor > PUSH_MAX_BYTES:
            raise PayloadTooLargeError(
                f"the push payload needs {floor} bytes without any title or body "
                f"(image, deep link and custom data alone); the limit is "
                f"{PUSH_MAX_BYTES}",
                template_id=self.template_id,
            )
        body_clusters = graphemes(body)
        fitted = _fit(body_clusters, lambda b: size(title, b) <= PUSH_MAX_BYTES)
        if fitted is not None and fitted[1] > 0:
            warnings.append(_truncated("body", len(body_clusters), fitted[1]))
            return title, fitted[0]
        if body:
            warnings.append(_truncated("body", len(body_clusters), 0))
        if size(title, "") <= PUSH_MAX_BYTES:
            return title, ""
        title_clusters = graphemes(title)
        fitted = _fit(title_clusters, lambda t: size(t, "") <= PUSH_MAX_BYTES)
        new_title = fitted[0] if fitted is not None else ""
        warnings.append(
            _truncated("title", len(title_clusters), fitted[1] if fitted else 0)
        )
        return new_title, ""


def _truncated(part: str, before: int, kept: int) -> RenderWarning:
    return RenderWarning(
        "push_truncated",
        f"{part} cut from {before} to {kept} characters (plus an ellipsis) to fit "
        f"the {PUSH_MAX_BYTES} byte push payload limit",
        part,
    )
