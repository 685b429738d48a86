"""SMS channel: one text, its encoding and segment count, a segment budget."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import msgspec

from renderers._base import ChannelRenderer, RenderState
from renderers._gsm import SmsCount, count_sms, smart_encode
from renderers._limits import Limits
from renderers._types import RenderRequest, RenderWarning

__all__ = ["SmsOutput", "SmsRenderer", "SmsTemplates", "normalise_spaces"]

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})
_URL = re.compile(r"https?://[^\s<>\"']+", re.I)
MAX_SEGMENTS = 10
"""Carriers and providers stop at 10 segments (Twilio: 1,600 characters)."""


def normalise_spaces(text: str) -> str:
    """NBSP, narrow NBSP (Babel's French and Swiss numbers) and figure space
    become plain spaces: they are not GSM-7 and would force UCS-2."""
    return text.translate(_SPACES)


class SmsTemplates(msgspec.Struct, frozen=True, kw_only=True):
    text: str


class SmsOutput(msgspec.Struct, frozen=True, kw_only=True):
    text: str
    """The text to send (smart-encoded when the renderer applies it)."""
    count: SmsCount
    smart: SmsCount | None
    """The count after smart encoding, when it was asked for."""
    locale: str
    dir: Literal["ltr", "rtl"]
    warnings: tuple[RenderWarning, ...] = ()


class SmsRenderer(ChannelRenderer[SmsOutput]):
    """``smart_encoding``: ``"off"``, ``"report"`` (count both ways) or
    ``"apply"`` (send the transliterated text). ``shorten`` is called with every
    http(s) URL of the rendered text and returns its replacement."""

    channel = "sms"
    default_limits = Limits(max_output_chars=1_600)

    def __init__(
        self,
        template_id: str,
        version: int | str,
        templates: SmsTemplates,
        limits: Limits | None = None,
        *,
        segment_budget: int = 3,
        smart_encoding: Literal["off", "report", "apply"] = "report",
        shorten: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(template_id, version, {"text": templates.text}, limits)
        self.segment_budget = segment_budget
        self.smart_encoding = smart_encoding
        self.shorten = shorten

    def _render(self, request: RenderRequest, state: RenderState) -> SmsOutput:
        text = normalise_spaces(self.render_part(state, "text").strip())
        if self.shorten is not None:
            shorten = self.shorten
            text = _URL.sub(lambda m: shorten(m.group(0)), text)
        count = count_sms(text)
        smart: SmsCount | None = None
        if self.smart_encoding != "off" and count.encoding == "UCS-2":
            encoded = smart_encode(text)
            smart = count_sms(encoded)
            if self.smart_encoding == "apply":
                text, count = encoded, smart
        warnings = _warnings(count, smart, self.segment_budget)
        return SmsOutput(
            text=text,
            count=count,
            smart=smart,
            locale=state.locale.tag,
            dir=state.locale.direction,
            warnings=tuple(warnings),
        )


def _warnings(
    count: SmsCount, smart: SmsCount | None, budget: int
) -> list[RenderWarning]:
    warnings = []
    if count.segments == 0:
        warnings.append(RenderWarning("sms_empty", "the message is empty"))
    if count.segments > MAX_SEGMENTS:
        warnings.append(
            RenderWarning(
                "sms_too_long",
                f"{count.segments} segments; most carriers stop at {MAX_SEGMENTS}",
            )
        )
    elif count.segments > budget:
        warnings.append(
            RenderWarning(
                "sms_over_budget",
                f"{count.segments} segments ({count.encoding}, {count.units} units) "
                f"exceed the budget of {budget}",
            )
        )
    if count.encoding == "UCS-2" and smart is not None and smart.encoding == "GSM-7":
        warnings.append(
            RenderWarning(
                "sms_smart_encoding_available",
                f"smart encoding makes it GSM-7: {smart.segments} segment(s) "
                f"instead of {count.segments}",
            )
        )
    return warnings
